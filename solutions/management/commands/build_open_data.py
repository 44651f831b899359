"""Build the open-data download (solutions/open_data.py): every published case study and what
it names, as a zip of CSV tables with a README, in the shared media storage. Run it from cron
(hourly, say) where no task worker rebuilds it after each change: it does nothing while the
content is unchanged since the last build, unless told --force."""

from django.core.management.base import BaseCommand

from core.caching import content_version
from solutions import open_data


class Command(BaseCommand):
    help = "Build the open-data download if the content changed since the last build."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Build even if unchanged.")

    def handle(self, *args, force=False, **options):
        latest = open_data.latest()
        if not force and latest and latest["content_version"] == content_version():
            self.stdout.write(f"Unchanged since the build of {latest['built_at']}: nothing to do.")
            return
        manifest = open_data.build_once()
        if manifest is None:
            self.stdout.write("Another server is building it now: nothing to do.")
            return
        self.stdout.write(
            f"Built {manifest['file']} ({manifest['size']:,} bytes) at {manifest['built_at']}."
        )
