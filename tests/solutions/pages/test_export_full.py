"""The full form of the exports (`form=full`): every field of each case study with its
partners, sources, indicators and measurements, and transfers, read back with a CSV reader
and a JSON parser to what the database holds; a chunk of case studies at a time."""

import csv
import io
import json

import pytest

from solutions.models import SourceLink, Status
from solutions.views import exports
from tests.support.factories import (
    make_city,
    make_indicator,
    make_newest_solution,
    make_partner,
    make_solution,
    make_transfer,
)
from tests.support.queries import assert_queries_do_not_grow, body_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich(db):
    solution = make_solution(
        title="Water kiosks",
        slug="water-kiosks",
        problem='Taps ran *dry*,\nand "queues" formed; at 5% of homes.',
        approach="Kiosks.",
        results="More water.",
        lessons_learned="Ask first.",
        funding="The utility, 60%.",
        contact_name="A. Officer",
        contact_organisation="Pune Water",
        city=make_city(name="Pune", slug="pune", country="IN"),
    )
    make_partner(solution, name="Kiosk Union", sector="community", role="Runs them")
    make_partner(solution, name="City Water", sector="government", role="")
    SourceLink.objects.create(solution=solution, title="Report, 2020", url="https://e.org/r")
    make_indicator(solution, [(2020, 20.0), (2016, 5.5)], name="Households", target_value=30)
    make_transfer(
        solution,
        adopting_city=make_city(name="Nairobi", slug="nairobi", country="KE"),
        status="adapted",
        adaptations="Smaller kiosks; mobile payments.",
        outcome="Running in 12 wards.",
    )
    make_solution(title="Hidden kiosks", slug="hidden-kiosks", status=Status.DRAFT)
    return solution


EXPECTED = {
    "problem": 'Taps ran *dry*,\nand "queues" formed; at 5% of homes.',
    "approach": "Kiosks.",
    "results": "More water.",
    "lessons_learned": "Ask first.",
    "funding": "The utility, 60%.",
    "contact_name": "A. Officer",
    "contact_organisation": "Pune Water",
    "partners": [
        {"name": "Kiosk Union", "sector": "community", "role": "Runs them"},
        {"name": "City Water", "sector": "government", "role": ""},
    ],
    "sources": [{"title": "Report, 2020", "url": "https://e.org/r"}],
    "indicators": [
        {
            "name": "Households",
            "unit": "households",
            "direction": "increase",
            "baseline_value": None,
            "baseline_year": None,
            "target_value": 30.0,
            "target_year": None,
            "notes": "",
            "measurements": [
                {"year": 2016, "value": 5.5, "note": ""},
                {"year": 2020, "value": 20.0, "note": ""},
            ],
        }
    ],
    "transfers": [
        {
            "origin_city": {"slug": "pune", "name": "Pune", "country_code": "IN"},
            "adopting_city": {"slug": "nairobi", "name": "Nairobi", "country_code": "KE"},
            "network": None,
            "status": "adapted",
            "start_year": 2020,
            "end_year": None,
            "adaptations": "Smaller kiosks; mobile payments.",
            "outcome": "Running in 12 wards.",
        }
    ],
}


def json_export(client, query="form=full"):
    response = client.get(f"/solutions/export.json?{query}")
    assert response.status_code == 200
    return json.loads(body_of(response))


def csv_export(client, query="form=full"):
    response = client.get(f"/solutions/export.csv?{query}")
    return list(csv.DictReader(io.StringIO(body_of(response))))


def test_the_full_json_holds_every_field_and_related_row(client, rich):
    [row] = json_export(client)
    EXPECTED["transfers"][0]["network"] = rich.network.slug
    for column, value in EXPECTED.items():
        assert row[column] == value, column
    assert row["slug"] == "water-kiosks" and row["city"] == "Pune"  # the short form's too


def test_the_full_csv_reads_back_to_the_same_content(client, rich):
    [row] = csv_export(client)
    EXPECTED["transfers"][0]["network"] = rich.network.slug
    assert list(row) == exports.COLUMNS + exports.FULL_COLUMNS
    for column, value in EXPECTED.items():
        if isinstance(value, list):
            assert json.loads(row[column]) == value, column
        else:
            assert row[column] == value, column


def test_the_short_form_stays_as_it_was(client, rich):
    [row] = json_export(client, "")
    assert set(row) == set(exports.COLUMNS)
    [line] = csv_export(client, "")
    assert list(line) == exports.COLUMNS


def test_the_full_form_takes_the_list_s_filters(client, rich):
    other = make_solution(title="Bus lanes", slug="bus-lanes")
    assert [r["slug"] for r in json_export(client, "form=full&q=kiosks")] == ["water-kiosks"]
    slugs = {r["slug"] for r in json_export(client, "form=full&sort=title")}
    assert slugs == {"water-kiosks", other.slug}  # never the draft


def test_a_full_export_reads_its_related_rows_a_chunk_at_a_time(
    client, rich, monkeypatch, django_assert_num_queries
):
    for _ in range(4):
        make_newest_solution()
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    # Five case studies in chunks of two: the filters' choices (6, cold cache), the case
    # studies in one query read as it goes, then for each of the three chunks themes, tags,
    # goals, partners, sources, measurements, indicators and transfers.
    with django_assert_num_queries(6 + 1 + 3 * 8):
        rows = json.loads(body_of(client.get("/solutions/export.json?form=full")))
    assert len(rows) == 5


def test_full_export_queries_do_not_grow(client, django_assert_num_queries, db):
    def add_rows(n):
        for _ in range(n):
            solution = make_newest_solution()
            make_partner(solution)
            make_transfer(solution)
        return solution.slug

    assert_queries_do_not_grow(
        client,
        "/solutions/export.json?form=full",
        add_rows,
        django_assert_num_queries,
        15,  # the filters' choices (6, cached), the case studies, and 8 for their chunk
        warm=9,
    )
