"""Full-text search on both databases: word forms, hyphens, phrases, `or`, -exclusions, ranking
by where a word is, and an index kept current by every write (SQLite: FTS5, migration 0013;
PostgreSQL: the search document, migration 0011)."""

import re

import pytest
from django.db import connection
from django.urls import reverse
from taggit.models import Tag

from solutions.models import Solution
from solutions.search import ranked, search, sqlite_index
from solutions.search.snippets import Matcher
from tests.support.factories import make_city, make_partner, make_solution, make_theme

pytestmark = pytest.mark.django_db


def found(text):
    return set(search(Solution.objects.published(), text).values_list("title", flat=True))


@pytest.fixture
def floods(db):
    make_solution(title="Flood parks", summary="Parks that hold water.")
    make_solution(title="River walls", problem="The market flooded every spring.")
    make_solution(title="Early warnings", approach="Texts before flooding reaches a street.")
    make_solution(title="Bus lanes", summary="Faster buses.")


@pytest.mark.parametrize("word", ["flood", "floods", "flooding", "flooded"])
def test_every_form_of_a_word_finds_the_same_case_studies(floods, word):
    assert found(word) == {"Flood parks", "River walls", "Early warnings"}


def test_a_hyphenated_word_and_the_words_apart_find_the_same_case_studies():
    make_solution(title="Waste-picker cooperatives", summary="Sorting at the source.")
    make_solution(title="Paying waste pickers", summary="A fee per household.")
    both = {"Waste-picker cooperatives", "Paying waste pickers"}
    assert found("waste pickers") == both
    assert found('"waste pickers"') == both
    assert found("waste-pickers") == both
    assert found('"waste-pickers"') == both


def test_accents_do_not_matter():
    make_solution(title="Metrocable", city=make_city(name="Medellín", country="CO"))
    make_solution(title="Bus rapid transit", summary="Buses in São Paulo.")
    assert found("Medellin") == {"Metrocable"}
    assert found("sao paulo") == {"Bus rapid transit"}
    assert found("Medellín") == {"Metrocable"}


def test_phrases_alternatives_and_exclusions(floods):
    assert found('"market flooded"') == {"River walls"}
    assert found('"flooded market"') == set()
    assert found("parks or buses") == {"Flood parks", "Bus lanes"}
    assert found("flood -walls") == {"Flood parks", "Early warnings"}
    assert found("-flood") == {"Bus lanes"}


def test_a_title_match_ranks_above_a_match_in_the_sections():
    make_solution(title="Street trees", lessons_learned="Cooling matters on hot days.")
    make_solution(title="Cooling centres", summary="Rooms open in heat waves.")
    order = [
        s.title for s in ranked(search(Solution.objects.published(), "cooling"), "cooling")[0:5]
    ]
    assert order == ["Cooling centres", "Street trees"]


def test_the_index_follows_every_write():
    theme = make_theme(name="Drainage")
    city = make_city(name="Lagos", country="NG")
    solution = make_solution(title="Canal clearing", city=city)
    assert found("drainage") == set()

    solution.themes.add(theme)
    assert found("drainage") == {"Canal clearing"}
    theme.name = "Stormwater"
    theme.save()
    assert found("stormwater") == {"Canal clearing"}
    assert found("drainage") == set()

    solution.tags.add("dredging")
    assert found("dredging") == {"Canal clearing"}
    Tag.objects.filter(name="dredging").update(name="desilting")
    assert found("desilting") == {"Canal clearing"}
    solution.tags.clear()
    assert found("desilting") == set()

    city.alternate_names = "Eko"
    city.save()
    assert found("eko") == {"Canal clearing"}

    Solution.objects.filter(pk=solution.pk).update(summary="Boats remove silt.")
    assert found("boats") == {"Canal clearing"}
    solution.themes.remove(theme)
    assert found("stormwater") == set()
    solution.delete()
    assert found("boats") == set()


def test_a_bulk_insert_is_indexed():
    city = make_city()
    network = make_solution().network
    Solution.objects.bulk_create(
        [
            Solution(
                title=f"Bulk {n}",
                slug=f"bulk-{n}",
                summary="Kiosks that sell clean water.",
                city=city,
                network=network,
                status="published",
                published_at="2024-01-01T00:00:00Z",
            )
            for n in range(3)
        ]
    )
    assert found("kiosk") == {"Bulk 0", "Bulk 1", "Bulk 2"}


def test_query_syntax_inside_a_term_is_only_text(floods):
    for text in ["flood*", '"flood', "flood AND", "^flood", "flood)"]:
        assert "Flood parks" in found(text)
    # A column filter is two words here, and no case study says "title flood".
    assert found("title:flood") == set()
    # FTS5's NEAR is a word here: no case study says "near flood".
    assert found("NEAR(flood parks)") == set()


def test_indicators_partners_sources_and_transfer_notes_are_searched():
    from tests.support.factories import make_indicator, make_transfer

    solution = make_solution(title="Water kiosks")
    assert found("turbidity") == set()
    indicator = make_indicator(solution, name="Turbidity at the tap")
    make_partner(solution, name="Kiosk Owners Guild")
    solution.sources.create(title="Ombudsman audit", url="https://example.org/audit")
    transfer = make_transfer(solution, adaptations="Solar pumps instead of mains power")

    assert found("turbidity") == {"Water kiosks"}
    assert found("guild") == {"Water kiosks"}
    assert found("ombudsman") == {"Water kiosks"}
    assert found("solar pumps") == {"Water kiosks"}
    # A title match still ranks above them.
    make_solution(title="Solar street lights")
    order = [s.title for s in ranked(search(Solution.objects.published(), "solar"), "solar")[0:5]]
    assert order == ["Solar street lights", "Water kiosks"]

    indicator.delete()
    transfer.adaptations = "Diesel pumps"
    transfer.save()
    assert found("turbidity") == set()
    assert found("solar pumps") == set()


def shown(client, text):
    """The snippets of the search's result cards, as a reader sees them (marks kept)."""
    response = client.get(reverse("solutions:list"), {"q": text})
    return re.findall(r'<p class="snippet">(.*?)</p>', response.text, re.S)


def test_the_snippet_comes_from_the_section_that_matched_with_every_word_form_marked(client):
    make_solution(
        title="River walls",
        summary="Walls along the river.",
        problem="Traders lost stock every spring.",
        results=" ".join(["Early text about budgets."] * 20)
        + " After the walls the market **never flooded** again, and traders stayed.",
    )
    [snippet] = shown(client, "floods")
    assert snippet.startswith('<span class="snippet-section">Results:</span> …')
    assert "market never <mark>flooded</mark> again" in snippet  # Markdown read as text
    assert "Traders lost stock" not in snippet
    assert "Walls along" not in snippet


def test_the_summary_is_the_snippet_when_it_matches_as_well_as_a_section(client):
    make_solution(
        title="Market canopies",
        summary="Shade for flooding markets.",
        approach="Canopies over the stalls, above the flood line.",
    )
    assert shown(client, "flood") == ["Shade for <mark>flooding</mark> markets."]


def test_a_match_outside_the_text_shows_the_summary_and_text_stays_escaped(client):
    solution = make_solution(title="Water kiosks", summary="Kiosks <b>sell</b> clean water.")
    make_partner(solution, name="Kiosk Owners Guild")
    assert shown(client, "guild") == ["Kiosks &lt;b&gt;sell&lt;/b&gt; clean water."]
    assert shown(client, "kiosk") == ["<mark>Kiosks</mark> &lt;b&gt;sell&lt;/b&gt; clean water."]


def test_accents_and_stop_words_in_a_snippet():
    matcher = Matcher(["the", "medellin", "cities"])
    solution = Solution(summary="In Medellín the city built escalators.")
    assert matcher.snippet(solution).html == (
        "In <mark>Medellín</mark> the <mark>city</mark> built escalators."
    )
    assert not Matcher(["the", "and"])
    # A word that only contains a searched one is not it.
    assert [text for text, _stem in words_marked(Matcher(["kiosk"]), "Rekiosk kiosks, KIOSK.")] == [
        "kiosks",
        "KIOSK",
    ]


def words_marked(matcher, text):
    return [(text[start:end], stem) for start, end, stem in matcher.matches(text)]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")
def test_a_migrate_run_leaves_the_sqlite_index_current_and_its_triggers_in_place():
    """SQLite remakes a table to alter it, which a trigger naming the table breaks: the
    triggers are dropped before a migrate run and made again after it, with the index
    rebuilt from what was written in between."""
    plan = [("a migration", False)]
    sqlite_index.before_migrate(sender=None, using="default", plan=plan)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
        assert cursor.fetchone()[0] == 0
    make_solution(title="Written mid-migration", summary="Solar kiosks.")
    assert found("solar") == set()

    sqlite_index.after_migrate(sender=None, using="default", plan=plan)
    assert found("solar") == {"Written mid-migration"}
    make_solution(title="Written after", summary="Solar lamps.")
    assert found("solar") == {"Written mid-migration", "Written after"}
