"""Ids read from a URL."""

from django.http import Http404


def valid_id(value):
    """An object id from a URL, or a 404: never a server error for "abc" or 4,000 digits."""
    value = str(value)
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise Http404("No such object.")
    return int(value)
