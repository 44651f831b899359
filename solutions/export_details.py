"""The full form of an export: every field of a case study, its partners, sources, indicators
with their measurements, and its transfers, read a chunk of case studies at a time (a query
for each kind of row per chunk), so a full export's memory does not grow with its rows.

In JSON the related rows are lists of objects; in CSV each list is a cell holding that JSON
(one row a case study, and any CSV reader then a JSON parser gets the same objects back).
"""

from collections import defaultdict

from solutions.models import Indicator, Measurement, Partner, SourceLink, Transfer

SECTION_FIELDS = [
    "problem",
    "approach",
    "results",
    "lessons_learned",
    "funding",
    "contact_name",
    "contact_organisation",
]
RELATED_COLUMNS = ["partners", "sources", "indicators", "transfers"]
FULL_COLUMNS = SECTION_FIELDS + RELATED_COLUMNS


def related_rows(ids):
    """{column: {solution id: [objects]}} for the case studies `ids`: five queries."""
    found = {column: defaultdict(list) for column in RELATED_COLUMNS}
    partners = Partner.objects.filter(solution_id__in=ids).order_by("solution_id", "pk")
    for partner in partners.values("solution_id", "name", "sector", "role"):
        found["partners"][partner.pop("solution_id")].append(partner)
    sources = SourceLink.objects.filter(solution_id__in=ids).order_by("solution_id", "pk")
    for source in sources.values("solution_id", "title", "url"):
        found["sources"][source.pop("solution_id")].append(source)

    measured = defaultdict(list)
    measurements = Measurement.objects.filter(indicator__solution_id__in=ids).order_by(
        "indicator_id", "year"
    )
    for measurement in measurements.values("indicator_id", "year", "value", "note"):
        measured[measurement.pop("indicator_id")].append(measurement)
    indicators = Indicator.objects.filter(solution_id__in=ids).order_by("solution_id", "pk")
    indicator_fields = ["name", "unit", "direction", "baseline_value", "baseline_year"]
    indicator_fields += ["target_value", "target_year", "notes"]
    for indicator in indicators.values("pk", "solution_id", *indicator_fields):
        indicator["measurements"] = measured[indicator.pop("pk")]
        found["indicators"][indicator.pop("solution_id")].append(indicator)

    transfers = Transfer.objects.filter(solution_id__in=ids).order_by("solution_id", "pk")
    for transfer in transfers.values(
        "solution_id",
        "origin_city__slug",
        "origin_city__name",
        "origin_city__country",
        "adopting_city__slug",
        "adopting_city__name",
        "adopting_city__country",
        "network__slug",
        "status",
        "start_year",
        "end_year",
        "adaptations",
        "outcome",
    ):
        solution_id = transfer.pop("solution_id")
        found["transfers"][solution_id].append(
            {
                "origin_city": _city(transfer, "origin_city"),
                "adopting_city": _city(transfer, "adopting_city"),
                "network": transfer["network__slug"],
                "status": transfer["status"],
                "start_year": transfer["start_year"],
                "end_year": transfer["end_year"],
                "adaptations": transfer["adaptations"],
                "outcome": transfer["outcome"],
            }
        )
    return found


def _city(row, prefix):
    return {
        "slug": row[f"{prefix}__slug"],
        "name": row[f"{prefix}__name"],
        "country_code": str(row[f"{prefix}__country"]),
    }
