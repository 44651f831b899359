"""Hostile searches: no text typed into the search box can make the database raise.

PostgreSQL's websearch_to_tsquery keeps a stack of 32 operators: 33 `-` in a row (or any
run of operator characters that adds up to as many negations) used to end in "tsquery stack
too small", a 500 on the list and the theme pages and an export cut off after its header
row. The search now hands PostgreSQL only the parsed, bounded terms, each quoted, and the
exports run a search before they send their first byte.
"""

import csv
import io
import json
import re

import pytest
from django.db import connection, transaction
from django.http import StreamingHttpResponse
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from solutions.search import parse_query, postgres
from solutions.search.query import MAX_QUERY_LENGTH, MAX_WORD_LENGTH, MAX_WORDS
from solutions.views.exports import COLUMNS
from tests.support.factories import make_solution, make_theme

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)

OPERATORS = '-"()|!&:*<>'
HOSTILE = [
    pytest.param("-" * 300, id="300 dashes"),
    pytest.param("- " * 150, id="150 spaced dashes"),
    pytest.param("!" * 300, id="300 bangs"),
    pytest.param(OPERATORS * 27, id="operator mixture"),
    pytest.param('"a" -"b" ' * 33, id="phrase and excluded phrase, repeated"),
    pytest.param('-"x" ' * 60, id="60 excluded phrases"),
    pytest.param("x or " * 60, id="60 alternatives"),
    pytest.param("-(" * 150, id="dash and parenthesis"),
    pytest.param('-"' * 150, id="dash and quote"),
    pytest.param("-!" * 150, id="dash and bang"),
    pytest.param("kiosks " + "-" * 293, id="a word, then dashes"),
    pytest.param("-" * 100 + " kiosks " + "-" * 100, id="dashes around a word"),
]
# Pieces hypothesis strings together: operator characters, the word "or", words that match,
# words that do not, and odd whitespace.
PIECES = [*OPERATORS, " ", "  ", "\t", "or", " or ", "OR", "kiosks", "solar", "zz", "é", "水"]
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def hostile_text():
    return st.lists(st.sampled_from(PIECES), max_size=160).map("".join)


@pytest.fixture
def published(db):
    theme = make_theme(name="Water", slug="water")
    kiosks = make_solution(title="Water kiosks", slug="water-kiosks", themes=[theme])
    solar = make_solution(title="Solar roofs", slug="solar-roofs", themes=[theme])
    return theme, {"kiosks": kiosks.slug, "solar": solar.slug}


def listed(client, url, text):
    response = client.get(url, {"q": text})
    assert response.status_code == 200, text
    assert response["Content-Type"].startswith("text/html")
    return sorted(solution.slug for solution in response.context["page_obj"].paginator.object_list)


def exported(client, format, text):
    response = client.get(reverse("solutions:export", kwargs={"format": format}), {"q": text})
    assert response.status_code == 200, text
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8")
    if format == "csv":
        header, *rows = list(csv.reader(io.StringIO(body)))
        assert header == COLUMNS
        assert all(len(row) == len(COLUMNS) for row in rows), body
        return sorted(row[0] for row in rows)
    rows = json.loads(body)
    assert isinstance(rows, list)
    assert all(list(row) == COLUMNS for row in rows), body
    return sorted(row["slug"] for row in rows)


def assert_every_view_answers(client, theme, text):
    """The list, the theme page and both exports answer 200 with a well-formed body, and
    agree on what the search found."""
    found = listed(client, reverse("solutions:list"), text)
    assert listed(client, reverse("solutions:theme", kwargs={"slug": theme.slug}), text) == found
    assert exported(client, "csv", text) == found
    assert exported(client, "json", text) == found
    return found


@pytest.mark.parametrize("text", HOSTILE)
def test_an_operator_heavy_search_is_answered_by_every_view(client, published, text):
    theme, _slugs = published

    assert_every_view_answers(client, theme, text)


@pytest.mark.parametrize(
    "text",
    [
        "kiosks " + "-" * 293,
        "-" * 100 + " kiosks " + "-" * 100,
        OPERATORS * 10 + " kiosks",
        "!" * 100 + " kiosks " + "!" * 100,
    ],
)
def test_the_words_among_the_operators_are_still_searched(client, published, text):
    theme, slugs = published

    assert assert_every_view_answers(client, theme, text) == [slugs["kiosks"]]


@SETTINGS
@given(text=hostile_text())
@example(text="-" * 300)
@example(text=OPERATORS * 27)
def test_no_search_makes_a_view_fail(client, published, text):
    theme, _slugs = published

    assert_every_view_answers(client, theme, text)


# The PostgreSQL query text


QUOTED_TERM = r'-?"[^"]*"'
WEBSEARCH_TEXT = re.compile(rf"(?:{QUOTED_TERM}(?:(?: or | ){QUOTED_TERM})*)?")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("flood", '"flood"'),
        ('"rain gardens" schools', '"rain gardens" "schools"'),
        ("water or sanitation kiosks", '"water" or "sanitation" "kiosks"'),
        ("flood -insurance", '"flood" -"insurance"'),
        ('-"sea wall" dunes', '"dunes" -"sea wall"'),
        ("rain-water o'brien c++", '"rain-water" "o\'brien" "c"'),
        ('a"b', '"a b"'),
        ("-" * 300, ""),
        ("!" * 300, ""),
        (OPERATORS * 27, ""),
        ('"a" -"b" ' * 33, " ".join(['"a"'] * 6 + ['-"b"'] * 6)),
        ("x or " * 60, " or ".join(['"x"'] * MAX_WORDS)),
        (" ".join(f"w{n}" for n in range(40)), " ".join(f'"w{n}"' for n in range(MAX_WORDS))),
        ("y" * 200, '"' + "y" * MAX_WORD_LENGTH + '"'),
    ],
)
def test_the_postgresql_query_text_is_built_from_the_parsed_terms(text, expected):
    assert postgres.websearch_text(text) == expected


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(text=hostile_text() | st.text(max_size=MAX_QUERY_LENGTH + 50))
def test_the_postgresql_query_text_is_bounded_whatever_is_typed(text):
    built = postgres.websearch_text(text)

    assert WEBSEARCH_TEXT.fullmatch(built), built
    terms = re.findall(r'"([^"]*)"', built)
    assert len(terms) <= MAX_WORDS
    assert all(term.strip() for term in terms), terms
    # A word is cut to MAX_WORD_LENGTH; a phrase is bounded by the query's length.
    assert all(len(term) <= MAX_WORD_LENGTH for term in terms if " " not in term), terms
    assert len(built) <= MAX_QUERY_LENGTH + 4 * MAX_WORDS
    parsed = parse_query(text)
    assert len(parsed.terms) + len(parsed.excluded) <= MAX_WORDS


@on_postgresql
@SETTINGS
@given(text=hostile_text() | st.text(max_size=MAX_QUERY_LENGTH))
@example(text="-" * 300)
@example(text=OPERATORS * 27)
@example(text='"a" -"b" ' * 33)
def test_postgresql_parses_every_query_text_the_search_builds(db, text):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT websearch_to_tsquery('english', %s)", [postgres.websearch_text(text)]
        )


@on_postgresql
@pytest.mark.parametrize(
    "text",
    [
        "flood",
        "Flood Parks",
        '"rain gardens" schools',
        "water or sanitation",
        "water or sanitation kiosks",
        '"sea wall" or dunes',
        "flood -insurance",
        'dunes -"sea wall"',
        "rain-water e-mail o'brien",
        "cafés à Montréal",
        "2.5 degrees, 2030!",
        "What? (really) [yes]",
    ],
)
def test_an_ordinary_search_asks_postgresql_what_the_typed_text_did(text):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT websearch_to_tsquery('english', %s)::text, "
            "websearch_to_tsquery('english', %s)::text",
            [text, postgres.websearch_text(text)],
        )
        typed, built = cursor.fetchone()

    assert built == typed
