"""Every URL pattern of the project, as every kind of user, with hostile paths, query strings
and form posts: never a 500, and nothing changes that should not.

The URL patterns are enumerated from the resolver, so a new pattern is swept as soon as it
exists (and the sweep fails until it knows how to fill the new pattern's parameters). Each
pattern is requested, by each of four users (anonymous, network staff, staff of another
network, a curator), with real objects and with hostile parameter values; its first real URL
with the hostile query strings of what its view reads (none where it reads none: see
queries_for); where it takes posts, without a CSRF token (a 403) and with hostile form posts;
and with a junk post, the wrong method for most (what each view reads is listed, and the
sweep fails until a new pattern is in those lists).

After every request the counts of the rows that matter, each partner row, each user's password
and flags, and each solution's status, title and `updated_at` must be as they were: no request
of this sweep is one that should change data. Every response is below 500; wherever a page is
not public the anonymous visitor is sent to log in; and no response redirects off the site.

Bugs this sweep found are in KNOWN_BUGS: the sweep skips the requests that show them, and the
`test_known_bug_*` tests at the end show each of them, marked xfail(strict=True), so that a fix
makes them pass (and fail as XPASS until the mark and the KNOWN_BUGS entry are removed).
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import quote, unquote, urlsplit

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from cities.models import City
from networks.models import Membership, Network, NetworkStaff
from solutions.forms import RELATED_FORMSETS, SolutionForm
from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    ReviewQueueItem,
    Solution,
    SolutionImage,
    SourceLink,
    Status,
    Theme,
    Transfer,
    WorkflowEvent,
)
from solutions.workflow.transitions import TRANSITIONS, available_transitions
from tests.security.module_data import built_once_per_module
from tests.support.factories import (
    make_city,
    make_indicator,
    make_membership,
    make_network,
    make_partner,
    make_solution,
    make_staff,
    make_theme,
    make_transfer,
    make_user,
)

# No test here reads response.context: pages render as in production, faster (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("templates_render_as_in_production")]

IS_POSTGRES = "postgresql" in django_settings.DATABASES["default"]["ENGINE"]

USERS = ["anonymous", "staff", "other_staff", "curator"]
SCRIPT = "<script>alert(1)</script>"
LONG = "a" * 5000
BIG = str(2**63)  # one more than the largest BigAutoField id


# URL patterns -----------------------------------------------------------------------------


def enumerate_routes(resolver=None, prefix=""):
    """(route, name) of every URL pattern, the route spelled as ResolverMatch.route spells it."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = URLResolver._join_route(prefix, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            yield from enumerate_routes(pattern, route)
        else:
            yield route, pattern.name


ALL_ROUTES = list(enumerate_routes())
ROUTES = {route for route, _ in ALL_ROUTES}

# Patterns listed twice under the same route: the second of each can never be reached, since
# the first one with the same route always matches first. Sweeping the route covers both.
SHADOWED_ROUTES = {
    "accounts/password_change/": "the site's own password-change page, declared before "
    "include('django.contrib.auth.urls'), replaces the one in auth.urls",
    "accounts/password_change/done/": "likewise, the site's own page replaces auth.urls' one",
    "accounts/login/": "the site's own login (a username longer than any account's is a wrong "
    "login) replaces auth.urls' one",
    "accounts/password_reset/": "the site's own reset page (links from SITE_URL) replaces "
    "auth.urls' one",
}

# Patterns the sweep does not request, with the reason. Keep this empty unless a pattern truly
# cannot be requested in a test.
NOT_SWEPT = {}

# The admin's standard pages of one model: the changelist, add, history, delete, change, and
# the bare object URL that redirects to change. They are swept per model, for every model.
ADMIN_MODEL_ROUTE = re.compile(
    r"^admin/(?P<app>\w+)/(?P<model>\w+)/"
    r"(?:add/|<path:object_id>/(?:history/|delete/|change/)?)?$"
)
PARAMETER = re.compile(
    r"<(?:\w+:)?(?P<route>\w+)>|\(\?P<(?P<regex>\w+)>[^)]*\)|\((?P<bare>[^)]*)\)"
)


def parameter_names(route):
    """The route's parameters in order; the regex routes' unnamed groups get names here."""
    names = []
    for match in PARAMETER.finditer(route):
        if match["bare"] is not None:
            names.append("version_id" if match["bare"] == r"\d+" else "object_id")
        else:
            names.append(match["route"] or match["regex"])
    return names


def fill(route, values):
    """The path of a route with each parameter replaced by its value, percent-encoded."""
    names = iter(parameter_names(route))

    def value(match):
        name = next(names)
        return quote(str(values[name]), safe="/" if name == "url" else "")

    return "/" + PARAMETER.sub(value, route).replace("^", "").replace("$", "")


def admin_model(route):
    """The model of an admin route ("admin/<app>/<model>/..."), or None."""
    match = re.match(r"^admin/(\w+)/(\w+)/", route)
    for model in admin.site._registry:
        if match and (model._meta.app_label, model._meta.model_name) == match.groups():
            return model
    return None


def is_admin_model_route(route):
    return bool(ADMIN_MODEL_ROUTE.match(route)) and admin_model(route) is not None


def group_of(route):
    """Which sweep test a route belongs to: the admin's standard pages go by model."""
    if is_admin_model_route(route):
        model = admin_model(route)
        return f"admin:{model._meta.app_label}.{model._meta.model_name}"
    return dict(ALL_ROUTES)[route] or route


GROUPS = {}
for _route in sorted(ROUTES - set(NOT_SWEPT)):
    GROUPS.setdefault(group_of(_route), set()).add(_route)


def route_named(name):
    return next(route for route, route_name in ALL_ROUTES if route_name == name)


SOLUTION_TRANSITION = "admin/solutions/solution/<path:object_id>/transition/<str:name>/"
QUEUE_TRANSITION = "admin/solutions/reviewqueueitem/<path:object_id>/transition/<str:name>/"
COMPARE = "admin/solutions/solution/<path:object_id>/history/compare/"
REVISION = r"admin/solutions/solution/([^/]+)/history/(\d+)/$"
RECOVER = r"admin/solutions/solution/recover/(\d+)/$"
MERGE_TAGS = "admin/taggit/tag/merge-tags/"
SITE_TRANSITION = "submit/<slug:slug>/<str:name>/"
CATCH_ALL = "admin/(?P<url>.*)$"
CITE = "solutions/<slug:slug>/cite.<str:format>"
API_NOT_FOUND = r"api/v1/(?P<rest>[\s\S]*/)$"
API_LISTS = {
    "api/v1/solutions/",
    "api/v1/cities/",
    "api/v1/networks/",
    "api/v1/themes/",
    "api/v1/transfers/",
    "api/v1/schema/",  # format
}
API_ITEMS = {
    "api/v1/solutions/<slug:slug>/",
    "api/v1/cities/<slug:slug>/",
    "api/v1/networks/<slug:slug>/",
    "api/v1/themes/<slug:slug>/",
    "api/v1/transfers/<int:pk>/",
}


# Hostile inputs -----------------------------------------------------------------------------

HOSTILE_VALUES = {
    "slug": ["no-such-thing", LONG, "..", "été", "\x00", SCRIPT, BIG],
    "name": ["rocket", "..", "\x00", "пуск", LONG, "publish\x00", "__class__", SCRIPT],
    "format": ["xml", "csv\x00", "..", LONG],
    "object_id": ["abc", "1.5", "..", "\x00", "é", "-1", BIG, "9" * 4301, "1/../2", SCRIPT],
    "version_id": ["0", BIG, "9" * 30, "٣"],
    "id": ["abc", "-1", BIG, "\x00", "é"],
    "content_type_id": ["abc", BIG, "-1", "\x00"],
    "uidb64": ["!!!", "AAAA", urlsafe_base64_encode(b"9" * 30), "\x00", LONG],
    "token": ["set-password", LONG, "abc-def", "\x00"],
    "app_label": ["nope", "..", "\x00"],
    "url": ["../../etc/passwd", LONG, "\x00", "solutions/solution/1/rocket/", SCRIPT],
    "pk": ["0", BIG, "9" * 30, "00001"],
    "rest": ["../../etc/passwd/", LONG + "/", "\x00/", SCRIPT + "/", "solutions/x/y/"],
}


ADMIN_MODEL_OBJECT_IDS = ["abc", "\x00", BIG, "..", "9" * 4301, "1/../2"]


def q(text):
    return "q=" + quote(text, safe="")


# The nastiest of tests/test_hostile_input.py, plus a few; sent exactly as written.
HOSTILE_QUERIES = {
    "unknown-choices": (
        "theme=nope&region=mars&subregion=atlantis&network=nope&stage=rocket&status=rocket&size=huge&country=XX"
        "&sdg=99&sdg=abc&sort=sideways&format=xml"
    ),
    "page-10e30": f"page={10**30}",
    "page-abc": "page=abc",
    "page-minus-1": "page=-1",
    "q-5000-characters": q(("water kiosk " * 500)[:5000]),
    "q-nul": "q=%00",
    "nul-in-every-filter": (
        "theme=%00&region=%00&subregion=%00&network=%00&city=%00&tag=%00&sort=%00&year_from=%00&page=%00"
    ),
    "q-sql-injection": q("' OR 1=1 --"),
    "q-script": q(SCRIPT),
    "percent-encoded-garbage": "q=%ff%fe&theme=%ff%fe&%ff%fe=%ff&region=%c0%af",
    "broken-percent-escapes": "q=%&theme=%zz&page=%&%=%",
    "utf8-surrogate": "q=%ed%a0%80&city=%ed%a0%80",
    "repeated-parameters": "q=a&q=b&page=1&page=2&sort=title&sort=newest&theme=x&theme=x",
    "years-huge-and-negative": "year_from=99999999999999999999&year_to=-5",
}
# The admin's own parameters, for every changelist.
ADMIN_QUERIES = {
    "admin-page-10e30": f"p={10**30}",
    "admin-page-abc": "p=abc",
    "admin-order-garbage": "o=abc.-99.1.x.%00",
    "admin-to-field": "_to_field=password",
    "admin-bad-lookups": (
        "status__exact=rocket&id__gt=abc&network__id__exact=abc&position=abc"
        "&published_at__year=abc&published_at__month=13"
    ),
    "admin-date-hierarchy-year-huge": "published_at__year=99999999999999999999",
    "admin-date-hierarchy-year-9999": "published_at__year=9999",
    "admin-date-hierarchy-year-9999-december": "published_at__year=9999&published_at__month=12",
    "admin-lookup-on-password": "author__password__startswith=a&user__password=x",
    "admin-popup-and-filters": "_popup=1&_changelist_filters=%00&all=&e=1",
}
# The review queue's own filter, which says what the queue shows (what waits on the curator
# by default): odd values fall back to that, never a 500.
QUEUE_FILTER_QUERIES = {
    "queue-status-nul": "status=%00",
    "queue-status-5000-characters": "status=" + "s" * 5000,
    "queue-status-not-in-the-queue": "status=published",
    "queue-status-twice": "status=all&status=rocket",
    "queue-status-with-facets": "status=changes_requested&_facets=1&o=5.-6",
    "queue-status-lookup": "status__in=draft,published&status=all",
}
AUTOCOMPLETE = "app_label=solutions&model_name=solution&field_name=city"
AUTOCOMPLETE_QUERIES = {
    "real": f"{AUTOCOMPLETE}&term=nai",
    "term-5000": f"{AUTOCOMPLETE}&term={'n' * 5000}",
    "page-10e30": f"{AUTOCOMPLETE}&term=&page={10**30}",
    "unknown-app": "app_label=nope&model_name=solution&field_name=city&term=a",
    "unknown-model": "app_label=solutions&model_name=nope&field_name=city&term=a",
    "field-password": "app_label=auth&model_name=user&field_name=password&term=a",
    "field-not-autocompleted": "app_label=solutions&model_name=solution&field_name=title",
    "author-field": "app_label=solutions&model_name=solution&field_name=author&term=s",
    "missing-everything": "",
    "term-nul": f"{AUTOCOMPLETE}&term=%00",
}


# People and data --------------------------------------------------------------------------


def build_world():
    """Two networks with staff, a curator, case studies in every status, and history."""
    staff_group = Group.objects.get(name="Network staff")
    theme = make_theme(name="Water and sanitation", slug="water")
    city = make_city(name="Nairobi", slug="nairobi-ke", country="KE")
    home = make_network(name="City2City Network", slug="city2city", acronym="C2C")
    elsewhere = make_network(name="Another network", slug="another-network", acronym="AN")

    def staff_of(network, username):
        user = make_user(username=username, is_staff=True)
        user.groups.add(staff_group)
        make_staff(network, user=user)
        return user

    curator = make_user(username="curator", is_staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))
    users = {
        "anonymous": None,
        "staff": staff_of(home, "staff"),
        "other_staff": staff_of(elsewhere, "other-staff"),
        "curator": curator,
    }

    def case_study(slug, status, network, author, *, history=False, **fields):
        fields.update(slug=slug, status=status, city=city, network=network, author=author)
        if not history:
            return make_solution(title=f"Case study {slug}", themes=[theme], **fields)
        with reversion.create_revision():
            return make_solution(title=f"Case study {slug}", themes=[theme], **fields)

    own, other = users["staff"], users["other_staff"]
    w = SimpleNamespace(theme=theme, city=city, home=home, elsewhere=elsewhere, users=users)
    w.published = case_study(
        "water-kiosks", Status.PUBLISHED, home, own, history=True, tags=["kiosks"]
    )
    w.draft = case_study("draft-kiosks", Status.DRAFT, home, own, history=True)
    w.in_review = case_study("review-kiosks", Status.IN_REVIEW, home, own)
    w.changes = case_study("changes-kiosks", Status.CHANGES_REQUESTED, home, own)
    w.archived = case_study("archived-kiosks", Status.ARCHIVED, home, own)
    w.elsewhere_draft = case_study("elsewhere-draft", Status.DRAFT, elsewhere, other)
    w.elsewhere_review = case_study("elsewhere-review", Status.IN_REVIEW, elsewhere, other)
    w.solutions = [
        w.published,
        w.draft,
        w.in_review,
        w.changes,
        w.archived,
        w.elsewhere_draft,
        w.elsewhere_review,
    ]
    # A second version of the published one, with related rows, for history and compare.
    with reversion.create_revision():
        w.partner = make_partner(w.published, name="Residents' association")
        w.indicator = make_indicator(w.published, measurements=[(2019, 10), (2022, 40)])
        SourceLink.objects.create(solution=w.published, title="Report", url="https://ex.org")
        SolutionImage.objects.create(
            solution=w.published, image="solutions/kiosk.png", alt_text="A water kiosk"
        )
        w.published.title = "Water kiosks"
        w.published.save()
    w.published.refresh_from_db()
    w.elsewhere_partner = make_partner(w.elsewhere_draft, name="Elsewhere partner")
    versions = Version.objects.get_for_object(w.published).order_by("pk")
    w.version_ids = [v.pk for v in versions]
    w.revision_ids = [v.revision_id for v in versions]
    w.other_revision_id = Version.objects.get_for_object(w.draft).first().revision_id
    # A deleted case study, for the admin's "recover" pages.
    with reversion.create_revision():
        deleted = make_solution(slug="deleted-kiosks", status=Status.DRAFT, city=city, network=home)
    w.deleted_version_id = Version.objects.get_for_object(deleted).first().pk
    deleted.delete()
    make_transfer(w.published, adopting_city=make_city(name="Pune", slug="pune-in", country="IN"))
    make_membership(network=home, city=city)
    WorkflowEvent.objects.create(
        solution=w.in_review, actor=own, from_status=Status.DRAFT, to_status=Status.IN_REVIEW
    )
    axes_fields = {
        "user_agent": "test",
        "ip_address": "127.0.0.1",
        "username": "someone",
        "http_accept": "*/*",
        "path_info": "/accounts/login/",
    }
    AccessAttempt.objects.create(**axes_fields, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**axes_fields)
    AccessFailureLog.objects.create(**axes_fields)
    w.reset_uid = urlsafe_base64_encode(force_bytes(own.pk))
    w.reset_token = default_token_generator.make_token(own)
    return w


def build_world_and_log_in():
    world = build_world()
    world.sessions = {who: log_in_twice(user) for who, user in world.users.items()}
    return world


shared_world = built_once_per_module(build_world_and_log_in, "shared_world")


def log_in_twice(user):
    """Two session keys for the user, one for each of client_for()'s clients (None for the
    anonymous visitor). A test that logs out deletes a session row: its savepoint brings it
    back for the next test."""
    if user is None:
        return None
    keys = []
    for _ in range(2):
        client = Client()
        client.force_login(user)
        keys.append(client.cookies[django_settings.SESSION_COOKIE_NAME].value)
    return keys


@pytest.fixture
def world(shared_world, db):
    return shared_world


COUNTED = [
    Solution,
    WorkflowEvent,
    Partner,
    Indicator,
    Measurement,
    SolutionImage,
    Version,
    SourceLink,
    Transfer,
    Theme,
    Tag,
    TaggedItem,
    Network,
    NetworkStaff,
    Membership,
    Group,
    get_user_model(),
]
# Rows whose fields a refused request must leave as they were.
WATCHED = {
    Solution: ["status", "title", "updated_at"],
    Partner: ["solution_id", "name", "sector"],
    get_user_model(): ["password", "is_active", "is_staff", "is_superuser"],
}


def snapshot_sql():
    """One query for the snapshot: a row per count, a row per watched row, all as text."""
    quote_name = connection.ops.quote_name

    def select(label, first, columns, table):
        columns = [f"CAST({quote_name(column)} AS TEXT)" for column in columns]
        columns += ["''"] * (4 - len(columns))
        return f"SELECT '{label}', {first}, {', '.join(columns)} FROM {quote_name(table)}"

    counts = [
        select(f"count of {model.__name__}", "COUNT(*)", [], model._meta.db_table)
        for model in COUNTED
    ]
    rows = [
        select(
            model.__name__,
            quote_name(model._meta.pk.column),
            [model._meta.get_field(name).column for name in fields],
            model._meta.db_table,
        )
        for model, fields in WATCHED.items()
    ]
    return " UNION ALL ".join(counts + rows)


SNAPSHOT_SQL = snapshot_sql()


def snapshot():
    """Everything a refused request must leave as it was: the counts of COUNTED and the
    WATCHED rows (each solution's status, title and updated_at, ...), in one query."""
    with connection.cursor() as cursor:
        cursor.execute(SNAPSHOT_SQL)
        return sorted(cursor.fetchall())


def changed(before, after):
    """What differs between two snapshots, by label ("count of Tag", "Solution", ...)."""
    return sorted({row[0] for row in set(before) ^ set(after)})


def client_for(world, who, *, csrf=False):
    """A client logged in as `who`, by a session made once for the module (see shared_world):
    the one that enforces CSRF checks has its own session, as if in another browser."""
    client = Client(enforce_csrf_checks=csrf, raise_request_exception=False)
    if world.sessions[who] is not None:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = world.sessions[who][csrf]
    return client


# Requests -----------------------------------------------------------------------------------


@dataclass
class Hit:
    """One request of the sweep."""

    label: str
    route: str
    params: dict
    query: str = ""
    method: str = "get"
    data: dict | None = None
    csrf: bool = False  # sent by a client that enforces CSRF, without a token
    expect: tuple = ()  # the statuses it must get, when the sweep knows them
    path: str = field(init=False)

    def __post_init__(self):
        self.path = fill(self.route, self.params) + (f"?{self.query}" if self.query else "")

    def __str__(self):
        return f"{self.method.upper()} {self.label}: {self.path[:200]}"


def refused_names(solution, user):
    """Workflow step names whose POST, without a comment, this user may not make."""
    allowed = {t.name for t in available_transitions(solution, user) if not t.comment_required}
    return [t.name for t in TRANSITIONS if t.name not in allowed]


def sample_ids(world, model):
    """Real object ids for a model's admin pages."""
    if model is Solution:
        return [s.pk for s in (world.published, world.draft, world.elsewhere_draft)]
    if model._meta.proxy and model._meta.concrete_model is Solution:
        return [world.in_review.pk, world.elsewhere_review.pk]
    first = model._default_manager.order_by("pk").first()
    assert first is not None, f"the world has no {model.__name__} to show"
    return [first.pk]


def real_params(route, world, who):
    """Real values for the route's parameters: a list of dicts, one URL each."""
    w = world
    names = parameter_names(route)
    if not names:
        return [{}]
    user = w.users[who]
    slugs = [s.slug for s in (w.published, w.draft, w.elsewhere_draft)]
    table = {
        "solutions/export.<str:format>": [{"format": "csv"}, {"format": "json"}],
        "solutions/<slug:slug>/": [{"slug": slug} for slug in slugs],
        CITE: [{"slug": slug, "format": f} for slug in slugs for f in ("bib", "ris", "json")],
        "themes/<slug:slug>/": [{"slug": w.theme.slug}],
        "themes/<slug:slug>/feed/": [{"slug": w.theme.slug}],
        "submit/<slug:slug>/": [{"slug": slug} for slug in slugs],
        SITE_TRANSITION: [
            {"slug": s.slug, "name": name}
            for s in (w.draft, w.in_review, w.published, w.elsewhere_draft)
            for name in refused_names(s, user)
        ],
        "cities/<slug:slug>/": [{"slug": w.city.slug}],
        "networks/<slug:slug>/": [{"slug": w.home.slug}],
        "accounts/reset/<uidb64>/<token>/": [{"uidb64": w.reset_uid, "token": w.reset_token}],
        "admin/r/<path:content_type_id>/<path:object_id>/": [
            {"content_type_id": ContentType.objects.get_for_model(Solution).pk, "object_id": pk}
            for pk in (w.published.pk, w.draft.pk)
        ],
        "admin/auth/user/<id>/password/": [{"id": w.users["staff"].pk}],
        CATCH_ALL: [{"url": "no-such-page/"}, {"url": "solutions/nothing"}],
        "api/v1/solutions/<slug:slug>/": [{"slug": slug} for slug in slugs],
        "api/v1/cities/<slug:slug>/": [{"slug": w.city.slug}],
        "api/v1/networks/<slug:slug>/": [{"slug": w.home.slug}],
        "api/v1/themes/<slug:slug>/": [{"slug": w.theme.slug}],
        "api/v1/transfers/<int:pk>/": [{"pk": t.pk} for t in Transfer.objects.order_by("pk")],
        API_NOT_FOUND: [{"rest": "no-such-list/"}],
        COMPARE: [{"object_id": w.published.pk}],
        SOLUTION_TRANSITION: [
            {"object_id": s.pk, "name": t.name}
            for s in (w.draft, w.in_review, w.published, w.elsewhere_review)
            for t in TRANSITIONS
        ],
        QUEUE_TRANSITION: [
            {"object_id": s.pk, "name": t.name}
            for s in (w.in_review, w.elsewhere_review)
            for t in TRANSITIONS
        ],
        REVISION: [{"object_id": w.published.pk, "version_id": pk} for pk in w.version_ids],
        RECOVER: [{"version_id": w.deleted_version_id}],
    }
    if route in table:
        return table[route]
    if route.startswith("admin/(?P<app_label>"):
        return [{"app_label": label} for label in ("solutions", "auth", "axes", "taggit")]
    if is_admin_model_route(route):
        ids = sample_ids(w, admin_model(route))
        # Every sample on the change page (its permissions differ by object), one elsewhere.
        return [{"object_id": pk} for pk in (ids if route.endswith("/change/") else ids[:1])]
    raise KeyError(
        f"The sweep does not know how to fill the parameters {names} of the URL pattern "
        f"{route!r}: add real values for it to real_params()."
    )


# The admin's standard pages of every model are swept; those of the solution admin, the review
# queue and a sample of the others (with their own list filters, list_editable, search and
# inlines) with every hostile input, the rest with a few (queries_for, route_hits).
FULLY_SWEPT_MODELS = {Solution, ReviewQueueItem, Theme, City, Network, Tag}


# Where each page reads its query string, and so which hostile query strings it gets. A page
# whose view reads none gets none: a query string there reaches nothing that could fail (the
# public ones are shown to ignore theirs in test_hostile_input.py). Every pattern is still
# requested as every user with real and hostile paths, and posted to (a wrong method for most).
SITE_PAGES_READING_QUERIES = {  # filters, search, sort and page
    "solutions/",
    "solutions/export.<str:format>",
    "themes/<slug:slug>/",
    "transfers/",
    "cities/",
    "cities/like-mine/",
    "map/",
    "solutions/feed/",
    *API_LISTS,
}
LOGIN_PAGES = {"accounts/login/", "admin/login/"}  # next (and axes records a failed login's)
SITEMAP = "sitemap.xml"  # p, the page
# Anonymous visitors never reach the views behind a login: they are sent to log in, the page's
# path and query string in `next`. That redirect is the same for every page behind the same
# door, so the hostile query strings go to one page behind each (the sweep checks that every
# other one sends them to log in too, see login_page_for_anonymous).
LOGIN_REDIRECT_SAMPLES = {"admin/", "my/submissions/"}

NEXT_QUERIES = {
    "next-elsewhere": "next=//evil.example/",
    "next-other-host": "next=" + quote("https://evil.example/admin/", safe=""),
    "next-javascript": "next=" + quote("javascript:alert(1)", safe=""),
    "next-script": "next=" + quote(f'"><{SCRIPT[1:]}', safe=""),
    "next-nul": "next=%00",
    "next-5000-characters": "next=/" + "n" * 5000,
    "next-twice": "next=/admin/&next=//evil.example/",
    "next-surrogate": "next=%ed%a0%80",
}
SITEMAP_QUERIES = {
    "p-abc": "p=abc",
    "p-10e30": f"p={10**30}",
    "p-0": "p=0",
    "p-minus-1": "p=-1",
    "p-nul": "p=%00",
    "p-twice": "p=1&p=2",
}


# The other patterns (but the admin's standard pages of each model, sorted out in queries_for):
# their views read no query string.
READING_NO_QUERY_STRING = {
    "",
    "solutions/<slug:slug>/",
    "themes/",
    "themes/<slug:slug>/feed/",
    "cities/<slug:slug>/",
    "networks/",
    "networks/<slug:slug>/",
    "submit/",
    "submit/<slug:slug>/",
    "submit/<slug:slug>/<str:name>/",
    "my/submissions/",
    "accounts/logout/",
    "accounts/password_change/",
    "accounts/password_change/done/",
    "accounts/password_reset/",
    "accounts/password_reset/done/",
    "accounts/reset/<uidb64>/<token>/",
    "accounts/reset/done/",
    "health/",
    "ping/",
    "robots.txt",
    "admin/",
    "admin/(?P<app_label>auth|axes|cities|networks|solutions|taggit)/$",
    "admin/jsi18n/",
    "admin/logout/",
    "admin/password_change/",
    "admin/password_change/done/",
    "admin/r/<path:content_type_id>/<path:object_id>/",
    "admin/solutions/solution/recover/$",
    SOLUTION_TRANSITION,
    QUEUE_TRANSITION,
    MERGE_TAGS,
    CATCH_ALL,
    "api/",
    "api/v1/",
    *API_ITEMS,
    API_NOT_FOUND,
    CITE,
    "open-data/",
    "coverage/",
}


def pick(queries, *ids):
    return {query_id: queries[query_id] for query_id in ids}


def admin_page(route):
    """Which of the admin's standard pages of a model the route is: "changelist", "add",
    "object" (redirects to change), "change", "delete" or "history"."""
    tail = route.split("/")[3:]
    if tail == [""]:
        return "changelist"
    if tail == ["add", ""]:
        return "add"
    return tail[1] or "object"


def queries_for(route, who):
    """The hostile query strings for a route, by what its view reads."""
    if who == "anonymous" and login_page_for_anonymous(route):
        if route in LOGIN_REDIRECT_SAMPLES:
            return {**HOSTILE_QUERIES, **ADMIN_QUERIES, **NEXT_QUERIES}
        return {}
    if route in SITE_PAGES_READING_QUERIES:
        return HOSTILE_QUERIES
    if route in LOGIN_PAGES:
        return NEXT_QUERIES
    if route == SITEMAP:
        return SITEMAP_QUERIES
    if route == route_named("autocomplete"):
        return AUTOCOMPLETE_QUERIES  # app_label, model_name, field_name, term, page
    if route == COMPARE:
        return {}  # compare_hits sends its own (from, to)
    # The change form's pages read _to_field, _popup and _changelist_filters.
    form_page = pick(ADMIN_QUERIES, "admin-to-field", "admin-popup-and-filters")
    if route in (REVISION, RECOVER):
        return form_page
    if route == route_named("auth_user_password_change"):
        return pick(ADMIN_QUERIES, "admin-popup-and-filters")
    if not is_admin_model_route(route):
        if route not in READING_NO_QUERY_STRING:
            raise KeyError(
                f"Does the view of {route!r} read its query string? Say which hostile query "
                "strings it gets in queries_for(), or add it to READING_NO_QUERY_STRING."
            )
        return {}
    full = admin_model(route) in FULLY_SWEPT_MODELS
    page = admin_page(route)
    if page == "changelist":  # search, filters, ordering, page, and any lookup
        if admin_model(route) is ReviewQueueItem:
            return {**HOSTILE_QUERIES, **ADMIN_QUERIES, **QUEUE_FILTER_QUERIES}
        if full:
            return {**HOSTILE_QUERIES, **ADMIN_QUERIES}
        return {
            **pick(HOSTILE_QUERIES, "q-5000-characters", "q-nul", "unknown-choices"),
            **pick(ADMIN_QUERIES, "admin-bad-lookups", "admin-page-10e30"),
        }
    if page == "add":  # the add form also takes initial values from the query string
        if full:
            hostile = ["unknown-choices", "nul-in-every-filter", "utf8-surrogate"]
            return {**pick(HOSTILE_QUERIES, *hostile), **form_page}
        return pick(HOSTILE_QUERIES, "unknown-choices", "nul-in-every-filter")
    if page in ("change", "delete"):
        return form_page if full else pick(ADMIN_QUERIES, "admin-to-field")
    if page == "history":  # p, the page
        return pick(ADMIN_QUERIES, "admin-page-10e30", "admin-page-abc")
    return {}  # "object": a redirect to the change page, without the query string


# Where anonymous visitors must be sent to log in before anything else happens.
SITE_PAGES_BEHIND_LOGIN = {
    "submit/",
    "submit/<slug:slug>/",
    "submit/<slug:slug>/<str:name>/",
    "my/submissions/",
    "accounts/password_change/",
    "accounts/password_change/done/",
}
ADMIN_PAGES_WITHOUT_LOGIN = {"admin/login/", "admin/logout/"}


def login_page_for_anonymous(route):
    """The login page that a request of the anonymous visitor to this route must be sent to
    (None where the page is public), with the requested path as `next`."""
    if route.startswith("admin/") and route not in ADMIN_PAGES_WITHOUT_LOGIN:
        return "/admin/login/"
    if route in SITE_PAGES_BEHIND_LOGIN:
        return "/accounts/login/"
    return None


# The routes whose views read a post. A forged post, without a CSRF token, is sent only there:
# elsewhere the view has nothing to forge (the junk post is their wrong-method check).
SITE_PAGES_TAKING_POSTS = {
    "submit/",
    "submit/<slug:slug>/",
    "submit/<slug:slug>/<str:name>/",
    "accounts/login/",
    "accounts/logout/",
    "accounts/password_change/",
    "accounts/password_reset/",
    "accounts/reset/<uidb64>/<token>/",
}
ADMIN_PAGES_TAKING_POSTS = {
    "admin/login/",
    "admin/logout/",
    "admin/password_change/",
    "admin/auth/user/<id>/password/",
    SOLUTION_TRANSITION,
    QUEUE_TRANSITION,
    REVISION,
    RECOVER,
    MERGE_TAGS,
}


# The other patterns (but the admin's standard pages of each model): their views read no post.
TAKING_NO_POSTS = {
    "",
    "solutions/",
    "solutions/export.<str:format>",
    "solutions/<slug:slug>/",
    "solutions/feed/",
    "themes/",
    "themes/<slug:slug>/",
    "themes/<slug:slug>/feed/",
    "transfers/",
    "cities/",
    "cities/like-mine/",
    "map/",
    "cities/<slug:slug>/",
    "networks/",
    "networks/<slug:slug>/",
    "my/submissions/",
    "accounts/password_change/done/",
    "accounts/password_reset/done/",
    "accounts/reset/done/",
    "health/",
    "ping/",
    "robots.txt",
    "sitemap.xml",
    "admin/",
    "admin/(?P<app_label>auth|axes|cities|networks|solutions|taggit)/$",
    "admin/jsi18n/",
    "admin/password_change/done/",
    "admin/r/<path:content_type_id>/<path:object_id>/",
    "admin/autocomplete/",
    "admin/solutions/solution/recover/$",
    COMPARE,
    CATCH_ALL,
    "api/",
    "api/v1/",
    *API_LISTS,
    *API_ITEMS,
    API_NOT_FOUND,
    CITE,
    "open-data/",
    "coverage/",
}


def takes_posts(route):
    if route in SITE_PAGES_TAKING_POSTS or route in ADMIN_PAGES_TAKING_POSTS:
        return True
    if is_admin_model_route(route):
        # Changelists (actions, list_editable), add, change and delete.
        return admin_page(route) not in ("object", "history")
    if route not in TAKING_NO_POSTS:
        raise KeyError(
            f"Does the view of {route!r} read a post? Add it to SITE_PAGES_TAKING_POSTS or "
            "ADMIN_PAGES_TAKING_POSTS, or to TAKING_NO_POSTS."
        )
    return False


def is_delete(route):
    return route.endswith("/delete/")


JUNK = {"_save": "Save", "junk": "\x00" * 3, "index": "abc"}
# Whatever a forged request would try: nothing of it may happen without a CSRF token.
FORGED = {
    "action": "delete_selected",
    "post": "yes",
    "title": "Forged",
    "comment": "Forged comment",
    "new_tag_name": "forged",
    "username": "staff",
    "password": "a-long-test-password",
    "email": "staff@example.org",
    "new_password1": "Forged-pass-phrase-1",
    "new_password2": "Forged-pass-phrase-1",
}


def route_hits(route, world, who):
    """Every request of the sweep for one URL pattern, for one user."""
    params = real_params(route, world, who)
    hits = [Hit("real", route, p) for p in params]
    first = params[0]  # {} for a pattern without parameters
    for query_id, query in queries_for(route, who).items():
        hits.append(Hit(f"query {query_id}", route, first, query=query))
    for name in parameter_names(route):
        values = HOSTILE_VALUES[name]
        if is_admin_model_route(route):
            # Django's own pages: a few are enough, fewer still beyond the sample of models.
            full = admin_model(route) in FULLY_SWEPT_MODELS
            values = ADMIN_MODEL_OBJECT_IDS if full else ADMIN_MODEL_OBJECT_IDS[:3]
        for value in values:
            hits.append(Hit(f"hostile {name}={value[:20]!r}", route, {**first, name: value}))
    if takes_posts(route):
        forged = {**FORGED, "_selected_action": [str(pk) for pk in sample_pks(world)]}
        hits.append(Hit("no CSRF token", route, first, method="post", data=forged, csrf=True))
    hits.extend(EXTRA_HITS.get(route, lambda w, who: [])(world, who))
    # Last: on a logout page this logs the user out. A delete page deletes on any post, and
    # a transition page may make its step: those get an id or a step that does not exist.
    junk_params = {**first, "object_id": "999999999"} if is_delete(route) else first
    junk_params = {**junk_params, "name": "rocket"} if "name" in first else junk_params
    hits.append(Hit("junk post", route, junk_params, method="post", data=JUNK))
    return hits


def sample_pks(world):
    return [s.pk for s in world.solutions]


# Route-specific posts ------------------------------------------------------------------------

SECTIONS = ["summary", "problem", "approach", "results", "lessons_learned", "funding"]
PREFIXES = list(RELATED_FORMSETS)


def case_study_form(world, network, solution=None):
    """A complete, valid submission: each attack below spoils it in one way."""
    data = {
        "title": "A case study from the sweep",
        "network": str(network.pk),
        "city": "Nairobi",
        "summary": "A summary.",
        "problem": "A problem.",
        "approach": "An approach.",
        "results": "",
        "lessons_learned": "",
        "themes": [str(world.theme.pk)],
        "tags": "kiosks",
        "sdgs": ["6"],
        "stage": "implemented",
        "start_year": "2015",
        "end_year": "",
        "cost_usd": "",
        "funding": "",
        "contact_name": "",
        "contact_organisation": "",
        "contact_email": "",
        "opened_at": solution.updated_at.isoformat() if solution else "",
    }
    for prefix in PREFIXES:
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def one_row(prefix, **fields):
    data = {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"}
    data.update({f"{prefix}-0-{name}": value for name, value in fields.items()})
    return data


def indicator(measurements, **fields):
    return one_row(
        "indicators",
        name="Households served",
        direction=fields.pop("direction", "increase"),
        measurements=measurements,
        **fields,
    )


def management(value):
    return {f"{prefix}-TOTAL_FORMS": value for prefix in PREFIXES}


def form_attacks(world, who):
    """Changes that make the case-study form invalid; none of them may save anything."""
    other_network = world.elsewhere if who == "staff" else world.home
    return {
        "title-100k": {"title": "T" * 100_000},
        "title-and-sections-100k": {
            "title": "T" * 100_000,
            **dict.fromkeys(SECTIONS, "S" * 100_000),
        },
        "title-nul": {"title": "Water\x00kiosks"},
        "title-empty": {"title": ""},
        "year-abc": {"start_year": "abc"},
        "year-2**63": {"start_year": BIG},
        "years-reversed": {"start_year": "2020", "end_year": "1990"},
        "cost-minus-5": {"cost_usd": "-5"},
        "cost-2**64": {"cost_usd": str(2**64)},
        "cost-1e400": {"cost_usd": "1e400"},
        "network-of-another-network": {"network": str(other_network.pk)},
        "network-999999": {"network": "999999"},
        "network-abc": {"network": "abc"},
        "network-2**63": {"network": BIG},
        "network-missing": {"network": None},
        "themes-x": {"themes": ["x"]},
        "themes-minus-1": {"themes": ["-1", "1.5"]},
        "themes-2**63": {"themes": [BIG]},
        "sdgs-99": {"sdgs": ["99", "abc"]},
        "sdgs-2**63": {"sdgs": [BIG]},
        "city-empty": {"city": ""},
        # SQLite finds "Nairobi\x00" as Nairobi: an empty title keeps this from saving.
        "city-nul": {"title": "", "city": "Nairobi\x00"},
        "city-unknown": {"city": "Atlantis, Mars"},
        "city-10k": {"city": "N" * 10_000},
        "stage-rocket": {"stage": "rocket"},
        "tags-10k": {"tags": "t" * 10_000},
        "email-garbage": {"contact_email": "not-an-email"},
        "mass-assignment-with-empty-title": {
            "title": "",
            "status": "published",
            "published_at": "2020-01-01",
            "author": str(world.users["curator"].pk),
            "slug": "feed",
        },
        "submit-with-bad-year": {"action": "submit", "start_year": "abc"},
        # Django reads a negative or missing count as no rows at all, so these also get an
        # empty title: whatever the management form says, nothing may be saved.
        "management-forms-missing": {
            "title": "",
            **dict.fromkeys(
                [f"{p}-{k}" for p in PREFIXES for k in ("TOTAL_FORMS", "INITIAL_FORMS")]
            ),
        },
        "total-forms-minus-1": {"title": "", **management("-1")},
        "total-forms-abc": {"title": "", **management("abc")},
        "initial-forms-without-rows": {"partners-TOTAL_FORMS": "3", "partners-INITIAL_FORMS": "3"},
        "partner-sector-rocket": one_row("partners", name="P", sector="rocket"),
        "source-javascript-url": one_row("sources", title="x", url="javascript:alert(1)"),
        "measurements-not-numbers": indicator("2020: abc"),
        "measurements-year-99999": indicator("99999: 1"),
        "measurements-year-twice": indicator("2020: 1; 2020: 2"),
        "measurements-nul": indicator("2020: 1\x00"),
        "measurements-10k-garbage": indicator("2020: 1;" * 1250),
        "measurements-infinite": indicator("2020: 1e999"),
        "measurements-400-nines": indicator("2020: " + "9" * 400),
        "indicator-direction-rocket": indicator("2020: 1", direction="rocket"),
        "indicator-baseline-infinite": indicator("", baseline_value="1e999"),
        "image-not-an-image": one_row("images", alt_text="x", image="UPLOAD"),
    }


def form_post(world, who, route, params, attack_id, attack, solution=None):
    data = case_study_form(world, world.home if who != "other_staff" else world.elsewhere, solution)
    for key, value in attack.items():
        if value is None:
            data.pop(key, None)
        elif value == "UPLOAD":
            data[key] = SimpleUploadedFile("kiosk.png", b"not an image", "image/png")
        else:
            data[key] = value
    reaches_form = who == "staff" or (who == "other_staff" and "slug" not in params)
    return Hit(
        f"form {attack_id}",
        route,
        params,
        method="post",
        data=data,
        expect=(200,) if reaches_form else (),
    )


# The create page runs the same view and form as the edit page, which gets every attack;
# here a sample of each kind, and the ones that matter most without an existing case study.
CREATE_SAMPLE = [
    "title-100k",
    "title-and-sections-100k",
    "year-abc",
    "cost-minus-5",
    "network-of-another-network",
    "network-999999",
    "themes-x",
    "themes-2**63",
    "city-empty",
    "city-nul",
    "tags-10k",
    "stage-rocket",
    "mass-assignment-with-empty-title",
    "submit-with-bad-year",
    "management-forms-missing",
    "total-forms-minus-1",
    "initial-forms-without-rows",
    "measurements-not-numbers",
    "measurements-infinite",
    "image-not-an-image",
]


def submit_hits(world, who):
    attacks = pick(form_attacks(world, who), *CREATE_SAMPLE)
    if who == "staff":
        # Django caps it at 2,000 forms, which still take seconds to build: sent once.
        attacks["total-forms-1000000"] = {"title": "", "partners-TOTAL_FORMS": "1000000"}
    return [
        form_post(world, who, "submit/", {}, attack_id, attack)
        for attack_id, attack in attacks.items()
    ]


def edit_hits(world, who):
    route = "submit/<slug:slug>/"
    attacks = {
        **form_attacks(world, who),
        "opened-at-nul": {"opened_at": "\x00"},
        "opened-at-garbage": {"opened_at": "yesterday"},
    }
    hits = [
        form_post(world, who, route, {"slug": world.draft.slug}, attack_id, attack, world.draft)
        for attack_id, attack in attacks.items()
    ]
    # Someone else's case study (or one no longer editable), with an otherwise valid form.
    for solution in (world.elsewhere_draft, world.published):
        if who == "other_staff" and solution == world.elsewhere_draft:
            continue  # their own draft: a valid form would be a legitimate save
        params = {"slug": solution.slug}
        data = case_study_form(world, solution.network, solution)
        hits.append(Hit(f"valid form for {solution.slug}", route, params, method="post", data=data))
    return hits


COMMENT_POSTS = {
    "no-comment": {},
    "empty-comment": {"comment": ""},
    "blank-comment": {"comment": " \t\n "},
    "comment-5001": {"comment": "c" * 5001},
    "comment-nul": {"comment": "Please\x00fix"},
    "comment-list": {"comment": ["", ""]},
}


ACTION_COMMENTS = ["no-comment", "blank-comment", "comment-5001"]


def site_transition_hits(world, who):
    hits = []
    for params in real_params(SITE_TRANSITION, world, who)[::3]:
        hits.append(Hit("refused step", SITE_TRANSITION, params, method="post"))
    for name in HOSTILE_VALUES["name"]:
        for solution in (world.draft, world.elsewhere_draft):
            params = {"slug": solution.slug, "name": name}
            hits.append(Hit(f"unknown step {name[:20]!r}", SITE_TRANSITION, params, method="post"))
    return hits


def admin_transition_hits(route):
    def hits(world, who):
        user = world.users[who]
        result = []
        for params in real_params(route, world, who):
            solution = Solution.objects.get(pk=params["object_id"])
            step = next(t for t in TRANSITIONS if t.name == params["name"])
            allowed = user is not None and step in available_transitions(solution, user)
            if allowed and not step.comment_required:
                continue  # a POST would make the step: not this sweep's business
            # A step this user may make needs a comment: every way of not giving one.
            posts = COMMENT_POSTS if allowed else pick(COMMENT_POSTS, "no-comment")
            for post_id, data in posts.items():
                result.append(Hit(f"post {post_id}", route, params, method="post", data=data))
        for name in ("rocket", "\x00", LONG):
            params = {"object_id": world.in_review.pk, "name": name}
            result.append(Hit("unknown step", route, params, method="post", data={}))
        return result

    return hits


def compare_hits(world, who):
    first, second = world.revision_ids[:2]
    pairs = {
        "real": (first, second),
        "same-twice": (first, first),
        "garbage": ("abc", "def"),
        "empty": ("", ""),
        "missing": None,
        "2**63": (BIG, BIG),
        "unicode-digits": ("٣", "٣"),
        "negative": ("-1", "1"),
        "exponent-and-hex": ("1e5", "0x10"),
        "nul": ("\x00", "\x00"),
        "another-case-study's-revisions": (world.other_revision_id, world.other_revision_id),
        "19-digits": ("1" * 19, "1" * 19),
    }
    hits = []
    for pair_id, pair in pairs.items():
        query = "" if pair is None else f"from={quote(str(pair[0]))}&to={quote(str(pair[1]))}"
        hits.append(Hit(f"compare {pair_id}", COMPARE, {"object_id": world.published.pk}, query))
    query = f"from={first}&from={second}&to=abc"
    hits.append(Hit("compare repeated", COMPARE, {"object_id": world.published.pk}, query))
    return hits


def action_hits(route, model):
    """Changelist actions: unknown names, bogus ids, comment-needing steps without comment."""

    def hits(world, who):
        user = world.users[who]
        real = [str(pk) for pk in sample_ids(world, model)]
        posts = {
            "unknown-action": {"action": "rocket", "_selected_action": real, "index": "0"},
            "unknown-action-select-across": {"action": "rocket", "select_across": "1"},
            "action-list": {"action": ["rocket", "delete_selected"], "_selected_action": real},
            "no-selection": {"action": "delete_selected", "index": "999"},
            "non-numeric-ids": {"action": "delete_selected", "_selected_action": ["abc", "1.5"]},
            "2**63-id": {"action": "delete_selected", "_selected_action": [BIG]},
            "missing-ids-confirmed": {
                "action": "delete_selected",
                "_selected_action": ["999999999", "-1"],
                "post": "yes",
            },
            "list-editable-garbage": {"_save": "Save", "form-TOTAL_FORMS": "1000000"},
            "list-editable-minus-1": {
                "_save": "Save",
                "form-TOTAL_FORMS": "-1",
                "form-INITIAL_FORMS": "abc",
            },
        }
        if model._meta.concrete_model is Solution:
            solutions = Solution.objects.filter(pk__in=real)
            for step in TRANSITIONS:
                name = f"transition_{step.name}"
                posts[f"{name}-non-numeric-ids"] = {"action": name, "_selected_action": ["x"]}
                posts[f"{name}-2**63-id"] = {"action": name, "_selected_action": [BIG]}
                makes_a_step = any(
                    user is not None and step in available_transitions(s, user) for s in solutions
                )
                if makes_a_step and not step.comment_required:
                    continue
                for post_id, data in pick(COMMENT_POSTS, *ACTION_COMMENTS).items():
                    posts[f"{name}-{post_id}"] = {
                        "action": name,
                        "_selected_action": real,
                        "apply": "1",
                        **data,
                    }
        return [Hit(f"action {i}", route, {}, method="post", data=d) for i, d in posts.items()]

    return hits


def login_hits(route):
    posts = {
        "username-100k": {"username": "u" * 100_000, "password": "x"},
        "nul": {"username": "staff\x00", "password": "\x00"},
        "missing": {},
        "lists": {"username": ["staff", "curator"], "password": ["a", "b"]},
        "password-100k": {"username": "staff", "password": "p" * 100_000},
        "unicode": {"username": "stäff\u202e", "password": "x"},
        "next-elsewhere": {"username": "x", "password": "y", "next": "//evil.example/"},
    }

    def hits(world, who):
        return [Hit(f"login {i}", route, {}, method="post", data=d) for i, d in posts.items()]

    return hits


def password_reset_hits(world, who):
    posts = {
        "email-100k": {"email": "e" * 100_000 + "@example.org"},
        "email-nul": {"email": "staff\x00@example.org"},
        "email-list": {"email": ["staff@example.org", "x@example.org"]},
        "missing": {},
        "unicode": {"email": "ünï@例え.jp"},
    }
    route = "accounts/password_reset/"
    return [Hit(f"reset {i}", route, {}, method="post", data=d) for i, d in posts.items()]


PASSWORD_POSTS = {
    "old-100k": {"old_password": "x" * 100_000, "new_password1": "a", "new_password2": "a"},
    "nul": {"old_password": "\x00", "new_password1": "\x00", "new_password2": "\x00"},
    "wrong-old": {
        "old_password": "wrong",
        "new_password1": "N3w-pass-phrase!",
        "new_password2": "N3w-pass-phrase!",
    },
    "missing": {},
    "mismatch-100k": {"new_password1": "a" * 100_000, "new_password2": "b" * 100_000},
}


def password_change_hits(route):
    def hits(world, who):
        return [
            Hit(f"password {i}", route, {}, method="post", data=d)
            for i, d in PASSWORD_POSTS.items()
        ]

    return hits


def reset_confirm_hits(world, who):
    """The real link, then its set-password page, with hostile passwords; then bad links."""
    route = "accounts/reset/<uidb64>/<token>/"
    real = {"uidb64": world.reset_uid, "token": world.reset_token}
    set_password = {"uidb64": world.reset_uid, "token": "set-password"}
    bad = {"uidb64": "AAAA", "token": "abc-def"}
    hits = [Hit("reset link", route, real)]
    for post_id, data in PASSWORD_POSTS.items():
        if post_id in ("mismatch-100k", "nul", "missing"):
            hits.append(
                Hit(f"set password {post_id}", route, set_password, method="post", data=data)
            )
            hits.append(Hit(f"bad link {post_id}", route, bad, method="post", data=data))
    return hits


def merge_tags_hits(world, who):
    posts = {
        "name-100k": {"new_tag_name": "t" * 100_000},
        "name-nul": {"new_tag_name": "\x00"},
        "missing": {},
        "no-selection": {"new_tag_name": "merged"},
    }
    return [Hit(f"merge {i}", MERGE_TAGS, {}, method="post", data=d) for i, d in posts.items()]


def changelist_route(model):
    return f"admin/{model._meta.app_label}/{model._meta.model_name}/"


EXTRA_HITS = {
    "submit/": submit_hits,
    "submit/<slug:slug>/": edit_hits,
    SITE_TRANSITION: site_transition_hits,
    SOLUTION_TRANSITION: admin_transition_hits(SOLUTION_TRANSITION),
    QUEUE_TRANSITION: admin_transition_hits(QUEUE_TRANSITION),
    COMPARE: compare_hits,
    "accounts/login/": login_hits("accounts/login/"),
    "admin/login/": login_hits("admin/login/"),
    "accounts/password_reset/": password_reset_hits,
    "accounts/password_change/": password_change_hits("accounts/password_change/"),
    "admin/password_change/": password_change_hits("admin/password_change/"),
    "accounts/reset/<uidb64>/<token>/": reset_confirm_hits,
    MERGE_TAGS: merge_tags_hits,
    **{
        changelist_route(model): action_hits(changelist_route(model), model)
        for model in admin.site._registry
    },
}


# Known bugs ---------------------------------------------------------------------------------


def not_an_int(value):
    try:
        int(str(value))
    except ValueError:
        return True
    return False


@dataclass(frozen=True)
class Bug:
    reason: str
    routes: dict  # route -> the users who meet the bug there
    matches: object  # (hit) -> whether this request shows the bug
    databases: tuple = ("sqlite", "postgresql")


ADMIN_USERS = ("staff", "other_staff", "curator")
CURATED_APPS = ("cities", "networks", "solutions", "taggit")  # the Curators group's apps


def changelists_with_actions():
    """Changelists whose actions someone can use: curators in their apps, staff on solutions."""
    routes = {
        changelist_route(model): ("curator",)
        for model in admin.site._registry
        if model._meta.app_label in CURATED_APPS
    }
    routes[changelist_route(Solution)] = ADMIN_USERS
    return routes


def add_route(model):
    return changelist_route(model) + "add/"


# A bug the sweep finds goes here (the sweep then skips the requests that show it) with a
# test_known_bug_* test marked xfail(strict=True), until it is fixed; the test_once_a_bug_*
# tests are those fixed, kept as they were.
KNOWN_BUGS = {}  # none left: each one the sweep found is fixed (core.admin_site and others)


def known_bug(hit, who):
    for bug_id, bug in KNOWN_BUGS.items():
        if (
            who in bug.routes.get(hit.route, ())
            and connection.vendor in bug.databases
            and bug.matches(hit)
        ):
            return bug_id
    return None


# The sweep ----------------------------------------------------------------------------------


def send(client, hit):
    if hit.method == "post":
        response = client.post(hit.path, hit.data or {})
    else:
        response = client.get(hit.path)
    if response.streaming:
        response.body = b"".join(response.streaming_content)
    else:
        response.body = response.content
    return response


def resolved_route(path):
    """The route Django resolves the path to, decoded as the test client decodes it."""
    try:
        return resolve(unquote(path.split("?")[0])).route
    except (Resolver404, ValueError):
        return None


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("group", sorted(GROUPS))
def test_every_url_pattern_survives_hostile_requests(world, who, group, settings):
    settings.SUBMISSION_RATE = "100000/h"  # every post reaches the form, none is rate-limited
    client, csrf_client = client_for(world, who), client_for(world, who, csrf=True)
    before = snapshot()
    failures, exercised = [], set()
    for route in sorted(GROUPS[group]):
        for hit in route_hits(route, world, who):
            if known_bug(hit, who):
                continue  # shown by its test_known_bug_* test
            response = send(csrf_client if hit.csrf else client, hit)
            exercised.add(resolved_route(hit.path))
            problems = []
            if response.status_code >= 500:
                problems.append(f"status {response.status_code}")
            expected = (403,) if hit.csrf else hit.expect
            if expected and response.status_code not in expected:
                problems.append(f"status {response.status_code}, expected {expected}")
            location = response.get("Location", "")
            if who == "anonymous" and not hit.csrf:
                login = login_page_for_anonymous(resolved_route(hit.path) or "")
                if login and not (
                    response.status_code == 302 and location.startswith(f"{login}?next=")
                ):
                    problems.append(f"not sent to {login} ({response.status_code} {location})")
            if urlsplit(location).netloc not in ("", "testserver") or (
                urlsplit(location).scheme not in ("", "http", "https")
            ):
                problems.append(f"sent off the site, to {location[:100]}")
            if response.get("Content-Type", "").startswith("text/html") and (
                SCRIPT.encode() in response.body
            ):
                problems.append("the script came back unescaped")
            after = snapshot()
            if after != before:
                problems.append(f"data changed: {changed(before, after)}")
                before = after  # report each change once
            if problems:
                failures.append(f"{hit} -> {'; '.join(problems)}")
    assert not failures, f"{len(failures)} failures as {who}:\n" + "\n".join(failures)
    assert GROUPS[group] <= exercised, f"not reached: {GROUPS[group] - exercised}"


# The sweep's own coverage ------------------------------------------------------------------


def test_every_url_pattern_says_what_its_view_reads():
    """Each pattern is in one list of what its view reads (its query string, posts), so that
    the sweep sends it what it reads; a list naming a pattern that no longer exists is stale."""
    for readers in (
        SITE_PAGES_READING_QUERIES,
        LOGIN_PAGES,
        READING_NO_QUERY_STRING,
        SITE_PAGES_TAKING_POSTS,
        ADMIN_PAGES_TAKING_POSTS,
        TAKING_NO_POSTS,
        LOGIN_REDIRECT_SAMPLES,
        SITE_PAGES_BEHIND_LOGIN,
        ADMIN_PAGES_WITHOUT_LOGIN,
    ):
        assert readers <= ROUTES, readers - ROUTES
    assert not READING_NO_QUERY_STRING & (SITE_PAGES_READING_QUERIES | LOGIN_PAGES)
    assert not TAKING_NO_POSTS & (SITE_PAGES_TAKING_POSTS | ADMIN_PAGES_TAKING_POSTS)
    for route in ROUTES:
        queries_for(route, "staff")  # a KeyError names a pattern in no list
        takes_posts(route)


def test_every_url_pattern_is_swept_or_excused():
    swept = set().union(*GROUPS.values())
    assert ROUTES - swept - set(NOT_SWEPT) == set()
    assert set(NOT_SWEPT) <= ROUTES, "an excuse for a URL pattern that no longer exists"
    twice = {route for route, n in Counter(route for route, _ in ALL_ROUTES).items() if n > 1}
    assert twice == set(SHADOWED_ROUTES)


def test_the_sweep_reaches_every_url_pattern(world):
    """Built, not sent: each pattern is reached by a request of the sweep, as every user."""
    for who in USERS:
        reached = {resolved_route(hit.path) for r in ROUTES for hit in route_hits(r, world, who)}
        assert ROUTES - set(NOT_SWEPT) - reached == set(), who


def test_the_snapshot_sees_every_change_the_sweep_looks_for(world):
    """The sweep's oracle: a change in any watched field or count shows in the snapshot."""
    User = get_user_model()
    changes = {
        "Solution": lambda: Solution.objects.filter(pk=world.draft.pk).update(status="in_review"),
        "Partner": lambda: Partner.objects.filter(pk=world.partner.pk).update(name="Renamed"),
        "User": lambda: User.objects.filter(pk=world.users["staff"].pk).update(password="x"),
        "count of Tag": lambda: Tag.objects.create(name="new", slug="new"),
        "count of Version": lambda: Version.objects.filter(pk=world.version_ids[0]).delete(),
    }
    for label, change in changes.items():
        before = snapshot()
        change()
        assert label in changed(before, snapshot())


@pytest.mark.parametrize("who", ["staff", "other_staff"])
@pytest.mark.parametrize("edit", [False, True], ids=["create", "edit"])
def test_the_unspoiled_case_study_form_is_valid(world, who, edit):
    """So each attack is refused for its own hostile part (checked without saving)."""
    user = world.users[who]
    network = world.home if who == "staff" else world.elsewhere
    solution = world.draft if edit else Solution(author=user)
    if edit and who == "other_staff":
        solution = world.elsewhere_draft
    data = case_study_form(world, network, solution if edit else None)
    form = SolutionForm(data, instance=solution, user=user)
    formsets = [
        formset(data, instance=solution, prefix=prefix)
        for prefix, formset in RELATED_FORMSETS.items()
    ]
    assert form.is_valid(), form.errors
    assert all(f.is_valid() for f in formsets)


@pytest.mark.parametrize("delete", [False, True], ids=["change", "delete"])
def test_a_row_of_another_case_study_is_never_changed_through_the_form(world, delete):
    """Its id in this case study's partner rows: Django ignores the row, and it stays as it
    was. (The form is otherwise valid, so the case study itself may be saved.)"""
    data = case_study_form(world, world.home, world.draft)
    data.update(
        {
            "partners-TOTAL_FORMS": "1",
            "partners-INITIAL_FORMS": "1",
            "partners-0-id": str(world.elsewhere_partner.pk),
            "partners-0-name": "Hijacked",
            "partners-0-sector": "business",
            **({"partners-0-DELETE": "on"} if delete else {}),
        }
    )
    before = snapshot()

    response = client_for(world, "staff").post(f"/submit/{world.draft.slug}/", data)

    assert response.status_code == 302  # saved, without that row
    assert response["Location"] == f"/submit/{world.draft.slug}/"
    assert {"Partner", "count of Partner"}.isdisjoint(changed(before, snapshot()))
    assert Partner.objects.get(pk=world.elsewhere_partner.pk).name == "Elsewhere partner"


# The bugs the sweep found ---------------------------------------------------------------------

VENDOR = "postgresql" if IS_POSTGRES else "sqlite"


def known_bug_mark(bug_id):
    bug = KNOWN_BUGS[bug_id]
    return pytest.mark.xfail(
        VENDOR in bug.databases, reason=bug.reason, strict=True, raises=AssertionError
    )


def no_params(world):
    return {}


def get(route, params, query=""):
    return lambda world: Hit("known bug", route, params(world), query=query)


def post(route, params, data):
    return lambda world: Hit("known bug", route, params(world), method="post", data=data(world))


def form(route, attack, params=lambda world: {}, solution=None):
    """A case-study form post by network staff, spoiled by one attack of form_attacks()."""

    def build(world):
        on = getattr(world, solution) if solution else None
        attacks = form_attacks(world, "staff")
        return form_post(world, "staff", route, params(world), attack, attacks[attack], on)

    return build


def edit_form(attack):
    """The same, on the edit page of the network's draft."""
    return form("submit/<slug:slug>/", attack, lambda world: {"slug": world.draft.slug}, "draft")


def refused_without_harm(world, who, build, *, status=None, says=(), location=None, message=None):
    """The request changes nothing and is answered with `status`, its page saying `says` (or
    its redirect going to `location` with the message `message`); for a known bug, whose fix
    may answer in more than one way, anything but a 500."""
    hit = build(world)
    client = client_for(world, who)
    before = snapshot()

    response = send(client, hit)

    if status is None:
        assert response.status_code < 500
    else:
        assert response.status_code == status
    for text in says:
        assert text in response.body.decode()
    if location is not None:
        assert response["Location"] == location
    if message is not None:
        assert [str(m) for m in get_messages(response.wsgi_request)] == [message]
    assert snapshot() == before


NO_ITEMS = "Items must be selected in order to perform actions on them. No items have been changed."


NOTHING_SAVED = "Nothing was saved: please correct the problems marked below."


ADMIN_SOLUTION = "admin/solutions/solution/"


@pytest.mark.parametrize(
    "who, build",
    [
        ("staff", get(SOLUTION_TRANSITION, lambda w: {"object_id": "abc", "name": "submit"})),
        ("other_staff", get(COMPARE, lambda w: {"object_id": "1.5"})),
        ("curator", get(QUEUE_TRANSITION, lambda w: {"object_id": "..", "name": "publish"})),
        ("curator", get(REVISION, lambda w: {"object_id": "abc", "version_id": w.version_ids[0]})),
    ],
    ids=["transition", "compare", "review-queue-transition", "revision"],
)
def test_admin_views_refuse_a_non_numeric_object_id(world, who, build):
    refused_without_harm(world, who, build, status=404)


def action(model, name, ids):
    route = changelist_route(model)
    return post(route, lambda w: {}, lambda w: {"action": name, "_selected_action": ids})


@pytest.mark.parametrize(
    "who, build",
    [
        ("curator", action(Theme, "delete_selected", ["abc"])),
        ("staff", action(Solution, "transition_submit", ["1.5"])),
        ("curator", action(ReviewQueueItem, "transition_publish", ["x"])),
    ],
    ids=["theme-delete", "solution-submit", "review-queue-publish"],
)
def test_once_a_bug_changelist_action_with_non_numeric_ids(world, who, build):
    back = "/" + build(world).route
    refused_without_harm(world, who, build, status=302, location=back, message=NO_ITEMS)


@pytest.mark.parametrize(
    "who, build",
    [
        ("curator", action(City, "delete_selected", [BIG])),
        ("staff", action(Solution, "transition_submit", [BIG])),
    ],
    ids=["city-delete", "solution-submit"],
)
def test_once_a_bug_changelist_action_with_id_2_to_the_63(world, who, build):
    back = "/" + build(world).route
    refused_without_harm(world, who, build, status=302, location=back, message=NO_ITEMS)


@pytest.mark.parametrize(
    "who, build",
    [
        ("curator", get(changelist_route(Membership) + "add/", no_params, "network=nope")),
        ("staff", get(ADMIN_SOLUTION + "add/", no_params, "city=%00")),
        ("curator", get(changelist_route(Transfer) + "add/", no_params, "network=nope")),
    ],
    ids=["membership", "solution", "transfer"],
)
def test_once_a_bug_add_page_with_a_bad_autocomplete_value(world, who, build):
    """The add form, without the unusable value."""
    refused_without_harm(world, who, build, status=200, says=["<h1>Add "])


@pytest.mark.parametrize(
    "who, build",
    [
        ("staff", get(ADMIN_SOLUTION, no_params, "published_at__year=99999999999999999999")),
        ("curator", get(ADMIN_SOLUTION, no_params, "published_at__year=9999")),
        (
            "curator",
            get(ADMIN_SOLUTION, no_params, "published_at__year=9999&published_at__month=12"),
        ),
        (
            "curator",
            get(
                changelist_route(ReviewQueueItem),
                no_params,
                "published_at__year=99999999999999999999",
            ),
        ),
    ],
    ids=["solutions-huge-year", "solutions-9999", "solutions-9999-12", "review-queue"],
)
def test_once_a_bug_changelist_with_an_impossible_year(world, who, build):
    """The admin's answer to a lookup it cannot make: the list again, with ?e=1."""
    changelist = "/" + build(world).route
    refused_without_harm(world, who, build, status=302, location=f"{changelist}?e=1")


def test_once_a_bug_merge_tags_without_a_selection(world):
    build = post(MERGE_TAGS, no_params, lambda w: {"new_tag_name": "merged"})
    message = "Choose the tags to merge in the list first."
    refused_without_harm(
        world, "curator", build, status=302, location="/admin/taggit/tag/", message=message
    )
    refused_without_harm(world, "staff", build, status=403)  # no permission on tags


def test_once_a_bug_merge_tags_page_is_open_to_network_staff(world):
    response = client_for(world, "staff").get("/" + MERGE_TAGS)

    assert response.status_code == 403


@pytest.mark.parametrize(
    "build",
    [form("submit/", "themes-2**63"), edit_form("sdgs-2**63")],
    ids=["create-themes", "edit-sdgs"],
)
def test_once_a_bug_case_study_form_with_an_id_of_2_to_the_63(world, build):
    says = [NOTHING_SAVED, f"“{BIG}” is not a valid value."]
    refused_without_harm(world, "staff", build, status=200, says=says)


def test_case_study_form_refuses_a_10000_character_tag(world):
    says = [NOTHING_SAVED, "A tag can be at most 100 characters"]
    refused_without_harm(world, "staff", form("submit/", "tags-10k"), status=200, says=says)


@pytest.mark.parametrize(
    "build",
    [
        form("submit/", "measurements-infinite"),
        edit_form("measurements-400-nines"),
    ],
    ids=["create-1e999", "edit-400-nines"],
)
def test_case_study_form_refuses_an_infinite_measurement(world, build):
    says = [NOTHING_SAVED, "is too large a number"]
    refused_without_harm(world, "staff", build, status=200, says=says)


def test_case_study_form_refuses_a_nul_in_the_city(world):
    refused_without_harm(
        world, "staff", form("submit/", "city-nul"), status=200, says=[NOTHING_SAVED]
    )


def test_once_a_bug_solution_history_with_a_nul_object_id(world):
    route = "admin/solutions/solution/<path:object_id>/history/"
    refused_without_harm(world, "staff", get(route, lambda w: {"object_id": "\x00"}), status=404)


def test_once_a_bug_autocomplete_with_a_nul_term(world):
    build = get("admin/autocomplete/", no_params, AUTOCOMPLETE_QUERIES["term-nul"])
    refused_without_harm(world, "staff", build, status=200, says=['"text": "Nairobi, Kenya"'])


@pytest.mark.parametrize(
    "route, message",
    [
        ("accounts/login/", "Please enter a correct username and password"),
        ("admin/login/", "Please enter the correct username and password for a staff account"),
    ],
)
def test_a_login_with_a_100000_character_username_is_a_wrong_login(world, route, message):
    """Once a 500 on PostgreSQL (django-axes recorded the failure in a varchar(255))."""
    data = {"username": "u" * 100_000, "password": "x"}
    build = post(route, no_params, lambda w: data)
    refused_without_harm(world, "anonymous", build, status=200, says=[message])


def test_every_known_bug_has_its_test():
    tested = {
        mark.kwargs["reason"]
        for function in globals().values()
        if callable(function) and getattr(function, "__name__", "").startswith("test_known_bug_")
        for mark in getattr(function, "pytestmark", [])
        if mark.name == "xfail"
    }
    assert {bug.reason for bug in KNOWN_BUGS.values()} == tested
