"""Caching what is expensive to compute, and answering visitors' conditional requests.

Every cached value is keyed by a content version. Any change to what visitors can see (a
solution saved or its workflow step, a theme, a tag, a transfer, a network, a city import)
bumps the version, so stale entries are never read again and simply expire. The version lives
in the cache, so the cache must be one every worker shares (Redis or the database in
production; `core.checks` fails `check --deploy` on a per-process one): a version bumped in one
process has to reach all of them.

Whole pages are cached, and ETags given, only for plain visitors: a GET or HEAD carrying none
of the cookies this site sets. A page is stored only when nothing in it was made for one
person, judged on the response as it leaves the app, after every middleware.
"""

import hashlib
import logging
import time
from collections import OrderedDict
from functools import cache as memoize
from functools import partial, wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.management import call_command
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.cache import has_vary_header
from django.utils.module_loading import import_string
from django.views.decorators.http import condition

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"
TIMEOUT = 60 * 60


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


# Sent once a change to visible content is committed (once per transaction, however many
# rows it changed): receivers refill what the next visitor would otherwise wait for.
content_committed = Signal()


def _bump():
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)


def _committed():
    _bump()
    content_committed.send(sender=None)


def bump_content_version():
    """Call when visible content changes.

    Bumped at once, so this transaction reads fresh values, and again after the commit, so
    nothing another request cached meanwhile (from the data before the commit) is read again.
    """
    _bump()
    connection = transaction.get_connection()
    if not any(callback is _committed for _sids, callback, _robust in connection.run_on_commit):
        transaction.on_commit(_committed)


# The values this process read last, by their full key. A key holds the content version,
# read from the shared cache on every call, so a value kept here can never be stale: a change
# anywhere moves the version and with it every key. It saves fetching and unpickling the same
# large value (the filter choices list every city with solutions) on every request.
RECENT_MAX = 64
_recent = OrderedDict()


def cached(name, compute, *parts):
    """compute(), cached until the content changes (or for an hour)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"{name}:{content_version()}:{digest}"
    try:
        value = _recent[key]
        _recent.move_to_end(key)
        return value
    except KeyError:
        pass
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    _recent[key] = value
    while len(_recent) > RECENT_MAX:
        _recent.popitem(last=False)
    return value


@memoize
def message_cookie_names(storage_path):
    """The cookies a message storage keeps messages in (the fallback storage: its cookie one)."""
    storage = import_string(storage_path)
    classes = (storage, *getattr(storage, "storage_classes", ()))
    return frozenset(c.cookie_name for c in classes if getattr(c, "cookie_name", None))


def site_cookie_names():
    """Every cookie this site sets: a request carrying one may be shown something personal."""
    return {
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
        *message_cookie_names(settings.MESSAGE_STORAGE),
    }


def is_plain_visitor(request):
    """A GET or HEAD with none of the site's cookies: no session, no messages, no CSRF token."""
    return request.method in ("GET", "HEAD") and not (site_cookie_names() & request.COOKIES.keys())


def rendered_messages(request):
    """True when this response shows flash messages (they were read, and there were some)."""
    storage = getattr(request, "_messages", None)
    return storage is not None and storage.used and len(storage) > 0


def personal_reason(request, response):
    """Why this response may hold something for one person only; "" when nothing does.

    Called after the view (for the ETag) and again once every middleware has run (before a
    page is stored), so it reads both the response and what the request left behind.
    """
    cache_control = {
        directive.split("=")[0].strip().lower()
        for directive in response.get("Cache-Control", "").split(",")
    }
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    nonce = get_nonce(request)
    reasons = [
        (response.cookies, "it sets a cookie"),
        (cache_control & {"private", "no-store"}, "its Cache-Control is private or no-store"),
        (has_vary_header(response, "*"), "it varies on everything"),
        (request.COOKIES and has_vary_header(response, "Cookie"), "it varies on cookies"),
        (request.META.get("CSRF_COOKIE_NEEDS_UPDATE"), "it holds a CSRF token"),
        (session is not None and session.modified, "it changed a session"),
        (user is not None and user.is_authenticated, "it was made for someone logged in"),
        (nonce is not None and bool(nonce), "it holds a CSP nonce"),
        (rendered_messages(request), "it shows flash messages"),
    ]
    return next((reason for applies, reason in reasons if applies), "")


def when_rendered(response, callback):
    """callback(response) now, or once a template response has been rendered."""
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        response.add_post_render_callback(callback)
    else:
        callback(response)


def visitor_etag(request, *args, **kwargs):
    """An ETag for what a plain visitor sees; none for anyone the page could be personal to."""
    if not is_plain_visitor(request) or request.user.is_authenticated:
        return None
    return hashlib.sha256(f"{page_version()}|{request.get_full_path()}".encode()).hexdigest()


def page_key(request):
    """The page's full address: scheme and host too, as the page's canonical link shows them."""
    address = request.build_absolute_uri()
    return f"page:{page_version()}:{hashlib.sha256(address.encode()).hexdigest()}"


def page_version():
    """What a whole page depends on besides its address: the content, and the day (a case
    study's citation says when it was accessed)."""
    return f"{content_version()}:{timezone.localdate().isoformat()}"


def store_page(key, request, response):
    """Keep a page for every visitor, unless it is an error, a stream, or personal."""
    try:
        if response.status_code != 200 or response.streaming:
            return
        if reason := personal_reason(request, response):
            logger.debug("Page not cached: %s", reason, extra={"path": request.path})
            return
        cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
    except Exception:
        # The page has been sent; a cache that fails now must not hide it.
        logger.exception("Page not cached", extra={"path": request.path})


def page_cache_for_visitors(view):
    """Whole pages for plain visitors, cached until the content changes."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.PAGE_CACHE_FOR_VISITORS or not is_plain_visitor(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if request.method == "GET":  # a HEAD's body may be dropped before the end
            # Stored when the server closes the response: after every middleware, which may
            # still set a cookie (CSRF, session, messages) or a header. Django closes its own
            # file responses through the same list.
            response._resource_closers.append(partial(store_page, key, request, response))
        return response

    return wrapped


def conditional_for_visitors(view):
    """ETags and 304s for plain visitors, and whole pages cached for them."""
    conditional = condition(etag_func=visitor_etag)(page_cache_for_visitors(view))

    def drop_personal_etag(request, response):
        if reason := personal_reason(request, response):
            logger.debug("No ETag: %s", reason, extra={"path": request.path})
            del response["ETag"]

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        if response.has_header("ETag"):
            when_rendered(response, partial(drop_personal_etag, request))
        return response

    return wrapped


def create_cache_tables(*, app_config, using, verbosity=1, **kwargs):
    """After `migrate`: the database cache's table, when a cache is kept in the database.

    Connected to post_migrate, which is sent once per app with models; this acts after the
    last one. `createcachetable` leaves an existing table alone.
    """
    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    if app_config is not last:
        return
    if any(isinstance(caches[alias], BaseDatabaseCache) for alias in settings.CACHES):
        output = {"stdout": kwargs["stdout"]} if kwargs.get("stdout") else {}
        # Quiet unless asked: at the default verbosity it would say the table already exists.
        quiet = verbosity if verbosity > 1 else 0
        call_command("createcachetable", database=using, verbosity=quiet, **output)
