"""Cleaning text people type into a search box or a form field."""

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text):
    """The text with control characters (a NUL breaks PostgreSQL) and extra spaces removed."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text or "").split())
