"""Backing up and restoring everything: the data (with its history) and uploaded images."""

import gzip
import hashlib
import json
import tarfile
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import transaction
from django.dispatch import Signal

DATA_FILE = "data.json.gz"
MEDIA_FILE = "media.tar.gz"
# Rebuilt by migrate, or not worth keeping: content types and permissions come back from the
# migrations; sessions and login-attempt logs are transient.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]
# Every microsecond of every time (Django's JSON keeps milliseconds): core.exact_json.
EXACT_JSON = "exactjson"

# Sent after a restore has loaded everything: apps rebuild what they derive from their rows
# and keep outside them (solutions: the words spelling suggestions come from).
restored = Signal()


def backed_up_models():
    skipped_apps = {label for label in EXCLUDED if "." not in label}
    skipped_models = {label for label in EXCLUDED if "." in label}
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in skipped_apps
        and model._meta.label_lower not in skipped_models
        and not model._meta.proxy
        and model._meta.managed
    ]


def backup(directory):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with gzip.open(directory / DATA_FILE, "wt", encoding="utf-8") as out:
        call_command(
            "dumpdata",
            *[f"--exclude={label}" for label in EXCLUDED],
            # Primary keys are kept: the history refers to rows by them, and some third-party
            # natural keys are not unique (taggit's tagged items).
            natural_foreign=True,
            format=EXACT_JSON,
            stdout=out,
        )
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(directory / MEDIA_FILE, "w:gz") as archive:
        if media.is_dir():
            archive.add(media, arcname=".")
    return directory


def database_is_empty():
    """True when nothing but what the migrations create is there: a restore overwrites all."""
    return not any(
        model._base_manager.exists()
        for model in backed_up_models()
        if model._meta.label_lower not in settings.BACKUP_FILLED_BY_MIGRATIONS
    )


@transaction.atomic
def restore(directory):
    directory = Path(directory)
    data = directory / DATA_FILE
    if not data.is_file():
        raise FileNotFoundError(f"No {DATA_FILE} in {directory}.")
    # The migrations create some rows (groups, the goals); the backup has its own copies.
    for model in reversed(backed_up_models()):
        model._base_manager.all().delete()
    out = StringIO()
    call_command("loaddata", str(data), stdout=out)
    media = directory / MEDIA_FILE
    if media.is_file():
        Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
        with tarfile.open(media, "r:gz") as archive:
            archive.extractall(settings.MEDIA_ROOT, filter="data")
    restored.send(sender=restore)
    return out.getvalue().strip()


def content_checksums():
    """Per model: the row count and a checksum of every row's content, for comparing."""
    checksums = {}
    for model in backed_up_models():
        rows = model._base_manager.order_by("pk")
        serialized = serializers.serialize(
            EXACT_JSON, rows, use_natural_foreign_keys=True, use_natural_primary_keys=False
        )
        rows_data = json.loads(serialized)
        for row in rows_data:
            # Derived by the database's triggers as rows arrive; not content.
            row["fields"].pop("search_document", None)
            for name, value in row["fields"].items():
                if isinstance(value, list):  # many-to-many values: a set, in no fixed order
                    row["fields"][name] = sorted(value, key=json.dumps)
        canonical = json.dumps(rows_data, sort_keys=True)
        checksums[model._meta.label] = (
            rows.count(),
            hashlib.sha256(canonical.encode()).hexdigest(),
        )
    return checksums
