"""Ids read from a URL."""

from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404


def valid_id(value):
    """An object id from a URL, or a 404: never a server error for "abc" or 4,000 digits."""
    value = str(value)
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise Http404("No such object.")
    return int(value)


def valid_value(field, value):
    """Whether `value` (from a URL or a form) can be looked up in `field` without an error."""
    if "\x00" in str(value):
        return False
    try:
        python_value = field.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    low, high = connection.ops.integer_field_ranges.get(field.get_internal_type(), (None, None))
    if isinstance(python_value, int):
        return (low is None or python_value >= low) and (high is None or python_value <= high)
    return True
