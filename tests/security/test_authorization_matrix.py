"""Who may do what to a case study, in which status: the whole matrix, from one table.

MATRIX below is the design. For every action and role it names the statuses in which the role
may do it, and how the interface refuses it in the other statuses. One parametrized test walks
every cell through the real HTTP interfaces (the public site for submitters, the admin for
curators) and checks either that the effect happened, or that the request was refused and
nothing changed in the database: status, title, dates, workflow events and history versions.
"""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import reversion
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from reversion.models import Version

from solutions.models import Solution, Status
from solutions.workflow.transitions import TRANSITIONS_BY_NAME
from tests.support.asserts import inline_management_data
from tests.support.factories import (
    make_network,
    make_partner,
    make_solution,
    make_staff,
    make_superuser,
    make_user,
)

pytestmark = pytest.mark.django_db

DRAFT, REVIEW, CHANGES = Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED
PUBLISHED, ARCHIVED = Status.PUBLISHED, Status.ARCHIVED
STATUSES = [DRAFT, REVIEW, CHANGES, PUBLISHED, ARCHIVED]

ALL, NONE = frozenset(STATUSES), frozenset()
EDITABLE = frozenset({DRAFT, CHANGES})
PUBLIC = frozenset({PUBLISHED})

# How a refusal looks from outside.
LOGIN = "redirect to the site's login"
ADMIN_LOGIN = "redirect to the admin's login"
FORBIDDEN = "403"
NOT_FOUND = "404"
MESSAGE = "redirect with a message"
FORM_ERROR = "the form comes back with an error"

YES = (ALL, None)


def never(how):
    return (NONE, how)


def only(statuses, otherwise):
    return (frozenset(statuses), otherwise)


# The roles, as the `people` fixture builds them:
#   anonymous    a visitor
#   colleague    staff of the solution's network (group "Network staff"), not its author
#   author       staff of the solution's network who created it
#   admin_staff  a colleague who also has admin access (is_staff=True)
#   other_staff  staff of another network
#   curator      is_staff=True, group "Curators", no network
#   superuser    no network
ROLES = ["anonymous", "colleague", "author", "admin_staff", "other_staff", "curator", "superuser"]

CURATOR_STEP = {  # request changes, publish, archive, republish: admin transition URL
    "anonymous": never(ADMIN_LOGIN),
    "colleague": never(ADMIN_LOGIN),
    "author": never(ADMIN_LOGIN),
    "admin_staff": never(MESSAGE),
    "other_staff": never(ADMIN_LOGIN),
    "curator": YES,
    "superuser": YES,
}
SUBMITTER_STEP = {  # submit, resubmit: the site's transition URL under My submissions
    "anonymous": never(LOGIN),
    "colleague": YES,
    "author": YES,
    "admin_staff": YES,
    "other_staff": never(NOT_FOUND),
    "curator": never(NOT_FOUND),
    "superuser": never(NOT_FOUND),
}

# action -> role -> (statuses in which it is allowed, how it is refused otherwise)
MATRIX = {
    "view": {  # GET solution.get_absolute_url(); a "Preview" banner unless published
        "anonymous": only(PUBLIC, otherwise=NOT_FOUND),
        "colleague": YES,
        "author": YES,
        "admin_staff": YES,
        "other_staff": only(PUBLIC, otherwise=NOT_FOUND),
        "curator": YES,
        "superuser": YES,
    },
    # GET /api/v1/solutions/<slug>/ and the list: the open-data API shows only what is
    # published, to everyone alike, with or without a session.
    "read_in_api": {role: only(PUBLIC, otherwise=NOT_FOUND) for role in ROLES},
    "create": {  # GET and POST solutions:submit, for the user's own network
        "anonymous": never(LOGIN),
        "colleague": YES,
        "author": YES,
        "admin_staff": YES,
        "other_staff": YES,
        "curator": never(FORBIDDEN),
        "superuser": never(FORBIDDEN),
    },
    "create_for_network": {  # POST solutions:submit naming the solution's network
        "anonymous": never(LOGIN),
        "colleague": YES,
        "author": YES,
        "admin_staff": YES,
        "other_staff": never(FORM_ERROR),
        "curator": never(FORBIDDEN),
        "superuser": never(FORBIDDEN),
    },
    "edit_on_site": {  # GET and POST solutions:edit
        "anonymous": never(LOGIN),
        "colleague": only(EDITABLE, otherwise=MESSAGE),
        "author": only(EDITABLE, otherwise=MESSAGE),
        "admin_staff": only(EDITABLE, otherwise=MESSAGE),
        "other_staff": never(NOT_FOUND),
        "curator": never(NOT_FOUND),
        "superuser": never(NOT_FOUND),
    },
    "edit_in_admin": {  # POST the admin change page
        "anonymous": never(ADMIN_LOGIN),
        "colleague": never(ADMIN_LOGIN),
        "author": never(ADMIN_LOGIN),
        "admin_staff": only(EDITABLE, otherwise=FORBIDDEN),
        "other_staff": never(ADMIN_LOGIN),
        "curator": YES,
        "superuser": YES,
    },
    "submit": SUBMITTER_STEP,
    "resubmit": SUBMITTER_STEP,
    "request_changes": CURATOR_STEP,
    "publish": CURATOR_STEP,
    "archive": CURATOR_STEP,
    "republish": CURATOR_STEP,
    "confirm_publish": {  # GET the admin's page that asks to confirm publishing
        "anonymous": never(ADMIN_LOGIN),
        "colleague": never(ADMIN_LOGIN),
        "author": never(ADMIN_LOGIN),
        "admin_staff": never(FORBIDDEN),
        "other_staff": never(ADMIN_LOGIN),
        "curator": YES,
        "superuser": YES,
    },
    "see_on_desk": {  # GET the admin's home page: the curator's desk lists it
        "anonymous": never(ADMIN_LOGIN),
        "colleague": never(ADMIN_LOGIN),
        "author": never(ADMIN_LOGIN),
        "admin_staff": YES,  # their own network's
        "other_staff": never(ADMIN_LOGIN),
        "curator": YES,
        "superuser": YES,
    },
    "restore": {  # GET and POST the admin's revision view for the oldest version
        "anonymous": never(ADMIN_LOGIN),
        "colleague": never(ADMIN_LOGIN),
        "author": never(ADMIN_LOGIN),
        "admin_staff": never(FORBIDDEN),
        "other_staff": never(ADMIN_LOGIN),
        "curator": YES,
        "superuser": YES,
    },
}

# The statuses each action is tried in: a workflow step from its own source status only (moves
# from the wrong status are tested in test_workflow.py); creating once, as the status of the
# existing case study plays no part in it.
TRIED_IN = {
    "view": STATUSES,
    "read_in_api": STATUSES,
    "create": [DRAFT],
    "create_for_network": [DRAFT],
    "edit_on_site": STATUSES,
    "edit_in_admin": STATUSES,
    **{name: [step.source] for name, step in TRANSITIONS_BY_NAME.items()},
    "confirm_publish": [REVIEW],
    "see_on_desk": [REVIEW, CHANGES],  # the statuses the desk lists as waiting
    "restore": STATUSES,
}


def cells():
    for action, by_role in MATRIX.items():
        for role, (allowed_in, how_refused) in by_role.items():
            for status in TRIED_IN[action]:
                allowed = status in allowed_in
                label = f"{action}-{role}-{status}-{'allowed' if allowed else 'refused'}"
                yield pytest.param(action, role, status, allowed, how_refused, id=label)


CELLS = list(cells())


# People and the case study.

FIRST_TITLE = "Rainwater tanks for schools"  # the oldest version in the history
TITLE = "Rainwater harvesting for schools"  # the current one
EDITED_TITLE = "Edited by whoever was allowed to"
NEW_TITLE = "A brand new case study"
COMMENT = "Please say what it cost."
PUBLISHED_AT = datetime(2025, 1, 1, 9, tzinfo=UTC)
BANNER = "This case study is not on the public site"

SITE_FORMSETS = ["partners", "sources", "indicators", "images"]
ADMIN_INLINES = ["partners", "sources", "images", "indicators", "transfers", "events"]


@pytest.fixture
def people(city, network, theme):
    staff_group = Group.objects.get(name="Network staff")
    elsewhere = make_network(name="Another network", slug="another-network", acronym="AN")

    def staff_of(network_, **fields):
        user = make_user(**fields)
        make_staff(network_, user=user)
        user.groups.add(staff_group)
        return user

    curator = make_user(username="curator", is_staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))
    users = {
        "anonymous": None,
        "colleague": staff_of(network, username="colleague"),
        "author": staff_of(network, username="author"),
        "admin_staff": staff_of(network, username="admin-staff", is_staff=True),
        "other_staff": staff_of(elsewhere, username="other-staff"),
        "curator": curator,
        "superuser": make_superuser(username="super"),
    }
    own_network = {role: network for role in ["colleague", "author", "admin_staff"]}
    own_network["other_staff"] = elsewhere
    return SimpleNamespace(
        city=city, network=network, theme=theme, users=users, own_network=own_network
    )


def case_study_in(status, people):
    """A complete case study with two versions: a first draft, then the current state."""
    with reversion.create_revision():
        solution = make_solution(
            title=FIRST_TITLE,
            slug="rainwater-harvesting-for-schools",
            status=DRAFT,
            city=people.city,
            network=people.network,
            author=people.users["author"],
            themes=[people.theme],
        )
    with reversion.create_revision():
        solution.title = TITLE
        solution.status = status
        if status in (PUBLISHED, ARCHIVED):
            solution.published_at = PUBLISHED_AT
        solution.save()
    solution.refresh_from_db()
    return solution


def snapshot(solution):
    """Everything a refused request must leave as it was."""
    row = Solution.objects.get(pk=solution.pk)
    return {
        "status": row.status,
        "title": row.title,
        "network": row.network_id,
        "published_at": row.published_at,
        "updated_at": row.updated_at,
        "events": row.events.count(),
        "versions": Version.objects.get_for_object(row).count(),
        "solutions": Solution.objects.count(),
    }


# The requests each action makes. Each returns the responses a refusal shows in.


def site_form_data(people, **changes):
    data = {
        "title": TITLE,
        "network": people.network.pk,
        "city": people.city.name,
        "summary": "Schools collect the rain from their roofs.",
        "problem": "Taps run dry in the dry season.",
        "approach": "Tanks, gutters and a maintenance rota.",
        "themes": [people.theme.pk],
        "stage": "implemented",
        "opened_at": "",
        "action": "save",
        **inline_management_data(*SITE_FORMSETS),
    }
    data.update(changes)
    return data


def admin_form_data(solution, **changes):
    def text(value):
        return "" if value is None else value

    data = {
        "title": solution.title,
        "slug": solution.slug,
        "summary": solution.summary,
        "city": solution.city_id,
        "network": solution.network_id,
        "opened_at": solution.updated_at.isoformat(),
        "problem": solution.problem,
        "approach": solution.approach,
        "results": solution.results,
        "lessons_learned": solution.lessons_learned,
        "themes": [theme.pk for theme in solution.themes.all()],
        "tags": "",
        "stage": solution.stage,
        "start_year": text(solution.start_year),
        "end_year": text(solution.end_year),
        "cost_usd": text(solution.cost_usd),
        "funding": solution.funding,
        "contact_name": solution.contact_name,
        "contact_organisation": solution.contact_organisation,
        "contact_email": solution.contact_email,
        "author": text(solution.author_id),
        **inline_management_data(*ADMIN_INLINES),
    }
    data.update(changes)
    return data


def view(ctx):
    return [ctx.client.get(ctx.solution.get_absolute_url())]


def read_in_api(ctx):
    item = ctx.client.get(f"/api/v1/solutions/{ctx.solution.slug}/")
    listed = ctx.client.get("/api/v1/solutions/?page_size=100")
    if item.status_code == 404:
        # Refused: the item is not found, and the list does not hold it either.
        assert ctx.solution.slug not in listed.content.decode()
        return [item]
    return [item, listed]


def create(ctx):
    url = reverse("solutions:submit")
    network = ctx.people.own_network.get(ctx.role, ctx.people.network)
    opened = ctx.client.get(url)
    saved = ctx.client.post(url, site_form_data(ctx.people, title=NEW_TITLE, network=network.pk))
    ctx.expected_network = network
    return [opened, saved]


def create_for_network(ctx):
    url = reverse("solutions:submit")
    ctx.expected_network = ctx.people.network
    data = site_form_data(ctx.people, title=NEW_TITLE, network=ctx.people.network.pk)
    return [ctx.client.post(url, data)]


def edit_on_site(ctx):
    url = reverse("solutions:edit", kwargs={"slug": ctx.solution.slug})
    opened = ctx.client.get(url)
    data = site_form_data(
        ctx.people, title=EDITED_TITLE, opened_at=ctx.solution.updated_at.isoformat()
    )
    return [opened, ctx.client.post(url, data)]


def edit_in_admin(ctx):
    url = reverse("admin:solutions_solution_change", args=[ctx.solution.pk])
    return [ctx.client.post(url, admin_form_data(ctx.solution, title=EDITED_TITLE))]


def step_on_site(ctx):
    url = reverse(
        "solutions:submission-transition", kwargs={"slug": ctx.solution.slug, "name": ctx.action}
    )
    return [ctx.client.post(url)]


def step_in_admin(ctx):
    url = reverse("admin:solutions_solution_transition", args=[ctx.solution.pk, ctx.action])
    return [ctx.client.post(url, {"comment": COMMENT})]


def confirm_publish(ctx):
    url = reverse("admin:solutions_solution_transition", args=[ctx.solution.pk, "publish"])
    return [ctx.client.get(url)]


def see_on_desk(ctx):
    return [ctx.client.get(reverse("admin:index"))]


def restore(ctx):
    oldest = Version.objects.get_for_object(ctx.solution).order_by("pk").first()
    url = reverse("admin:solutions_solution_revision", args=[ctx.solution.pk, oldest.pk])
    shown = ctx.client.get(url)
    ctx.title_after_showing = Solution.objects.get(pk=ctx.solution.pk).title
    if shown.status_code == 200:  # post back the form the old version fills in
        data = admin_form_data(
            shown.context["original"],
            opened_at=shown.context["adminform"].form.initial["opened_at"],
        )
    else:
        data = admin_form_data(ctx.solution, title=FIRST_TITLE)
    return [shown, ctx.client.post(url, data)]


ACTIONS = {
    "view": view,
    "read_in_api": read_in_api,
    "create": create,
    "create_for_network": create_for_network,
    "edit_on_site": edit_on_site,
    "edit_in_admin": edit_in_admin,
    "submit": step_on_site,
    "resubmit": step_on_site,
    "request_changes": step_in_admin,
    "publish": step_in_admin,
    "archive": step_in_admin,
    "republish": step_in_admin,
    "confirm_publish": confirm_publish,
    "see_on_desk": see_on_desk,
    "restore": restore,
}


# What "allowed" means for each action: its effect happened.


def changes_between(before, after):
    return {key: (before[key], after[key]) for key in before if before[key] != after[key]}


def viewed(ctx, responses, before, after):
    (response,) = responses
    assertContains(response, TITLE)
    if ctx.status == PUBLISHED:
        assertNotContains(response, BANNER)
    else:
        assertContains(response, "Preview:")
        assertContains(response, BANNER)
    assert changes_between(before, after) == {}


def read_through_api(ctx, responses, before, after):
    item, listed = responses
    assert item.json()["title"] == TITLE
    assert [s["slug"] for s in listed.json()["results"]] == [ctx.solution.slug]
    assert changes_between(before, after) == {}


def created(ctx, responses, before, after):
    *opened, saved = responses
    for response in opened:
        assertContains(response, 'name="title"')
    new = Solution.objects.get(title=NEW_TITLE)
    assertRedirects(saved, reverse("solutions:edit", kwargs={"slug": new.slug}))
    assert (new.author, new.network, new.status) == (ctx.user, ctx.expected_network, DRAFT)
    assert changes_between(before, after) == {
        "solutions": (before["solutions"], before["solutions"] + 1)
    }


def edited_on_site(ctx, responses, before, after):
    opened, saved = responses
    assertContains(opened, 'name="title"')
    assertRedirects(saved, reverse("solutions:edit", kwargs={"slug": ctx.solution.slug}))
    changes = changes_between(before, after)
    assert changes.pop("title") == (TITLE, EDITED_TITLE)
    assert changes.pop("versions") == (before["versions"], before["versions"] + 1)
    assert set(changes) == {"updated_at"}  # same status, no workflow event


def edited_in_admin(ctx, responses, before, after):
    (saved,) = responses
    assertRedirects(saved, reverse("admin:solutions_solution_changelist"))
    changes = changes_between(before, after)
    assert changes.pop("title") == (TITLE, EDITED_TITLE)
    assert changes.pop("versions") == (before["versions"], before["versions"] + 1)
    assert set(changes) == {"updated_at"}  # same status, no workflow event


def stepped(ctx, responses, before, after):
    (response,) = responses
    step = TRANSITIONS_BY_NAME[ctx.action]
    if ctx.action in ("submit", "resubmit"):
        assertRedirects(response, reverse("solutions:my-submissions"))
    else:
        change_page = reverse("admin:solutions_solution_change", args=[ctx.solution.pk])
        assertRedirects(response, change_page)
    assert (after["status"], after["title"]) == (step.target, TITLE)
    assert after["events"] == before["events"] + 1
    assert after["versions"] == before["versions"] + 1
    event = ctx.solution.events.last()
    assert (event.actor, event.from_status, event.to_status) == (ctx.user, step.source, step.target)
    assert event.comment == (COMMENT if step.comment_required else "")


def asked_to_confirm(ctx, responses, before, after):
    (page,) = responses
    assertContains(page, "<h1>Publish this case study?</h1>", html=True)
    assertContains(page, '<form method="post" class="workflow-step-form">')
    assert changes_between(before, after) == {}  # only the POST publishes


def listed_on_desk(ctx, responses, before, after):
    (page,) = responses
    key = "in-review" if ctx.status == REVIEW else "changes-requested"
    desk_section = page.text.split(f'aria-labelledby="desk-{key}"', 1)[1].split("</section>")[0]
    assert TITLE in desk_section
    assert changes_between(before, after) == {}


def restored(ctx, responses, before, after):
    shown, saved = responses
    assertContains(shown, FIRST_TITLE)
    assert ctx.title_after_showing == TITLE  # showing a version changes nothing
    assertRedirects(saved, reverse("admin:solutions_solution_changelist"))
    changes = changes_between(before, after)
    assert changes.pop("title") == (TITLE, FIRST_TITLE)
    assert changes.pop("versions") == (before["versions"], before["versions"] + 1)
    # The content comes back, the workflow status and publication date stay.
    assert set(changes) == {"updated_at"}


EFFECTS = {
    "view": viewed,
    "read_in_api": read_through_api,
    "create": created,
    "create_for_network": created,
    "edit_on_site": edited_on_site,
    "edit_in_admin": edited_in_admin,
    "submit": stepped,
    "resubmit": stepped,
    "request_changes": stepped,
    "publish": stepped,
    "archive": stepped,
    "republish": stepped,
    "confirm_publish": asked_to_confirm,
    "see_on_desk": listed_on_desk,
    "restore": restored,
}


def assert_refused(response, how):
    if how == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")
    elif how == ADMIN_LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login") + "?next=")
    elif how == FORBIDDEN:
        # The site's page that says so, not a bare 403 (nor the CSRF failure page).
        assertContains(response, "You cannot do that here", status_code=403)
    elif how == NOT_FOUND:
        assert response.status_code == 404
    elif how == MESSAGE:
        assert response.status_code == 302
        assert "login" not in response.url
        assert list(get_messages(response.wsgi_request)), "refused without saying why"
    elif how == FORM_ERROR:
        assert response.status_code == 200
        assert "network" in response.context["form"].errors
    else:
        raise AssertionError(f"unknown refusal {how!r}")


# The matrix.


def test_the_matrix_covers_every_role_and_says_how_each_refusal_looks():
    assert set(ACTIONS) == set(MATRIX) == set(EFFECTS) == set(TRIED_IN)
    for action, by_role in MATRIX.items():
        assert list(by_role) == ROLES, action
        for role, (allowed_in, how_refused) in by_role.items():
            assert allowed_in <= ALL
            assert (how_refused is None) == (allowed_in >= set(TRIED_IN[action])), (action, role)
    assert len(CELLS) == 36 * len(ROLES)


@pytest.mark.parametrize("action, role, status, allowed, how_refused", CELLS)
def test_authorization_matrix(
    client, people, django_capture_on_commit_callbacks, action, role, status, allowed, how_refused
):
    user = people.users[role]
    if user is not None:
        client.force_login(user)
    solution = case_study_in(status, people)
    ctx = SimpleNamespace(
        client=client,
        people=people,
        user=user,
        role=role,
        action=action,
        status=status,
        solution=solution,
    )
    before = snapshot(solution)

    with django_capture_on_commit_callbacks(execute=True):
        responses = ACTIONS[action](ctx)

    after = snapshot(solution)
    if allowed:
        EFFECTS[action](ctx, responses, before, after)
    else:
        for response in responses:
            assert_refused(response, how_refused)
        assert after == before


# The admin's other doors next to the solution's change page stay closed too.


@pytest.mark.parametrize("whose", ["own network, published", "another network, draft"])
def test_staff_with_admin_access_cannot_change_partners_of_a_case_study_they_may_not_edit(
    client, people, whose
):
    if whose == "own network, published":
        solution = case_study_in(PUBLISHED, people)
    else:
        solution = make_solution(status=DRAFT, network=make_network(), themes=[people.theme])
    partner = make_partner(solution, name="City water utility", sector="government")
    versions = Version.objects.get_for_object(solution).count()
    client.force_login(people.users["admin_staff"])

    response = client.post(
        reverse("admin:solutions_partner_change", args=[partner.pk]),
        {"solution": solution.pk, "name": "Renamed by staff", "sector": "business", "role": ""},
    )

    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.name == "City water utility"
    assert Version.objects.get_for_object(solution).count() == versions


def test_the_solution_admin_transition_page_hides_other_networks_case_studies(client, people):
    secret = make_solution(
        status=REVIEW, title="Unannounced flood barrier", network=make_network(), themes=[]
    )
    client.force_login(people.users["admin_staff"])

    response = client.get(
        reverse("admin:solutions_solution_transition", args=[secret.pk, "publish"])
    )

    assert response.status_code == 404


def test_the_review_queue_transition_page_hides_other_networks_case_studies(client, people):
    secret = make_solution(
        status=REVIEW, title="Unannounced flood barrier", network=make_network(), themes=[]
    )
    client.force_login(people.users["admin_staff"])

    response = client.get(
        reverse("admin:solutions_reviewqueueitem_transition", args=[secret.pk, "publish"])
    )

    assert response.status_code == 403  # network staff have no access to the review queue
    assert "Unannounced flood barrier" not in response.content.decode()


@pytest.mark.parametrize("role, may_reassign", [("admin_staff", False), ("curator", True)])
def test_only_curators_can_reassign_the_author_in_the_admin(client, people, role, may_reassign):
    solution = case_study_in(DRAFT, people)
    stranger = people.users["other_staff"]
    client.force_login(people.users[role])

    response = client.post(
        reverse("admin:solutions_solution_change", args=[solution.pk]),
        admin_form_data(solution, author=stranger.pk),
    )

    assert response.status_code == 302
    solution.refresh_from_db()
    assert (solution.author == stranger) is may_reassign
