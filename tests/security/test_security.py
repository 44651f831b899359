"""Security and reliability: headers, uploads, brute force, rate limits, health, logs, deletes."""

import io
import json
import logging
import re
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse
from PIL import Image
from pytest_django.asserts import assertContains
from reversion.models import Version

from core.logging import JsonFormatter
from solutions.forms import SolutionImageForm
from solutions.models import Partner, Solution, Status, Theme
from solutions.workflow.transitions import transition
from tests.support.factories import (
    make_indicator,
    make_membership,
    make_partner,
    make_solution,
    make_staff,
    make_transfer,
    make_user,
)
from tests.support.html_forms import form_data

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


@pytest.fixture
def site(solution, theme):
    make_indicator(solution, measurements=[(2020, 1), (2021, 2)])
    make_transfer(solution)
    make_membership(network=solution.network, city=solution.city)
    staff = make_user(username="staff", password=PASSWORD)
    staff.groups.add(Group.objects.get(name="Network staff"))
    make_staff(solution.network, user=staff)
    curator = make_user(username="curator", password=PASSWORD, is_staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))
    draft = make_solution(status=Status.DRAFT, network=solution.network, themes=[theme])
    return {
        "solution": solution,
        "theme": theme,
        "staff": staff,
        "curator": curator,
        "draft": draft,
    }


# Security headers on every page type


def page_types(site):
    solution = site["solution"]
    return {
        "home": (None, "/"),
        "solution list": (None, "/solutions/?q=toilet"),
        "solution": (None, solution.get_absolute_url()),
        "themes": (None, "/themes/"),
        "theme": (None, site["theme"].get_absolute_url()),
        "city": (None, solution.city.get_absolute_url()),
        "networks": (None, "/networks/"),
        "network": (None, solution.network.get_absolute_url()),
        "transfers": (None, "/transfers/"),
        "export": (None, "/solutions/export.csv"),
        "feed": (None, "/solutions/feed/"),
        "sitemap": (None, "/sitemap.xml"),
        "health": (None, "/health/"),
        "not found": (None, "/solutions/nothing-here/"),
        "login": (None, "/accounts/login/"),
        "submission form": ("staff", "/submit/"),
        "my submissions": ("staff", "/my/submissions/"),
        "preview": ("staff", site["draft"].get_absolute_url()),
        "admin index": ("curator", "/admin/"),
        "admin change page": ("curator", f"/admin/solutions/solution/{solution.pk}/change/"),
        "admin review queue": ("curator", "/admin/solutions/reviewqueueitem/"),
    }


def test_every_page_type_sends_the_security_headers(client, site):
    for name, (who, url) in page_types(site).items():
        client.logout()
        if who:
            client.force_login(site[who])
        response = client.get(url)
        assert response.status_code == (404 if name == "not found" else 200), name
        policy = response["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        assert directives["object-src"] == ["'none'"], name
        assert directives["frame-ancestors"] == ["'none'"], name
        assert directives["base-uri"] == ["'self'"], name
        assert directives["default-src"] == ["'self'"], name
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, name
        # Only 'self', plus a nonce when the page used one for an inline script.
        assert set(directives["script-src"]) - {"'self'"} <= {
            value for value in directives["script-src"] if value.startswith("'nonce-")
        }, name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name


def test_the_sites_own_pages_have_no_inline_script_or_style_without_the_nonce(client, site):
    for name, (who, url) in page_types(site).items():
        if url.startswith("/admin/"):
            continue  # the admin is checked in a real browser (tests/browser/test_csp.py)
        client.logout()
        if who:
            client.force_login(site[who])
        response = client.get(url)
        if "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            # JSON-LD is data the browser never runs: the policy does not apply to it.
            is_data = tag == '<script type="application/ld+json">'
            assert is_data or "src=" in tag or (nonce and f'nonce="{nonce[1]}"' in tag), (
                name,
                tag,
            )
        assert not re.search(r"<[^>]+\sstyle=", html), name
        assert not re.search(r"<[^>]+\son[a-z]+=", html), name


# Uploads


def png_bytes(size=(12, 8), **save_options):
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(out, "PNG", **save_options)
    return out.getvalue()


def jpeg_with_exif():
    image = Image.new("RGB", (16, 16), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x8825] = {2: (51, 30, 0)}  # GPS info
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def image_form(name, content, content_type="image/png"):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return SolutionImageForm(data={"alt_text": "A photo"}, files={"image": upload})


def test_a_real_image_is_accepted_re_encoded_and_renamed(settings, tmp_path, site):
    settings.MEDIA_ROOT = tmp_path
    form = image_form("../../../etc/passwd.png", png_bytes())
    assert form.is_valid(), form.errors
    image = form.save(commit=False)
    image.solution = site["solution"]
    image.save()

    stored = image.image.name
    assert re.fullmatch(r"solutions/\d{4}/\d{2}/[0-9a-f]{32}\.png", stored)
    assert "passwd" not in stored and ".." not in stored
    assert (tmp_path / stored).is_file()
    assert str((tmp_path / stored).resolve()).startswith(str(tmp_path.resolve()))


def test_metadata_is_stripped_from_uploaded_photos(settings, tmp_path, site):
    settings.MEDIA_ROOT = tmp_path
    original = jpeg_with_exif()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif()  # the test photo really carries EXIF and GPS data
    form = image_form("holiday.jpg", original, "image/jpeg")
    assert form.is_valid(), form.errors
    image = form.save(commit=False)
    image.solution = site["solution"]
    image.save()

    with Image.open(image.image.path) as saved:
        assert not saved.getexif()
        assert "exif" not in saved.info
        assert saved.size == (16, 16)


@pytest.mark.parametrize(
    "name, content, content_type, message",
    [
        ("notes.png", b"This is plain text, not a picture.", "image/png", "not an image"),
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
            "image/svg+xml",
            "Upload a valid image",
        ),
        (
            "drawing.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/png",
            "not an image",
        ),
        ("page.html", b"<html><script>alert(1)</script></html>", "text/html", "valid image"),
        ("page.png", b"<html><script>alert(1)</script></html>", "image/png", "not an image"),
    ],
)
def test_files_that_are_not_photos_are_refused(name, content, content_type, message):
    form = image_form(name, content, content_type)
    assert not form.is_valid()
    assert message in " ".join(form.errors["image"])


def test_an_oversize_file_is_refused(monkeypatch):
    monkeypatch.setattr("solutions.images.MAX_IMAGE_BYTES", 100)
    form = image_form("big.png", png_bytes(size=(200, 200)))
    assert not form.is_valid()
    assert "the largest allowed is" in " ".join(form.errors["image"])


def test_an_image_with_too_many_pixels_is_refused(monkeypatch):
    monkeypatch.setattr("solutions.images.MAX_IMAGE_SIDE", 100)
    form = image_form("wide.png", png_bytes(size=(101, 10)))
    assert not form.is_valid()
    assert "101 × 10 pixels" in " ".join(form.errors["image"])


# Brute force


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_is_locked_after_repeated_failures_and_recovers_after_the_cool_off(client, site):
    for _ in range(4):
        assert log_in(client, "staff", "wrong password").status_code == 200
    assert log_in(client, "staff", "wrong password").status_code == 429  # the fifth locks
    response = log_in(client, "staff", PASSWORD)

    assert response.status_code == 429
    assertContains(response, "Too many failed log-in attempts", status_code=429)
    assert "_auth_user_id" not in client.session

    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(hours=2)
    )
    response = log_in(client, "staff", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(site["staff"].pk)


def test_an_administrator_can_lift_a_lockout(client, site):
    for _ in range(6):
        log_in(client, "staff", "wrong password")
    assert log_in(client, "staff", PASSWORD).status_code == 429

    call_command("axes_reset_username", "staff", stdout=StringIO())

    assert log_in(client, "staff", PASSWORD).status_code == 302


def test_the_admin_login_is_locked_too(client, site):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "curator", "password": "nope"})
    response = client.post(reverse("admin:login"), {"username": "curator", "password": PASSWORD})
    assertContains(response, "Too many failed log-in attempts", status_code=429)
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_one_users_failures_do_not_lock_another_user(client, site):
    for _ in range(6):
        log_in(client, "staff", "wrong password")
    assert log_in(client, "curator", PASSWORD).status_code == 302


# Rate limit on case-study submissions


def draft_post(title):
    data = {"title": title, "network": "", "city": "", "stage": "idea", "action": "save"}
    for prefix in ["partners", "sources", "indicators", "images"]:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def test_case_study_saves_are_rate_limited_and_allowed_again_later(
    client, site, settings, monkeypatch
):
    settings.SUBMISSION_RATE = "2/h"
    solution = site["solution"]
    client.force_login(site["staff"])
    url = reverse("solutions:submit")
    clock = [1_800_000_000.0]
    monkeypatch.setattr("django_ratelimit.core.time.time", lambda: clock[0])

    for n in range(2):
        data = draft_post(f"Draft {n}") | {
            "network": solution.network_id,
            "city": solution.city.slug,
        }
        assert client.post(url, data).status_code == 302
    refused = client.post(
        url,
        draft_post("Third draft") | {"network": solution.network_id, "city": solution.city.slug},
    )

    assert refused.status_code == 429
    assertContains(refused, "this save was not made", status_code=429)
    assertContains(refused, 'value="Third draft"', status_code=429)
    assert not Solution.objects.filter(title="Third draft").exists()

    clock[0] += 3601
    again = client.post(
        url,
        draft_post("Third draft") | {"network": solution.network_id, "city": solution.city.slug},
    )
    assert again.status_code == 302
    assert Solution.objects.filter(title="Third draft").exists()


def test_the_rate_limit_counts_each_user_separately(client, site, settings):
    settings.SUBMISSION_RATE = "1/h"
    solution = site["solution"]
    other = make_user(username="colleague")
    make_staff(solution.network, user=other)
    extra = {"network": solution.network_id, "city": solution.city.slug}
    client.force_login(site["staff"])
    assert client.post(reverse("solutions:submit"), draft_post("One") | extra).status_code == 302
    client.force_login(other)
    assert client.post(reverse("solutions:submit"), draft_post("Two") | extra).status_code == 302


# Health


def test_health_answers_ok_when_the_database_answers(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_answers_503_when_the_shared_cache_does_not(client, monkeypatch):
    def broken_set(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr("core.views.cache.set", broken_set)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "unavailable"}


def test_health_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("core.views.connection.cursor", broken_cursor)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


# Structured logs


def test_workflow_steps_are_logged_with_who_what_and_which(site, caplog):
    caplog.set_level(logging.INFO, logger="solutions.workflow")
    draft = site["draft"]
    transition(draft, user=site["staff"], name="submit")

    record = next(r for r in caplog.records if r.name == "solutions.workflow")
    assert (record.event, record.step, record.solution, record.actor) == (
        "workflow_transition",
        "submit",
        draft.pk,
        "staff",
    )
    assert (record.from_status, record.to_status) == ("draft", "in_review")
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "workflow_transition" and line["logger"] == "solutions.workflow"


def test_logins_and_failed_logins_are_logged(client, site, caplog):
    caplog.set_level(logging.INFO, logger="security")
    log_in(client, "staff", "wrong password")
    log_in(client, "staff", PASSWORD)

    events = [(r.event, r.user) for r in caplog.records if r.name == "security"]
    assert events == [("login_failed", "staff"), ("login", "staff")]
    for record in caplog.records:
        line = json.loads(JsonFormatter().format(record))
        assert (line["logger"], line["message"]) == (record.name, record.getMessage())


# Nothing lost


def test_staff_cannot_delete_a_solution_even_with_admin_access(client, site):
    staff = site["staff"]
    staff.is_staff = True
    staff.save()
    draft = site["draft"]
    client.force_login(staff)

    response = client.post(
        reverse("admin:solutions_solution_delete", args=[draft.pk]), {"post": "yes"}
    )
    actions = client.get(reverse("admin:solutions_solution_changelist")).context["action_form"]

    assert response.status_code == 403
    assert Solution.objects.filter(pk=draft.pk).exists()
    assert "delete_selected" not in [value for value, _label in actions.fields["action"].choices]


def test_a_curator_can_delete_a_solution_and_recover_it_from_history(client, site):
    solution = site["solution"]
    make_partner(solution, name="Residents' association")
    client.force_login(site["curator"])
    change_url = reverse("admin:solutions_solution_change", args=[solution.pk])
    client.post(change_url, form_data(client.get(change_url)))
    assert Version.objects.get_for_object(solution).exists()
    solution_pk, partners = solution.pk, sorted(solution.partners.values_list("name", flat=True))

    response = client.post(
        reverse("admin:solutions_solution_delete", args=[solution.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Solution.objects.filter(pk=solution_pk).exists()

    deleted = Version.objects.get_deleted(Solution).get(object_id=str(solution_pk))
    recover_url = reverse("admin:solutions_solution_recover", args=[deleted.pk])
    form_page = client.get(recover_url)
    assert form_page.status_code == 200
    client.post(recover_url, form_data(form_page))

    restored = Solution.objects.get(pk=solution_pk)
    assert restored.title == solution.title
    assert sorted(restored.partners.values_list("name", flat=True)) == partners
    assert Partner.objects.filter(solution=restored).count() == len(partners)


def test_every_theme_used_on_a_solution_survives_its_deletion(client, site):
    other = make_solution(themes=[site["theme"]])
    client.force_login(site["curator"])
    client.post(reverse("admin:solutions_solution_delete", args=[other.pk]), {"post": "yes"})
    assert Theme.objects.filter(pk=site["theme"].pk).exists()
    assert site["theme"].solutions.filter(pk=site["solution"].pk).exists()


def test_ping_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/ping/")
    assert (response.status_code, response.content) == (200, b"ok")
