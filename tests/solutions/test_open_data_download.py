"""The open-data download: a zip of CSV tables holding everything published and nothing else,
with a README naming every column and the licence; built by a command, one server at a time,
in a fixed number of queries; offered on /open-data/."""

import csv
import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management import call_command

from solutions import open_data
from solutions.models import SourceLink, Status
from tests.support.factories import (
    make_city,
    make_indicator,
    make_membership,
    make_newest_solution,
    make_partner,
    make_solution,
    make_transfer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # each test (and each parallel worker) its own storage


@pytest.fixture
def content(db):
    pune = make_city(name="Pune", slug="pune", country="IN")
    kiosks = make_solution(title="Water kiosks", slug="water-kiosks", city=pune, tags=["water"])
    make_partner(kiosks, name="Kiosk Union", role="=runs them")  # a formula, neutralised
    SourceLink.objects.create(solution=kiosks, title="Report", url="https://e.org/r")
    make_indicator(kiosks, [(2016, 5.0), (2020, 20.0)], name="Households")
    make_transfer(kiosks, adopting_city=make_city(name="Nairobi", slug="nairobi"))
    make_membership(city=make_city(name="Member Town", slug="member-town"))
    hidden = make_solution(
        title="Hidden draft", slug="hidden-draft", status=Status.DRAFT, tags=["secret"]
    )
    make_partner(hidden, name="Hidden Partner")
    make_indicator(hidden, [(2019, 1.0)], name="Hidden indicator")
    make_transfer(hidden, adopting_city=make_city(name="Hidden Town", slug="hidden-town"))
    return kiosks


def archive_tables():
    manifest = open_data.latest()
    with default_storage.open(manifest["file"]) as file:
        archive = zipfile.ZipFile(io.BytesIO(file.read()))
    tables = {
        name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
        for name in archive.namelist()
        if name.endswith(".csv")
    }
    return archive.read("README.md").decode(), tables


def test_the_archive_holds_every_table_of_what_is_published(content):
    open_data.build()
    readme, tables = archive_tables()
    assert set(tables) == {table.name for table in open_data.TABLES}
    assert [row["slug"] for row in tables["solutions.csv"]] == ["water-kiosks"]
    solution = tables["solutions.csv"][0]
    assert solution["title"] == "Water kiosks" and solution["city_slug"] == "pune"
    assert solution["problem"] == "The problem."
    assert solution["published_at"].startswith("2025-01-01T09:00:00")
    assert tables["partners.csv"] == [
        {
            "solution_slug": "water-kiosks",
            "name": "Kiosk Union",
            "sector": "community",
            "role": "'=runs them",
        }
    ]
    assert tables["solution_tags.csv"] == [{"solution_slug": "water-kiosks", "tag": "water"}]
    [indicator] = tables["indicators.csv"]
    measured = [(m["year"], m["value"]) for m in tables["measurements.csv"]]
    assert measured == [("2016", "5.0"), ("2020", "20.0")]
    assert {m["indicator_id"] for m in tables["measurements.csv"]} == {indicator["indicator_id"]}
    [transfer] = tables["transfers.csv"]
    assert (transfer["origin_city_slug"], transfer["adopting_city_slug"]) == ("pune", "nairobi")
    cities = {row["slug"] for row in tables["cities.csv"]}
    assert cities == {"pune", "nairobi", "member-town"}
    assert len(tables["goals.csv"]) == 17


def test_nothing_unpublished_is_anywhere_in_it(content):
    open_data.build()
    readme, tables = archive_tables()
    everything = repr(tables)
    for hidden in ["Hidden draft", "hidden-draft", "Hidden Partner", "Hidden indicator"]:
        assert hidden not in everything
    assert "hidden-town" not in everything and "secret" not in everything


def test_the_readme_names_every_column_of_every_file_and_the_licence(content, settings):
    settings.OPEN_DATA_LICENCE = "Licence text for the test."
    open_data.build()
    readme, tables = archive_tables()
    assert "Licence text for the test." in readme
    for name, rows in tables.items():
        section = readme.split(f"## {name}\n")[1].split("\n## ")[0]
        headers = list(rows[0]) if rows else None
        rows_of_table = [line for line in section.splitlines() if line.startswith("| ")][1:]
        documented = [line.split(" | ")[0][2:] for line in rows_of_table]
        if headers is not None:
            assert documented == headers, name


def test_building_reads_each_table_once_whatever_its_size(django_assert_num_queries, db):
    def counted():
        with django_assert_num_queries(len(open_data.TABLES)):
            open_data.write_archive(default_storage.path("counted.zip"), "now")

    default_storage.save("placeholder", io.BytesIO(b""))
    make_newest_solution()
    counted()
    for _ in range(40):
        make_partner(make_newest_solution())
    counted()


def test_the_command_builds_then_waits_for_a_change(content, capsys):
    call_command("build_open_data")
    assert "Built open-data/urban-solutions-exchange.zip" in capsys.readouterr().out
    call_command("build_open_data")
    assert "Unchanged since the build of" in capsys.readouterr().out
    make_solution(title="Bus lanes")  # the content changes
    call_command("build_open_data")
    assert "Built" in capsys.readouterr().out
    call_command("build_open_data", "--force")
    assert "Built" in capsys.readouterr().out


def test_one_server_builds_at_a_time(content, capsys):
    cache.add(open_data.BUILD_LOCK, True)  # another server is building
    call_command("build_open_data", "--force")
    assert "Another server is building it now" in capsys.readouterr().out
    assert open_data.latest() is None


def test_with_a_task_worker_a_change_rebuilds_it(settings, django_capture_on_commit_callbacks):
    # No rows made before: the commit callback this change queues is the one captured.
    settings.OPEN_DATA_REFRESH_AFTER_CHANGES = True
    with django_capture_on_commit_callbacks(execute=True):
        make_solution(title="Bus lanes", slug="bus-lanes")
    readme, tables = archive_tables()
    assert [row["slug"] for row in tables["solutions.csv"]] == ["bus-lanes"]


def test_without_one_a_change_leaves_the_rebuild_to_the_command(
    settings, django_capture_on_commit_callbacks
):
    settings.OPEN_DATA_REFRESH_AFTER_CHANGES = False
    with django_capture_on_commit_callbacks(execute=True):
        make_solution(title="Bus lanes", slug="bus-lanes")
    assert open_data.latest() is None


def test_the_page_offers_the_latest_build(client, content, django_assert_num_queries):
    html = client.get("/open-data/").content.decode()
    assert "has not been built yet" in html
    open_data.build()
    with django_assert_num_queries(0):
        html = client.get("/open-data/").content.decode()
    assert 'href="/media/open-data/urban-solutions-exchange.zip" download' in html
    assert "changed since" not in html
    for table in open_data.TABLES:
        assert f"<code>{table.name}</code>" in html
    make_solution(title="Bus lanes")
    assert "Case studies have changed since" in client.get("/open-data/").content.decode()
