"""Comparing two saved versions of a case study, field by field and row by row, and which two a
curator is shown first: what changed since the last review."""

import difflib
import json
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    Solution,
    SolutionImage,
    SourceLink,
    Status,
)

# The workflow's own fields, which a restore keeps as they are; tags are compared as rows.
NOT_COMPARED = {"status", "published_at", "tags"}
# Every field of the case study a version brings back, in the model's order.
COMPARED_FIELDS = [
    field.name
    for field in sorted(
        Solution._meta.concrete_fields + Solution._meta.many_to_many,
        key=lambda field: field.creation_counter,
    )
    if field.editable and not field.primary_key and field.name not in NOT_COMPARED
]
# A review is a curator's decision on the content: sending it back, or publishing it.
REVIEW_STATUSES = [Status.CHANGES_REQUESTED, Status.PUBLISHED]


@dataclass(frozen=True)
class RowKind:
    """A kind of row a version holds: which field ties it to its parent, and what stays the
    same row across versions even when saved again as a new one."""

    model: type
    label: str
    parent: str
    identity: tuple = ("pk",)


RELATED = [
    RowKind(Partner, _("Partners"), "solution"),
    RowKind(SourceLink, _("Sources"), "solution"),
    RowKind(SolutionImage, _("Images"), "solution"),
    RowKind(Indicator, _("Indicators"), "solution"),
    # Measurements were once replaced by new rows at every save: a year of an indicator is the
    # same measurement whatever its id.
    RowKind(Measurement, _("Measurements"), "indicator", ("indicator", "year")),
    RowKind(TaggedItem, _("Tags"), "object_id", ("tag",)),
]
RELATED_BY_MODEL = {kind.model: kind for kind in RELATED}


class NoComparison(Exception):
    """There are not two versions to compare; the message says why."""


@dataclass
class Change:
    label: str
    before: str
    after: str
    diff: list  # (kind, text) pairs: kind is "same", "removed" or "added"


@dataclass
class Comparison:
    """Two versions of a case study to compare, and why these two: "review" (since the last
    review, `review` being its workflow event), "newest" (the two newest) or "chosen"."""

    older: object
    newer: object
    basis: str
    review: object = None


@dataclass
class Row:
    text: str
    content: dict


def _diff(before, after):
    lines = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        kind = {"- ": "removed", "+ ": "added", "  ": "same"}.get(line[:2])
        if kind:
            lines.append((kind, line[2:]))
    return lines


def _stored(version):
    """A version's fields as serialized (foreign keys as ids, many-to-many as lists of ids)."""
    data = json.loads(version.serialized_data)[0]
    return data["fields"]


def _plain(value):
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return "" if value is None else str(value)


def _shown(model, name, value):
    """A stored value as people read it: a choice by its label, a number without ".0"."""
    field = model._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return _plain(value)


# The case study's own fields.


def _names(field, ids):
    """Each related object's name by its id, in one query; an id no longer there by itself."""
    found = field.related_model._base_manager.in_bulk(ids)
    return {pk: str(found[pk]) if pk in found else f"#{pk}" for pk in ids}


def _field_changes(old_fields, new_fields):
    changes = []
    for name in COMPARED_FIELDS:
        field = Solution._meta.get_field(name)
        before, after = old_fields.get(name), new_fields.get(name)
        if field.many_to_many:
            before, after = sorted(before or []), sorted(after or [])
        if before == after:
            continue
        if field.many_to_many:  # one name a line, so the diff says which went and came
            names = _names(field, {*before, *after})
            before = "\n".join(sorted(names[pk] for pk in before))
            after = "\n".join(sorted(names[pk] for pk in after))
        elif field.is_relation:
            names = _names(field, {pk for pk in (before, after) if pk is not None})
            before, after = names.get(before, ""), names.get(after, "")
        else:
            before, after = _shown(Solution, name, before), _shown(Solution, name, after)
        changes.append(Change(capfirst(field.verbose_name), before, after, _diff(before, after)))
    return changes


# The rows.


def _rows_of(versions, solution_pk):
    """The rows of the case study among a revision's versions, by kind and identity."""
    solution_type = ContentType.objects.get_for_model(Solution).pk
    stored = []
    for version in versions:
        model = ContentType.objects.get_for_id(version.content_type_id).model_class()
        if model in RELATED_BY_MODEL:
            stored.append((RELATED_BY_MODEL[model], version, _stored(version)))
    indicators = {
        version.object_id
        for kind, version, fields in stored
        if kind.model is Indicator and str(fields["solution"]) == str(solution_pk)
    }
    parents = {
        Partner: {str(solution_pk)},
        SourceLink: {str(solution_pk)},
        SolutionImage: {str(solution_pk)},
        Indicator: {str(solution_pk)},
        Measurement: indicators,
        TaggedItem: {str(solution_pk)},
    }
    rows = {kind: {} for kind in RELATED}
    for kind, version, fields in stored:
        if str(fields[kind.parent]) not in parents[kind.model]:
            continue
        if kind.model is TaggedItem and fields["content_type"] != solution_type:
            continue
        key = tuple(version.object_id if name == "pk" else fields[name] for name in kind.identity)
        content = {
            name: value
            for name, value in fields.items()
            if name != kind.parent and name not in kind.identity
        }
        rows[kind][key] = Row(version.object_repr, content)
    return rows


def _name_tags(*row_sets):
    """A tagged item reads as its tag (its own name repeats the case study's title)."""
    tags = Tag.objects.in_bulk({tag for rows in row_sets for (tag,) in rows})
    for rows in row_sets:
        for (tag,), row in rows.items():
            if tag in tags:
                row.text = tags[tag].name


def _changed_pair(model, before, after):
    """A row saved with other content: both forms, each with the fields that changed which its
    name does not already show."""

    def texts(hide_shown):
        old_details, new_details = [], []
        for name in sorted(before.content.keys() | after.content.keys()):
            old = _shown(model, name, before.content.get(name))
            new = _shown(model, name, after.content.get(name))
            if old == new:
                continue
            if hide_shown and old and new and old in before.text and new in after.text:
                continue
            label = model._meta.get_field(name).verbose_name
            old_details.append(f"{label}: {old or '—'}")
            new_details.append(f"{label}: {new or '—'}")
        return (
            " · ".join([before.text, *old_details]),
            " · ".join([after.text, *new_details]),
        )

    old_text, new_text = texts(hide_shown=True)
    if old_text == new_text:  # a value that only seemed shown by the name
        old_text, new_text = texts(hide_shown=False)
    return [("removed", old_text), ("added", new_text)]


def _row_diff(model, old, new):
    lines = []
    order = sorted(old.keys() | new.keys(), key=lambda key: ((new.get(key) or old[key]).text, key))
    for key in order:
        before, after = old.get(key), new.get(key)
        if after is None:
            lines.append(("removed", before.text))
        elif before is None:
            lines.append(("added", after.text))
        elif before.content == after.content:
            lines.append(("same", after.text))
        else:
            lines.extend(_changed_pair(model, before, after))
    return lines


def compare_versions(older, newer):
    """The fields and rows that differ between two versions of a case study. Rows are matched
    by what makes them the same row (an id, or an indicator's year) and compared by content,
    so a row saved again unchanged is not a change, and one edited in place is one."""
    solution_pk = older.object_id
    held = {older.revision_id: [], newer.revision_id: []}
    for version in Version.objects.filter(revision_id__in=held):
        held[version.revision_id].append(version)
    changes = _field_changes(_stored(older), _stored(newer))
    old_rows = _rows_of(held[older.revision_id], solution_pk)
    new_rows = _rows_of(held[newer.revision_id], solution_pk)
    for kind in RELATED:
        old, new = old_rows[kind], new_rows[kind]
        if old.keys() == new.keys() and all(old[key].content == new[key].content for key in old):
            continue
        if kind.model is TaggedItem:
            _name_tags(old, new)
        before = "\n".join(row.text for row in old.values())
        after = "\n".join(row.text for row in new.values())
        changes.append(Change(str(kind.label), before, after, _row_diff(kind.model, old, new)))
    return changes


# Which two versions.


def last_review(solution):
    """The case study's latest review: changes requested, or publication."""
    return (
        solution.events.filter(to_status__in=REVIEW_STATUSES)
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )


def reviewed_version(versions, event):
    """The content a review saw: the newest version saved no later than its event (a workflow
    step stores its version just before it writes its event, in one transaction)."""
    earlier = [v for v in versions if v.revision.date_created <= event.created_at]
    return max(earlier, key=lambda v: (v.revision.date_created, v.pk), default=None)


def choose_comparison(solution, versions, chosen_from=None, chosen_to=None):
    """The two versions to compare: the ones chosen (revision ids as given in the address), or
    else what changed since the last review, or else the two newest. `versions` is every
    version of the case study, newest first. Raises NoComparison, saying why, when there are
    not two to compare or a choice is not one of them."""
    if chosen_from or chosen_to:
        by_revision = {str(version.revision_id): version for version in versions}
        older, newer = by_revision.get(chosen_from or ""), by_revision.get(chosen_to or "")
        if older is None or newer is None:
            raise NoComparison(gettext("Choose two versions to compare."))
        if (older.revision.date_created, older.pk) > (newer.revision.date_created, newer.pk):
            older, newer = newer, older
        return Comparison(older, newer, "chosen")
    if len(versions) < 2:
        raise NoComparison(
            gettext("This case study has only one saved version: nothing to compare it with yet.")
            if versions
            else gettext("This case study has no saved versions yet.")
        )
    review = last_review(solution)
    reviewed = reviewed_version(versions, review) if review else None
    if reviewed is not None:
        return Comparison(reviewed, versions[0], "review", review)
    return Comparison(versions[1], versions[0], "newest")
