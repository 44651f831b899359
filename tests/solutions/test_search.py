"""Search: ranking, web syntax, spelling suggestions, the GIN index, and odd input."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from solutions.models import Solution
from solutions.search import parse_query, ranked, refresh_vocabulary, search
from tests.support.factories import make_city, make_solution, make_theme

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)


def titles(queryset):
    return [solution.title for solution in queryset]


def test_a_title_match_ranks_above_a_match_in_the_body():
    make_solution(title="Street lighting", approach="Flood sensors on every lamp post.")
    make_solution(title="Flood parks", approach="Parks that hold water.")
    make_solution(title="Water kiosks", problem="Floods cut supply.", approach="Kiosks.")

    results = titles(ranked(search(Solution.objects.published(), "flood"), "flood"))

    assert results[0] == "Flood parks"
    assert set(results) == {"Flood parks", "Street lighting", "Water kiosks"}


def test_the_summary_ranks_above_the_long_sections():
    make_solution(title="A", summary="Cooling centres for heat waves.", results="Nothing.")
    make_solution(title="B", summary="Bus lanes.", results="Fewer deaths in heat waves.")

    assert titles(ranked(search(Solution.objects.all(), "heat"), "heat")) == ["A", "B"]


def test_city_names_themes_and_tags_are_searched():
    city = make_city(name="Kisumu", alternate_names="Kisumu City\nPort Florence")
    make_solution(title="Lake transport", city=city)
    make_solution(title="Market roofs", themes=[make_theme(name="Informal economy")])
    make_solution(title="Green roofs", tags=["rooftop-gardens"])

    assert titles(search(Solution.objects.all(), "Kisumu")) == ["Lake transport"]
    assert titles(search(Solution.objects.all(), "Florence")) == ["Lake transport"]
    assert titles(search(Solution.objects.all(), "informal")) == ["Market roofs"]
    assert titles(search(Solution.objects.all(), "rooftop")) == ["Green roofs"]


@pytest.mark.parametrize(
    "text, clauses, excluded",
    [
        ('"rain gardens" schools', [["rain gardens"], ["schools"]], []),
        ("water or sanitation", [["water", "sanitation"]], []),
        ("flood -insurance", [["flood"]], ["insurance"]),
        ('-"sea wall" dunes', [["dunes"]], ["sea wall"]),
        ("or or", [], []),
        ('"unclosed phrase', [["unclosed"], ["phrase"]], []),
    ],
)
def test_web_syntax_is_parsed_into_phrases_alternatives_and_exclusions(text, clauses, excluded):
    parsed = parse_query(text)
    assert (parsed.clauses, parsed.excluded) == (clauses, excluded)


def test_a_misspelt_search_suggests_the_right_word(client):
    make_solution(title="Flood resilience parks", summary="Parks that hold storm water.")
    refresh_vocabulary()

    response = client.get(reverse("solutions:list"), {"q": "resilence"})

    assert response.context["page_obj"].paginator.count == 0
    assert response.context["suggestion"] == "resilience"
    assert "Did you mean" in response.text
    assert "q=resilience" in response.context["suggestion_url"]
    followed = client.get(response.context["suggestion_url"])
    assert [s.title for s in followed.context["solutions"]] == ["Flood resilience parks"]


def test_no_suggestion_when_the_words_are_right_but_nothing_matches(client):
    make_solution(title="Flood parks", summary="Parks that hold water.")
    refresh_vocabulary()

    response = client.get(reverse("solutions:list"), {"q": "parks -flood"})

    assert response.context["page_obj"].paginator.count == 0
    assert response.context["suggestion"] is None


def test_search_results_highlight_the_words_found(client):
    make_solution(title="Flood parks", summary="Parks that hold water <b>during</b> storms.")

    response = client.get(reverse("solutions:list"), {"q": "storms"})

    assert "<mark>storms</mark>" in response.text
    assert "&lt;b&gt;during&lt;/b&gt;" in response.text  # the summary itself stays escaped


@on_postgresql
def test_the_search_document_follows_every_change_made_by_the_database_itself():
    solution = make_solution(title="Harbour works")
    theme = make_theme(name="Coastal defence")
    solution.themes.add(theme)
    assert titles(search(Solution.objects.all(), "coastal")) == ["Harbour works"]

    theme.name = "Shoreline protection"
    theme.save()
    assert titles(search(Solution.objects.all(), "shoreline")) == ["Harbour works"]
    solution.city.alternate_names = "Bandar"
    solution.city.save()
    assert titles(search(Solution.objects.all(), "bandar")) == ["Harbour works"]
    Solution.objects.filter(pk=solution.pk).update(title="Port upgrades")
    assert titles(search(Solution.objects.all(), "port")) == ["Port upgrades"]
    solution.tags.add("breakwaters")
    assert titles(search(Solution.objects.all(), "breakwaters")) == ["Port upgrades"]


@on_postgresql
def test_the_search_uses_the_gin_index():
    call_command("seed_demo", stdout=StringIO())
    call_command(
        "generate_synthetic",
        "--solutions",
        "3000",
        "--cities",
        "30",
        "--seed",
        "5",
        stdout=StringIO(),
    )
    make_solution(title="Unmistakable zeppelin mooring masts")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE solutions_solution")

    queryset = search(Solution.objects.published(), "zeppelin")
    plan = queryset.explain()

    assert "solutions_search_document_gin" in plan, plan
    assert titles(queryset) == ["Unmistakable zeppelin mooring masts"]
