"""Refilling the caches that every visitor's first page needs, right after a change.

Every cached count is keyed by the content version (core.caching), so a publish makes all
of them cold at once, and whoever came next would wait for the counts over every published
solution: the home page's figures and theme counts, the filter form's choices, and the
unfiltered list's facets and total (at 100,000 solutions, about a second in all). They are
computed here instead, once per committed change: as a task, so with a task worker the
person who saved does not wait either (with the default immediate backend, the save's
request pays, once). Filtered lists and searches are counted when first asked for.
"""

from django.conf import settings
from django.http import QueryDict
from django.tasks import task

from core.caching import content_committed
from solutions.figures import cached_key_figures, published_theme_counts
from solutions.filters.solutions import FilterChoices, SolutionFilterSet
from solutions.models import Solution


def warm_caches():
    published_theme_counts()
    cached_key_figures()
    choices = FilterChoices()
    choices.popular  # noqa: B018 - reading fills the cached choices (places and tags)
    SolutionFilterSet(QueryDict(), Solution.objects.published(), choices=choices).facet_counts()


@task
def warm_caches_task():
    warm_caches()


def content_committed_receiver(sender, **kwargs):
    if settings.WARM_CACHES_AFTER_CHANGES:
        warm_caches_task.enqueue()


content_committed.connect(content_committed_receiver, dispatch_uid="solutions-warm-caches")
