"""Marking the searched terms in a result's text."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe


def highlight(text, terms):
    """The text, escaped, with each search term wrapped in <mark>."""
    escaped = escape(text)
    words = sorted({escape(term) for term in terms if term}, key=len, reverse=True)
    if not words:
        return mark_safe(escaped)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))
