"""The years a case study, an indicator or a transfer may carry: one range for all of them."""

from core.years import year_between_q, years_in_order_q

YEAR_MIN, YEAR_MAX = 1900, 2100
YEARS = range(YEAR_MIN, YEAR_MAX + 1)
YEARS_MESSAGE = f"Years must be between {YEAR_MIN} and {YEAR_MAX}."
YEARS_ORDER_MESSAGE = "The end year cannot be before the start year."

__all__ = [
    "YEARS",
    "YEARS_MESSAGE",
    "YEARS_ORDER_MESSAGE",
    "YEAR_MAX",
    "YEAR_MIN",
    "year_in_range_q",
    "years_in_order_q",
]


def year_in_range_q(field):
    return year_between_q(field, YEAR_MIN, YEAR_MAX)
