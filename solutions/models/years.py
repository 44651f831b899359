"""The years a case study, an indicator or a transfer may carry: one range for all of them."""

from django.db.models import F, Q

YEAR_MIN, YEAR_MAX = 1900, 2100
YEARS = range(YEAR_MIN, YEAR_MAX + 1)
YEARS_MESSAGE = f"Years must be between {YEAR_MIN} and {YEAR_MAX}."


def year_in_range_q(field):
    return Q(**{f"{field}__isnull": True}) | Q(
        **{f"{field}__gte": YEAR_MIN, f"{field}__lte": YEAR_MAX}
    )


def years_in_order_q(start, end):
    return (
        Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gte": F(start)})
    )
