"""Search on SQLite (and any database without full-text search): every term must match
somewhere in the title, summary, the four long sections, the origin city's name or alternate
names, a theme or a tag; ranked by where it matched, with suggestions from the titles'
vocabulary."""

import difflib
import re

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from taggit.models import TaggedItem

from core.caching import cached
from solutions.models import Solution
from solutions.search.query import parse_query

TEXT_FIELDS = ["title", "summary", "problem", "approach", "results", "lessons_learned"]
VOCABULARY_SAMPLE = 5000


def _word_q(word):
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


def search(queryset, text):
    parsed = parse_query(text)
    for clause in parsed.clauses:
        q = Q()
        for term in clause:
            q |= _word_q(term)
        queryset = queryset.filter(q)
    for term in parsed.excluded:
        queryset = queryset.exclude(_word_q(term))
    return queryset


def ranked(queryset, text):
    """A score per solution: a term in the title counts most, then the summary, then the rest."""
    score = Value(0)
    for term in parse_query(text).terms:
        score = score + Case(
            When(title__icontains=term, then=Value(4)),
            When(summary__icontains=term, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return queryset.annotate(relevance=Coalesce(score, Value(0)))


def _vocabulary(published):
    """The words of the titles and summaries (of up to VOCABULARY_SAMPLE solutions)."""
    vocabulary = set()
    rows = published.values_list("title", "summary")[:VOCABULARY_SAMPLE]
    for title, summary in rows:
        vocabulary.update(re.findall(r"[^\W\d_]{3,}", f"{title} {summary}".lower()))
    return vocabulary


def corrections(words, published):
    """For each word not in the titles' and summaries' vocabulary, the closest word that is."""
    vocabulary = cached("vocabulary", lambda: _vocabulary(published), str(published.query))
    found = {}
    for word in words:
        if word.lower() in vocabulary:
            continue
        close = difflib.get_close_matches(word.lower(), vocabulary, n=1, cutoff=0.75)
        if close:
            found[word] = close[0]
    return found


def refresh_vocabulary():
    """Nothing to refresh: the vocabulary is read from the solutions when it is needed."""


def estimated_count(queryset):
    """No estimate without reading the rows: None, so the matches are counted."""
    return None
