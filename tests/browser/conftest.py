"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Outside CI a machine without Chromium skips these tests with a hint; under CI=true a missing
browser is a failure. Screenshots go to test-artifacts/.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connections

from tests.support.factories import make_staff, make_user

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "Chromium was not found, so the browser tests cannot run. Install Debian's Chromium "
    "(`apt-get install chromium`) or set CHROMIUM_PATH to a Chromium binary."
)
PASSWORD = "a-long-test-password"


def chromium_path():
    candidates = [
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ]
    return next((c for c in candidates if c and Path(c).is_file()), None)


# Each browser test module sets: pytestmark = BROWSER_TEST
BROWSER_TEST = [
    pytest.mark.browser,
    # The live server needs committed data; serialized_rollback brings back the rows that
    # migrations create (groups, goals) after each test's flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="session")
def browser(django_db_setup):
    path = chromium_path()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(INSTALL_HINT)
        pytest.skip(INSTALL_HINT)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread until the session
    # ends; the ORM calls made meanwhile (tests, flushes) are still plain synchronous calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    initial_data = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    try:
        with sync_playwright() as playwright:
            # With an event loop running, Django's connection handler gives this thread new
            # connection objects; they need the initial data that serialized_rollback restores.
            for alias, contents in initial_data.items():
                if contents is not None:
                    connections[alias]._test_serialized_contents = contents
            chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server):
    """Pages in fresh browser contexts (each its own cookies), on the live server."""
    contexts = []

    def open_page(width=1280, height=900):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def staff_user(demo):
    from networks.models import Network

    user = make_user(username="writer", email="writer@example.org", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Network staff"))
    make_staff(Network.objects.get(slug="mip"), user=user)
    return user


@pytest.fixture
def curator_user(demo):
    user = make_user(
        username="reviewer", email="reviewer@example.org", password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Curators"))
    return user


def log_in(page, username, admin=False):
    page.goto("/admin/login/" if admin else "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form [type=submit]").first.click()
    page.wait_for_load_state()


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
