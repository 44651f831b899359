"""Production's cache is one that every worker shares: shown with real servers.

Each gunicorn worker is a process of its own. With the old production default, a cache in each
process's memory, a change (which bumps the content version kept in the cache) reached only the
worker that made it: an archived case study went on being served by the others, and the save
rate limit counted each person's saves once per worker. Now production keeps the cache in Redis
or, without REDIS_URL, in the database; `check --deploy` fails on a per-process cache.

The servers here run the production settings on a migrated SQLite file; two more run the same
settings with the old per-process cache, as the control that shows what went wrong.
"""

import http.client
import json
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.management import call_command

from core.checks import check_shared_cache
from solutions.models import Solution

ROOT = Path(__file__).resolve().parents[2]  # the project, above tests/core/
# The environment of the test run that must not reach a server (the browser tests allow
# async-unsafe calls; a REDIS_URL would share the control's cache too).
NOT_INHERITED = {
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "PYTHONPATH",
}
SHARED = "config.settings.prod"
PER_PROCESS = "old_production_cache_settings"  # written to tmp_path by the fixture below
PER_PROCESS_SETTINGS = '''"""Production with the old default: a cache in each process's memory."""

from config.settings.prod import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
'''
HOST = "solutions.example.org"
TITLE = "Floating flood parks"
SLUG = "floating-flood-parks"

SETUP = f"""
import json

import django

django.setup()
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client

from tests.support.factories import make_solution, make_staff, make_user

call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
solution = make_solution(title={TITLE!r}, slug={SLUG!r})
writer = make_user(username="writer", password=None)
make_staff(solution.network, user=writer)
curator = make_user(username="curator", password=None, is_staff=True)
curator.groups.add(Group.objects.get(name="Curators"))
client = Client()
client.force_login(writer)
print(json.dumps({{
    "url": solution.get_absolute_url(),
    "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
    "tables": connection.introspection.table_names(),
}}))
"""

ARCHIVE = f"""
import django

django.setup()
from django.contrib.auth import get_user_model

from solutions.models import Solution
from solutions.workflow.transitions import transition

solution = Solution.objects.get(slug={SLUG!r})
curator = get_user_model().objects.get(username="curator")
transition(solution, user=curator, name="archive", comment="Programme closed.")
"""


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    def request(self, method, path, *, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            # The reverse proxy in front passes the site's host to every app server.
            headers = {"Host": HOST, **(headers or {})}
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()

    def get(self, path):
        return self.request("GET", path)

    def output(self):
        return self.log.read_text(errors="replace")[-3000:]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(name, env, directory):
    """One server, as production runs it (config/gunicorn.conf.py), with one worker."""
    port = free_port()
    log = directory / f"{name}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the master and its worker
        )
    try:
        yield Server(name, port, process, log)
    finally:
        stop(process)


def stop(process):
    for sig, wait in [(signal.SIGTERM, 5), (signal.SIGKILL, 5)]:
        try:
            os.killpg(process.pid, sig)  # the group this test started, and nothing else
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


def wait_until_serving(servers, deadline):
    for server in servers:
        while True:
            assert server.process.poll() is None, f"{server.name} stopped:\n{server.output()}"
            assert time.monotonic() < deadline, f"{server.name} never answered:\n{server.output()}"
            try:
                if server.get("/ping/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)


def python(code, env, timeout):
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def environment(tmp_path):
    """Production's environment for a site in tmp_path, without Redis; PYTHONPATH finds the
    control's settings."""
    (tmp_path / f"{PER_PROCESS}.py").write_text(PER_PROCESS_SETTINGS)
    inherited = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": SHARED,
        "PYTHONPATH": str(tmp_path),
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on the loopback, no proxy in front
        "PAGE_CACHE_FOR_VISITORS": "true",
        "SUBMISSION_RATE": "3/d",
    }


def rename_behind_the_cache(database, title):
    """A change straight in the database: no signal, so the content version stays."""
    with sqlite3.connect(database) as connection:
        connection.execute(
            f"UPDATE {Solution._meta.db_table} SET title = ? WHERE slug = ?", [title, SLUG]
        )
    connection.close()


def save_form(server, session, csrf):
    """A save of the submission form (empty, so it fails validation, and counts all the same)."""
    status, _ = server.request(
        "POST",
        "/submit/",
        body=urlencode({"csrfmiddlewaretoken": csrf}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
        },
    )
    return status


def test_two_servers_share_one_cache_and_the_old_per_process_cache_did_not(environment, tmp_path):
    start = time.monotonic()
    deadline = start + 25
    per_process = {**environment, "DJANGO_SETTINGS_MODULE": PER_PROCESS}
    with ExitStack() as servers:
        # The servers boot while the database is built: nothing touches it before /ping/.
        a, b = (servers.enter_context(gunicorn(n, environment, tmp_path)) for n in "ab")
        c, d = (servers.enter_context(gunicorn(n, per_process, tmp_path)) for n in "cd")
        site = json.loads(python(SETUP, environment, timeout=25).splitlines()[-1])
        assert "django_cache" in site["tables"]  # `migrate` created the cache's table
        url = site["url"]
        wait_until_serving([a, b, c, d], deadline)

        # A page one server made is what the other serves: the cache is shared. (The title
        # is changed behind the cache, so a page made afresh would show the new one.)
        for server in [a, c]:
            status, text = server.get(url)
            assert status == 200 and TITLE in text, server.output()
        rename_behind_the_cache(tmp_path / "site.sqlite3", "Renamed behind the cache")
        status, text = b.get(url)
        assert status == 200 and TITLE in text  # from the page A cached
        status, text = d.get(url)
        assert status == 200 and "Renamed behind the cache" in text  # D has a cache of its own

        # A curator archives it in a third process: both shared servers stop serving it at
        # once; the per-process ones go on serving the archived case study.
        python(ARCHIVE, environment, timeout=15)
        assert [a.get(url)[0], b.get(url)[0]] == [404, 404]
        assert [c.get(url)[0], d.get(url)[0]] == [200, 200]

        # The save rate limit (3 a day here) counts across the shared servers: the fourth
        # save is refused wherever it lands. Per process, each server counted its own.
        csrf = secrets.token_hex(16)
        shared = [save_form(s, site["session"], csrf) for s in [a, b, a, b]]
        separate = [save_form(s, site["session"], csrf) for s in [c, d, c, d]]
        assert shared == [200, 200, 200, 429]
        assert separate == [200, 200, 200, 200]
    assert time.monotonic() - start < 30


def test_check_deploy_fails_on_the_old_per_process_cache(environment):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": PER_PROCESS},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "(core.E001) The default cache" in result.stderr


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://127.0.0.1:6379/0", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_production_uses_redis_when_set_and_the_database_otherwise(environment, redis_url, backend):
    code = "import django; from django.conf import settings; django.setup(); "
    code += "print(settings.CACHES['default']['BACKEND'])"
    env = {**environment, "REDIS_URL": redis_url}
    assert python(code, env, timeout=30).strip() == backend


# The deployment check itself.


def cache_problems(settings, backend, **config):
    settings.CACHES = {"default": {"BACKEND": backend, **config}}
    return [(problem.id, problem.obj) for problem in check_shared_cache()]


@pytest.mark.parametrize(
    ("backend", "expected"),
    [
        ("django.core.cache.backends.locmem.LocMemCache", [("core.E001", "default")]),
        ("django.core.cache.backends.dummy.DummyCache", [("core.E001", "default")]),
        ("django.core.cache.backends.filebased.FileBasedCache", [("core.W001", "default")]),
        ("django.core.cache.backends.redis.RedisCache", []),
    ],
)
def test_the_check_refuses_a_cache_kept_by_each_process(settings, tmp_path, backend, expected):
    assert cache_problems(settings, backend, LOCATION=str(tmp_path)) == expected


def test_the_check_follows_the_rate_limits_cache_too(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"},
        "limits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.RATELIMIT_USE_CACHE = "limits"
    assert [(p.id, p.obj) for p in check_shared_cache()] == [("core.E001", "limits")]


@pytest.mark.django_db
def test_the_check_wants_the_cache_table_in_a_migrated_database(settings):
    backend = "django.core.cache.backends.db.DatabaseCache"
    assert cache_problems(settings, backend, LOCATION="missing_cache") == [("core.E002", "default")]

    call_command("createcachetable", verbosity=0)  # in the test's transaction

    assert cache_problems(settings, backend, LOCATION="missing_cache") == []
