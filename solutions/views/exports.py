"""The filtered solution list as CSV or JSON, streamed row by row."""

import csv
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, StreamingHttpResponse
from django.views.decorators.http import require_safe

from solutions.filters.solutions import SolutionFilterSet
from solutions.models import Solution

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


def _csv_lines(rows):
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for row in rows:
        values = []
        for column in COLUMNS:
            value = row[column]
            if isinstance(value, list):
                value = "; ".join(str(item) for item in value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            values.append("" if value is None else value)
        yield writer.writerow(values)


def _json_chunks(rows):
    yield "[\n"
    for index, row in enumerate(rows):
        yield ("" if index == 0 else ",\n") + json.dumps(row, cls=DjangoJSONEncoder)
    yield "\n]\n"


@require_safe
def export(request, format):
    filterset = SolutionFilterSet(request.GET, queryset=Solution.objects.published())
    rows = export_rows(filterset.ordered(), request.build_absolute_uri)
    if format == "csv":
        response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    elif format == "json":
        response = StreamingHttpResponse(_json_chunks(rows), content_type="application/json")
    else:
        raise Http404("Exports are CSV or JSON.")
    response["Content-Disposition"] = f'attachment; filename="solutions.{format}"'
    return response
