"""The workflow module: each transition, its event, its emails and its timestamps."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from reversion.models import Version

from solutions.models import Status, WorkflowEvent
from solutions.workflow.transitions import (
    TRANSITIONS,
    CommentRequired,
    Incomplete,
    NotPermitted,
    TransitionNotAllowed,
    available_transitions,
    transition,
)
from tests.support.factories import make_network, make_solution, make_staff, make_theme, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    network = make_network()
    author = make_user(username="author", email="author@example.org")
    make_staff(network, user=author)
    colleague = make_user(username="colleague", email="colleague@example.org")
    make_staff(network, user=colleague)
    curator = make_user(username="curator", email="curator@example.org")
    curator.groups.add(Group.objects.get(name="Curators"))
    second_curator = make_user(username="curator2", email="curator2@example.org")
    second_curator.groups.add(Group.objects.get(name="Curators"))
    outsider = make_user(username="outsider", email="outsider@example.org")
    make_staff(make_network(), user=outsider)
    return {
        "network": network,
        "author": author,
        "colleague": colleague,
        "curator": curator,
        "outsider": outsider,
    }


def solution_in(status, people, **overrides):
    fields = {"status": status, "network": people["network"], "author": people["author"]}
    if status in (Status.PUBLISHED, Status.ARCHIVED):
        fields["published_at"] = timezone.now() - timedelta(days=30)
    fields.update(overrides)
    return make_solution(themes=[make_theme()], **fields)


DRAFT, REVIEW, CHANGES = Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED
PUBLISHED, ARCHIVED = Status.PUBLISHED, Status.ARCHIVED
CURATORS = ["curator", "curator2"]  # the acting curator is not emailed about their own step

# (name, from, to, actor, comment, who gets an email)
STEPS = [
    ("submit", DRAFT, REVIEW, "author", "", CURATORS),
    ("resubmit", CHANGES, REVIEW, "colleague", "", CURATORS),
    ("request_changes", REVIEW, CHANGES, "curator", "Add results.", ["author"]),
    ("publish", REVIEW, PUBLISHED, "curator", "", ["author"]),
    ("archive", PUBLISHED, ARCHIVED, "curator", "Programme ended.", ["author"]),
    ("republish", ARCHIVED, PUBLISHED, "curator", "", ["author"]),
]


def test_the_table_is_the_design_table():
    assert {(t.source, t.target) for t in TRANSITIONS} == {(s[1], s[2]) for s in STEPS}
    assert {t.name for t in TRANSITIONS if t.comment_required} == {"request_changes", "archive"}


@pytest.mark.parametrize("name, source, target, actor, comment, emailed", STEPS)
def test_each_transition_writes_one_event_and_emails_after_commit(
    people, django_capture_on_commit_callbacks, name, source, target, actor, comment, emailed
):
    solution = solution_in(source, people)
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = transition(solution, user=people[actor], name=name, comment=comment)
        assert mail.outbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()

    solution.refresh_from_db()
    assert solution.status == target
    assert list(solution.events.values_list("from_status", "to_status", "comment")) == [
        (source, target, comment)
    ]
    assert event.actor == people[actor]
    assert event.created_at >= before
    assert solution.updated_at >= before
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(f"{username}@example.org" for username in emailed)
    if comment:
        assert comment in mail.outbox[0].body


def test_publishing_sets_the_publication_date_and_republishing_keeps_it(people):
    solution = solution_in(Status.IN_REVIEW, people)
    transition(solution, user=people["curator"], name="publish")
    first_published = solution.published_at
    assert first_published is not None and first_published <= timezone.now()

    transition(solution, user=people["curator"], name="archive", comment="Old.")
    transition(solution, user=people["curator"], name="republish")

    solution.refresh_from_db()
    assert solution.published_at == first_published


@pytest.mark.parametrize(
    "status, name, actor, comment, error",
    [
        (Status.DRAFT, "publish", "curator", "", TransitionNotAllowed),
        (Status.PUBLISHED, "submit", "author", "", TransitionNotAllowed),
        (Status.DRAFT, "submit", "outsider", "", NotPermitted),
        (Status.DRAFT, "submit", "curator", "", NotPermitted),
        (Status.IN_REVIEW, "publish", "author", "", NotPermitted),
        (Status.IN_REVIEW, "request_changes", "curator", "   ", CommentRequired),
        (Status.PUBLISHED, "archive", "curator", "", CommentRequired),
        (Status.IN_REVIEW, "fly_away", "curator", "", TransitionNotAllowed),
    ],
)
def test_a_refused_transition_changes_nothing_and_sends_nothing(
    people, django_capture_on_commit_callbacks, status, name, actor, comment, error
):
    solution = solution_in(status, people)
    updated_at = solution.updated_at

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(error):
        transition(solution, user=people[actor], name=name, comment=comment)

    solution.refresh_from_db()
    assert solution.status == status
    assert solution.updated_at == updated_at
    assert WorkflowEvent.objects.count() == 0
    assert mail.outbox == []


def test_submitting_an_incomplete_case_study_lists_what_is_missing(people):
    solution = make_solution(
        status=Status.DRAFT, network=people["network"], summary="", approach=" "
    )

    with pytest.raises(Incomplete) as error:
        transition(solution, user=people["author"], name="submit")

    assert error.value.missing == ["a summary", "the approach", "at least one theme"]
    assert "Still missing: a summary; the approach; at least one theme." in str(error.value)
    solution.refresh_from_db()
    assert solution.status == Status.DRAFT


def test_available_transitions_depend_on_status_and_person(people):
    in_review = solution_in(Status.IN_REVIEW, people)
    draft = solution_in(Status.DRAFT, people)

    assert [t.name for t in available_transitions(in_review, people["curator"])] == [
        "request_changes",
        "publish",
    ]
    assert available_transitions(in_review, people["author"]) == []
    assert [t.name for t in available_transitions(draft, people["colleague"])] == ["submit"]
    assert available_transitions(draft, people["outsider"]) == []


def test_every_transition_is_kept_in_the_history(people):
    solution = solution_in(Status.DRAFT, people)

    transition(solution, user=people["author"], name="submit")
    transition(solution, user=people["curator"], name="publish")

    comments = [v.revision.comment for v in Version.objects.get_for_object(solution)]
    assert comments == ["Publish", "Submit for review"]
