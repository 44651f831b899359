"""Settings come from the environment; production refuses to start without its essentials."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the project, above tests/core/
PROD_ENV = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "solutions.example.org",
    "DATABASE_URL": "postgres://app@db.example.org/exchange",
}


# Variables a test run may set that must not reach a settings check (the browser tests allow
# async-unsafe calls while they run).
NOT_INHERITED = {*PROD_ENV, "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def inherited_environment():
    return {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}


def load_settings(module, env, expression="settings.DEBUG"):
    clean = inherited_environment()
    code = (
        "import django; from django.conf import settings; django.setup(); "
        f"print(repr({expression}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("missing", sorted(PROD_ENV))
def test_production_refuses_to_start_without_each_essential_variable(missing):
    env = {k: v for k, v in PROD_ENV.items() if k != missing}
    result = load_settings("config.settings.prod", env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_starts_with_them_and_debug_is_off():
    result = load_settings(
        "config.settings.prod", PROD_ENV, "(settings.DEBUG, settings.ALLOWED_HOSTS)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(False, ['solutions.example.org'])"


@pytest.mark.parametrize("module", ["config.settings.dev", "config.settings.prod"])
def test_debug_is_off_unless_set(module):
    result = load_settings(module, PROD_ENV)
    assert result.stdout.strip() == "False"
    result = load_settings(module, {**PROD_ENV, "DEBUG": "true"})
    assert result.stdout.strip() == "True"


def test_a_malformed_debug_value_is_refused_with_a_message():
    result = load_settings("config.settings.dev", {"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_the_database_defaults_to_sqlite_in_the_project_and_follows_database_url():
    default = load_settings("config.settings.dev", {"DATABASE_URL": ""}, "settings.DATABASES")
    assert "'ENGINE': 'django.db.backends.sqlite3'" in default.stdout
    assert str(ROOT / "db.sqlite3") in default.stdout

    postgres = load_settings(
        "config.settings.dev",
        {"DATABASE_URL": PROD_ENV["DATABASE_URL"]},
        "settings.DATABASES['default']['HOST']",
    )
    assert postgres.stdout.strip() == "'db.example.org'"


def test_production_settings_pass_the_deployment_checks_without_a_warning():
    env = {
        **PROD_ENV,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "sqlite:///:memory:",
    }
    clean = inherited_environment()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.prod", **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
