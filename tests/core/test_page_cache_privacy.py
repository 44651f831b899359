"""The visitors' page cache never keeps, nor hands out, a page made for one person.

A cached page is served to everyone who asks for the address, so: a request carrying any
cookie the site sets (session, CSRF token, flash messages, language) is neither answered from
the cache nor stored in it, and gets no shared ETag; and no page is stored (or given an ETag)
that sets a cookie, says it is private, varies on the cookies of the request, holds a CSRF
token or a CSP nonce, changed a session, or shows flash messages.
"""

import itertools

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import include, path, reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.vary import vary_on_cookie

from core.caching import conditional_for_visitors
from solutions.models import Solution
from tests.support.factories import make_solution

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

FLASH = "Your draft of Flood parks was saved."


def messages_cookie(*texts):
    """A signed messages cookie, as the site sets one after a save (Django's cookie storage)."""
    storage = CookieStorage(RequestFactory().get("/"))
    for text in texts:
        storage.add(constants.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies[CookieStorage.cookie_name].value


# Every cookie the site sets, with a value it could carry. The messages cookie is the one
# Django's default (fallback) message storage writes before falling back to the session.
SITE_COOKIES = {
    settings.SESSION_COOKIE_NAME: lambda: "abcdefghijklmnopqrstuvwxyz012345",
    settings.CSRF_COOKIE_NAME: lambda: "A" * 32,
    CookieStorage.cookie_name: lambda: messages_cookie(FLASH),
    settings.LANGUAGE_COOKIE_NAME: lambda: "en",
}


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_FOR_VISITORS = True


def carrying(name):
    person = Client()
    person.cookies[name] = SITE_COOKIES[name]()
    return person


def rename_behind_the_cache(solution, title):
    """A change that sends no signal, so the content version (and every cached page) stays."""
    Solution.objects.filter(pk=solution.pk).update(title=title)


# The site's own pages.


@pytest.mark.parametrize("name", sorted(SITE_COOKIES))
def test_someone_carrying_a_site_cookie_is_not_served_the_cached_page(page_cache, name):
    solution = make_solution(title="Flood parks")
    url = solution.get_absolute_url()
    etag = Client().get(url)["ETag"]  # a plain visitor fills the cache
    rename_behind_the_cache(solution, "Flood resilience parks")
    assert "Flood parks" in Client().get(url).text  # the next plain visitor: from the cache

    response = carrying(name).get(url, headers={"If-None-Match": etag})

    assert response.status_code == 200  # not a 304 on the visitors' ETag
    assert "Flood resilience parks" in response.text
    assert not response.has_header("ETag")


@pytest.mark.parametrize("name", sorted(SITE_COOKIES))
def test_a_page_made_for_someone_carrying_a_site_cookie_is_not_stored(page_cache, name):
    solution = make_solution(title="Flood parks")
    url = solution.get_absolute_url()
    assert "Flood parks" in carrying(name).get(url).text

    rename_behind_the_cache(solution, "Flood resilience parks")

    assert "Flood resilience parks" in Client().get(url).text  # made afresh: nothing stored


def test_a_flash_message_is_shown_to_its_reader_and_to_no_one_else(page_cache):
    make_solution(title="Flood parks")
    home = reverse("solutions:home")
    etag = Client().get(home)["ETag"]

    reader = carrying(CookieStorage.cookie_name)
    mine = reader.get(home, headers={"If-None-Match": etag})
    assert mine.status_code == 200
    assert FLASH in mine.text  # not a 304 that would hide it
    assert not mine.has_header("ETag")  # nor an ETag that would show it again
    assert FLASH not in reader.get(home).text  # read once, then gone

    for visitor in [Client(), Client()]:
        response = visitor.get(home)
        assert response.status_code == 200
        assert FLASH not in response.text
        assert "Flood parks" in response.text


# Pages that are personal whoever asks: views made for the test, behind the site's middleware.

renders = itertools.count(1)
MESSAGES = engines["django"].from_string(
    "{% for message in messages %}<p>{{ message }}</p>{% endfor %}"
)
NONCE = engines["django"].from_string('<script nonce="{{ csp_nonce }}"></script>')


def page(extra=""):
    return HttpResponse(f"<p>render {next(renders)}</p>{extra}")


@conditional_for_visitors
def plain_view(request):
    return page()


@conditional_for_visitors
def sets_a_cookie(request):
    response = page()
    response.set_cookie("seen-intro", "1")
    return response


@conditional_for_visitors
@cache_control(private=True)
def private(request):
    return page()


@conditional_for_visitors
@never_cache
def never_cached(request):
    return page()


@conditional_for_visitors
def csrf_form(request):
    # The token is bound to the cookie the CSRF middleware sets on the way out.
    return page(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


@conditional_for_visitors
def changes_the_session(request):
    request.session["last-seen"] = "flood-parks"
    return page()


@conditional_for_visitors
def csp_nonce(request):
    return page(NONCE.render({}, request))


@conditional_for_visitors
def flash_message(request):
    messages.success(request, FLASH)
    return page(MESSAGES.render({}, request))


@conditional_for_visitors
@vary_on_cookie
def varies_on_cookies(request):
    return page()


PERSONAL = {
    "sets-a-cookie": sets_a_cookie,
    "private": private,
    "never-cached": never_cached,
    "csrf-form": csrf_form,
    "changes-the-session": changes_the_session,
    "csp-nonce": csp_nonce,
    "flash-message": flash_message,
}

urlpatterns = [
    path("test/plain/", plain_view, name="plain"),
    path("test/varies/", varies_on_cookies, name="varies"),
    *[path(f"test/{name}/", view, name=name) for name, view in PERSONAL.items()],
    path("", include("config.urls")),
]


def test_the_control_a_plain_page_is_stored_and_served_with_an_etag(page_cache):
    first = Client().get(reverse("plain"))
    second = Client().get(reverse("plain"))
    assert second.content == first.content
    assert first.has_header("ETag")


@pytest.mark.parametrize("name", sorted(PERSONAL))
def test_a_personal_page_is_never_stored_nor_given_an_etag(page_cache, name):
    first = Client().get(reverse(name))
    second = Client().get(reverse(name))

    assert first.status_code == second.status_code == 200
    assert second.content != first.content  # made again for the second visitor
    assert not first.has_header("ETag")


def test_the_flash_message_reaches_only_the_visitor_it_was_made_for(page_cache):
    assert FLASH in Client().get(reverse("flash-message")).text
    assert FLASH in Client().get(reverse("flash-message")).text  # made again, not a copy


def test_a_page_that_varies_on_cookies_is_not_stored_for_someone_carrying_one(page_cache):
    visitor = Client()
    visitor.cookies["_pk_id"] = "an-analytics-cookie"  # not the site's own
    first = visitor.get(reverse("varies"))
    assert visitor.get(reverse("varies")).content != first.content

    plain = Client().get(reverse("varies"))  # without cookies the page is everyone's
    assert Client().get(reverse("varies")).content == plain.content


def test_a_head_request_never_stores_an_empty_page(page_cache):
    assert Client().head(reverse("plain")).status_code == 200
    assert Client().get(reverse("plain")).content.startswith(b"<p>render ")
    stored = Client().get(reverse("plain")).content
    assert Client().head(reverse("plain")).status_code == 200
    assert Client().get(reverse("plain")).content == stored  # a HEAD may read the cache
