"""Network staff with admin access see their own network's unpublished work and published work,
never another network's drafts: not in the transfer admin, not among deleted solutions."""

import pytest
import reversion
from django.contrib.auth.models import Group
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from solutions.models import Solution, Status
from tests.support.factories import (
    make_network,
    make_solution,
    make_staff,
    make_transfer,
    make_user,
)

pytestmark = pytest.mark.django_db


def admin_user(group):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def work(db):
    ours, theirs = make_network(name="Ours"), make_network(name="Theirs")
    staff = admin_user("Network staff")
    make_staff(ours, user=staff)
    rows = {
        "our draft": make_solution(title="Our draft", network=ours, status=Status.DRAFT),
        "their draft": make_solution(
            title="Their secret draft", network=theirs, status=Status.IN_REVIEW
        ),
        "their published": make_solution(title="Their public case", network=theirs),
    }
    transfers = {name: make_transfer(solution) for name, solution in rows.items()}
    return {"staff": staff, "curator": admin_user("Curators"), "transfers": transfers}


def test_staff_see_the_transfers_of_published_work_and_their_own_only(client, work):
    client.force_login(work["staff"])

    listed = client.get(reverse("admin:solutions_transfer_changelist"))
    searched = client.get(reverse("admin:solutions_transfer_changelist"), {"q": "secret"})

    assertContains(listed, "Our draft")
    assertContains(listed, "Their public case")
    assertNotContains(listed, "Their secret draft")
    assertNotContains(searched, "Their secret draft")
    assertContains(searched, '0 results (<a href="?">2 total</a>)')
    hidden = work["transfers"]["their draft"]
    change = client.get(reverse("admin:solutions_transfer_change", args=[hidden.pk]), follow=True)
    assertNotContains(change, "Their secret draft")
    assertContains(change, "doesn’t exist")


def test_curators_see_every_transfer(client, work):
    client.force_login(work["curator"])

    listed = client.get(reverse("admin:solutions_transfer_changelist"))

    for title in ["Our draft", "Their public case", "Their secret draft"]:
        assertContains(listed, title)


def deleted_draft(title):
    solution = make_solution(title=title, status=Status.DRAFT)
    with reversion.create_revision():
        solution.save()
    solution.delete()


def test_only_curators_see_the_titles_of_deleted_solutions(client, work):
    deleted_draft("A deleted secret")
    recover_list = reverse("admin:solutions_solution_recoverlist")

    client.force_login(work["staff"])
    refused = client.get(recover_list)
    changelist = client.get(reverse("admin:solutions_solution_changelist"))

    assert refused.status_code == 403
    assertNotContains(refused, "A deleted secret", status_code=403)
    assertNotContains(changelist, recover_list)

    client.force_login(work["curator"])
    assertContains(client.get(recover_list), "A deleted secret")
    assertContains(client.get(reverse("admin:solutions_solution_changelist")), recover_list)
    assert not Solution.objects.filter(title="A deleted secret").exists()
