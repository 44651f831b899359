"""The curators' admin: review queue, workflow buttons and actions, edits, conflicts, history."""

import re
import warnings
from datetime import timedelta

import pytest
import reversion
from django.contrib.auth.models import Group
from django.core import mail
from django.core.paginator import UnorderedObjectListWarning
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from reversion.models import Version
from taggit.models import Tag

from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    Solution,
    SourceLink,
    Status,
    SustainableDevelopmentGoal,
    WorkflowEvent,
)
from tests.support.factories import (
    make_indicator,
    make_network,
    make_partner,
    make_solution,
    make_staff,
    make_theme,
    make_user,
)
from tests.support.html_forms import form_data, read_form
from tests.support.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

DRAFT, REVIEW, CHANGES = Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED
PUBLISHED, ARCHIVED = Status.PUBLISHED, Status.ARCHIVED
CONFLICT = "Someone else saved this case study after you opened it"


# People and places.


def make_curator(**overrides):
    user = make_user(is_staff=True, **overrides)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


def make_network_staff(network, **overrides):
    """A staff user with admin access who works for one network."""
    user = make_user(is_staff=True, **overrides)
    user.groups.add(Group.objects.get(name="Network staff"))
    make_staff(network, user=user)
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def curator():
    return make_curator(username="curator", email="curator@example.org")


@pytest.fixture
def author():
    return make_user(username="author", email="author@example.org")


@pytest.fixture
def curator_client(curator):
    return logged_in(curator)


def solution_in(status, *, themes=None, **overrides):
    fields = {"status": status}
    if status in (PUBLISHED, ARCHIVED):
        fields["published_at"] = timezone.now() - timedelta(days=30)
    fields.update(overrides)
    return make_solution(themes=themes or [make_theme()], **fields)


def change_url(solution):
    return reverse("admin:solutions_solution_change", args=[solution.pk])


def transition_url(solution, name):
    return reverse("admin:solutions_solution_transition", args=[solution.pk, name])


def history_url(solution):
    return reverse("admin:solutions_solution_history", args=[solution.pk])


def compare_url(solution, older, newer):
    url = reverse("admin:solutions_solution_compare", args=[solution.pk])
    return f"{url}?from={older}&to={newer}"


CHANGELIST = "admin:solutions_solution_changelist"
QUEUE = "admin:solutions_reviewqueueitem_changelist"


# Reading pages as a browser would.


def workflow_buttons(response):
    return re.findall(r'class="(?:button )?workflow-step">([^<]+)<', response.text)


def result_rows(response):
    """The text of each row of the changelist table, tags stripped."""
    table = response.text.split('id="result_list"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def admin_save(client, solution, **changes):
    """Open the change page, change some fields and save it, as a curator's browser does."""
    data = form_data(client.get(change_url(solution)))
    data.update(changes)
    return client.post(change_url(solution), data)


def submitted(solution, when, *, to_status=REVIEW, from_status=DRAFT):
    event = WorkflowEvent.objects.create(
        solution=solution, from_status=from_status, to_status=to_status
    )
    WorkflowEvent.objects.filter(pk=event.pk).update(created_at=when)
    return event


# 1. The review queue.


@pytest.fixture
def queue(author):
    """Two solutions in review and one sent back; the newest created should come last."""
    now = timezone.now()
    network = make_network(name="Lagos Urban Network", acronym="")  # shown by its name
    sent_back = solution_in(CHANGES, title="Queue sent back", network=network, author=author)
    newer = solution_in(REVIEW, title="Queue newer review", network=network, author=author)
    older = solution_in(REVIEW, title="Queue older review", network=network, author=author)
    for hours, solution in enumerate([sent_back, newer, older]):
        Solution.objects.filter(pk=solution.pk).update(created_at=now - timedelta(hours=hours))
    submitted(newer, now - timedelta(days=1))
    # Submitted long ago, sent back, resubmitted five days ago: the latest submission counts.
    submitted(older, now - timedelta(days=40))
    submitted(older, now - timedelta(days=20), from_status=REVIEW, to_status=CHANGES)
    submitted(older, now - timedelta(days=5), from_status=CHANGES)
    submitted(sent_back, now - timedelta(days=30))
    submitted(sent_back, now - timedelta(days=25), from_status=REVIEW, to_status=CHANGES)
    for status in (DRAFT, PUBLISHED, ARCHIVED):
        solution_in(status, title=f"Queue not waiting {status}", network=network)
    return {"older": older, "newer": newer, "sent_back": sent_back}


def queue_row(rows, title):
    (row,) = [row for row in rows if row.startswith(title + " ")]
    return row


def test_review_queue_lists_only_waiting_solutions_with_who_and_how_long(curator_client, queue):
    response = curator_client.get(reverse(QUEUE), {"status": "all"})

    assert response.status_code == 200
    rows = result_rows(response)
    assert sorted(row.split(" Lagos")[0] for row in rows) == [
        "Queue newer review",
        "Queue older review",
        "Queue sent back",
    ]
    assert "Queue not waiting" not in response.text
    older, newer = queue_row(rows, "Queue older review"), queue_row(rows, "Queue newer review")
    assert "Lagos Urban Network" in older
    assert "author" in older.split()
    assert "In review" in older
    assert older.endswith("5 days")  # timesince, its spaces normalised
    assert newer.endswith("1 day")
    sent_back = queue_row(rows, "Queue sent back")
    assert "Changes requested" in sent_back
    assert sent_back.endswith("3 weeks, 4 days")  # since it was sent back, not since submitted
    for solution in queue.values():
        assert f'<a href="{change_url(solution)}">{solution.title}</a>' in response.text


def test_review_queue_lists_in_review_oldest_submission_first_then_changes_requested(
    curator_client, queue
):
    response = curator_client.get(reverse(QUEUE), {"status": "all"})

    assert [row.split(" Lagos")[0] for row in result_rows(response)] == [
        "Queue older review",
        "Queue newer review",
        "Queue sent back",
    ]


def fill_queue(count, author):
    """`count` solutions waiting, alternately sent back and in review; the last one."""
    now = timezone.now()
    for i in range(count):
        solution = solution_in(REVIEW if i % 2 else CHANGES, network=make_network(), author=author)
        submitted(solution, now - timedelta(hours=i + 1))
    return solution


REVIEW_QUEUE_QUERIES = 8
BOTH = reverse(QUEUE) + "?status=all"  # in review and changes requested


def test_review_queue_runs_the_same_exact_queries_for_3_rows_and_for_60(
    curator_client, author, django_assert_num_queries
):
    def add(count):
        return escape(fill_queue(count, author).title)

    assert_queries_do_not_grow(
        curator_client, BOTH, add, django_assert_num_queries, REVIEW_QUEUE_QUERIES
    )
    assert len(result_rows(curator_client.get(BOTH))) == 60


def test_review_queue_is_for_curators_only(curator_client):
    network = make_network()
    staff_client = logged_in(make_network_staff(network))

    assert staff_client.get(reverse(QUEUE)).status_code == 403
    staff_index = staff_client.get(reverse("admin:index"))
    assert staff_index.status_code == 200
    assert reverse(QUEUE) not in staff_index.text
    assert "Review queue" not in staff_index.text
    assert reverse(QUEUE) in curator_client.get(reverse("admin:index")).text


# 2. Workflow buttons on the change page.


@pytest.mark.parametrize(
    "status, buttons",
    [
        (REVIEW, ["Request changes…", "Publish…"]),
        (PUBLISHED, ["Archive…"]),
        (ARCHIVED, ["Republish…"]),
        (DRAFT, []),
        (CHANGES, []),
    ],
)
def test_change_page_offers_only_the_allowed_transitions(curator_client, status, buttons):
    solution = solution_in(status)

    response = curator_client.get(change_url(solution))

    assert response.status_code == 200
    assert workflow_buttons(response) == buttons


def test_publish_button_publishes_and_emails_the_author_after_commit(
    curator, curator_client, author, django_capture_on_commit_callbacks
):
    solution = solution_in(REVIEW, title="Bus rapid transit", author=author)
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(transition_url(solution, "publish"))

    assert response.status_code == 302
    assert response["Location"] == change_url(solution)
    solution.refresh_from_db()
    assert solution.status == PUBLISHED
    assert solution.published_at >= before
    assert list(solution.events.values_list("actor", "from_status", "to_status")) == [
        (curator.pk, REVIEW, PUBLISHED)
    ]
    assert [message.to for message in mail.outbox] == [["author@example.org"]]
    assert "Bus rapid transit" in mail.outbox[0].subject


@pytest.mark.parametrize(
    "status, name, target",
    [(REVIEW, "request_changes", CHANGES), (PUBLISHED, "archive", ARCHIVED)],
)
def test_steps_that_need_a_comment_ask_for_it_first(
    curator_client, author, django_capture_on_commit_callbacks, status, name, target
):
    solution = solution_in(status, author=author)
    url = transition_url(solution, name)

    page = curator_client.get(url)
    assert page.status_code == 200
    assert '<textarea name="comment"' in page.text

    for without_comment in [{"comment": ""}, {"comment": "   "}]:
        with django_capture_on_commit_callbacks(execute=True):
            refused = curator_client.post(url, without_comment)
        assert refused.status_code == 200
        assert '<textarea name="comment"' in refused.text
        assert "A comment is needed" in refused.text
    solution.refresh_from_db()
    assert solution.status == status
    assert not solution.events.exists()
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        done = curator_client.post(url, {"comment": "Please add the 2024 figures."})
    assert done.status_code == 302
    solution.refresh_from_db()
    assert solution.status == target
    assert list(solution.events.values_list("to_status", "comment")) == [
        (target, "Please add the 2024 figures.")
    ]
    assert [message.to for message in mail.outbox] == [["author@example.org"]]
    assert "Please add the 2024 figures." in mail.outbox[0].body


def test_network_staff_get_no_curator_buttons_and_cannot_publish_by_url(two_networks):
    network_a, _, staff = two_networks
    solution = solution_in(REVIEW, network=network_a)
    client = logged_in(staff)

    assert workflow_buttons(client.get(change_url(solution))) == []
    client.post(transition_url(solution, "publish"))

    solution.refresh_from_db()
    assert solution.status == REVIEW
    assert not solution.events.exists()


# 3. Admin actions on the changelist.


def run_action(client, action, solutions, **extra):
    data = {"action": action, "_selected_action": [s.pk for s in solutions], **extra}
    return client.post(reverse(CHANGELIST), data, follow=True)


def test_publish_action_publishes_every_selected_solution(curator_client):
    chosen = [solution_in(REVIEW, title=f"Ready {i}") for i in range(3)]
    untouched = solution_in(REVIEW, title="Not chosen")

    response = run_action(curator_client, "transition_publish", chosen)

    assert response.status_code == 200
    assert "Published 3 case studies." in messages_of(response)
    for solution in chosen:
        solution.refresh_from_db()
        assert solution.status == PUBLISHED
        assert solution.published_at is not None
        assert solution.events.get().to_status == PUBLISHED
    untouched.refresh_from_db()
    assert untouched.status == REVIEW


def test_publish_action_reports_each_refusal_and_changes_only_the_valid_ones(curator_client):
    ready = [solution_in(REVIEW, title=f"Ready {i}") for i in range(2)]
    draft = solution_in(DRAFT, title="Still a draft")
    published = solution_in(PUBLISHED, title="Already out")
    published_at = published.published_at

    response = run_action(curator_client, "transition_publish", [*ready, draft, published])

    assert sorted(messages_of(response)) == sorted(
        [
            "Published 2 case studies.",
            "“Still a draft”: “Publish” is only possible from in review; this solution is draft.",
            "“Already out”: “Publish” is only possible from in review; this solution is published.",
        ]
    )
    assert set(Solution.objects.filter(status=PUBLISHED).values_list("title", flat=True)) == {
        "Ready 0",
        "Ready 1",
        "Already out",
    }
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == DRAFT
    assert published.published_at == published_at
    assert WorkflowEvent.objects.filter(solution__in=[draft, published]).count() == 0


@pytest.mark.parametrize(
    "action, status, target",
    [("transition_request_changes", REVIEW, CHANGES), ("transition_archive", PUBLISHED, ARCHIVED)],
)
def test_actions_that_need_a_comment_show_a_comment_page_first(
    curator_client, action, status, target
):
    chosen = [solution_in(status, title=f"Chosen {i}") for i in range(2)]

    page = run_action(curator_client, action, chosen)

    assert page.status_code == 200
    assert '<textarea name="comment"' in page.text
    assert "Chosen 0" in page.text and "Chosen 1" in page.text
    assert f'<input type="hidden" name="action" value="{action}">' in page.text
    for solution in chosen:
        assert f'name="_selected_action" value="{solution.pk}"' in page.text
    assert Solution.objects.filter(status=status).count() == 2

    no_comment = run_action(curator_client, action, chosen, apply="1", comment="")
    assert "A comment is needed" in no_comment.text
    assert Solution.objects.filter(status=status).count() == 2
    assert not WorkflowEvent.objects.exists()

    run_action(curator_client, action, chosen, apply="1", comment="Out of date.")
    assert Solution.objects.filter(status=target).count() == 2
    assert (
        list(WorkflowEvent.objects.values_list("to_status", "comment"))
        == [(target, "Out of date.")] * 2
    )


# 4. Status is not a plain field; workflow events are read-only.


def test_status_cannot_be_edited_as_a_field(curator_client):
    solution = solution_in(REVIEW, title="Cycle lanes")
    data = form_data(curator_client.get(change_url(solution)))
    assert "status" not in data
    assert "published_at" not in data

    data.update(status=PUBLISHED, published_at="2025-01-01 10:00:00", title="Cycle lanes, v2")
    response = curator_client.post(change_url(solution), data)

    assert response.status_code == 302
    solution.refresh_from_db()
    assert solution.title == "Cycle lanes, v2"  # the save went through …
    assert solution.status == REVIEW  # … without touching the status
    assert solution.published_at is None
    assert not solution.events.exists()


def test_workflow_events_are_shown_read_only(curator_client, curator):
    solution = solution_in(REVIEW)
    WorkflowEvent.objects.create(
        solution=solution,
        actor=curator,
        from_status=DRAFT,
        to_status=REVIEW,
        comment="First submission, please check the costs.",
    )

    response = curator_client.get(change_url(solution))

    assert "First submission, please check the costs." in response.text
    data = form_data(response)
    event_fields = {name for name in data if name.startswith("events-0-")}
    assert event_fields == {"events-0-id", "events-0-solution"}  # hidden keys only
    assert data["events-TOTAL_FORMS"] == "1"
    assert "events-0-DELETE" not in response.text
    assert "events-1-" not in response.text  # no row to add one either


# 5. Who edits what.


@pytest.mark.parametrize("status", [DRAFT, REVIEW, CHANGES, PUBLISHED, ARCHIVED])
def test_curators_edit_solutions_in_every_status(curator_client, status):
    solution = solution_in(status)
    partner = make_partner(solution, name="Old partner name")
    data = form_data(curator_client.get(change_url(solution)))
    prefix = next(
        k[: -len("-id")]
        for k, v in data.items()
        if k.startswith("partners-") and k.endswith("-id") and v == str(partner.pk)
    )
    data.update({"title": f"Edited while {status}", f"{prefix}-name": "New partner name"})

    response = curator_client.post(change_url(solution), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    solution.refresh_from_db()
    assert solution.title == f"Edited while {status}"
    assert solution.status == status
    assert list(solution.partners.values_list("name", flat=True)) == ["New partner name"]


@pytest.fixture
def two_networks():
    network_a = make_network(name="Network Alpha")
    network_b = make_network(name="Network Beta")
    staff = make_network_staff(network_a, username="alpha-staff")
    return network_a, network_b, staff


def test_network_staff_see_and_open_only_their_networks_entries(two_networks):
    network_a, network_b, staff = two_networks
    ours = [solution_in(status, title=f"Alpha {status}", network=network_a) for status in Status]
    theirs = solution_in(DRAFT, title="Beta draft", network=network_b)
    client = logged_in(staff)

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    listed = result_rows(response)
    assert sorted(row.split(" City")[0] for row in listed) == sorted(s.title for s in ours)
    assert "Beta draft" not in response.text
    other = client.get(change_url(theirs))
    # The admin treats a row outside the user's queryset as missing: back to the index.
    assert (other.status_code, other["Location"]) == (302, reverse("admin:index"))
    assert client.get(change_url(ours[0])).status_code == 200


def test_network_staff_cannot_move_an_entry_to_another_network(two_networks):
    network_a, network_b, staff = two_networks
    solution = solution_in(DRAFT, title="Alpha draft", network=network_a, author=staff)
    client = logged_in(staff)
    data = form_data(client.get(change_url(solution)))
    assert data["network"] == str(network_a.pk)

    response = client.post(change_url(solution), {**data, "network": str(network_b.pk)})

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    solution.refresh_from_db()
    assert solution.network == network_a


@pytest.mark.filterwarnings("ignore::django.core.paginator.UnorderedObjectListWarning")
def test_network_autocomplete_offers_network_staff_only_their_networks(two_networks):
    network_a, network_b, staff = two_networks
    client = logged_in(staff)

    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Network",
            "app_label": "solutions",
            "model_name": "solution",
            "field_name": "network",
        },
    )

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [str(network_a.pk)]


def test_network_autocomplete_lists_networks_in_a_stable_order(curator_client):
    for name in ["Network Gamma", "Network Alpha", "Network Beta"]:
        make_network(name=name)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = curator_client.get(
            reverse("admin:autocomplete"),
            {
                "term": "Network",
                "app_label": "solutions",
                "model_name": "solution",
                "field_name": "network",
            },
        )

    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == [
        "Network Alpha",
        "Network Beta",
        "Network Gamma",
    ]
    assert not [w for w in caught if issubclass(w.category, UnorderedObjectListWarning)]


# 6. No lost edits.


def test_a_second_curator_cannot_overwrite_the_first_ones_save(curator_client):
    solution = solution_in(REVIEW, title="Street trees")
    other_client = logged_in(make_curator())
    first = form_data(curator_client.get(change_url(solution)))
    second = form_data(other_client.get(change_url(solution)))
    assert first["opened_at"] == second["opened_at"] != ""

    saved = curator_client.post(change_url(solution), {**first, "title": "Street trees (first)"})
    assert saved.status_code == 302

    refused = other_client.post(change_url(solution), {**second, "title": "Street trees (second)"})

    assert refused.status_code == 200
    assert CONFLICT in refused.text
    assert 'value="Street trees (second)"' in refused.text
    solution.refresh_from_db()
    assert solution.title == "Street trees (first)"


def test_a_curator_cannot_overwrite_a_save_made_on_the_public_form(curator_client):
    network = make_network()
    staff = make_user()
    make_staff(network, user=staff)
    solution = solution_in(DRAFT, title="Market stalls", network=network, author=staff)
    staff_client = logged_in(staff)
    curator_form = form_data(curator_client.get(change_url(solution)))

    edit_url = reverse("solutions:edit", args=[solution.slug])
    public_form = form_data(staff_client.get(edit_url), "class", "submission")
    site_save = staff_client.post(edit_url, {**public_form, "title": "Market stalls (site)"})
    assert site_save.status_code == 302, site_save.context and site_save.context["form"].errors

    refused = curator_client.post(change_url(solution), {**curator_form, "title": "Admin title"})

    assert refused.status_code == 200
    assert CONFLICT in refused.text
    assert 'value="Admin title"' in refused.text
    solution.refresh_from_db()
    assert solution.title == "Market stalls (site)"


# 7. History: versions, comparing, restoring.


def versions_of(solution):
    return Version.objects.get_for_object(solution)


def test_every_save_in_the_admin_and_every_step_adds_a_version(curator_client):
    solution = solution_in(REVIEW)
    assert versions_of(solution).count() == 0

    assert admin_save(curator_client, solution, title="Saved once").status_code == 302
    assert versions_of(solution).count() == 1
    assert curator_client.post(transition_url(solution, "publish")).status_code == 302
    assert versions_of(solution).count() == 2
    run_action(curator_client, "transition_archive", [solution], apply="1", comment="Old.")
    assert versions_of(solution).count() == 3
    assert admin_save(curator_client, solution, title="Saved twice").status_code == 302

    versions = list(versions_of(solution))  # newest first
    assert len(versions) == 4
    assert [v.field_dict["title"] for v in versions] == [
        "Saved twice",
        "Saved once",
        "Saved once",
        "Saved once",
    ]
    assert [v.field_dict["status"] for v in versions] == [ARCHIVED, ARCHIVED, PUBLISHED, REVIEW]
    assert versions[1].revision.comment == "Archive: Old."
    assert versions[2].revision.comment == "Publish"


def save_version(solution, user=None, comment=""):
    with reversion.create_revision():
        Solution.objects.get(pk=solution.pk).save()
        if user:
            reversion.set_user(user)
        reversion.set_comment(comment)
    return versions_of(solution).first()


def test_history_lists_versions_newest_first_with_compare_choices(curator_client, curator):
    solution = solution_in(REVIEW)
    revisions = [save_version(solution, curator, f"Save {i}").revision_id for i in range(3)]

    response = curator_client.get(history_url(solution))

    assert response.status_code == 200
    compare = reverse("admin:solutions_solution_compare", args=[solution.pk])
    form = read_form(response, action=compare)
    assert form.method == "get"
    newest_first = [int(control["value"]) for control in form.controls_named("to")]
    assert newest_first == sorted(revisions, reverse=True)
    assert [int(control["value"]) for control in form.controls_named("from")] == newest_first
    assert (
        response.text.index("Save 2")
        < response.text.index("Save 1")
        < response.text.index("Save 0")
    )


def test_compare_shows_changed_fields_and_related_rows(curator_client, curator):
    solution = solution_in(
        REVIEW,
        title="Old title",
        approach="Step one.\nStep two.\nStep three.",
        lessons_learned="Unchanged lessons.",
    )
    make_partner(solution, name="Alpha Org", sector="government")
    make_partner(solution, name="Kept Org", sector="community")
    older = save_version(solution, curator).revision_id
    Solution.objects.filter(pk=solution.pk).update(
        title="New title", approach="Step one.\nStep 2, rewritten.\nStep three."
    )
    Partner.objects.filter(name="Alpha Org").delete()
    make_partner(solution, name="Beta Org", sector="academia")
    newer = save_version(solution, curator).revision_id

    response = curator_client.get(compare_url(solution, older, newer))

    assert response.status_code == 200
    text = response.text
    assert "<h2>Title</h2>" in text
    assert "− Old title" in text and "+ New title" in text
    assert "<h2>Approach</h2>" in text
    assert "− Step two." in text and "+ Step 2, rewritten." in text
    assert "  Step one." in text
    assert "<h2>Partners</h2>" in text
    assert "− Alpha Org (Government)" in text
    assert "+ Beta Org (Academia)" in text
    assert "  Kept Org (Community and grassroots)" in text
    assert "Lessons learned" not in text
    # Chosen the other way round, it still reads from the older to the newer version.
    swapped = curator_client.get(compare_url(solution, newer, older))
    assert "− Old title" in swapped.text and "+ New title" in swapped.text


def test_compare_without_two_valid_versions_redirects_with_a_message(curator_client, curator):
    solution = solution_in(REVIEW)
    version = save_version(solution, curator).revision_id
    elsewhere = save_version(solution_in(REVIEW), curator).revision_id
    base = reverse("admin:solutions_solution_compare", args=[solution.pk])

    for query in [
        f"?from={version}&to=999999",
        f"?from=999999&to={version}",
        f"?from={elsewhere}&to={version}",
    ]:
        response = curator_client.get(base + query)
        assert response.status_code == 302, query
        assert response["Location"] == history_url(solution)
        followed = curator_client.get(response["Location"])
        assert "Choose two versions to compare." in messages_of(followed)


@pytest.mark.parametrize("query", ["", "?from=1", "?from=abc&to=1", "?from=&to="])
def test_compare_with_missing_or_malformed_versions_redirects(curator_client, curator, query):
    solution = solution_in(REVIEW)
    save_version(solution, curator)
    base = reverse("admin:solutions_solution_compare", args=[solution.pk])

    response = curator_client.get(base + query)

    assert response.status_code == 302
    assert response["Location"] == history_url(solution)


CONTENT_FIELDS = [
    "title",
    "slug",
    "summary",
    "problem",
    "approach",
    "results",
    "lessons_learned",
    "city_id",
    "network_id",
    "stage",
    "start_year",
    "end_year",
    "cost_usd",
    "funding",
    "contact_name",
    "contact_organisation",
    "contact_email",
    "author_id",
]


def content_of(solution):
    """Everything a version brings back: the fields and the related rows."""
    solution = Solution.objects.get(pk=solution.pk)
    return {
        "fields": {name: getattr(solution, name) for name in CONTENT_FIELDS},
        "themes": sorted(solution.themes.values_list("pk", flat=True)),
        "sdgs": sorted(solution.sdgs.values_list("pk", flat=True)),
        "tags": sorted(solution.tags.names()),
        "partners": sorted(solution.partners.values_list("pk", "name", "sector", "role")),
        "sources": sorted(solution.sources.values_list("pk", "title", "url")),
        "indicators": sorted(
            (
                indicator.pk,
                indicator.name,
                indicator.unit,
                indicator.direction,
                indicator.baseline_value,
                indicator.baseline_year,
                indicator.target_value,
                indicator.target_year,
                indicator.notes,
                tuple(indicator.measurements.values_list("year", "value", "note")),
            )
            for indicator in solution.indicators.all()
        ),
    }


@pytest.fixture
def history(curator, author):
    """A solution saved once as complete content, then rewritten everywhere, then published."""
    themes = [make_theme(name=f"History theme {i}") for i in range(3)]
    sdg = SustainableDevelopmentGoal.objects.get
    solution = solution_in(
        REVIEW,
        title="Rainwater tanks for schools",
        summary="Schools collect rain.",
        problem="Taps ran dry.\n\nChildren missed class.",
        approach="Tanks on every roof.\n- Gutters\n- Filters",
        results="Water all year.",
        lessons_learned="Maintenance needs a budget.",
        funding="City budget and a grant.",
        contact_name="Amina Odhiambo",
        contact_organisation="City water board",
        contact_email="amina@example.org",
        stage="pilot",
        start_year=2015,
        end_year=2018,
        cost_usd=120_000,
        author=author,
        themes=themes[:2],
        tags=["water", "schools"],
    )
    solution.sdgs.set([sdg(number=6), sdg(number=11)])
    make_partner(solution, name="Water board", sector="government", role="Built the tanks")
    make_partner(solution, name="Parents association", sector="community", role="Kept watch")
    SourceLink.objects.create(solution=solution, title="Report", url="https://example.org/r")
    tanks = make_indicator(
        solution,
        name="Schools with water",
        baseline_value=3,
        baseline_year=2014,
        measurements=[(2019, 10), (2020, 14)],
    )
    first = save_version(solution, curator, "First version")
    first_content = content_of(solution)

    Solution.objects.filter(pk=solution.pk).update(
        title="Rain harvesting in schools",
        summary="Rewritten summary.",
        problem="Another problem.",
        approach="Another approach.",
        results="Other results.",
        lessons_learned="Other lessons.",
        funding="Other funding.",
        contact_name="Someone else",
        contact_organisation="",
        contact_email="else@example.org",
        stage="scaled",
        start_year=2016,
        end_year=None,
        cost_usd=None,
    )
    solution.themes.set([themes[2]])
    solution.sdgs.set([sdg(number=13)])
    solution.tags.set(["climate"])
    Partner.objects.filter(name="Parents association").delete()
    Partner.objects.filter(name="Water board").update(role="Only paid")
    make_partner(solution, name="Added later", sector="business")
    SourceLink.objects.all().delete()
    SourceLink.objects.create(solution=solution, title="Newer", url="https://example.org/n")
    Measurement.objects.filter(indicator=tanks, year=2020).update(value=20, note="revised")
    Measurement.objects.create(indicator=tanks, year=2021, value=30)
    Indicator.objects.filter(pk=tanks.pk).update(unit="schools", target_value=50, target_year=2030)
    make_indicator(solution, name="Added indicator", measurements=[(2022, 1)])
    save_version(solution, curator, "Rewritten")

    client = logged_in(curator)
    assert client.post(transition_url(solution, "publish")).status_code == 302
    solution.refresh_from_db()
    return {"solution": solution, "first": first, "first_content": first_content}


def restore(client, solution, version):
    url = reverse("admin:solutions_solution_revision", args=[solution.pk, version.pk])
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, form_data(page))


def test_restoring_a_version_brings_back_its_exact_content(curator_client, history):
    solution, first = history["solution"], history["first"]
    assert content_of(solution) != history["first_content"]

    response = restore(curator_client, solution, first)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert content_of(solution) == history["first_content"]
    assert not Partner.objects.filter(name="Added later").exists()
    assert not Indicator.objects.filter(name="Added indicator").exists()
    assert not Measurement.objects.filter(year=2021).exists()


def test_restoring_never_changes_the_status_and_is_itself_a_version(curator_client, history):
    solution = history["solution"]
    published_at = solution.published_at
    versions_before = versions_of(solution).count()
    events_before = solution.events.count()

    assert restore(curator_client, solution, history["first"]).status_code == 302

    solution.refresh_from_db()
    assert solution.status == PUBLISHED
    assert solution.published_at == published_at
    assert solution.events.count() == events_before
    versions = versions_of(solution)
    assert versions.count() == versions_before + 1
    newest = versions.first()
    assert newest.revision.comment.startswith("Reverted to previous version")
    assert newest.field_dict["title"] == "Rainwater tanks for schools"
    assert newest.field_dict["status"] == PUBLISHED


def test_restoring_a_version_leaves_other_solutions_tags_alone(curator_client, history):
    solution = history["solution"]
    neighbour = solution_in(PUBLISHED, title="Neighbour", tags=["climate", "water"])

    restore(curator_client, solution, history["first"])

    assert sorted(Solution.objects.get(pk=neighbour.pk).tags.names()) == ["climate", "water"]
    assert Tag.objects.filter(name="climate").exists()


def test_restore_is_refused_to_network_staff(history):
    solution, first = history["solution"], history["first"]
    staff = make_network_staff(solution.network)
    client = logged_in(staff)
    url = reverse("admin:solutions_solution_revision", args=[solution.pk, first.pk])
    before = content_of(solution)

    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Sneaky"}).status_code == 403
    assert content_of(solution) == before
    history_page = client.get(history_url(solution))
    assert history_page.status_code == 200
    assert url not in history_page.text
