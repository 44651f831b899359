"""The whole knowledge base as one download: a zip of CSV tables (everything published, and
the cities, networks and themes around it), with a README that names every column and the
licence, written to the media storage that every server shares (a bucket in production).

`build()` reads each table through a cursor in chunks and writes it straight into the zip on
local disk, then hands the finished file to the storage: its memory does not grow with the
data. The README is written from TABLES, so it cannot drift from the files. `manage.py
build_open_data` builds it; the /open-data/ page offers the latest build, and starts a new
one (as a task, one server at a time) when the content has changed since.
"""

import csv
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from cities.models import City
from core.caching import content_committed, content_version
from networks.models import Membership, Network
from solutions.csv_cells import csv_cell
from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    Solution,
    SourceLink,
    SustainableDevelopmentGoal,
    Theme,
    Transfer,
)

ARCHIVE = "open-data/urban-solutions-exchange.zip"
MANIFEST = "open-data/manifest.json"
CHUNK_SIZE = 500  # rows a cursor hands over at a time: a case study with its sections is a few KB
BUILD_LOCK = "open-data-building"


@dataclass(frozen=True)
class Table:
    name: str
    about: str
    columns: list  # (header, ORM lookup, what it holds)
    rows: object  # a function giving the queryset

    def values(self):
        lookups = [lookup for _header, lookup, _about in self.columns]
        return self.rows().values_list(*lookups).iterator(chunk_size=CHUNK_SIZE)


def published():
    return Solution.objects.published()


def listed_cities():
    """The cities a published case study, one of its transfers or a membership names."""
    solutions = published()
    transfers = Transfer.objects.of_published_solutions()
    return City.objects.filter(
        Q(pk__in=solutions.values("city_id"))
        | Q(pk__in=transfers.values("origin_city_id"))
        | Q(pk__in=transfers.values("adopting_city_id"))
        | Q(pk__in=Membership.objects.values("city_id"))
    ).order_by("slug")


TABLES = [
    Table(
        "solutions.csv",
        "One row per published case study.",
        [
            ("slug", "slug", "its identifier; its page is /solutions/<slug>/"),
            ("title", "title", "title"),
            ("summary", "summary", "one plain paragraph"),
            ("problem", "problem", "the problem (Markdown)"),
            ("approach", "approach", "what was done (Markdown)"),
            ("results", "results", "results (Markdown)"),
            ("lessons_learned", "lessons_learned", "lessons learned (Markdown)"),
            ("funding", "funding", "cost and funding (Markdown)"),
            ("cost_usd", "cost_usd", "approximate total cost in US dollars, if known"),
            ("city_slug", "city__slug", "the city it comes from (cities.csv)"),
            ("network_slug", "network__slug", "the network that documented it (networks.csv)"),
            ("stage", "stage", "idea, planned, pilot, implemented, scaled or discontinued"),
            ("start_year", "start_year", "the year it started"),
            ("end_year", "end_year", "the year it ended, if it did"),
            ("contact_name", "contact_name", "a contact person"),
            ("contact_organisation", "contact_organisation", "the contact's organisation"),
            ("published_at", "published_at", "when it was published here (ISO 8601, UTC)"),
            ("updated_at", "updated_at", "when it last changed (ISO 8601, UTC)"),
        ],
        lambda: published().order_by("slug"),
    ),
    Table(
        "solution_themes.csv",
        "The themes of each case study.",
        [
            ("solution_slug", "solution__slug", "solutions.csv"),
            ("theme_slug", "theme__slug", "themes.csv"),
        ],
        lambda: Solution.themes.through.objects.filter(solution__in=published()).order_by(
            "solution__slug", "theme__position", "theme__slug"
        ),
    ),
    Table(
        "solution_goals.csv",
        "The Sustainable Development Goals each case study contributes to.",
        [
            ("solution_slug", "solution__slug", "solutions.csv"),
            ("goal", "sustainabledevelopmentgoal_id", "the goal's number (goals.csv)"),
        ],
        lambda: Solution.sdgs.through.objects.filter(solution__in=published()).order_by(
            "solution__slug", "sustainabledevelopmentgoal_id"
        ),
    ),
    Table(
        "solution_tags.csv",
        "The free-form tags of each case study.",
        [("solution_slug", "slug", "solutions.csv"), ("tag", "tags__name", "the tag")],
        lambda: published().filter(tags__isnull=False).order_by("slug", "tags__name"),
    ),
    Table(
        "partners.csv",
        "The organisations that took part in each case study.",
        [
            ("solution_slug", "solution__slug", "solutions.csv"),
            ("name", "name", "the organisation"),
            ("sector", "sector", "government, community, private, academic, ngo, donor, ..."),
            ("role", "role", "what it did"),
        ],
        lambda: Partner.objects.filter(solution__in=published()).order_by("solution__slug", "pk"),
    ),
    Table(
        "sources.csv",
        "Where each case study's facts come from.",
        [
            ("solution_slug", "solution__slug", "solutions.csv"),
            ("title", "title", "the source"),
            ("url", "url", "its address"),
        ],
        lambda: SourceLink.objects.filter(solution__in=published()).order_by(
            "solution__slug", "pk"
        ),
    ),
    Table(
        "indicators.csv",
        "What each case study measured.",
        [
            ("indicator_id", "pk", "its identifier (measurements.csv)"),
            ("solution_slug", "solution__slug", "solutions.csv"),
            ("name", "name", "what was measured"),
            ("unit", "unit", "its unit"),
            ("direction", "direction", "increase or decrease: which way is better"),
            ("baseline_value", "baseline_value", "the value before"),
            ("baseline_year", "baseline_year", "the year of the baseline"),
            ("target_value", "target_value", "the value aimed for"),
            ("target_year", "target_year", "by when"),
            ("notes", "notes", "notes"),
        ],
        lambda: Indicator.objects.filter(solution__in=published()).order_by("pk"),
    ),
    Table(
        "measurements.csv",
        "The values of each indicator, year by year.",
        [
            ("indicator_id", "indicator_id", "indicators.csv"),
            ("year", "year", "the year"),
            ("value", "value", "the value"),
            ("note", "note", "a note on it"),
        ],
        lambda: Measurement.objects.filter(indicator__solution__in=published()).order_by(
            "indicator_id", "year"
        ),
    ),
    Table(
        "transfers.csv",
        "Case studies carried from one city to another.",
        [
            ("transfer_id", "pk", "its identifier"),
            ("solution_slug", "solution__slug", "solutions.csv"),
            ("origin_city_slug", "origin_city__slug", "where it came from (cities.csv)"),
            ("adopting_city_slug", "adopting_city__slug", "where it went (cities.csv)"),
            ("network_slug", "network__slug", "the network that brokered it, if any"),
            ("status", "status", "proposed, in_progress, adopted, adapted or discontinued"),
            ("start_year", "start_year", "when it started"),
            ("end_year", "end_year", "when it ended"),
            ("adaptations", "adaptations", "what was changed for the new place"),
            ("outcome", "outcome", "how it turned out"),
        ],
        lambda: Transfer.objects.of_published_solutions().order_by("pk"),
    ),
    Table(
        "cities.csv",
        "The cities the other tables name.",
        [
            ("slug", "slug", "its identifier; its page is /cities/<slug>/"),
            ("name", "name", "its name"),
            ("country_code", "country", "ISO 3166-1 alpha-2"),
            ("admin_area", "admin_area", "state or province, where known"),
            ("region", "region", "continent"),
            ("subregion", "subregion", "UN M49 sub-region"),
            ("population", "population", "population"),
            ("latitude", "latitude", "latitude (WGS 84)"),
            ("longitude", "longitude", "longitude (WGS 84)"),
            ("geonames_id", "geonames_id", "its GeoNames identifier"),
        ],
        listed_cities,
    ),
    Table(
        "networks.csv",
        "The city networks.",
        [
            ("slug", "slug", "its identifier"),
            ("name", "name", "its name"),
            ("acronym", "acronym", "its short name"),
            ("tagline", "tagline", "what it does, in a line"),
            ("website", "website", "its website"),
            ("founded_year", "founded_year", "when it was founded"),
            ("run_by", "run_by", "who runs it"),
            ("headquarters", "headquarters", "where it is based"),
        ],
        lambda: Network.objects.order_by("slug"),
    ),
    Table(
        "memberships.csv",
        "Which cities belong, or belonged, to which network.",
        [
            ("network_slug", "network__slug", "networks.csv"),
            ("city_slug", "city__slug", "cities.csv"),
            ("role", "role", "member, founding-member or lead-city"),
            ("since_year", "since_year", "since when"),
            ("until_year", "until_year", "until when; empty while a member"),
        ],
        lambda: Membership.objects.order_by("network__slug", "city__slug"),
    ),
    Table(
        "themes.csv",
        "The themes case studies are filed under.",
        [
            ("slug", "slug", "its identifier"),
            ("name", "name", "its name"),
            ("description", "description", "what it covers"),
        ],
        lambda: Theme.objects.order_by("position", "slug"),
    ),
    Table(
        "goals.csv",
        "The 17 Sustainable Development Goals.",
        [("number", "number", "1 to 17"), ("name", "name", "its name")],
        lambda: SustainableDevelopmentGoal.objects.order_by("number"),
    ),
]


def readme(built_at):
    lines = [
        "# Urban Solutions Exchange: open data",
        "",
        f"Everything published on the site, as CSV tables (UTF-8), built {built_at}.",
        "",
        "## Licence",
        "",
        settings.OPEN_DATA_LICENCE,
        "",
        "Each case study was documented by the network named in solutions.csv: cite it and "
        "this site (each case study's page offers a citation).",
        "",
        "Text cells that a spreadsheet would run as a formula (beginning with =, +, -, @) "
        "start with a single quote.",
    ]
    for table in TABLES:
        lines += ["", f"## {table.name}", "", table.about, "", "| column | what it holds |"]
        lines += ["|---|---|"]
        lines += [f"| {header} | {about} |" for header, _lookup, about in table.columns]
    return "\n".join(lines) + "\n"


def write_archive(path, built_at):
    """The zip at `path`: README.md, then each table, a chunk of rows at a time."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", readme(built_at))
        for table in TABLES:
            with archive.open(table.name, "w") as member:
                text = io.TextIOWrapper(member, encoding="utf-8", newline="")
                writer = csv.writer(text)
                writer.writerow([header for header, _lookup, _about in table.columns])
                for row in table.values():
                    writer.writerow([csv_cell(value) for value in row])
                text.flush()
                text.detach()


def build():
    """Build the archive and publish it in the shared storage; its manifest."""
    version = content_version()
    built_at = timezone.now().replace(microsecond=0)
    with tempfile.NamedTemporaryFile(suffix=".zip") as local:
        write_archive(local.name, built_at.isoformat())
        if default_storage.exists(ARCHIVE):
            default_storage.delete(ARCHIVE)
        with open(local.name, "rb") as finished:
            name = default_storage.save(ARCHIVE, File(finished))
    manifest = {
        "file": name,
        "built_at": built_at.isoformat(),
        "content_version": version,
        "size": default_storage.size(name),
    }
    if default_storage.exists(MANIFEST):
        default_storage.delete(MANIFEST)
    default_storage.save(MANIFEST, io.BytesIO(json.dumps(manifest).encode()))
    return manifest


def latest():
    """The manifest of the latest build, or None before the first."""
    if not default_storage.exists(MANIFEST):
        return None
    with default_storage.open(MANIFEST) as file:
        return json.loads(file.read())


def build_once():
    """Build unless another server is building: the lock lives in the shared cache."""
    if not cache.add(BUILD_LOCK, True, timeout=30 * 60):
        return None
    try:
        return build()
    finally:
        cache.delete(BUILD_LOCK)


@task
def refresh_task():
    build_once()


def refresh_after_changes(sender, **kwargs):
    if settings.OPEN_DATA_REFRESH_AFTER_CHANGES:
        refresh_task.enqueue()


content_committed.connect(refresh_after_changes, dispatch_uid="solutions-open-data-refresh")
