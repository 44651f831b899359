"""What every API response carries besides its data: an ETag that moves with the content (and
a 304 when the client already has it), caching headers, and the rate limit for clients.

The ETag comes from the content version (`core.caching`): any change to published content
moves it, so a client's copy is current until then, on every server. The rate limit counts
in the shared cache, by the client's address behind the site's trusted proxies
(`core.client`), never by a header a client could write itself.
"""

import hashlib

from django.conf import settings
from django.utils.http import parse_etags, quote_etag
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from core.caching import content_version
from core.client import client_address

# Shared caches and browsers may keep an answer this long before asking again (with its ETag).
MAX_AGE = 60


class NotModified(Exception):
    """The client's copy is current: answered with a 304 and no body."""


def api_etag(request):
    """The same for every client that asks the same thing while the content is unchanged."""
    parts = [
        content_version(),
        request.get_full_path(),
        request.headers.get("Accept", ""),
        request.headers.get("Accept-Language", ""),
    ]
    return quote_etag(hashlib.sha256("|".join(parts).encode()).hexdigest())


def is_current(request, etag):
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    given = parse_etags(header)
    return "*" in given or etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in given}


class ConditionalMixin:
    """ETag, Cache-Control and 304 for the GETs of a DRF view. The check runs after the rate
    limit (a 304 still counts) and before any query for the data."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.etag = None
        if request.method in ("GET", "HEAD"):
            self.etag = api_etag(request)
            if is_current(request, self.etag):
                raise NotModified

    def handle_exception(self, exc):
        if isinstance(exc, NotModified):
            return Response(status=304)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        etag = getattr(self, "etag", None)
        if etag and response.status_code in (200, 304):
            response["ETag"] = etag
            response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        return response


class ClientRateThrottle(AnonRateThrottle):
    """API_REQUESTS_PER_MINUTE requests per client address, counted in the shared cache so that
    every worker on every server sees the same count."""

    def get_rate(self):
        return f"{settings.API_REQUESTS_PER_MINUTE}/min"

    def get_ident(self, request):
        return client_address(request)


class PageNumbers(PageNumberPagination):
    """`page` and `page_size` (up to 100); each page links to the next and the previous."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
