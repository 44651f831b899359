"""Comparing two saved versions of a solution, field by field and row by row."""

import difflib
from dataclasses import dataclass

from solutions.models import Solution

COMPARED_FIELDS = [
    "title",
    "summary",
    "problem",
    "approach",
    "results",
    "lessons_learned",
    "stage",
    "start_year",
    "end_year",
    "cost_usd",
    "funding",
    "contact_name",
    "contact_organisation",
    "contact_email",
    "city",
    "network",
    "themes",
    "sdgs",
]
RELATED = {
    "partner": "Partners",
    "sourcelink": "Sources",
    "solutionimage": "Images",
    "indicator": "Indicators",
    "measurement": "Measurements",
    "taggeditem": "Tags",
}


@dataclass
class Change:
    label: str
    before: str
    after: str
    diff: list  # (kind, text) pairs: kind is "same", "removed" or "added"


def _text(value):
    if isinstance(value, list):
        return ", ".join(str(item) for item in sorted(value))
    return "" if value is None else str(value)


def _diff(before, after):
    lines = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        kind = {"- ": "removed", "+ ": "added", "  ": "same"}.get(line[:2])
        if kind:
            lines.append((kind, line[2:]))
    return lines


def _related_rows(version):
    rows = {}
    for other in version.revision.version_set.select_related("content_type"):
        model = other.content_type.model
        if model in RELATED:
            rows.setdefault(RELATED[model], set()).add(other.object_repr)
    return rows


def compare_versions(older, newer):
    """The fields and related rows that differ between two versions of a solution."""
    changes = []
    old_fields, new_fields = older.field_dict, newer.field_dict
    for name in COMPARED_FIELDS:
        field = Solution._meta.get_field(name)
        key = field.attname if not field.many_to_many else name
        before, after = _text(old_fields.get(key)), _text(new_fields.get(key))
        if before != after:
            changes.append(
                Change(field.verbose_name.capitalize(), before, after, _diff(before, after))
            )
    old_rows, new_rows = _related_rows(older), _related_rows(newer)
    for label in RELATED.values():
        before = "\n".join(sorted(old_rows.get(label, set())))
        after = "\n".join(sorted(new_rows.get(label, set())))
        if before != after:
            changes.append(Change(label, before, after, _diff(before, after)))
    return changes
