"""Counting and ranking without reading every match: facets in one pass, ranking of a bounded
candidate set, estimates for broad searches, and the caches refilled after a change."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from core.caching import content_committed
from solutions.filters import solutions as solution_filters
from solutions.filters.facets import FacetCounts, count_facets, rounded
from solutions.models import Solution, Stage, Status
from solutions.search import ranked, ranking, search
from solutions.workflow.transitions import transition
from tests.support.factories import (
    make_city,
    make_network,
    make_solution,
    make_superuser,
    make_theme,
    make_user,
)

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates")


def test_one_pass_facet_counts_equal_counting_each_facet_on_its_own():
    water, housing = make_theme(slug="water"), make_theme(slug="housing")
    nairobi = make_city(country="KE", region="africa")
    lima = make_city(country="PE", region="south-america")
    wacap, c2c = make_network(slug="wacap"), make_network(slug="c2c")
    make_solution(city=nairobi, network=wacap, stage=Stage.PILOT, themes=[water, housing])
    make_solution(city=nairobi, network=c2c, stage=Stage.PILOT, themes=[water])
    make_solution(city=lima, network=c2c, stage=Stage.SCALED, themes=[])
    make_solution(city=lima, network=c2c, status=Status.DRAFT, themes=[water])  # not counted

    result = count_facets(
        Solution.objects.published(), ["stage", "network", "region", "theme"], total=True
    )

    assert result.total == 3
    assert result.counts == {
        "stage": {"pilot": 2, "scaled": 1},
        "network": {"wacap": 1, "c2c": 2},
        "region": {"africa": 2, "south-america": 1},
        "theme": {"water": 2, "housing": 1},
    }


def test_facet_counts_of_nothing_are_empty_with_a_total_of_zero():
    result = count_facets(Solution.objects.filter(pk=-1), ["stage"], total=True)
    assert result.total == 0
    assert result.counts == {"stage": {}}


def test_an_unknown_facet_is_refused():
    with pytest.raises(ValueError, match="Unknown facets"):
        count_facets(Solution.objects.all(), ["colour"])


@pytest.mark.parametrize(
    ("number", "shown"),
    [(0, 0), (7, 7), (99, 99), (123, 120), (12_345, 12_000), (99_514, 100_000), (15_50, 1_600)],
)
def test_estimates_are_rounded_to_two_significant_figures(number, shown):
    assert rounded(number) == shown


def test_counts_of_a_sample_are_scaled_to_the_estimated_total():
    sample = FacetCounts({"stage": {"pilot": 250, "idea": 750}}, total=1000)
    scaled = sample.scaled(48_213)
    assert scaled.approximate
    assert scaled.total == 48_000
    assert scaled.counts == {"stage": {"pilot": 12_000, "idea": 36_000}}


@pytest.fixture
def curator(db):
    user = make_user(username="curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


def dated(title, days, **fields):
    return make_solution(
        title=title, published_at=datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=days), **fields
    )


@pytest.fixture
def three_candidates(monkeypatch):
    monkeypatch.setattr(ranking, "CANDIDATES", 3)


def test_only_the_newest_candidates_are_ranked_and_older_matches_follow_newest_first(
    three_candidates,
):
    oldest = dated("Harbour ferries", 1, summary="Boats.")
    older = dated("Harbour walls", 2, summary="Walls.")
    ranked_low = dated("Street trees", 3, summary="Planted near the harbour.")
    ranked_high = dated("Harbour harbour baths", 4, summary="Swimming in the harbour.")
    newest = dated("Market roofs", 5, summary="Near the harbour.")

    results = ranked(search(Solution.objects.published(), "harbour"), "harbour")

    order = list(results[0:10])
    # The three newest matches, best first (the title counts most), then the two older ones.
    assert order[:3][0] == ranked_high
    assert set(order[:3]) == {ranked_high, ranked_low, newest}
    assert order[3:] == [older, oldest]
    assert results.count() == 5
    # Any page is the same sequence, across the seam between the ranked and the older ones.
    assert list(results[2:4]) == order[2:4]
    assert list(results[4:5]) == order[4:5]
    assert list(results.iterator(chunk_size=2)) == order
    assert list(results.select_related("city")[0:10]) == order


def test_the_search_page_shows_the_ranked_candidates_then_the_older_matches(
    client, three_candidates
):
    for day in range(5):
        dated(f"Harbour plan {day}", day, summary="About the harbour.")
    first = client.get(reverse("solutions:list"), {"q": "harbour"})
    second = client.get(reverse("solutions:list"), {"q": "harbour", "page": 2})
    assert first.context["page_obj"].paginator.count == 5
    shown = [s.title for s in first.context["solutions"]]
    assert len(shown) == 5
    assert shown[3:] == ["Harbour plan 1", "Harbour plan 0"]
    # Past the end: the last page, the same five in the same order, and a notice saying so.
    assert [s.title for s in second.context["solutions"]] == shown
    assert "There is no page 2; showing page 1, the last." in second.content.decode()


def test_a_slice_with_a_step_is_refused():
    results = ranked(Solution.objects.published(), "harbour")
    with pytest.raises(TypeError):
        results[0:10:2]


@on_postgresql
def test_a_broad_search_shows_estimated_counts_and_says_so(client, monkeypatch):
    monkeypatch.setattr(solution_filters, "ESTIMATE_ABOVE", 0)
    for day in range(3):
        dated(f"Harbour plan {day}", day, summary="About the harbour.")
    response = client.get(reverse("solutions:list"), {"q": "harbour"})
    assert response.context["counts_approximate"] is True
    page = response.content.decode()
    assert "About <strong>" in page
    assert "the counts are estimates" in page
    assert "(about " in page


def test_a_narrow_search_counts_exactly(client):
    for day in range(3):
        dated(f"Harbour plan {day}", day, summary="About the harbour.")
    response = client.get(reverse("solutions:list"), {"q": "harbour"})
    assert response.context["counts_approximate"] is False
    assert response.context["page_obj"].paginator.count == 3
    assert "the counts are estimates" not in response.content.decode()


def test_a_transaction_that_changes_many_rows_announces_its_commit_once(
    django_capture_on_commit_callbacks,
):
    received = []

    def receiver(**kwargs):
        received.append(kwargs)

    content_committed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            make_solution()
            make_solution()
            make_theme()
    finally:
        content_committed.disconnect(receiver)
    assert len(received) == 1


def publish_and_commit(solution):
    """Publish, then what the commit does: the test's transaction never commits, so the
    signal a commit sends (test_a_transaction_..._announces_its_commit_once) is sent here."""
    transition(solution, user=make_superuser(), name="publish")
    content_committed.send(sender=None)


@override_settings(WARM_CACHES_AFTER_CHANGES=True)
def test_after_a_publish_the_first_visitor_does_not_wait_for_the_counts(
    client, django_assert_num_queries
):
    theme = make_theme()
    make_solution(themes=[theme])
    waiting = make_solution(themes=[theme], status=Status.IN_REVIEW)
    publish_and_commit(waiting)

    # Only what the page shows row by row: the newest solutions with their tags and themes.
    with django_assert_num_queries(3):
        home = client.get(reverse("solutions:home"))
    assert home.context["figures"]["solutions"] == 2
    # The list: its page of rows and their themes; the choices, facets and total are ready.
    with django_assert_num_queries(2):
        listing = client.get(reverse("solutions:list"))
    assert listing.context["page_obj"].paginator.count == 2


def test_without_refilling_the_first_visitor_after_a_publish_counts(
    client, django_assert_num_queries
):
    theme = make_theme()
    waiting = make_solution(themes=[theme], status=Status.IN_REVIEW)
    publish_and_commit(waiting)
    with django_assert_num_queries(6):  # the figures and theme counts are computed now
        client.get(reverse("solutions:home"))


def test_the_filter_form_lists_each_option_with_its_count_and_keeps_the_ticked_ones(client):
    water = make_theme(name="Water & sanitation", slug="water")
    make_solution(themes=[water])
    make_solution(themes=[water], stage=Stage.PILOT)
    page = client.get(reverse("solutions:list"), {"stage": "pilot"}).content.decode()
    # The name is escaped, the count is the solutions under the other filters.
    assert (
        '<li><label><input type="checkbox" name="theme" value="water"> '
        'Water &amp; sanitation <span class="count">(1)</span></label></li>'
    ) in page
    assert '<input type="checkbox" name="stage" value="pilot" checked> Pilot' in page


def test_a_value_kept_by_this_process_is_never_read_after_the_content_changed():
    from core.caching import bump_content_version, cached

    assert cached("answer", lambda: 1) == 1
    assert cached("answer", lambda: 2) == 1  # kept
    bump_content_version()
    assert cached("answer", lambda: 3) == 3


def test_a_choice_the_form_does_not_know_is_dropped_with_a_notice_and_a_known_one_kept(client):
    nairobi = make_city(slug="nairobi")
    make_solution(city=nairobi)
    response = client.get(reverse("solutions:list"), {"city": ["nairobi", "atlantis"]})
    assert response.context["filterset"].data.getlist("city") == ["nairobi"]
    assert "Ignored the unknown city “atlantis”." in response.content.decode()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's spelling vocabulary")
def test_the_spelling_vocabulary_is_read_once_and_learns_the_words_of_new_solutions(
    django_assert_num_queries,
):
    from solutions.search import sqlite as backend

    make_solution(title="Composting hubs")
    published = Solution.objects.published()
    assert backend.corrections(["compostng"], published) == {"compostng": "composting"}
    with django_assert_num_queries(0):
        assert backend.corrections(["compostng"], published) == {"compostng": "composting"}
    make_solution(title="Bicycle kitchens")  # a save moves the content version
    assert backend.corrections(["bicycel"], published) == {"bicycel": "bicycle"}
