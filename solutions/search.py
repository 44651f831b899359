"""Text search over published solutions that gives the same answers on SQLite and PostgreSQL.

Every word must match somewhere: the title, summary, the four long sections, the origin
city's name or alternate names, a theme, or a tag.
"""

import re

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from taggit.models import TaggedItem

MAX_WORDS = 12
MAX_WORD_LENGTH = 60
MAX_QUERY_LENGTH = 300
TEXT_FIELDS = ["title", "summary", "problem", "approach", "results", "lessons_learned"]
QUOTES_AND_OPERATORS = "\"'“”‘’«»„+|()[]{}<>"


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_query(text):
    """The query with control characters (a NUL breaks PostgreSQL) and extra spaces removed."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text or "").split())


def search_words(text, limit=MAX_WORDS):
    """The distinct words of a query, quotes and operator characters trimmed, at most `limit`."""
    words = []
    for raw in re.split(r"\s+", clean_query(text)[:MAX_QUERY_LENGTH]):
        word = raw.strip(QUOTES_AND_OPERATORS + ".,;:!?")
        if word.startswith("-") and len(word) > 1:
            word = word.lstrip("-")
        if word and word.lower() not in {w.lower() for w in words}:
            words.append(word[:MAX_WORD_LENGTH])
    return words[:limit]


def _word_q(word):
    from solutions.models import Solution

    q = Q()
    for name in TEXT_FIELDS:
        q |= Q(**{f"{name}__icontains": word})
    q |= Q(city__name__icontains=word) | Q(city__alternate_names__icontains=word)
    q |= Q(
        pk__in=Solution.themes.through.objects.filter(theme__name__icontains=word).values(
            "solution_id"
        )
    )
    q |= Q(
        pk__in=TaggedItem.objects.filter(
            content_type__app_label="solutions",
            content_type__model="solution",
            tag__name__icontains=word,
        ).values("object_id")
    )
    return q


def matching(queryset, words):
    for word in words:
        queryset = queryset.filter(_word_q(word))
    return queryset


def with_relevance(queryset, words):
    """A score per solution: a word in the title counts most, then the summary, then the rest."""
    score = Value(0)
    for word in words:
        score = score + Case(
            When(title__icontains=word, then=Value(4)),
            When(summary__icontains=word, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return queryset.annotate(relevance=Coalesce(score, Value(0)))
