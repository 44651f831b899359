from django.core.management.base import BaseCommand

from core.backup import DATA_FILE, MEDIA_FILE, backup


class Command(BaseCommand):
    help = (
        f"Back up the whole database (with the solutions' history) to DIRECTORY/{DATA_FILE} and "
        f"the uploaded images to DIRECTORY/{MEDIA_FILE}. Restore with `restore DIRECTORY`."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        path = backup(directory)
        self.stdout.write(self.style.SUCCESS(f"Backed up to {path}/{DATA_FILE} and {MEDIA_FILE}."))
