"""Cached counts and figures follow every change; visitors' pages answer conditional requests."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pytest_django.asserts import assertContains

from solutions.models import Status
from solutions.workflow.transitions import transition
from tests.support.asserts import assert_not_found
from tests.support.factories import make_solution, make_staff, make_theme, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(db):
    user = make_user(username="curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


def figure(client, label):
    figures = client.get(reverse("solutions:home")).context["figures"]
    return figures[label]


def theme_count(client, theme):
    response = client.get(reverse("solutions:list"))
    group = next(g for g in response.context["groups"] if g.name == "theme")
    return next(o.count for o in group.options if o.value == theme.slug)


def test_a_second_visit_reuses_the_cached_counts(client, django_assert_num_queries):
    theme = make_theme()
    make_solution(themes=[theme])
    url = reverse("solutions:list")
    client.get(url)  # the filter choices are cached now; not this state's facets and total
    # The page of rows and their themes; the total with the facets that have no value chosen
    # (theme, region, network: one query); the stage facet without the stage filter.
    with django_assert_num_queries(2 + 1 + 1):
        client.get(url + "?stage=implemented")
    # Only the page of rows and their themes: the counts and the total come from the cache.
    with django_assert_num_queries(2):
        response = client.get(url + "?stage=implemented")
    assert response.context["page_obj"].paginator.count == 1


def test_publishing_updates_the_cached_figures_and_facets(client, curator):
    theme = make_theme()
    make_solution(themes=[theme])
    waiting = make_solution(themes=[theme], status=Status.IN_REVIEW)
    assert figure(client, "solutions") == 1
    assert theme_count(client, theme) == 1

    transition(waiting, user=curator, name="publish")

    assert figure(client, "solutions") == 2
    assert theme_count(client, theme) == 2


def test_archiving_updates_them_too(client, curator):
    theme = make_theme()
    make_solution(themes=[theme])
    published = make_solution(themes=[theme])
    assert figure(client, "solutions") == 2

    transition(published, user=curator, name="archive", comment="Programme closed.")

    assert figure(client, "solutions") == 1
    assert theme_count(client, theme) == 1
    assert_not_found(client.get(published.get_absolute_url()), published.title)


def test_an_edit_updates_the_cached_choices_and_counts(client):
    water, housing = make_theme(name="Water"), make_theme(name="Housing")
    solution = make_solution(themes=[water], tags=["kiosks"])
    assert theme_count(client, housing) == 0

    solution.themes.set([housing])
    solution.tags.add("zoning")
    solution.title = "Renamed"
    solution.save()

    assert theme_count(client, housing) == 1
    tags = client.get(reverse("solutions:list")).context["filterset"].choices.tags
    assert ("zoning", "zoning") in tags


def test_a_visitor_gets_304_until_the_content_changes(client):
    solution = make_solution(title="Flood parks")
    for url in [
        reverse("solutions:home"),
        reverse("solutions:list") + "?q=flood",
        solution.get_absolute_url(),
        solution.city.get_absolute_url(),
        solution.network.get_absolute_url(),
        reverse("solutions:transfers"),
    ]:
        first = client.get(url)
        etag = first["ETag"]
        assert first.status_code == 200

        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304, url
        assert again.content == b""

    solution.title = "Flood resilience parks"
    solution.save()
    changed = client.get(solution.get_absolute_url(), headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Flood resilience parks" in changed.text


def test_different_addresses_have_different_etags(client):
    make_solution()
    home = client.get(reverse("solutions:home"))["ETag"]
    listing = client.get(reverse("solutions:list"))["ETag"]
    filtered = client.get(reverse("solutions:list") + "?region=africa")["ETag"]
    assert len({home, listing, filtered}) == 3


def test_logged_in_people_get_no_conditional_caching(client):
    solution = make_solution(status=Status.DRAFT)
    staff = make_user()
    make_staff(solution.network, user=staff)
    client.force_login(staff)

    response = client.get(solution.get_absolute_url())

    assert response.status_code == 200
    assert not response.has_header("ETag")
    assert "Preview" in response.text


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_FOR_VISITORS = True


def test_a_visitors_second_request_for_a_page_is_served_from_the_cache(
    client, page_cache, django_assert_num_queries
):
    make_solution(title="Flood parks")
    url = reverse("solutions:list") + "?q=flood"
    first = client.get(url)

    with django_assert_num_queries(0):
        second = client.get(url)

    assert second.content == first.content
    assert "Flood parks" in second.text


def test_the_cached_page_changes_when_the_content_does(client, page_cache):
    solution = make_solution(title="Flood parks")
    client.get(solution.get_absolute_url())

    solution.title = "Flood resilience parks"
    solution.save()

    assert "Flood resilience parks" in client.get(solution.get_absolute_url()).text


def test_people_with_a_session_are_never_served_a_cached_page(client, page_cache):
    solution = make_solution(status=Status.DRAFT)
    client.get(reverse("solutions:home"))  # a plain visitor fills the cache
    staff = make_user()
    make_staff(solution.network, user=staff)
    client.force_login(staff)

    response = client.get(reverse("solutions:home"))

    assert "My submissions" in response.text
    preview = client.get(solution.get_absolute_url())  # a preview, not a 404
    assertContains(preview, solution.title)
    assertContains(preview, 'class="status-banner" role="status"')
