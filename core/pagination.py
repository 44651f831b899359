"""One page of a long list, with a notice when the requested page could not be used."""

from functools import cached_property

from django.core.paginator import Paginator

from core.caching import cached

# Larger page numbers are clamped before they reach the paginator; it shows the last page.
MAX_DIGITS = 18


class CachedCountPaginator(Paginator):
    """Counting a large list is the slow part: the total is cached until the content changes,
    or given by the caller who counted it already (`known_count`)."""

    def __init__(self, object_list, per_page, *, known_count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = known_count

    @cached_property
    def count(self):
        if self.known_count is not None:
            return self.known_count
        return cached("count", self.object_list.count, str(self.object_list.query))


def requested_page(raw):
    """The page number asked for, and a notice when it was not one that could be used."""
    raw = (raw or "").strip()
    if not raw:
        return 1, None
    if not (raw.isascii() and raw.isdigit()):
        return 1, f"“{raw[:20]}” is not a page number; showing page 1."
    digits = raw.lstrip("0") or "0"
    number = int(digits) if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS
    if number < 1:
        return 1, "Pages start at 1; showing page 1."
    return number, None


def paginate(queryset, raw_number, per_page=20, *, count=None):
    """The page (Paginator.get_page() shows the last one for a number past the end) and a
    notice saying what was shown instead of what was asked for, if anything. `count`: the
    number of items, when the caller knows it already."""
    number, notice = requested_page(raw_number)
    page = CachedCountPaginator(queryset, per_page, known_count=count).get_page(number)
    if page.number < number:
        raw = raw_number.strip()
        shown = raw if len(raw) <= 12 else raw[:12] + "…"
        notice = f"There is no page {shown}; showing page {page.number}, the last."
    return page, notice
