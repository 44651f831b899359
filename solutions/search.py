"""Searching solutions with web-search syntax: words, "quoted phrases", `or`, and -exclusions.

On PostgreSQL: the trigger-maintained, weighted search document with its GIN index, ranked by
relevance, with trigram spelling suggestions. On SQLite: every term must match somewhere in
the title, summary, the four long sections, the origin city's name or alternate names, a theme
or a tag, ranked by where it matched, with suggestions from the titles' vocabulary.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.tasks import task
from django.utils.html import escape
from django.utils.safestring import mark_safe
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


@dataclass
class ParsedQuery:
    """AND of `clauses` (each an OR of terms; a term may be a phrase), NOT any of `excluded`."""

    clauses: list = field(default_factory=list)
    excluded: list = field(default_factory=list)

    @property
    def terms(self):
        return [term for clause in self.clauses for term in clause]


TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


def parse_query(text):
    parsed = ParsedQuery()
    join_next = False
    for match in TOKEN.finditer(clean_query(text)[:MAX_QUERY_LENGTH]):
        negative, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and word.lower() == "or":
            join_next = bool(parsed.clauses)
            continue
        if word is not None:
            negative = "-" if word.startswith("-") and len(word) > 1 else ""
            words = search_words(word)
            term = words[0] if words else ""
        else:
            term = " ".join(phrase.split())
        if not term:
            continue
        if negative:
            parsed.excluded.append(term)
        elif join_next:
            parsed.clauses[-1].append(term)
        else:
            parsed.clauses.append([term])
        join_next = False
    parsed.clauses = parsed.clauses[:MAX_WORDS]
    return parsed


def uses_postgresql():
    return connection.vendor == "postgresql"


def web_search_query(text):
    return SearchQuery(
        clean_query(text)[:MAX_QUERY_LENGTH], search_type="websearch", config="english"
    )


# Scripts beyond Latin (CJK above all) are not split into words the way the full-text parser
# expects, so a query in them also matches as a substring.
BEYOND_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f]")


def search(queryset, text):
    """The solutions matching the query."""
    if uses_postgresql():
        matches = Q(search_document=web_search_query(text))
        if BEYOND_LATIN.search(text):
            matches |= Q(pk__in=simple_search(queryset.model.objects.all(), text).values("pk"))
        return queryset.filter(matches)
    return simple_search(queryset, text)


def simple_search(queryset, text):
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
    """Best match first: on PostgreSQL by ts_rank over the weighted document."""
    if uses_postgresql():
        rank = SearchRank(F("search_document"), web_search_query(text))
        return queryset.annotate(relevance=rank).order_by("-relevance", "-published_at", "-pk")
    return with_relevance(queryset, parse_query(text).terms).order_by(
        "-relevance", "-published_at", "-pk"
    )


def highlight(text, terms):
    """The text, escaped, with each search term wrapped in <mark>."""
    escaped = escape(text)
    words = sorted({escape(term) for term in terms if term}, key=len, reverse=True)
    if not words:
        return mark_safe(escaped)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))


def refresh_vocabulary():
    """Rebuild the word list that spelling suggestions come from (PostgreSQL only)."""
    if uses_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY solutions_search_words")


@task
def refresh_vocabulary_task():
    refresh_vocabulary()


def suggest(text, published):
    """A corrected query when some word looks misspelt, else None."""
    parsed = parse_query(text)
    words = [term for term in parsed.terms if " " not in term and len(term) >= 3]
    if not words:
        return None
    corrections = {}
    if uses_postgresql():
        with connection.cursor() as cursor:
            for word in words:
                cursor.execute(
                    "SELECT word FROM solutions_search_words WHERE word %% %s "
                    "ORDER BY similarity(word, %s) DESC, ndoc DESC LIMIT 1",
                    [word.lower(), word.lower()],
                )
                row = cursor.fetchone()
                if row and row[0] != word.lower():
                    corrections[word] = row[0]
    else:
        vocabulary = set()
        for title, summary in published.values_list("title", "summary")[:5000]:
            vocabulary.update(re.findall(r"[^\W\d_]{3,}", f"{title} {summary}".lower()))
        for word in words:
            if word.lower() in vocabulary:
                continue
            close = difflib.get_close_matches(word.lower(), vocabulary, n=1, cutoff=0.75)
            if close:
                corrections[word] = close[0]
    if not corrections:
        return None
    return " ".join(corrections.get(word, word) for word in text.split())
