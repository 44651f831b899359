"""The exports stream: rows leave as the database finds them, in constant memory, and a client
that goes away part way leaves the connection as it found it.

On PostgreSQL Django reads `.iterator()` through a server-side cursor, which it declares WITH
HOLD when the connection is in autocommit; PostgreSQL computes such a cursor in full before
the first row is fetched. The export reads in a transaction of its own instead, so the cursor
is an ordinary one. Only tests outside the test transaction (`transaction=True`) see what a
request in production sees: inside it there is no autocommit, and so never a held cursor.
"""

import csv
import io
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from solutions.models import Solution, Stage, Status, Theme
from solutions.views import exports
from solutions.views.exports import COLUMNS, csv_cell
from tests.support.factories import make_city, make_network, make_newest_solution, make_theme

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server-side cursors are PostgreSQL's"
)
# Outside the test transaction, as a request is; the SDGs of the migrations come back after.
in_autocommit = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BASE = "http://testserver"
# Columns a row never shows: the long sections, the search document, the contact details.
UNREAD = [
    "problem",
    "approach",
    "results",
    "lessons_learned",
    "funding",
    "search_document",
    "contact_name",
    "contact_email",
    "alternate_names",
    "description",
]


def export_url(format, query=""):
    url = reverse("solutions:export", kwargs={"format": format})
    return f"{url}?{query}" if query else url


@pytest.fixture
def varied():
    """Seven published solutions that differ in every column, a draft, and a tag of another
    model on an object id a solution has."""
    water = make_theme(name="Water", slug="water", position=2)
    energy = make_theme(name="Energy", slug="energy", position=1)
    zoning = make_theme(name="Zoning", slug="zoning", position=1)
    cities = [
        make_city(name="Pune", slug="pune", country="IN"),
        make_city(name="Lyon", slug="lyon", country="FR"),
        make_city(name="Recife", slug="recife", country="BR"),
        make_city(name="Osaka", slug="osaka", country="JP"),
    ]
    networks = [make_network(name="City2City"), make_network(name="=Formula network")]
    solutions = []
    for index, stage in enumerate([*Stage.values, Stage.IMPLEMENTED]):
        solution = make_newest_solution(
            title=f"Solution {index}",
            summary="" if index == 3 else f"What {index} did, in one paragraph.",
            city=cities[index % len(cities)],
            network=networks[index % 2],
            stage=stage,
            themes=[[], [water], [water, energy, zoning], [zoning, water]][index % 4],
            tags=[[], ["kiosks"], ["tariffs", "kiosks", "Drainage"]][index % 3],
            start_year=2000 + index,
            end_year=None if index % 2 else 2020 + index,
            cost_usd=None if index % 3 else 1_000 * index,
        )
        solution.sdgs.set([[], [6], [11, 6, 1]][index % 3])
        solutions.append(solution)
    make_newest_solution(title="A draft", status=Status.DRAFT, city=cities[0], themes=[water])
    TaggedItem.objects.create(
        tag=Tag.objects.create(name="a theme's tag", slug="a-themes-tag"),
        content_type=ContentType.objects.get_for_model(Theme),
        object_id=solutions[2].pk,
    )
    return solutions


def expected_rows():
    """The published solutions as an export shows them, read one by one through the models."""
    return [
        {
            "slug": solution.slug,
            "title": solution.title,
            "url": BASE + solution.get_absolute_url(),
            "summary": solution.summary,
            "city": solution.city.name,
            "country_code": solution.city.country.code,
            "country": solution.city.country.name,
            "region": solution.city.get_region_display(),
            "network": solution.network.name,
            "themes": [theme.name for theme in solution.themes.all()],
            "tags": sorted(tag.name for tag in solution.tags.all()),
            "stage": solution.get_stage_display(),
            "start_year": solution.start_year,
            "end_year": solution.end_year,
            "sdgs": [goal.number for goal in solution.sdgs.all()],
            "cost_usd": solution.cost_usd,
            "published_at": solution.published_at,
            "updated_at": solution.updated_at,
        }
        for solution in Solution.objects.published().order_by("-published_at", "-pk")
    ]


def body(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def assert_exports_give_every_row_as_the_models_show_it(client):
    expected = expected_rows()
    assert len(expected) == 7

    rows = json.loads(body(client.get(export_url("json"))))
    assert rows == json.loads(json.dumps(expected, cls=DjangoJSONEncoder))

    lines = list(csv.reader(io.StringIO(body(client.get(export_url("csv"))))))
    assert lines[0] == COLUMNS
    assert lines[1:] == [[str(csv_cell(row[column])) for column in COLUMNS] for row in expected]


@pytest.mark.django_db
@pytest.mark.parametrize("chunk_size", [2, 7, 500])
def test_exports_give_every_row_as_the_models_show_it(client, varied, monkeypatch, chunk_size):
    monkeypatch.setattr(exports, "CHUNK_SIZE", chunk_size)

    assert_exports_give_every_row_as_the_models_show_it(client)


@in_autocommit
def test_exports_read_in_autocommit_give_every_row_as_the_models_show_it(
    client, varied, monkeypatch
):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)

    assert_exports_give_every_row_as_the_models_show_it(client)


def select_list(sql):
    return sql.split(" FROM ", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "q=solution", "theme=water&sort=title"])
def test_an_export_reads_no_long_section_nor_the_search_document(client, varied, query):
    with CaptureQueriesContext(connection) as queries:
        text = body(client.get(export_url("csv", query)))

    main = [
        captured["sql"]
        for captured in queries.captured_queries
        if '"solutions_solution"."summary"' in select_list(captured["sql"])
    ]
    assert main
    for sql in main:
        for column in UNREAD:
            assert f'"{column}"' not in select_list(sql)
        assert '"solutions_solution".*' not in sql
    assert "Solution 2" in text


def pg_cursors():
    with connection.cursor() as cursor:
        cursor.execute("SELECT is_holdable, statement FROM pg_cursors")
        return cursor.fetchall()


@on_postgresql
@in_autocommit
@pytest.mark.parametrize("query", ["", "region=asia", "q=solution"])
def test_on_postgresql_an_export_reads_through_a_cursor_that_is_not_held(
    client, varied, monkeypatch, query
):
    """A cursor WITH HOLD opened in autocommit is computed in full before its first row."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 1)
    response = client.get(export_url("csv", query))
    chunks = iter(response.streaming_content)
    next(chunks)  # the header row
    next(chunks)  # the first solution: its chunk is read, the cursor still open for the next

    cursors = pg_cursors()
    assert len(cursors) == 1
    is_holdable, statement = cursors[0]
    assert not is_holdable
    assert "WITH HOLD" not in statement
    assert connection.in_atomic_block
    for column in UNREAD:
        assert f'"{column}"' not in select_list(statement)
    rest = b"".join(chunks).decode()
    assert rest.count(BASE) >= 1
    response.close()
    assert not connection.in_atomic_block
    assert pg_cursors() == []


@in_autocommit
@pytest.mark.parametrize("format", ["csv", "json"])
@pytest.mark.parametrize("query", ["", "q=solution"])
def test_a_client_that_goes_away_part_way_leaves_the_connection_as_it_found_it(
    client, varied, monkeypatch, format, query
):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    response = client.get(export_url(format, query))
    chunks = iter(response.streaming_content)
    next(chunks)
    next(chunks)
    # On PostgreSQL the rows are read in a transaction; SQLite, without server-side cursors,
    # needs none (and its transactions would take the write lock).
    assert connection.in_atomic_block == (connection.vendor == "postgresql")

    response.close()  # what the server does when the client has gone

    assert not connection.in_atomic_block
    assert connection.get_autocommit()
    if connection.vendor == "postgresql":
        assert pg_cursors() == []
    assert Solution.objects.published().count() == 7
    make_newest_solution(title="Saved after the export")
    assert Solution.objects.filter(title="Saved after the export").exists()
    assert body(client.get(export_url(format))).count(f"{BASE}/solutions/") == 8


@in_autocommit
@pytest.mark.parametrize("format", ["csv", "json"])
def test_a_searched_export_that_is_never_read_ends_its_transaction_when_closed(
    client, varied, format
):
    """A search is started before the response is made (a refused one is a 400), so on
    PostgreSQL its transaction is open when the view returns; closing the response ends it."""
    response = client.get(export_url(format, "q=solution"))
    assert connection.in_atomic_block == (connection.vendor == "postgresql")

    response.close()

    assert not connection.in_atomic_block
    assert connection.get_autocommit()
    assert Solution.objects.published().count() == 7
