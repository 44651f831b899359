from django.core.paginator import Paginator

from config.caching import cached


def paginate(queryset, raw_number, per_page=20):
    """A page of results, and a notice when the requested page could not be used.

    The total is cached until the content changes: counting a large list is the slow part.
    """
    paginator = Paginator(queryset, per_page)
    paginator.count = cached("count", queryset.count, str(queryset.query))
    raw_number = (raw_number or "").strip()
    if not raw_number:
        return paginator.page(1), None
    if not (raw_number.isascii() and raw_number.isdigit()):
        return paginator.page(1), f"“{raw_number[:20]}” is not a page number; showing page 1."
    digits = raw_number.lstrip("0") or "0"
    number = int(digits) if len(digits) <= 18 else 10**18
    if number < 1:
        return paginator.page(1), "Pages start at 1; showing page 1."
    if number > paginator.num_pages:
        last = paginator.num_pages
        shown = raw_number if len(raw_number) <= 12 else raw_number[:12] + "…"
        return paginator.page(last), f"There is no page {shown}; showing page {last}, the last."
    return paginator.page(number), None
