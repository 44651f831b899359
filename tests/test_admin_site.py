"""The admin site as a whole: who may enter, Django's own user and group pages, that every
model the project registers has its pages tested by its app (tests/<app>/test_admin.py), the
project's styles on every page and the panels of the home page."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import format_html

from core.admin_site import ExchangeAdminSite
from tests.cities import test_admin as cities_admin
from tests.networks import test_admin as networks_admin
from tests.solutions import test_admin as solutions_admin
from tests.support.admin_pages import (
    admin_url,
    assert_add_page,
    assert_change_page_queries,
    assert_changelist_queries,
    by_model,
    registered_models,
)
from tests.support.factories import make_user

pytestmark = pytest.mark.django_db

# Exact queries on a cold cache, the same with 3 rows of every kind as with 60.
CHANGELIST_QUERIES = {Group: 5, User: 6}
CHANGE_PAGE_QUERIES = {Group: 5, User: 7}


def test_every_model_the_project_registers_has_its_admin_pages_tested():
    from solutions.models import ReviewQueueItem  # tested in workflow/test_review_admin.py

    pinned = [
        *CHANGELIST_QUERIES,
        *cities_admin.CHANGELIST_QUERIES,
        *networks_admin.CHANGELIST_QUERIES,
        *solutions_admin.CHANGELIST_QUERIES,
        ReviewQueueItem,
    ]
    own = registered_models("auth", "cities", "networks", "solutions", "taggit")
    assert sorted(pinned, key=lambda model: model._meta.label) == own


@pytest.mark.parametrize("model, queries", by_model(CHANGELIST_QUERIES))
def test_changelist_runs_the_same_exact_queries_for_3_rows_and_for_60(
    admin_client, django_assert_num_queries, model, queries
):
    assert_changelist_queries(admin_client, model, django_assert_num_queries, queries)


@pytest.mark.parametrize("model, queries", by_model(CHANGE_PAGE_QUERIES))
def test_change_page_runs_the_same_exact_queries_for_3_rows_and_for_60(
    admin_client, django_assert_num_queries, model, queries
):
    assert_change_page_queries(admin_client, model, django_assert_num_queries, queries)


@pytest.mark.parametrize("model", [Group, User], ids=lambda model: model._meta.label)
def test_add_page_answers_for_a_superuser(admin_client, model):
    assert_add_page(admin_client, model)


def test_admin_is_refused_to_anonymous_and_non_staff_users(client):
    url = admin_url(User, "changelist")
    login = f"/admin/login/?next={url}"

    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, login)

    client.force_login(make_user(username="visitor"))
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, login)


def test_every_admin_page_has_the_projects_admin_styles_and_no_sidebar_of_models(admin_client):
    """The list of every model beside each page took the lists' columns at 1280 px."""
    for url in [reverse("admin:index"), admin_url(Group, "changelist"), admin_url(User, "add")]:
        response = admin_client.get(url)

        assert '<link rel="stylesheet" href="/static/css/admin-extra.css">' in response.text
        assert 'id="nav-sidebar"' not in response.text


def test_the_home_page_shows_the_panels_apps_add_above_the_models(admin_client):
    site = ExchangeAdminSite(name="panels_test")
    site.add_index_panel(lambda request: format_html("<p>Panel for {}</p>", request.user))
    site.add_index_panel(lambda request: None)  # a panel with nothing to show adds nothing
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(username="root")

    response = site.index(request)
    response.render()

    assert response.context_data["index_panels"] == ["<p>Panel for root</p>"]
    text = response.content.decode()
    assert text.index("<p>Panel for root</p>") < text.index('class="app-list"')
