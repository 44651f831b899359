"""Cache invalidation: a case study or anything shown with it changed, so cached pages and
counts are stale. (Cities and networks connect their own.) And an image's file is deleted
once its row is (solutions.media)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from core.backup import restored
from core.caching import bump_content_version
from core.markdown import remember_rendering
from solutions.media import delete_removed_file, delete_replaced_file, remember_stored_file
from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    Solution,
    SolutionImage,
    SourceLink,
    Theme,
    Transfer,
)
from solutions.search import refresh_vocabulary

MARKDOWN_FIELDS = ["problem", "approach", "results", "lessons_learned", "funding"]

VISIBLE_MODELS = [
    Solution,
    Theme,
    Transfer,
    Partner,
    SourceLink,
    SolutionImage,
    Indicator,
    Measurement,
    Tag,
    TaggedItem,
]


def content_changed(sender, **kwargs):
    bump_content_version()


for model in VISIBLE_MODELS:
    post_save.connect(content_changed, sender=model, dispatch_uid=f"cache-save-{model.__name__}")
    post_delete.connect(content_changed, sender=model, dispatch_uid=f"cache-del-{model.__name__}")


@receiver(m2m_changed, sender=Solution.themes.through)
@receiver(m2m_changed, sender=Solution.sdgs.through)
def relations_changed(sender, **kwargs):
    bump_content_version()


@receiver(restored, dispatch_uid="solutions-restored")
def rebuild_after_restore(sender, **kwargs):
    """A restore brings back rows, not the vocabulary of spelling suggestions derived from them."""
    transaction.on_commit(refresh_vocabulary)


# Uploaded files: deleted from storage when their row is (solutions.media).
post_init.connect(remember_stored_file, sender=SolutionImage, dispatch_uid="image-file-init")
post_save.connect(delete_replaced_file, sender=SolutionImage, dispatch_uid="image-file-save")
post_delete.connect(delete_removed_file, sender=SolutionImage, dispatch_uid="image-file-delete")


@receiver(post_save, sender=Solution, dispatch_uid="solutions-render-markdown")
def render_sections(sender, instance, **kwargs):
    """Render the Markdown sections as they are saved, so no reader waits for it."""
    # Only sections loaded on this instance: reading a deferred one would query for it.
    texts = [instance.__dict__.get(name) or "" for name in MARKDOWN_FIELDS]
    transaction.on_commit(lambda: remember_rendering(*texts))
