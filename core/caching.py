"""Caching what is expensive to compute, and answering visitors' conditional requests.

Every cached value is keyed by a content version. Any change to what visitors can see (a
solution saved or its workflow step, a theme, a tag, a transfer, a network, a city import)
bumps the version, so stale entries are never read again and simply expire.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse
from django.views.decorators.http import condition

VERSION_KEY = "content-version"
TIMEOUT = 60 * 60


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version():
    """Call when visible content changes.

    Bumped at once, so this transaction reads fresh values, and again after the commit, so
    nothing another request cached meanwhile (from the data before the commit) is read again.
    """

    def bump():
        cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)

    bump()
    transaction.on_commit(bump)


def cached(name, compute, *parts):
    """compute(), cached until the content changes (or for an hour)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"{name}:{content_version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def visitor_etag(request, *args, **kwargs):
    """An ETag for what an anonymous visitor sees; none for people logged in."""
    if request.user.is_authenticated:
        return None
    return hashlib.sha256(f"{content_version()}|{request.get_full_path()}".encode()).hexdigest()


def is_plain_visitor(request):
    """A visitor with no session: nothing on the page can be personal to them."""
    return request.method in ("GET", "HEAD") and (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def page_cache_for_visitors(view):
    """Whole pages for plain visitors, cached until the content changes."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.PAGE_CACHE_FOR_VISITORS or not is_plain_visitor(request):
            return view(request, *args, **kwargs)
        address = f"{request.get_host()}{request.get_full_path()}"
        key = f"page:{content_version()}:{hashlib.sha256(address.encode()).hexdigest()}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)

        def store(rendered):
            if rendered.status_code == 200 and not rendered.streaming:
                cache.set(key, (rendered.content, rendered["Content-Type"]), TIMEOUT)
            return rendered

        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.add_post_render_callback(store)
        else:
            store(response)
        return response

    return wrapped


def conditional_for_visitors(view):
    """ETags and 304s for visitors, and whole pages cached for those with no session."""
    return condition(etag_func=visitor_etag)(page_cache_for_visitors(view))
