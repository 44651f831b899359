"""The filtered solution list as CSV or JSON, streamed row by row.

A search is run before the response is made (its first chunk of rows is read), so should the
database refuse it the answer is a 400, not a stream cut off after its header row. Without a
search nothing is read until the response is consumed: the other filters only take values
the site knows.

CSV text cells that a spreadsheet would run as a formula are prefixed with a single quote
(OWASP, "CSV Injection"); numbers, dates and the JSON export are left exactly as they are.
"""

import csv
import itertools
import json
import logging

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from solutions.filters.solutions import SolutionFilterSet
from solutions.models import Solution

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
# A cell beginning with one of these is read as a formula by spreadsheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
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


def export_rows(queryset, build_url):
    solutions = (
        queryset.select_related("city", "network")
        .prefetch_related("themes", "tags", "sdgs")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for solution in solutions:
        yield {
            "slug": solution.slug,
            "title": solution.title,
            "url": build_url(solution.get_absolute_url()),
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


class _Echo:
    def write(self, value):
        return value


def csv_cell(value):
    """A value as a CSV cell: lists joined with "; ", dates in ISO 8601, nothing as empty, and
    text a spreadsheet would run as a formula shown as text. Numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    elif hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _csv_lines(rows):
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for row in rows:
        yield writer.writerow([csv_cell(row[column]) for column in COLUMNS])


def _json_chunks(rows):
    yield "[\n"
    for index, row in enumerate(rows):
        yield ("" if index == 0 else ",\n") + json.dumps(row, cls=DjangoJSONEncoder)
    yield "\n]\n"


FORMATS = {
    "csv": (_csv_lines, "text/csv; charset=utf-8"),
    "json": (_json_chunks, "application/json"),
}


def _started(rows):
    """The rows, the first of them already read (and with it the first chunk)."""
    first = next(rows, None)
    return iter(()) if first is None else itertools.chain([first], rows)


@require_safe
def export(request, format):
    if format not in FORMATS:
        raise Http404("Exports are CSV or JSON.")
    filterset = SolutionFilterSet(request.GET, queryset=Solution.objects.published())
    rows = export_rows(filterset.ordered(), request.build_absolute_uri)
    if filterset.data.get("q"):
        try:
            rows = _started(rows)
        except DatabaseError:
            logger.warning("The database refused an export's search", exc_info=True)
            return HttpResponseBadRequest(
                _("This search could not be run. Try it with fewer symbols."),
                content_type="text/plain; charset=utf-8",
            )
    lines, content_type = FORMATS[format]
    response = StreamingHttpResponse(lines(rows), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="solutions.{format}"'
    return response
