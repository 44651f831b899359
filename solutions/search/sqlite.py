"""Search on SQLite: an FTS5 full-text index (migration 0013), kept current by triggers on
every table it reads, so the admin, the staff form, the workflow and bulk inserts are covered
alike. Words are stemmed (Porter: "floods", "flooding", "flooded" are "flood") and accents
folded ("Medellin" finds "Medellín"); hyphenated and separate words match each other. Ranked
by bm25 with the title weighted above the summary, themes, tags and city, and those above the
long sections. A query in a script written without spaces between words also matches by
substring (`substring`). Spelling suggestions come from the titles' and summaries' words.
"""

import difflib
import re

from django.db.models import FloatField, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from core.caching import cached
from solutions.search import substring
from solutions.search.query import STOP_WORDS, parse_query
from solutions.search.sqlite_index import INDEX

# bm25 weights of the index's columns: title, summary, context (themes, tags, city), body.
WEIGHTS = "10.0, 4.0, 4.0, 1.0"
MATCHING_IDS = f"SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH %s"
# Scripts beyond Latin (CJK above all) are not split into words by the tokenizer.
BEYOND_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f]")
VOCABULARY_SAMPLE = 5000


def phrase(term):
    """A term as an FTS5 string: quoted, so nothing in it reads as query syntax; the
    tokenizer splits it into words, which must then follow each other (a phrase)."""
    return '"' + term.replace('"', '""') + '"'


def meaningful(clauses):
    """The clauses without single-word stop-word terms, and without clauses left empty."""
    kept = ([term for term in clause if term.lower() not in STOP_WORDS] for clause in clauses)
    return [clause for clause in kept if clause]


def match_expression(clauses):
    """AND of the clauses, each an OR of its terms, in FTS5's query syntax."""
    return " AND ".join(
        "(" + " OR ".join(phrase(term) for term in clause) + ")" for clause in clauses
    )


def _matching(expression):
    return Q(pk__in=RawSQL(MATCHING_IDS, [expression]))


def search(queryset, text):
    parsed = parse_query(text)
    clauses = meaningful(parsed.clauses)
    if clauses:
        matches = _matching(match_expression(clauses))
        if BEYOND_LATIN.search(text):
            matches |= Q(pk__in=substring.search(queryset.model.objects.all(), text).values("pk"))
        queryset = queryset.filter(matches)
    for term in meaningful([[term] for term in parsed.excluded]):
        queryset = queryset.exclude(_matching(phrase(term[0])))
    return queryset


def ranked(queryset, text):
    clauses = meaningful(parse_query(text).clauses)
    if not clauses:
        return queryset.annotate(relevance=Value(0.0, output_field=FloatField()))
    table = queryset.model._meta.db_table
    # bm25 is smaller for a better match; its negation ranks best first.
    score = RawSQL(
        f"SELECT -bm25({INDEX}, {WEIGHTS}) FROM {INDEX} "
        f"WHERE {INDEX} MATCH %s AND {INDEX}.rowid = {table}.id",
        [match_expression(clauses)],
        output_field=FloatField(),
    )
    return queryset.annotate(relevance=Coalesce(score, Value(0.0)))


def estimated_count(queryset):
    """No estimate without reading the rows: None, so the matches are counted."""
    return None


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
