"""A database that does not answer fails fast; two SQLite writers at once queue, not fail."""

import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import OperationalError
from django.db.backends.sqlite3.base import DatabaseWrapper

from config.settings.base import SQLITE_OPTIONS

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def silent_database_server():
    """A port that accepts connections and never says a word, like a hung database."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held = []

    def accept():
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()
        for connection in held:
            connection.close()


def test_health_answers_503_within_the_connect_timeout_when_the_database_hangs():
    code = (
        "import time, django; django.setup(); from django.test import Client; "
        "start = time.monotonic(); response = Client().get('/health/'); "
        "print(response.status_code, round(time.monotonic() - start, 1))"
    )
    with silent_database_server() as port:
        env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/hung",
            "DATABASE_CONNECT_TIMEOUT": "2",
        }
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert result.returncode == 0, result.stderr
    status, seconds = result.stdout.split()
    assert status == "503"
    assert float(seconds) < 10  # the connect timeout (libpq may try twice), not a worker's 30 s


def sqlite_connection(path, options):
    wrapper = DatabaseWrapper(
        {
            "NAME": str(path),
            "OPTIONS": options,
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
        },
        alias=f"writer-{time.monotonic_ns()}",
    )
    return wrapper


def two_saves_at_once(path, options):
    """Two writers that each read, think, then write inside one transaction, as a save does."""
    setup = sqlite_connection(path, options)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY, text TEXT)")
    setup.close()
    errors = []
    start, both_read = threading.Barrier(2), threading.Barrier(2)

    def save(text):
        connection = sqlite_connection(path, options)
        try:
            start.wait()
            # What transaction.atomic() does on SQLite: BEGIN (or BEGIN IMMEDIATE) at once.
            connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM note")
                # Both have read before either writes, when both could begin: that is the case
                # that fails. A writer that waits at BEGIN IMMEDIATE lets the wait time out.
                try:
                    both_read.wait(timeout=1)
                except threading.BrokenBarrierError:
                    pass
                cursor.execute("INSERT INTO note (text) VALUES (%s)", [text])
            connection.commit()
        except OperationalError as error:
            errors.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(text,)) for text in ["one", "two"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_two_sqlite_saves_at_once_both_succeed(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():  # a database of its own, not the test database
        assert two_saves_at_once(tmp_path / "site.sqlite3", SQLITE_OPTIONS) == []


def test_without_the_options_one_of_them_fails(tmp_path, django_db_blocker):
    """The control: SQLite's default (deferred) transactions fail the second writer at once."""
    with django_db_blocker.unblock():
        errors = two_saves_at_once(tmp_path / "site.sqlite3", {})
    assert errors == ["database is locked"]


def test_the_site_uses_the_options_on_sqlite(settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("this run is on PostgreSQL")
    assert settings.DATABASES["default"]["OPTIONS"].items() >= SQLITE_OPTIONS.items()
