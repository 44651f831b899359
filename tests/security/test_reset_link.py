"""Password-reset links point at the site's own address, whatever Host the request named."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.support.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("host", ["testserver", "127.0.0.1:6666", "localhost:8080"])
def test_the_reset_link_starts_with_site_url_whatever_the_host_header(client, settings, host):
    settings.SITE_URL = "https://solutions.example.org"
    user = make_user(username="ana", email="ana@example.org")

    response = client.post(reverse("password_reset"), {"email": "ana@example.org"}, HTTP_HOST=host)

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]
    links = re.findall(r"\S+/accounts/reset/\S+", mail.outbox[0].body)
    assert len(links) == 1
    assert links[0].startswith("https://solutions.example.org/accounts/reset/")
    followed = client.get(links[0].removeprefix("https://solutions.example.org"), follow=True)
    assert followed.context["validlink"] is True
    assert user.get_username() in mail.outbox[0].body
