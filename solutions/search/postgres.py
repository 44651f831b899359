"""Search on PostgreSQL: the trigger-maintained, weighted search document (migration 0011)
with its GIN index, websearch syntax, ranked by ts_rank, with trigram spelling suggestions
from a materialised view of the documents' words."""

import json
import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q

from solutions.models import Solution
from solutions.search import substring
from solutions.search.query import parse_query

# Accents folded, hyphenated words split (migration 0015).
CONFIGURATION = "search_english"
# Scripts beyond Latin (CJK above all) are not split into words the way the full-text parser
# expects, so a query in them also matches as a substring.
BEYOND_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f]")


def websearch_text(text):
    """The query in websearch_to_tsquery's syntax, rebuilt from its parsed terms.

    The text as typed is never handed over: websearch_to_tsquery keeps a stack of 32
    operators, and a run of 33 `-` (with or without other operator characters between them)
    makes it raise. Each term is quoted, so nothing inside it reads as an operator; the only
    operators are `or` between alternatives and one `-` before an exclusion, and parse_query
    gives at most MAX_WORDS terms. For words, "phrases", `or` and -exclusions PostgreSQL reads
    the same query as from the typed text (the exclusions come last, which changes nothing).
    """
    parsed = parse_query(text)
    clauses = [" or ".join(_quoted(term) for term in clause) for clause in parsed.clauses]
    return " ".join(clauses + [f"-{_quoted(term)}" for term in parsed.excluded])


def _quoted(term):
    return '"' + " ".join(term.replace('"', " ").split()) + '"'


def web_search_query(text):
    return SearchQuery(websearch_text(text), search_type="websearch", config=CONFIGURATION)


def search(queryset, text):
    matches = Q(search_document=web_search_query(text))
    if BEYOND_LATIN.search(text):
        matches |= Q(pk__in=substring.search(Solution.objects.all(), text).values("pk"))
    return queryset.filter(matches)


def ranked(queryset, text):
    return queryset.annotate(relevance=SearchRank(F("search_document"), web_search_query(text)))


def corrections(words, published):
    """For each word, the most similar word of the published documents, if it differs."""
    found = {}
    with connection.cursor() as cursor:
        for word in words:
            cursor.execute(
                "SELECT word FROM solutions_search_words WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC, ndoc DESC LIMIT 1",
                [word.lower(), word.lower()],
            )
            row = cursor.fetchone()
            if row and row[0] != word.lower():
                found[word] = row[0]
    return found


def refresh_vocabulary():
    with connection.cursor() as cursor:
        cursor.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY solutions_search_words")


def estimated_count(queryset):
    """The planner's estimate of how many rows `queryset` gives: from the statistics that
    ANALYZE keeps (for a full-text match, how often each word occurs), without reading a row."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
