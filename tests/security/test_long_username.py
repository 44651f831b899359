"""A username longer than any account's is a wrong login, on both databases: never a 500."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "login_url, message",
    [
        ("login", "Please enter a correct username and password"),
        ("admin:login", "Please enter the correct username and password for a staff account"),
    ],
)
@pytest.mark.parametrize("length", [151, 256, 5000])
def test_an_overlong_username_is_refused_like_a_wrong_one(client, login_url, message, length):
    response = client.post(reverse(login_url), {"username": "a" * length, "password": "secret"})

    assertContains(response, message)
    assert not AccessAttempt.objects.filter(username__startswith="aaaa").exists()


def test_a_username_at_the_limit_still_counts_towards_the_lockout(client):
    for _ in range(2):
        client.post(reverse("login"), {"username": "b" * 150, "password": "secret"})

    assert AccessAttempt.objects.get(username="b" * 150).failures_since_start == 2
