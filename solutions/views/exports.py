"""The filtered solution list as CSV or JSON, streamed row by row.

A search is run before the response is made (its first chunk of rows is read), so should the
database refuse it the answer is a 400, not a stream cut off after its header row. Without a
search nothing is read until the response is consumed: the other filters only take values
the site knows.

The rows are read through a server-side cursor in chunks (on PostgreSQL in a transaction, so
the first rows leave before the last are found), with only the columns the export shows, and
sent as they are read: the memory an export takes does not grow with its rows. Closing the
response, as the server does when the client goes away, ends that transaction at once.

CSV text cells that a spreadsheet would run as a formula are prefixed with a single quote
(OWASP, "CSV Injection"); numbers, dates and the JSON export are left exactly as they are.
"""

import contextlib
import csv
import functools
import itertools
import json
import logging
import re
from collections import defaultdict

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connections, router, transaction
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.urls.converters import SlugConverter
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cities.models import City
from solutions.csv_cells import csv_cell
from solutions.export_details import FULL_COLUMNS, RELATED_COLUMNS, SECTION_FIELDS, related_rows
from solutions.filters.solutions import SolutionFilterSet
from solutions.models import Solution, SustainableDevelopmentGoal, Theme

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
COLUMNS = [
    "slug",
    "title",
    "url",
    "summary",
    "city",
    "country_code",
    "country",
    "region",
    "network",
    "themes",
    "tags",
    "stage",
    "start_year",
    "end_year",
    "sdgs",
    "cost_usd",
    "published_at",
    "updated_at",
]
# What the rows are made of: a solution's own short columns and its city's and network's.
VALUES = [
    "pk",
    "slug",
    "title",
    "summary",
    "city__name",
    "city__country",
    "city__region",
    "network__name",
    "stage",
    "start_year",
    "end_year",
    "cost_usd",
    "published_at",
    "updated_at",
]
# A slug the solution URL takes as it is (its converter's pattern), and one to reverse it with.
SLUG = re.compile(SlugConverter.regex)
URL_SLUG = "solution-slug"


def _read_transaction():
    """On PostgreSQL outside a transaction, a transaction for the export to read in (on the
    database the solutions are read from).

    In autocommit Django declares the server-side cursor of `.iterator()` WITH HOLD, and
    PostgreSQL computes the whole result of such a cursor when the statement's own
    transaction commits, before the first row is fetched. In a transaction the cursor is an
    ordinary one, which hands rows over as the query finds them. SQLite has no server-side
    cursors, and a transaction there would begin IMMEDIATE (SQLITE_OPTIONS in the settings),
    holding the write lock for the whole download.
    """
    using = router.db_for_read(Solution)
    connection = connections[using]
    if connection.vendor == "postgresql" and connection.get_autocommit():
        return transaction.atomic(using=using)
    return contextlib.nullcontext()


def _ordering_from(model, relation):
    """`model`'s default ordering, for a query that reaches it through `relation`."""
    return [
        f"-{relation}__{field[1:]}" if field.startswith("-") else f"{relation}__{field}"
        for field in model._meta.ordering
    ]


def _related(ids):
    """For the solutions `ids`, their theme names (in the themes' order), tag names and goal
    numbers (in order): one query each."""
    themes, tags, goals = defaultdict(list), defaultdict(list), defaultdict(list)
    found = [
        (
            themes,
            Solution.themes.through.objects.filter(solution_id__in=ids)
            .order_by(*_ordering_from(Theme, "theme"))
            .values_list("solution_id", "theme__name"),
        ),
        (
            tags,
            # By the content type's name, not a cached id: one query, and never a stale id.
            Solution.tags.through.objects.filter(
                content_type__app_label=Solution._meta.app_label,
                content_type__model=Solution._meta.model_name,
                object_id__in=ids,
            )
            .order_by()
            .values_list("object_id", "tag__name"),
        ),
        (
            goals,
            Solution.sdgs.through.objects.filter(solution_id__in=ids)
            .order_by(*_ordering_from(SustainableDevelopmentGoal, "sustainabledevelopmentgoal"))
            .values_list("solution_id", "sustainabledevelopmentgoal__number"),
        ),
    ]
    for names, query in found:
        for solution_id, name in query:
            names[solution_id].append(name)
    return themes, tags, goals


def export_rows(queryset, build_url, *, full=False):
    """The solutions as dicts of COLUMNS, read through a server-side cursor in chunks of
    CHUNK_SIZE: one query for the solutions' own columns and their city's and network's (no
    long section, no search document), then one each per chunk for themes, tags and goals.

    What a row shows for a stored code (country, region, stage) is worked out once an export,
    the way the models show it, and a URL is its solution's slug in the one reversed URL."""
    start, _slug, end = build_url(Solution(slug=URL_SLUG).get_absolute_url()).rpartition(URL_SLUG)

    def url(slug):
        if SLUG.fullmatch(slug):
            return f"{start}{slug}{end}"
        return build_url(Solution(slug=slug).get_absolute_url())

    @functools.cache
    def country(code):
        country = City(country=code).country
        return country.code, country.name

    @functools.cache
    def region(code):
        return City(region=code).get_region_display()

    @functools.cache
    def stage(code):
        return Solution(stage=code).get_stage_display()

    values = VALUES + SECTION_FIELDS if full else VALUES
    with _read_transaction():
        solutions = queryset.values_list(*values, named=True).iterator(chunk_size=CHUNK_SIZE)
        while chunk := list(itertools.islice(solutions, CHUNK_SIZE)):
            ids = [solution.pk for solution in chunk]
            themes, tags, goals = _related(ids)
            details = related_rows(ids) if full else {}
            for solution in chunk:
                country_code, country_name = country(solution.city__country)
                row = {
                    "slug": solution.slug,
                    "title": solution.title,
                    "url": url(solution.slug),
                    "summary": solution.summary,
                    "city": solution.city__name,
                    "country_code": country_code,
                    "country": country_name,
                    "region": region(solution.city__region),
                    "network": solution.network__name,
                    "themes": themes[solution.pk],
                    "tags": sorted(tags[solution.pk]),
                    "stage": stage(solution.stage),
                    "start_year": solution.start_year,
                    "end_year": solution.end_year,
                    "sdgs": goals[solution.pk],
                    "cost_usd": solution.cost_usd,
                    "published_at": solution.published_at,
                    "updated_at": solution.updated_at,
                }
                if full:
                    row |= {name: getattr(solution, name) for name in SECTION_FIELDS}
                    row |= {name: details[name][solution.pk] for name in RELATED_COLUMNS}
                yield row


class _Echo:
    def write(self, value):
        return value


def _csv_lines(rows, columns):
    writer = csv.writer(_Echo())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([csv_cell(row[column]) for column in columns])


def _json_chunks(rows, columns):
    yield "[\n"
    for index, row in enumerate(rows):
        yield ("" if index == 0 else ",\n") + json.dumps(row, cls=DjangoJSONEncoder)
    yield "\n]\n"


FORMATS = {
    "csv": (_csv_lines, "text/csv; charset=utf-8"),
    "json": (_json_chunks, "application/json"),
}


class _Stream:
    """An export's chunks, for StreamingHttpResponse, which closes them when the response is
    closed: at its end, or when the client went away part way. Closing also closes the rows,
    started or not, so the transaction they are read in ends then, not when the garbage
    collector gets to them."""

    def __init__(self, chunks, rows):
        self.chunks = chunks
        self.rows = rows

    def __iter__(self):
        return self.chunks

    def close(self):
        try:
            self.chunks.close()
        finally:
            self.rows.close()


def _started(rows):
    """The rows, the first of them already read (and with it the first chunk)."""
    first = next(rows, None)
    return iter(()) if first is None else itertools.chain([first], rows)


@require_safe
def export(request, format):
    if format not in FORMATS:
        raise Http404("Exports are CSV or JSON.")
    filterset = SolutionFilterSet(request.GET, queryset=Solution.objects.published())
    # form=full: every field of each case study and its related rows (export_details).
    full = request.GET.get("form") == "full"
    columns = COLUMNS + FULL_COLUMNS if full else COLUMNS
    solutions = rows = export_rows(filterset.ordered(), request.build_absolute_uri, full=full)
    if filterset.data.get("q"):
        try:
            rows = _started(solutions)
        except DatabaseError:
            logger.warning("The database refused an export's search", exc_info=True)
            return HttpResponseBadRequest(
                _("This search could not be run. Try it with fewer symbols."),
                content_type="text/plain; charset=utf-8",
            )
    lines, content_type = FORMATS[format]
    response = StreamingHttpResponse(
        _Stream(lines(rows, columns), solutions), content_type=content_type
    )
    name = "solutions-full" if full else "solutions"
    response["Content-Disposition"] = f'attachment; filename="{name}.{format}"'
    return response
