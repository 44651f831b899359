"""Searching solutions with web-search syntax: words, "quoted phrases", `or`, and -exclusions.

The query parser (`query`) is shared; each database has its backend, chosen once:
`postgres` (the weighted search document, accents folded, ranked, trigram suggestions) and
`sqlite` (an FTS5 index with Porter stemming, ranked by bm25), which also serves any other
database. Callers use the functions here, and `snippets` for what a result shows.
"""

from functools import cache

from django.db import connection
from django.tasks import task

from solutions.search import postgres, ranking, sqlite
from solutions.search.query import (
    MAX_QUERY_LENGTH,
    MAX_WORDS,
    parse_query,
    search_words,
    suggestion_words,
)
from solutions.search.ranking import RelevanceOrdered

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_WORDS",
    "estimated_count",
    "parse_query",
    "ranked",
    "refresh_vocabulary",
    "refresh_vocabulary_task",
    "search",
    "search_words",
    "suggest",
]


@cache
def backend():
    return postgres if connection.vendor == "postgresql" else sqlite


def search(queryset, text):
    """The solutions matching the query."""
    return backend().search(queryset, text)


def ranked(queryset, text):
    """The matching solutions `queryset` holds, best match first (`ranking`): the newest
    ranking.CANDIDATES ranked by relevance, then the older ones newest first."""
    newest = queryset.order_by("-published_at", "-pk")
    candidate_ids = newest.values("pk")[: ranking.CANDIDATES]
    candidates = (
        backend()
        .ranked(queryset.model.objects.filter(pk__in=candidate_ids), text)
        .order_by("-relevance", "-published_at", "-pk")
    )
    return RelevanceOrdered(candidates, newest)


def estimated_count(queryset):
    """How many solutions `queryset` gives, estimated without reading them; None where the
    database cannot tell."""
    return backend().estimated_count(queryset)


def suggest(text, published):
    """A corrected query when some word looks misspelt, else None."""
    words = suggestion_words(text)
    if not words:
        return None
    corrections = backend().corrections(words, published)
    if not corrections:
        return None
    return " ".join(corrections.get(word, word) for word in text.split())


def refresh_vocabulary():
    """Rebuild the word list that spelling suggestions come from (where there is one)."""
    backend().refresh_vocabulary()


@task
def refresh_vocabulary_task():
    refresh_vocabulary()
