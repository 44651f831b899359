"""Network staff with admin access never see another network's unpublished case study, through
any page of any model the admin registers: its list, search, change page, history or
autocomplete. Every row of the hidden case study carries the marker "HIDDEN", and no page the
staff member can open may show it."""

import pytest
import reversion
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from solutions.models import SolutionImage, SourceLink, Status, WorkflowEvent
from tests.support.factories import (
    make_indicator,
    make_network,
    make_partner,
    make_solution,
    make_staff,
    make_transfer,
    make_user,
)

pytestmark = pytest.mark.django_db
MARKER = "HIDDEN"


@pytest.fixture
def hidden(db):
    theirs = make_network(name="Their network")
    solution = make_solution(title=f"{MARKER} draft title", network=theirs, status=Status.IN_REVIEW)
    with reversion.create_revision():
        solution.save()
    rows = [
        solution,
        make_partner(solution, name=f"{MARKER} partner", sector="business"),
        SourceLink.objects.create(solution=solution, title=f"{MARKER} source", url="https://x.org"),
        make_indicator(solution, name=f"{MARKER} indicator", measurements=[(2020, 1)]),
        SolutionImage.objects.create(solution=solution, image="x.png", alt_text=f"{MARKER} alt"),
        make_transfer(solution, adaptations=f"{MARKER} adaptation"),
        WorkflowEvent.objects.create(
            solution=solution, from_status="draft", to_status="in_review", comment=f"{MARKER}"
        ),
    ]
    rows.append(rows[3].measurements.get())
    return rows


@pytest.fixture
def staff_client(client, db):
    ours = make_network(name="Our network")
    make_solution(title="Our own published case", network=ours)
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name="Network staff"))
    make_staff(ours, user=user)
    client.force_login(user)
    return client


def admin_url(model, name, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args)


def pages_of_every_registered_model(rows):
    for model in admin.site._registry:
        yield admin_url(model, "changelist")
        yield admin_url(model, "changelist") + f"?q={MARKER[:4]}"  # finds it; echoes only this
    for row in rows:
        for name in ["change", "history", "delete"]:
            try:
                yield admin_url(type(row), name, row.pk)
            except NoReverseMatch:
                continue


def test_no_admin_page_shows_another_networks_unpublished_work(staff_client, hidden):
    seen = []
    for url in pages_of_every_registered_model(hidden):
        response = staff_client.get(url, follow=True)
        assert response.status_code < 500, url
        if MARKER in response.content.decode():
            seen.append(url)

    assert seen == []


def test_nor_does_the_autocomplete(staff_client, hidden):
    for model, field in [("transfer", "solution"), ("indicator", "solution")]:
        response = staff_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "solutions",
                "model_name": model,
                "field_name": field,
                "term": MARKER[:4],
            },
        )
        assert MARKER not in response.content.decode()


def test_the_check_sees_what_a_curator_may_see(client, hidden):
    """The control: the same pages show the marker to a curator, so its absence means
    something."""
    curator = make_user(is_staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))
    client.force_login(curator)

    shown = [
        url
        for url in pages_of_every_registered_model(hidden)
        if MARKER in client.get(url, follow=True).content.decode()
    ]

    assert len(shown) >= len(hidden)
