import pytest
from django.core.cache import cache

from tests.support.factories import (
    make_city,
    make_network,
    make_solution,
    make_superuser,
    make_theme,
)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (rate-limit counters, cached pages)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def city(db):
    return make_city(name="Nairobi", slug="nairobi-ke", country="KE", population=4_397_073)


@pytest.fixture
def network(db):
    return make_network(name="City2City Network", slug="city2city", acronym="C2C")


@pytest.fixture
def theme(db):
    return make_theme(name="Water and sanitation", slug="water-and-sanitation")


@pytest.fixture
def solution(city, network, theme):
    return make_solution(
        title="Community toilet blocks",
        slug="community-toilet-blocks",
        city=city,
        network=network,
        themes=[theme],
        tags=["sanitation"],
    )


@pytest.fixture
def superuser(db):
    return make_superuser(username="root")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client
