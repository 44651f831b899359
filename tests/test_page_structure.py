"""Every public page type has the same structure: one h1, a skip link to the one <main>, a
title, a meta description and a canonical link. Cross-app, like test_urls."""

import pytest

from tests.support.html_pages import (
    canonical_url,
    get_html,
    h1_texts,
    meta_description,
    page_title,
)
from tests.support.world import public_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return public_world()


def _page_cases():
    return [
        # name, url, words the <title> and the <h1> must contain, description must contain
        ("home", "/", "Urban Solutions Exchange", "What cities tried", "knowledge base"),
        ("solution list", "/solutions/", "Solutions", "Solutions", "published urban solutions"),
        ("theme index", "/themes/", "Themes", "Themes", "knowledge base"),
        (
            "theme page",
            "/themes/water/",
            "Water and sanitation",
            "Water and sanitation",
            "Clean water and safe toilets.",
        ),
        (
            "solution page",
            "/solutions/community-toilet-blocks/",
            "Community toilet blocks",
            "Community toilet blocks",
            "Toilet blocks run by residents groups",
        ),
        ("city page", "/cities/nairobi/", "Nairobi", "Nairobi", "Solutions from Nairobi, Kenya"),
        ("network index", "/networks/", "Networks", "Networks", "knowledge base"),
        (
            "network page",
            "/networks/city2city/",
            "City2City Network",
            "City2City Network",
            "Peer learning between African cities",
        ),
        ("transfers page", "/transfers/", "Transfers", "Transfers", "transfer"),
        ("cities index", "/cities/", "Cities", "Cities", "cities whose solutions"),
        (
            "cities like mine",
            "/cities/like-mine/",
            "Cities like mine",
            "Cities like mine",
            "Describe your city",
        ),
        ("world map", "/map/", "World map", "World map", "where they travelled"),
        ("open data API", "/api/", "Open data API", "Open data API", "read-only JSON API"),
        ("open data download", "/open-data/", "Open data", "Open data", "one download"),
        ("coverage", "/coverage/", "Coverage", "Coverage", "Where the knowledge base is thin"),
    ]


@pytest.mark.parametrize(
    "url, subject, heading, description",
    [case[1:] for case in _page_cases()],
    ids=[case[0] for case in _page_cases()],
)
def test_every_page_has_one_h1_a_skip_link_main_title_description_and_canonical(
    client, world, url, subject, heading, description
):
    html = get_html(client, url)

    headings = h1_texts(html)
    assert len(headings) == 1, headings
    assert heading in headings[0]
    assert '<a class="skip-link" href="#main">' in html
    assert html.count('<main id="main"') == 1
    title = page_title(html)
    assert subject in title
    assert title.endswith("Urban Solutions Exchange")
    assert description in meta_description(html)
    assert canonical_url(html) == f"http://testserver{url}"


def test_markdown_headings_never_add_a_second_h1(client, world):
    # The world's toilets problem and C2C description both start with "# ...".
    for url in ["/solutions/community-toilet-blocks/", "/networks/city2city/"]:
        html = get_html(client, url)
        assert len(h1_texts(html)) == 1, url
