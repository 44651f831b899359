"""The curator's desk: the admin's home page says what waits for whom, the review queue shows
what waits on the curator by default, and publishing asks to confirm, then offers the next
case study in the queue."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from solutions.models import Solution, Status, WorkflowEvent
from tests.support.asserts import assert_forbidden
from tests.support.factories import make_network, make_solution, make_staff, make_user
from tests.support.html_forms import read_form
from tests.support.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

DRAFT, REVIEW, CHANGES = Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED
PUBLISHED, ARCHIVED = Status.PUBLISHED, Status.ARCHIVED
INDEX = reverse("admin:index")
QUEUE = reverse("admin:solutions_reviewqueueitem_changelist")


def make_curator():
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


def make_admin_staff(network):
    """Staff of a network who may also use the admin."""
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name="Network staff"))
    make_staff(network, user=user)
    return user


def logged_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


@pytest.fixture
def curator_client():
    return logged_in(make_curator())


def waiting(status, title, days, **fields):
    """A case study that entered `status` `days` days ago (its workflow event says so)."""
    solution = make_solution(status=status, title=title, **fields)
    event = WorkflowEvent.objects.create(
        solution=solution,
        from_status=REVIEW if status == CHANGES else DRAFT,
        to_status=status,
    )
    WorkflowEvent.objects.filter(pk=event.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )
    return solution


def published(title, days_ago, **fields):
    return make_solution(
        status=PUBLISHED,
        title=title,
        published_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )


def section(html, key):
    """The HTML of one section of the desk."""
    match = re.search(rf'<section[^>]*aria-labelledby="desk-{key}".*?</section>', html, re.S)
    assert match, f"no section {key} on the page"
    return " ".join(match.group(0).split())  # timesince's non-breaking spaces too


def titles_in(html):
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', html)


def change_url(solution):
    return reverse("admin:solutions_solution_change", args=[solution.pk])


def step_url(solution, name="publish"):
    return reverse("admin:solutions_solution_transition", args=[solution.pk, name])


# The desk.


@pytest.fixture
def desk_world():
    network = make_network(name="Mayors Innovation Project", acronym="MIP")
    return {
        "network": network,
        "newer": waiting(REVIEW, "Newer in review", 2, network=network),
        "older": waiting(REVIEW, "Older in review", 9, network=network),
        "sent back": waiting(CHANGES, "Sent back for figures", 4, network=network),
        "draft": make_solution(status=DRAFT, title="Still a draft", network=network),
        "archived": make_solution(status=ARCHIVED, title="Archived long ago", network=network),
        "published": published("Published last week", 7, network=network),
        "published earlier": published("Published last year", 300, network=network),
    }


def test_the_desk_counts_what_waits_and_lists_the_longest_waiting_first(curator_client, desk_world):
    html = curator_client.get(INDEX).text

    in_review = section(html, "in-review")
    assert "2 case studies in review wait for a curator." in in_review
    assert titles_in(in_review) == ["Older in review", "Newer in review"]
    assert "1 week, 2 days" in in_review  # how long the older one has waited
    assert f'href="{QUEUE}"' in in_review
    with_staff = section(html, "changes-requested")
    assert "1 case study waits on network staff to make the changes asked for." in with_staff
    assert titles_in(with_staff) == ["Sent back for figures"]
    assert "4 days" in with_staff
    assert f'href="{QUEUE}?status=changes_requested"' in with_staff
    recent = section(html, "recently-published")
    assert titles_in(recent) == ["Published last week", "Published last year"]
    for title in ["Still a draft", "Archived long ago"]:
        assert title not in html


def test_the_desk_lists_a_few_of_many_and_says_so(curator_client):
    for days in range(12):
        waiting(REVIEW, f"Waiting {days:02} days", days)

    in_review = section(curator_client.get(INDEX).text, "in-review")

    assert (
        "12 case studies in review wait for a curator. Below, the 8 waiting longest." in in_review
    )
    assert titles_in(in_review) == [f"Waiting {days:02} days" for days in range(11, 3, -1)]


def test_an_empty_desk_says_nothing_waits(curator_client):
    html = curator_client.get(INDEX).text

    assert "Nothing is waiting for review." in section(html, "in-review")
    assert "No case study is waiting on network staff." in section(html, "changes-requested")
    assert "Nothing is published yet." in section(html, "recently-published")


def test_network_staff_in_the_admin_see_only_their_networks_on_the_desk(desk_world):
    elsewhere = make_network(name="Another network")
    waiting(REVIEW, "Their secret in review", 30, network=elsewhere)
    waiting(CHANGES, "Their secret sent back", 30, network=elsewhere)
    published("Their published work", 1, network=elsewhere)
    staff_client = logged_in(make_admin_staff(desk_world["network"]))

    html = staff_client.get(INDEX).text

    assert titles_in(section(html, "in-review")) == ["Older in review", "Newer in review"]
    assert titles_in(section(html, "changes-requested")) == ["Sent back for figures"]
    assert titles_in(section(html, "recently-published")) == [
        "Published last week",
        "Published last year",
    ]
    assert "Their" not in html
    assert "review queue" not in html.lower()  # the queue is the curators'
    assert f"{reverse('admin:solutions_solution_changelist')}?status__exact=in_review" in html


def test_admin_users_who_may_not_see_case_studies_get_no_desk(desk_world):
    client = logged_in(make_user(is_staff=True))  # an administrator of nothing yet

    response = client.get(INDEX)

    assert response.status_code == 200
    assertNotContains(response, "curator-desk")
    assertNotContains(response, "Older in review")


DESK_QUERIES = {"curator": 9, "staff": 10}


@pytest.mark.parametrize("who", ["curator", "staff"])
def test_the_desk_runs_the_same_exact_queries_for_3_rows_and_for_60(django_assert_num_queries, who):
    network = make_network()
    user = make_curator() if who == "curator" else make_admin_staff(network)
    client = logged_in(user)
    statuses = [REVIEW, CHANGES, PUBLISHED]

    def add(count):
        for i in range(count):
            status = statuses[i % 3]
            if status == PUBLISHED:
                latest = published(f"Row {i} of {count}", 0, network=network)
            else:
                latest = waiting(status, f"Row {i} of {count}", 1000 - i, network=network)
        return escape(latest.title)

    assert_queries_do_not_grow(client, INDEX, add, django_assert_num_queries, DESK_QUERIES[who])


# The review queue.


@pytest.fixture
def queue_world():
    return {
        "review": waiting(REVIEW, "Waits on a curator", 3),
        "changes": waiting(CHANGES, "Waits on its authors", 5),
        "draft": make_solution(status=DRAFT, title="Not in the queue"),
    }


def row_titles(response):
    return re.findall(r'class="field-title_link"><a href="[^"]+">([^<]+)</a>', response.text)


@pytest.mark.parametrize(
    "query, titles, count",
    [
        ({}, ["Waits on a curator"], "1 case study in review"),
        ({"status": "in_review"}, ["Waits on a curator"], "1 case study in review"),
        (
            {"status": "changes_requested"},
            ["Waits on its authors"],
            "1 case study with changes requested",
        ),
        (
            {"status": "all"},
            ["Waits on a curator", "Waits on its authors"],
            "2 case studies in the queue",
        ),
        ({"status": "published"}, ["Waits on a curator"], "1 case study in review"),
    ],
    ids=["default", "in-review", "changes-requested", "both", "unknown"],
)
def test_the_review_queue_shows_what_waits_on_the_curator_unless_asked(
    curator_client, queue_world, query, titles, count
):
    response = curator_client.get(QUEUE, query)

    assert response.status_code == 200
    assert row_titles(response) == titles
    assertContains(response, count)
    assertNotContains(response, "Not in the queue")
    assertNotContains(response, "review queue item")


def test_the_review_queue_offers_only_the_statuses_a_queued_case_study_can_be_in(
    curator_client, queue_world
):
    response = curator_client.get(QUEUE)

    filters = response.text.split('id="changelist-filter"', 1)[1]
    by_status = filters.split("By status", 1)[1].split("</ul>", 1)[0]
    offered = [" ".join(text.split()) for text in re.findall(r"<a [^>]*>([^<]+)</a>", by_status)]
    assert offered == [
        "In review: waiting on a curator",
        "Changes requested: waiting on network staff",
        "Both",
    ]
    assert re.search(r'<li class="selected">\s*<a href="\?status=in_review"', by_status)
    for status in ["Draft", "Published", "Archived"]:
        assert status not in by_status
    assertContains(response, "<h1>Case studies waiting for review</h1>", html=True)


def test_a_search_in_the_queue_counts_within_the_status_shown(curator_client, queue_world):
    waiting(REVIEW, "Another one waiting", 1)

    response = curator_client.get(QUEUE, {"q": "curator"})

    assertContains(response, "1 result")
    assertContains(response, "2 total")  # those in review, not the whole queue


QUEUE_QUERIES = 8


def test_the_review_queue_runs_the_same_exact_queries_for_3_rows_and_for_60(
    curator_client, django_assert_num_queries
):
    def add(count):
        for i in range(count):
            latest = waiting(REVIEW, f"Queued {i} of {count}", 1000 - i)
            waiting(CHANGES, f"Sent back {i} of {count}", 1000 - i)
        return escape(latest.title)

    assert_queries_do_not_grow(curator_client, QUEUE, add, django_assert_num_queries, QUEUE_QUERIES)


# Publishing: a page that asks, a POST that publishes, the next case study offered.


@pytest.fixture
def ready():
    """A case study in review, and two more waiting after it (the older one first)."""
    return {
        "it": waiting(REVIEW, "Ready to publish", 20, author=make_user(email="a@example.org")),
        "next": waiting(REVIEW, "Waiting longest after it", 10),
        "later": waiting(REVIEW, "Waiting less long", 2),
        "sent back": waiting(CHANGES, "Not the curator's to do", 30),
    }


def test_publish_asks_to_confirm_and_a_get_changes_nothing(curator_client, ready):
    solution = ready["it"]

    response = curator_client.get(step_url(solution))

    assert response.status_code == 200
    assertContains(response, "<h1>Publish this case study?</h1>", html=True)
    assertContains(response, "It goes on the public site, in search and in the feeds")
    assertContains(response, f'href="{solution.get_absolute_url()}"')  # the preview
    form = read_form(response, css_class="workflow-step-form")
    assert form.method == "post"
    assert "csrfmiddlewaretoken" in form.data()
    assertContains(response, '<input type="submit" value="Publish" class="default">', html=True)
    assertContains(response, f'<a href="{change_url(solution)}" class="button cancel-link">')
    solution.refresh_from_db()
    assert solution.status == REVIEW
    assert not solution.events.exclude(to_status=REVIEW).exists()


def test_the_post_publishes_and_offers_the_next_in_the_queue(
    curator_client, ready, django_capture_on_commit_callbacks
):
    solution = ready["it"]

    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(step_url(solution), follow=True)

    solution.refresh_from_db()
    assert solution.status == PUBLISHED
    assert [message.to for message in mail.outbox] == [["a@example.org"]]
    assert response.redirect_chain == [(change_url(solution), 302)]
    assertContains(response, "“Ready to publish” is published: it is on the public site.")
    following = ready["next"]
    assertContains(
        response,
        f'<a href="{change_url(following)}" class="next-in-queue">'
        "Next in the queue: Waiting longest after it</a>",
        html=True,
    )
    assertContains(response, "View on the public site")


def test_after_the_last_one_the_queue_is_said_to_be_empty(curator_client):
    solution = waiting(REVIEW, "The only one", 1)
    waiting(CHANGES, "Waiting on its authors", 3)

    response = curator_client.post(step_url(solution), follow=True)

    assertContains(response, "Nothing else is waiting for review.")
    assertNotContains(response, "Next in the queue")


def test_a_publish_post_without_its_csrf_token_is_refused(ready):
    client = logged_in(make_curator(), enforce_csrf_checks=True)

    response = client.post(step_url(ready["it"]))

    assert response.status_code == 403
    assert Solution.objects.get(pk=ready["it"].pk).status == REVIEW


def test_staff_of_its_network_may_not_open_the_publish_page(ready):
    solution = ready["it"]
    client = logged_in(make_admin_staff(solution.network))

    assert_forbidden(client.get(step_url(solution)))
    solution.refresh_from_db()
    assert solution.status == REVIEW


def test_staff_of_another_network_do_not_find_the_publish_page(ready):
    client = logged_in(make_admin_staff(make_network()))

    response = client.get(step_url(ready["it"]))

    assert response.status_code == 404
    assertNotContains(response, "Ready to publish", status_code=404)


def test_the_publish_page_of_a_case_study_not_in_review_says_why_and_goes_back(
    curator_client,
):
    draft = make_solution(status=DRAFT, title="A draft")

    response = curator_client.get(step_url(draft), follow=True)

    assert response.redirect_chain == [(change_url(draft), 302)]
    assertContains(response, "“A draft” is draft: “Publish” is not possible now.")
    assert Solution.objects.get(pk=draft.pk).status == DRAFT


CONFIRMATION_QUERIES = 5


def test_the_publish_page_runs_the_same_exact_queries_for_3_rows_and_for_60(
    curator_client, django_assert_num_queries
):
    first = waiting(REVIEW, "The one to publish", 1)

    def add(count):
        for i in range(count):
            waiting(REVIEW, f"Also waiting {i} of {count}", 2)
        return "Publish this case study?"

    assert_queries_do_not_grow(
        curator_client, step_url(first), add, django_assert_num_queries, CONFIRMATION_QUERIES
    )


# Wording and the buttons of the change page.


def test_request_changes_is_asked_and_answered_in_plain_words(curator_client):
    solution = waiting(REVIEW, "Rain gardens", 1)
    url = step_url(solution, "request_changes")

    page = curator_client.get(url)
    done = curator_client.post(url, {"comment": "Say what it cost."}, follow=True)

    assertContains(page, "<h1>Request changes to this case study</h1>", html=True)
    assertContains(done, "“Rain gardens” now has changes requested: its author can read")
    assertNotContains(done, "is now changes requested")


def test_bulk_steps_count_case_studies_in_words(curator_client):
    chosen = [waiting(REVIEW, f"Chosen {i}", 1) for i in range(2)]

    page = curator_client.post(
        reverse("admin:solutions_solution_changelist"),
        {"action": "transition_request_changes", "_selected_action": [s.pk for s in chosen]},
    )
    done = curator_client.post(
        reverse("admin:solutions_solution_changelist"),
        {"action": "transition_publish", "_selected_action": [s.pk for s in chosen]},
        follow=True,
    )

    assertContains(page, "<h1>Request changes to these 2 case studies</h1>", html=True)
    assertContains(done, "Published 2 case studies.")


@pytest.mark.parametrize(
    "status, steps, says",
    [
        (REVIEW, ["Request changes…", "Publish…"], "It changes only through the workflow steps"),
        (PUBLISHED, ["Archive…"], "It changes only through the workflow steps"),
        (DRAFT, [], "A draft: its authors send it for review when it is ready."),
        (CHANGES, [], "It is back with its authors, who resubmit it"),
    ],
)
def test_the_status_line_says_what_the_page_offers(curator_client, status, steps, says):
    solution = make_solution(status=status)

    response = curator_client.get(change_url(solution))

    tools = response.text.split('class="object-tools"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'class="(?:workflow-step|preview-link|historylink)">([^<]+)<', tools)
    preview = (
        "View on the public site" if status == PUBLISHED else "Preview as visitors will see it"
    )
    assert links == [*steps, preview, "History"]
    assert f'<a href="{solution.get_absolute_url()}" class="preview-link">' in tools
    status_line = response.text.split('class="help workflow-status"', 1)[1].split("</p>", 1)[0]
    assert says in " ".join(status_line.split())
    if not steps:
        assert "above" not in status_line


def test_the_case_study_pages_are_titled_in_the_words_curators_use(curator_client):
    solution = waiting(REVIEW, "Rain gardens", 1)

    change_page = curator_client.get(change_url(solution))
    changelist = curator_client.get(reverse("admin:solutions_solution_changelist"))

    assertContains(change_page, "<h1>Case study</h1>", html=True)
    assertContains(changelist, "<h1>Case studies</h1>", html=True)
    for page in (change_page, changelist):
        assertNotContains(page, "Change solution")
        assertNotContains(page, "Select solution")
