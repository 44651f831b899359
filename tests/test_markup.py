"""The Nu Html Checker (vnu.jar, the npm package vnu-jar) on every page type we write: no error.

The pages are fetched as a visitor's browser gets them (the HTML as sent, not the DOM), written
to files and checked in one run of the checker. It needs Java and `npm ci` (make test runs it);
without them the test is skipped with a hint, and under CI=true it fails instead.
The admin's pages are Django's own markup and are not checked here.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from networks.models import Network
from solutions.models import Solution, Status
from tests.support.factories import make_staff, make_user

pytestmark = pytest.mark.django_db

VNU_JAR = Path(__file__).resolve().parents[1] / "node_modules/vnu-jar/build/dist/vnu.jar"
HINT = (
    "The Nu Html Checker needs Java and vnu.jar: run `npm ci` in the project (make test does) "
    "and install a Java runtime (Debian: default-jre-headless)."
)

# (page name, message start) -> why the message does not apply. Empty: every page is clean.
ALLOWED_ERRORS: dict[tuple[str, str], str] = {}


def public_pages():
    solution = Solution.objects.published().select_related("city", "network").first()
    theme = solution.themes.first()
    return {
        "home": "/",
        "solution list": "/solutions/",
        "filtered search": "/solutions/?q=water&region=africa&region=asia&sort=relevance",
        "search with snippets": "/solutions/?q=flooding",
        "empty search": "/solutions/?q=nothingmatchesthis",
        "past the last page": "/solutions/?page=999",
        "solution": solution.get_absolute_url(),
        "themes": "/themes/",
        "theme": theme.get_absolute_url(),
        "city": solution.city.get_absolute_url(),
        "networks": "/networks/",
        "network": solution.network.get_absolute_url(),
        "transfers": "/transfers/?crossing=national",
        "map": "/map/?theme=water-and-sanitation&region=africa&region=asia",
        "world map": "/map/",
        "cities": "/cities/?subregion=sub-saharan-africa&sort=solutions",
        "cities like mine": (
            "/cities/like-mine/?country=KE&population=3000000&themes=water-and-sanitation"
        ),
        "cities like mine, unanswered": "/cities/like-mine/?population=-4",
        "open data API": "/api/",
        "open data download": "/open-data/",
        "coverage": "/coverage/",
        "login": "/accounts/login/",
        "password reset": "/accounts/password_reset/",
        "not found": "/solutions/no-such-solution/",
    }


def vnu_errors(pages, tmp_path):
    """{page name: [error messages]} for {page name: html}."""
    files = {}
    for n, (name, html) in enumerate(pages.items()):
        path = tmp_path / f"page-{n}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    paths = [str(tmp_path / file) for file in files]
    run = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *paths],
        capture_output=True,
        text=True,
        timeout=300,
    )
    found = {name: [] for name in pages}
    for message in json.loads(run.stderr or '{"messages": []}')["messages"]:
        url = message.get("url", "")
        name = files.get(url.rsplit("/", 1)[-1], url)
        text = (
            f"{message['message']} (line {message.get('lastLine')}: {message.get('extract', '')!r})"
        )
        if not any((name, text.startswith(start)) == (n, True) for n, start in ALLOWED_ERRORS):
            found.setdefault(name, []).append(text)
    return found


@pytest.fixture
def checker():
    if shutil.which("java") is None or not VNU_JAR.is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(HINT)
        pytest.skip(HINT)


def test_the_checker_reports_what_it_should(checker, tmp_path):
    bad = (
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body>'
        '<time datetime="2020-01-01T00:00:00.123456+00:00">x</time><h1>a</h1><h3>b</h3>'
        "</body></html>"
    )
    [datetime, heading] = vnu_errors({"bad": bad}, tmp_path)["bad"]
    assert "fraction of a second" in datetime
    assert "skipping 1 heading level" in heading


def test_every_page_type_is_valid_html(client, checker, tmp_path):
    call_command("seed_demo", verbosity=0)
    pages = {name: client.get(path).text for name, path in public_pages().items()}

    writer = make_user(username="writer")
    writer.groups.add(Group.objects.get(name="Network staff"))
    make_staff(Network.objects.get(slug="mip"), user=writer)
    client.force_login(writer)
    pages["submission form"] = client.get("/submit/").text
    refused = client.post("/submit/", {"title": "Rain barrels", "city": "Nowhere At All"})
    assert refused.status_code == 200 and "Nowhere At All" in refused.text
    pages["submission with errors"] = refused.text
    pages["my submissions"] = client.get("/my/submissions/").text
    draft = Solution.objects.filter(network__slug="mip", status=Status.DRAFT).first()
    if draft is None:
        draft = Solution.objects.filter(network__slug="mip").first()
    pages["edit form"] = client.get(f"/submit/{draft.slug}/").text
    pages["preview"] = client.get(draft.get_absolute_url()).text
    pages["password change"] = client.get("/accounts/password_change/").text

    assert vnu_errors(pages, tmp_path) == {name: [] for name in pages}
