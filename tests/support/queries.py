"""Pinning the exact number of queries a page runs, and that it does not grow with its rows.

Every list and detail page has a test that builds a few rows, counts the page's queries,
builds many more rows and counts again: both counts must be the same exact number. An upper
bound would let a page drift from 6 queries to 12 unnoticed; an exact number does not.

What is counted is a *cold* request: the first request of the test fills what Django keeps
for the whole process (content types, the site), then the cache is cleared so every value of
the low-level ``cached()`` helper (theme counts, facets, key figures, page counts) is computed
again, as after any change to the content. That is the most a page costs. A second request
would be warm; ``warm=`` pins that count too where a page uses ``cached()``.

The counts are the same on SQLite and on PostgreSQL (the suite runs on both). Should a page
ever differ, pin both numbers in a dict keyed on ``connection.vendor``.
"""

from django.core.cache import cache

ROW_COUNTS = (3, 60)


def body_of(response):
    """The body of a response, read to the end (a streamed export runs its queries here)."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def get_counted(client, url, django_assert_num_queries, queries, *, cold=True):
    """GET the page (and read all of it) in exactly `queries` queries; its body."""
    if cold:
        cache.clear()
    with django_assert_num_queries(queries):
        response = client.get(url)
        text = body_of(response)
    assert response.status_code == 200, url
    return text


def assert_queries_do_not_grow(
    client, url, add_rows, django_assert_num_queries, queries, *, warm=None
):
    """The page runs exactly `queries` queries on a cold cache with 3 rows and with 60.

    `url` is the page's address, or a function giving it once the first rows exist.
    `add_rows(n)` adds n more rows and returns a piece of HTML (or text) that shows the
    newest row is on the page, so the count is of a page that really lists them.
    """
    shown = 0
    for total in ROW_COUNTS:
        marker = add_rows(total - shown)
        shown = total
        page = url() if callable(url) else url
        client.get(page)  # the process-wide caches (content types, the site) are filled once
        text = get_counted(client, page, django_assert_num_queries, queries)
        assert marker in text, f"{marker!r} is not on the page with {total} rows"
        if warm is not None:
            get_counted(client, page, django_assert_num_queries, warm, cold=False)
