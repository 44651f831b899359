"""Writes that touch a case study and its related rows together.

Each takes plain data (model instances and values, never a form) with keyword-only arguments,
and runs in one transaction; views and the admin call them.
"""

from dataclasses import dataclass, field

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from solutions.models import RESERVED_SLUGS, Indicator, Measurement, Solution, Status

MAX_SLUG_LENGTH = 200
CONFLICT_MESSAGE = (
    "Someone else saved this case study after you opened it, at {saved}. Your changes have "
    "not been saved, and nothing of theirs was overwritten. Your version is still in the form "
    "below: open the latest version in another tab, copy your changes across and save there."
)


class EditConflict(ValidationError):
    """The case study was saved by someone else after this person opened it."""


@dataclass
class RowChanges:
    """What a form did to one kind of related row: rows to save (new or changed) and to delete."""

    saved: list = field(default_factory=list)
    deleted: list = field(default_factory=list)


def unique_slug(title, *, exclude_pk=None):
    base = slugify(title)[:MAX_SLUG_LENGTH].strip("-") or "case-study"
    taken = RESERVED_SLUGS | set(
        Solution.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def ensure_unchanged_since(*, solution_pk, opened_at, lock=True):
    """Raise EditConflict unless the case study is as it was when its form was opened.

    `opened_at` is the `updated_at` the form was opened with (ISO format); every save sets a
    new one. With `lock`, the row stays locked until the transaction ends, so two saves cannot
    both pass; without, it is an early warning for a form that has other errors to show too.
    """
    rows = Solution.objects.select_for_update() if lock else Solution.objects
    saved = rows.filter(pk=solution_pk).values_list("updated_at", flat=True).first()
    if saved is not None and opened_at != saved.isoformat():
        when = timezone.localtime(saved).strftime("%d %B %Y %H:%M:%S %Z")
        raise EditConflict(CONFLICT_MESSAGE.format(saved=when), code="conflict")


@transaction.atomic
def indicator_set_measurements(*, indicator: Indicator, values, user=None):
    """Make the indicator's measurements exactly `values`, (year, value) pairs.

    A year that stays keeps its row, and its note, which the site's form does not show: a
    version then compares it as changed, not as removed and added. Inside a larger save (a
    revision is open) that save's version holds the new values; on its own, the change moves
    the case study's edit token and keeps a version of it, as any change to its rows does.
    """
    values = dict(values)
    kept = {row.year: row for row in Measurement.objects.filter(indicator=indicator)}
    Measurement.objects.filter(
        pk__in=[row.pk for year, row in kept.items() if year not in values]
    ).delete()
    changed = []
    for year, value in values.items():
        if year in kept and kept[year].value != value:
            kept[year].value = value
            changed.append(kept[year])
    Measurement.objects.bulk_update(changed, ["value"])
    Measurement.objects.bulk_create(
        Measurement(indicator=indicator, year=year, value=value)
        for year, value in values.items()
        if year not in kept
    )
    if not reversion.is_active():
        solution_record_change(
            solution_pk=indicator.solution_id,
            user=user,
            comment=gettext("Changed the measurements of “%(indicator)s”")
            % {"indicator": indicator.name},
        )


@transaction.atomic
def solution_record_change(*, solution_pk, user, comment):
    """A row of the case study changed on a page of its own (a partner, an indicator...): move
    the case study's edit token, so forms opened before it refuse to overwrite the change, and
    keep a version of the case study with all its rows, so the change can be compared and
    restored like any other."""
    solution = Solution.objects.get(pk=solution_pk)  # as it is now, rows and all
    with reversion.create_revision(atomic=False):
        solution.save(update_fields=["updated_at"])
        reversion.set_user(user)
        reversion.set_comment(comment)


@transaction.atomic
def solution_save(
    *,
    solution: Solution,
    user,
    opened_at: str = "",
    themes=None,
    sdgs=None,
    tags=None,
    related: dict[str, RowChanges] | None = None,
    measurements=(),
) -> Solution:
    """Save a submitter's case study and its related rows as one revision in its history.

    `solution` carries the new field values; a new one becomes the user's draft. `related`
    maps a kind of row (partners, sources, images, indicators) to its changes; `measurements`
    pairs each saved indicator with its (year, value) pairs. Themes, goals and tags left as
    None stay as they are. Refuses with EditConflict, saving nothing, if someone else saved
    the case study after `opened_at`.
    """
    if solution.pk is None:
        solution.author = user
        solution.status = Status.DRAFT
        solution.slug = unique_slug(solution.title)
    else:
        ensure_unchanged_since(solution_pk=solution.pk, opened_at=opened_at)
    with reversion.create_revision(atomic=False):
        solution.save()
        for relation, values in [("themes", themes), ("sdgs", sdgs), ("tags", tags)]:
            if values is not None:
                getattr(solution, relation).set(values)
        for changes in (related or {}).values():
            for row in changes.deleted:
                row.delete()
            for row in changes.saved:
                row.solution = solution
                row.save()
        for indicator, values in measurements:
            indicator_set_measurements(indicator=indicator, values=values)
        reversion.set_user(user)
        reversion.set_comment("Saved on the site by its submitter")
    return solution
