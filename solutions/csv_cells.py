"""A value as a CSV cell, the same in every CSV the site writes (the exports, the open-data
download): lists joined, dates in ISO 8601, related rows as JSON, and text a spreadsheet would
run as a formula shown as text (OWASP, "CSV Injection")."""

import json

# A cell beginning with one of these is read as a formula by spreadsheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value as a CSV cell: lists joined with "; ", dates in ISO 8601, nothing as empty, and
    text a spreadsheet would run as a formula shown as text. Numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        return json.dumps(value, ensure_ascii=False)  # related rows: parsed back as JSON
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    elif hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
