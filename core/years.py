"""Query conditions for years in constraints: within an app's bounds, and in order."""

from django.db.models import F, Q


def year_between_q(field, low, high):
    """The field is empty, or a year from `low` to `high`."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high})


def years_in_order_q(start, end):
    """Either year is empty, or `end` is not before `start`."""
    return (
        Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gte": F(start)})
    )
