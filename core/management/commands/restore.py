from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.backup import database_is_empty, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an empty database: runs the migrations, loads "
        "the data and unpacks the uploaded images into MEDIA_ROOT."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not database_is_empty():
            raise CommandError(
                "This database already has data. Restore into an empty database (create "
                "a new one, or drop and recreate it), so nothing is mixed or overwritten."
            )
        try:
            report = restore(directory)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored from {directory}: {report}"))
