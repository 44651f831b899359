"""Lockouts and the security log go by the real client, behind the site's trusted proxies, and
never by a header a client could set alone."""

import logging

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.client import client_address
from tests.support.factories import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
PROXY = "10.0.0.5"  # the proxy in front of the app server: every request comes from it


def log_in(client, password, *, forwarded_for, remote=PROXY):
    return client.post(
        reverse("login"),
        {"username": "ana", "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.fixture
def ana(db):
    return make_user(username="ana", password=PASSWORD)


def test_behind_the_proxy_one_attackers_failures_do_not_lock_out_the_real_user(
    client, settings, ana
):
    settings.PROXY_COUNT = 1
    for _ in range(6):
        log_in(client, "guess", forwarded_for="203.0.113.66")  # the attacker, through the proxy
    assert log_in(client, PASSWORD, forwarded_for="203.0.113.66").status_code == 429

    client.logout()
    response = log_in(client, PASSWORD, forwarded_for="198.51.100.7")  # ana, from home

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ana.pk)


def test_a_forged_header_in_front_of_the_proxy_does_not_escape_the_lockout(client, settings, ana):
    settings.PROXY_COUNT = 1
    for n in range(6):
        # The proxy appends the address it saw after whatever the client sent.
        log_in(client, "guess", forwarded_for=f"192.0.2.{n}, 203.0.113.66")

    response = log_in(client, PASSWORD, forwarded_for="192.0.2.99, 203.0.113.66")

    assert response.status_code == 429


def test_without_trusted_proxies_the_header_is_ignored(client, settings, ana):
    settings.PROXY_COUNT = 0
    for n in range(6):
        log_in(client, "guess", forwarded_for=f"192.0.2.{n}", remote="203.0.113.66")

    response = log_in(client, PASSWORD, forwarded_for="192.0.2.99", remote="203.0.113.66")

    assert response.status_code == 429


def test_the_security_log_records_the_real_client(client, settings, ana, caplog):
    settings.PROXY_COUNT = 1
    caplog.set_level(logging.INFO, logger="security")

    log_in(client, "guess", forwarded_for="192.0.2.1, 203.0.113.66")
    log_in(client, PASSWORD, forwarded_for="198.51.100.7")

    assert [(r.event, r.ip) for r in caplog.records if r.name == "security"] == [
        ("login_failed", "203.0.113.66"),
        ("login", "198.51.100.7"),
    ]


@pytest.mark.parametrize(
    "proxies, forwarded_for, expected",
    [
        (0, "192.0.2.1", PROXY),
        (1, "", PROXY),  # not through the proxy: the peer is all we know
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "192.0.2.1, 198.51.100.7", "198.51.100.7"),
        (2, "192.0.2.1, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (2, "198.51.100.7", PROXY),
        (1, "not-an-address", PROXY),
        (1, "2001:db8::7", "2001:db8::7"),
    ],
)
def test_client_address(settings, proxies, forwarded_for, expected):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_address(request) == expected
