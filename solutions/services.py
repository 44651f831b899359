"""Writes that touch a solution and its related rows together."""

import reversion
from django.db import transaction
from django.utils.text import slugify

from solutions.models import RESERVED_SLUGS, Solution, Status

MAX_SLUG_LENGTH = 200


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


@transaction.atomic
def solution_save_from_forms(*, form, formsets, user):
    """Save a submitter's case study and its related rows as one revision in its history."""
    solution = form.save(commit=False)
    if solution.pk is None:
        solution.author = user
        solution.status = Status.DRAFT
        solution.slug = unique_slug(solution.title)
    with reversion.create_revision(atomic=False):
        solution.save()
        form.save_m2m()
        for related in formsets:
            related.instance = solution
            related.save()
        reversion.set_user(user)
        reversion.set_comment("Saved on the site by its submitter")
    return solution
