"""Uploaded files leave storage with their rows: an image's file is deleted once the deletion of
its row (in the form, in the admin, or with its case study), or its replacement by a new
upload, is committed, so it is no longer served at its old URL. Connected in signals.py.

The history (django-reversion) keeps an image's row, not its file: restoring a version brings
back the row, its alternative text and caption, without the picture, until someone uploads
it again. Keeping every file a version might restore would keep every file for ever.
"""

import logging
from functools import partial

from django.db import transaction

from solutions.models import SolutionImage

logger = logging.getLogger("solutions.media")


def delete_file(storage, name):
    """Delete a stored file, unless an image row refers to it again (a restore, say)."""
    if SolutionImage._base_manager.filter(image=name).exists():
        return
    storage.delete(name)
    logger.info("Image file deleted", extra={"event": "image_file_deleted", "file": name})


def delete_on_commit(field_file, name, using):
    if name:
        transaction.on_commit(partial(delete_file, field_file.storage, name), using, robust=True)


def remember_stored_file(sender, instance, **kwargs):
    """post_init: the name of the row's file as loaded (a deferred field stays unloaded)."""
    value = instance.__dict__.get("image")
    instance._stored_file = getattr(value, "name", value) or ""


def delete_replaced_file(sender, instance, raw, using, **kwargs):
    """post_save: a new upload replaced the file, so the old one goes. Not on a raw save: a
    restore from the history or a fixture puts back names, it replaces no upload."""
    stored = getattr(instance, "_stored_file", "")
    if not raw and stored and stored != instance.image.name:
        delete_on_commit(instance.image, stored, using)
    instance._stored_file = instance.image.name


def delete_removed_file(sender, instance, using, **kwargs):
    """post_delete: the row is gone, so its file goes too."""
    delete_on_commit(instance.image, instance.image.name, using)
