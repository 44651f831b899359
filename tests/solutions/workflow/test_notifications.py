"""The emails each workflow step sends: to whom, what they say, and the page they link to."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from solutions.workflow.transitions import transition
from tests.support.factories import (
    make_city,
    make_network,
    make_solution,
    make_staff,
    make_theme,
    make_user,
)

pytestmark = pytest.mark.django_db
SITE = "https://solutions.example.org"


@pytest.fixture
def case_study(settings):
    settings.SITE_URL = SITE
    network = make_network(name="Mayors Innovation Project")
    author = make_user(username="ana", email="ana@example.org", first_name="Ana")
    make_staff(network, user=author)
    curator = make_user(username="cur", email="cur@example.org")
    curator.groups.add(Group.objects.get(name="Curators"))
    solution = make_solution(
        title='Kiosks & "taps"',
        slug="kiosks",
        network=network,
        city=make_city(),
        themes=[make_theme()],
        author=author,
        status="draft",
        published_at=None,
    )
    return solution, author, curator


def step(capture, solution, user, name, comment=""):
    mail.outbox.clear()
    with capture(execute=True):
        transition(solution, user=user, name=name, comment=comment)
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def test_each_step_mails_the_people_who_act_next_with_a_link_to_where_they_act(
    case_study, django_capture_on_commit_callbacks
):
    solution, author, curator = case_study
    capture = django_capture_on_commit_callbacks

    submitted = step(capture, solution, author, "submit")
    assert submitted.to == ["cur@example.org"]
    assert submitted.subject == '[Urban Solutions Exchange] Submitted for review: Kiosks & "taps"'
    assert '"Kiosks & "taps"" (Mayors Innovation Project) was submitted by Ana' in submitted.body
    assert f"{SITE}/admin/solutions/solution/{solution.pk}/change/" in submitted.body

    sent_back = step(capture, solution, curator, "request_changes", "Add a <photo> & costs")
    assert sent_back.to == ["ana@example.org"]
    assert sent_back.subject.startswith("[Urban Solutions Exchange] Changes requested:")
    assert "Add a <photo> & costs" in sent_back.body  # plain text: nothing escaped
    assert f"{SITE}/my/submissions/" in sent_back.body

    step(capture, solution, author, "resubmit")
    published = step(capture, solution, curator, "publish")
    assert published.to == ["ana@example.org"]
    assert f"Read it on the site: {SITE}/solutions/kiosks/" in published.body

    archived = step(capture, solution, curator, "archive", "Superseded by a newer case.")
    assert archived.subject.startswith("[Urban Solutions Exchange] Archived:")
    assert "Superseded by a newer case." in archived.body
    assert archived.body.rstrip().endswith("-- \nUrban Solutions Exchange")
