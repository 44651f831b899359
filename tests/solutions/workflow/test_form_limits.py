"""A forged case-study form with thousands of rows is refused quickly, with a message in words
and the typing kept."""

import time

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from solutions.forms import MAX_ROWS
from solutions.models import Partner, Solution
from tests.support.factories import make_city, make_network, make_staff, make_user

pytestmark = pytest.mark.django_db


def forged(partners, filled=None):
    """TOTAL_FORMS says `partners` rows; the first `filled` carry values (a request can carry
    at most 1,000 fields, so a forged one says thousands and sends few)."""
    data = {"title": "Many partners", "network": "", "city": "Nairobi", "stage": "idea"}
    data |= {"action": "save", "summary": "Typed with care."}
    for prefix, total in [("partners", partners), ("sources", 0), ("indicators", 0), ("images", 0)]:
        data |= {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}
    for n in range(partners if filled is None else filled):
        data |= {f"partners-{n}-name": f"Partner {n}", f"partners-{n}-sector": "business"}
    return data


def test_five_thousand_partner_rows_are_refused_quickly_and_the_typing_is_kept(client):
    network = make_network()
    make_city(name="Nairobi", country="KE")
    author = make_user()
    make_staff(network, user=author)
    client.force_login(author)
    data = forged(5000, filled=3) | {"network": str(network.pk)}

    started = time.monotonic()
    response = client.post(reverse("solutions:submit"), data)
    elapsed = time.monotonic() - started

    assertContains(response, f"A case study can have at most {MAX_ROWS} partners.")
    assertContains(response, "Typed with care.")
    assert not Solution.objects.exists() and not Partner.objects.exists()
    assert elapsed < 2  # 3 to 4 s when every row was built and cleaned


def test_up_to_the_limit_is_saved(client):
    network = make_network()
    make_city(name="Nairobi", country="KE")
    author = make_user()
    make_staff(network, user=author)
    client.force_login(author)

    response = client.post(
        reverse("solutions:submit"), forged(MAX_ROWS) | {"network": str(network.pk)}
    )

    assert response.status_code == 302
    assert Partner.objects.count() == MAX_ROWS
