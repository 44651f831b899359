"""The public pages of solutions as an anonymous visitor sees them: home, themes, a solution,
transfers; their content and their exact query counts.

Each content test builds a small, known world and checks what the page says about it, not
just that it answers. The query-count tests pin each page's exact number of queries, the same
with 3 rows as with 60. City and network pages are tested in tests/cities and tests/networks,
the structure every page shares in tests/test_page_structure.py.
"""

import itertools
import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.template.defaultfilters import date as format_date
from django.urls import reverse
from django.utils import timezone

from solutions.models import SolutionImage, SourceLink, Stage, Status
from tests.support.asserts import assert_not_found
from tests.support.factories import (
    make_city,
    make_indicator,
    make_network,
    make_newest_solution,
    make_partner,
    make_solution,
    make_staff,
    make_theme,
    make_transfer,
    make_user,
)
from tests.support.html_forms import read_form
from tests.support.html_pages import (
    canonical_url,
    card_titles,
    get_html,
    h1_texts,
    key_figure,
    meta_description,
    page_title,
    part,
    text_of,
    theme_grid,
    transfer_ids,
    transfer_rows,
)
from tests.support.queries import assert_queries_do_not_grow
from tests.support.world import assert_no_unpublished_solution, at, public_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return public_world()


# 1. Home


def test_home_shows_every_theme_with_its_number_of_published_solutions(client, world):
    html = get_html(client, reverse("solutions:home"))

    grid = theme_grid(part(html, '<section aria-labelledby="themes-heading">'))
    assert sorted(grid) == [
        ("Energy", "1 solution"),
        ("Housing", "0 solutions"),
        ("Mobility", "3 solutions"),
        ("Water and sanitation", "2 solutions"),
    ]
    assert 'href="/themes/water/"' in html


def test_home_lists_the_newest_published_solutions_newest_first(client, world):
    html = get_html(client, reverse("solutions:home"))

    newest = part(html, '<section aria-labelledby="newest-heading">')
    assert card_titles(newest) == [
        "Tram priority lanes",
        "Matatu route mapping",
        "Community toilet blocks",
        "Water kiosks",
    ]
    assert_no_unpublished_solution(html)


def test_home_lists_at_most_six_newest_solutions(client, db):
    for month in range(1, 9):
        make_solution(title=f"Monthly solution {month:02}", published_at=at(2024, month))

    html = get_html(client, reverse("solutions:home"))

    newest = part(html, '<section aria-labelledby="newest-heading">')
    assert card_titles(newest) == [f"Monthly solution {month:02}" for month in range(8, 2, -1)]


def test_home_key_figures_count_only_published_solutions_and_their_transfers(client, world):
    html = get_html(client, reverse("solutions:home"))

    figures = part(html, '<dl class="figures">', "</dl>")
    assert key_figure(figures, "Solutions") == 4
    assert key_figure(figures, "Cities with solutions") == 3  # Nairobi, Mombasa, Lisbon
    assert key_figure(figures, "Countries") == 2  # Kenya, Portugal
    assert key_figure(figures, "Networks") == 2  # C2C, EUX; the quiet one has only a draft
    assert key_figure(figures, "Transfers between cities") == 4
    assert key_figure(figures, "Transfers across a national border") == 2


def test_home_key_figures_are_zero_on_an_empty_site(client, db):
    html = get_html(client, reverse("solutions:home"))

    for label in [
        "Solutions",
        "Cities with solutions",
        "Countries",
        "Networks",
        "Transfers between cities",
        "Transfers across a national border",
    ]:
        assert key_figure(html, label) == 0
    assert "No published solutions yet." in html


# 2. Theme index


def test_theme_index_shows_every_theme_with_description_and_published_count(client, world):
    html = get_html(client, reverse("solutions:themes"))

    found = re.findall(
        r'<span class="theme-name">(.*?)</span> <span class="count">(.*?)</span></a>'
        r"<p>(.*?)</p>",
        html,
    )
    assert sorted(found) == [
        ("Energy", "1 solution", "Power for homes and streets."),
        ("Housing", "0 solutions", "Homes people can afford."),
        ("Mobility", "3 solutions", "Getting around the city."),
        ("Water and sanitation", "2 solutions", "Clean water and safe toilets."),
    ]
    for slug in ["water", "mobility", "housing", "energy"]:
        assert f'href="/themes/{slug}/"' in html


@pytest.fixture
def themes_out_of_name_order(db):
    """Five themes whose site order (position) is neither their name order nor their pk order."""
    for name, position in [("Alpha", 5), ("Delta", 1), ("Bravo", 4), ("Echo", 2), ("Charlie", 3)]:
        make_theme(name=name, slug=name.lower(), position=position)
    return ["Delta", "Echo", "Charlie", "Bravo", "Alpha"]


@pytest.mark.parametrize("url_name", ["solutions:home", "solutions:themes"])
def test_themes_appear_in_their_site_order(client, themes_out_of_name_order, url_name):
    html = get_html(client, reverse(url_name))

    assert [name for name, _count in theme_grid(html)] == themes_out_of_name_order


# 3. Solution page


@pytest.fixture
def rich(db):
    """A published solution with every section filled in, and its neighbours."""
    r = SimpleNamespace()
    r.nairobi = make_city(name="Nairobi", slug="nairobi", country="KE", population=4_397_073)
    r.kampala = make_city(name="Kampala", slug="kampala", country="UG", population=1_680_600)
    r.mombasa = make_city(name="Mombasa", slug="mombasa", country="KE", population=1_208_333)
    r.c2c = make_network(name="City2City Network", slug="city2city", acronym="C2C")
    r.water = make_theme(name="Water and sanitation", slug="water", position=1)
    r.health = make_theme(name="Public health", slug="public-health", position=2)
    r.energy = make_theme(name="Energy", slug="energy", position=3)
    r.solution = make_solution(
        title="Community toilet blocks",
        slug="community-toilet-blocks",
        summary="Toilet blocks run by youth groups in informal settlements.",
        problem="Half of the households **shared** a pit latrine.",
        approach="Youth groups *ran* the blocks and charged a small fee.",
        results="Queues fell to **five minutes** at peak hours.",
        lessons_learned="- Pay the caretakers\n- Keep **water** on site",
        city=r.nairobi,
        network=r.c2c,
        themes=[r.water, r.health],
        tags=["sanitation", "public toilets"],
        stage=Stage.SCALED,
        start_year=2012,
        end_year=2019,
        cost_usd=1_250_000,
        funding="The **county** gave the land; a water utility paid for the pipes.",
        published_at=at(2024, 3),
    )
    r.solution.sdgs.set([6, 11])
    make_partner(r.solution, name="Nairobi City County", sector="government", role="Gave land")
    make_partner(r.solution, name="Mathare Youth Group", sector="community", role="Runs blocks")
    make_partner(r.solution, name="Kibera Residents Forum", sector="community")
    make_partner(r.solution, name="Umande Trust", sector="nonprofit")
    r.access = make_indicator(
        r.solution,
        name="Households with a toilet nearby",
        unit="households",
        direction="increase",
        baseline_value=1200,
        baseline_year=2012,
        target_value=12000,
        target_year=2025,
        measurements=[(2012, 1200), (2015, 4800), (2019, 9000)],
    )
    r.cholera = make_indicator(
        r.solution,
        name="Cholera cases",
        unit="cases a year",
        direction="decrease",
        measurements=[(2012, 40), (2019, 55)],
    )
    r.to_kampala = make_transfer(
        r.solution,
        adopting_city=r.kampala,
        network=r.c2c,
        status="adopted",
        start_year=2015,
        end_year=2017,
        adaptations="Pay-per-use pricing",
        outcome="Twelve blocks built",
    )
    r.to_mombasa = make_transfer(
        r.solution, adopting_city=r.mombasa, network=None, status="in_progress", start_year=2020
    )
    SolutionImage.objects.create(
        solution=r.solution,
        image="solutions/x.png",
        alt_text="A toilet block in Mathare",
        caption="The first block",
        credit="Jane Wanjiru",
        position=1,
    )
    SolutionImage.objects.create(
        solution=r.solution, image="solutions/y.png", alt_text="The queue at noon", position=2
    )
    SourceLink.objects.create(
        solution=r.solution, title="Evaluation report 2019", url="https://example.org/eval.pdf"
    )
    SourceLink.objects.create(
        solution=r.solution, title="County press release", url="https://example.org/press"
    )
    # Neighbours: two share both themes or one, one is a draft, one shares nothing.
    make_solution(title="Clinic toilets", themes=[r.water, r.health], published_at=at(2020))
    make_solution(title="Rain tanks", themes=[r.water], published_at=at(2021))
    make_solution(title="Water kiosks", themes=[r.water], published_at=at(2023))
    make_solution(title="Draft latrine loans", themes=[r.water, r.health], status=Status.DRAFT)
    make_solution(title="Solar street lights", themes=[r.energy], published_at=at(2024))
    r.solution.refresh_from_db()
    r.html_url = r.solution.get_absolute_url()
    return r


def test_solution_page_shows_title_summary_and_every_section_as_markdown(client, rich):
    html = get_html(client, rich.html_url)

    assert h1_texts(html) == ["Community toilet blocks"]
    assert (
        '<p class="summary">Toilet blocks run by youth groups in informal settlements.</p>' in html
    )
    problem = part(html, '<section aria-labelledby="problem">')
    assert "The problem" in problem
    assert "<p>Half of the households <strong>shared</strong> a pit latrine.</p>" in problem
    approach = part(html, '<section aria-labelledby="approach">')
    assert "Youth groups <em>ran</em> the blocks" in approach
    results = part(html, '<section aria-labelledby="results">')
    assert "Queues fell to <strong>five minutes</strong> at peak hours." in results
    lessons = part(html, '<section aria-labelledby="lessons">')
    assert "Lessons learned" in lessons
    assert "<li>Pay the caretakers</li>" in lessons
    assert "<li>Keep <strong>water</strong> on site</li>" in lessons


def test_solution_page_links_origin_city_network_themes_tags_and_sdgs(client, rich):
    html = get_html(client, rich.html_url)

    assert '<a href="/cities/nairobi/">Nairobi</a>, Kenya' in html
    assert '<a href="/networks/city2city/">City2City Network</a>' in html
    assert (
        '<dt>City</dt><dd><a href="/cities/nairobi/">Nairobi</a>, Kenya (Sub-Saharan Africa)</dd>'
        in html
    )

    themes_and_tags = part(html, "<section><h2>Themes and tags</h2>")
    assert '<a href="/themes/water/">Water and sanitation</a>' in themes_and_tags
    assert '<a href="/themes/public-health/">Public health</a>' in themes_and_tags
    assert '<a href="/solutions/?tag=sanitation">#sanitation</a>' in themes_and_tags
    assert '<a href="/solutions/?tag=public-toilets">#public toilets</a>' in themes_and_tags

    goals = part(html, "<section><h2>Sustainable Development Goals</h2>")
    assert '<a href="/solutions/?sdg=6">6. Clean water and sanitation</a>' in goals
    assert '<a href="/solutions/?sdg=11">11. Sustainable cities and communities</a>' in goals
    assert "Climate action" not in goals


def test_solution_page_shows_stage_years_cost_and_funding(client, rich):
    html = get_html(client, rich.html_url)

    assert "<dt>Stage</dt><dd>Scaled up</dd>" in html
    assert "<dt>Years</dt><dd>2012–2019</dd>" in html
    assert "<dt>Cost</dt><dd>About US$1,250,000</dd>" in html
    assert "Scaled up · 2012–2019" in text_of(part(html, "<header>", "</header>"))
    funding = part(html, '<section id="funding">')
    assert "Cost and funding" in funding
    assert "The <strong>county</strong> gave the land" in funding


def test_solution_page_groups_partners_under_sector_headings(client, rich):
    html = get_html(client, rich.html_url)

    partners = part(html, '<section id="partners">')
    groups = [
        (heading, re.findall(r"<strong>(.*?)</strong>", names))
        for heading, names in re.findall(r"<h3>(.*?)</h3>\s*<ul>(.*?)</ul>", partners, re.S)
    ]
    assert groups == [
        ("Community and grassroots", ["Kibera Residents Forum", "Mathare Youth Group"]),
        ("Government", ["Nairobi City County"]),
        ("Non-profit", ["Umande Trust"]),
    ]
    assert "<strong>Mathare Youth Group</strong>: Runs blocks" in partners


def test_solution_page_charts_each_indicator_and_tables_its_measurements(client, rich):
    html = get_html(client, rich.html_url)

    access = part(html, f'<div id="indicator-{rich.access.pk}" class="indicator">', "</table>")
    assert "Households with a toilet nearby (households)" in text_of(access)
    assert f'role="img" aria-labelledby="chart-title-{rich.access.pk}"' in access
    assert re.search(r"<svg [^>]*role=\"img\"", access)
    title = re.search(r'<title id="chart-title-\d+">(.*?)</title>', access).group(1)
    assert title == (
        "Households with a toilet nearby: 2012 1,200, 2015 4,800, 2019 9,000. Target 12,000 by 2025"
    )
    table = part(access, '<table class="measurements">', "</table>")
    assert re.findall(r'<th scope="col">(.*?)</th>', table) == ["Year", "2012", "2015", "2019"]
    assert re.findall(r"<td>(.*?)</td>", table) == ["1,200", "4,800", "9,000"]
    assert (
        "Higher is better. Trend: Improving. Baseline 1,200 in 2012. Target 12,000 by 2025."
        in text_of(access)
    )
    assert '<span class="trend-improving">Improving</span>' in access

    cholera = part(html, f'<div id="indicator-{rich.cholera.pk}" class="indicator">', "</table>")
    assert "Lower is better. Trend: Worsening." in text_of(cholera)
    assert '<span class="trend-worsening">Worsening</span>' in cholera
    assert re.search(
        r"<title id=\"chart-title-\d+\">Cholera cases: 2012 40, 2019 55</title>", cholera
    )


def test_solution_page_lists_where_it_travelled(client, rich):
    html = get_html(client, rich.html_url)

    travelled = part(html, '<section id="transfers" aria-labelledby="transfers-heading">')
    text = text_of(travelled)
    assert "Where it travelled" in text
    assert "From Nairobi to 2 other cities." in text
    assert (
        "Nairobi → Kampala, Uganda: adopted (2015–2017), brokered by C2C"
        " · across a national border." in text
    )
    assert "What changed: Pay-per-use pricing" in text
    assert "Outcome: Twelve blocks built" in text
    mombasa = part(travelled, f'<li id="transfer-{rich.to_mombasa.pk}">', "</li>")
    assert text_of(mombasa) == "Nairobi → Mombasa, Kenya: in progress (2020)."
    assert '<a href="/cities/kampala/">Kampala</a>' in travelled
    assert '<a href="/networks/city2city/">C2C</a>' in travelled
    # Newest transfer first.
    assert travelled.index(f"transfer-{rich.to_mombasa.pk}") < travelled.index(
        f"transfer-{rich.to_kampala.pk}"
    )


def test_solution_page_without_transfers_says_so(client, db):
    solution = make_solution(title="Stay-at-home solution")

    html = get_html(client, solution.get_absolute_url())

    assert "No transfer of this solution to another city has been recorded yet." in html


def test_solution_page_lists_related_published_solutions_by_shared_themes(client, rich):
    html = get_html(client, rich.html_url)

    related = part(html, '<section class="related">')
    titles = [text_of(t) for t in re.findall(r'<li><a href="[^"]*">(.*?)</a>', related)]
    # Most shared themes first, then the most recently published; at most four.
    assert titles == ["Clinic toilets", "Water kiosks", "Rain tanks"]
    assert "Community toilet blocks" not in related
    assert "Draft latrine loans" not in html
    assert "Solar street lights" not in html


def test_solution_page_shows_images_with_alt_text_and_credit(client, rich):
    html = get_html(client, rich.html_url)

    images = part(html, '<section id="images"')
    assert '<img src="/media/solutions/x.png" alt="A toilet block in Mathare"' in images
    assert '<img src="/media/solutions/y.png" alt="The queue at noon"' in images
    assert "The first block <span>Credit: Jane Wanjiru</span>" in images
    assert images.index("x.png") < images.index("y.png")


def test_solution_page_shows_sources_and_when_it_was_last_updated(client, rich):
    html = get_html(client, rich.html_url)

    sources = part(html, '<section id="sources">')
    assert (
        '<a href="https://example.org/eval.pdf" rel="nofollow noopener">Evaluation report 2019</a>'
        in sources
    )
    assert "County press release" in sources
    updated = timezone.localtime(rich.solution.updated_at)
    # To the second: HTML's datetime takes at most three digits of a fraction, the database
    # keeps six.
    assert (
        f'Last updated <time datetime="{updated:%Y-%m-%dT%H:%M:%S%z}">'
        f"{format_date(updated, 'j F Y')}</time>" in html
    )
    assert "Published 1 March 2024." in html


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.ARCHIVED]
)
def test_solution_page_is_not_found_unless_published(client, db, status):
    solution = make_solution(title="Hidden entry", slug="hidden-entry", status=status)

    response = client.get(solution.get_absolute_url())

    assert_not_found(response, "Hidden entry")


def test_solution_page_of_an_unknown_slug_is_not_found(client, db):
    assert_not_found(client.get(reverse("solutions:detail", kwargs={"slug": "no-such-thing"})))


# 4. Transfers page


def transfers_page(client, query=""):
    return get_html(client, reverse("solutions:transfers") + (f"?{query}" if query else ""))


def totals(html):
    figures = part(html, '<dl class="figures" aria-label="Totals">', "</dl>")
    return (
        key_figure(figures, "Transfers"),
        key_figure(figures, "Across a national border"),
        key_figure(figures, "Across a regional border"),
    )


def test_transfers_page_lists_every_transfer_of_a_published_solution(client, world):
    html = transfers_page(client)

    rows = transfer_rows(html)
    # Latest start year first.
    assert list(rows) == [world.t4.pk, world.t2.pk, world.t3.pk, world.t1.pk]
    assert rows[world.t1.pk] == [
        "Community toilet blocks",
        "Nairobi, Kenya",
        "Mombasa, Kenya",
        "C2C",
        "Adopted",
        "2018–2020",
    ]
    assert rows[world.t3.pk] == [
        "Tram priority lanes",
        "Lisbon, Portugal",
        "Porto, Portugal",
        "EUX",
        "Proposed",
        "2019",
    ]
    assert rows[world.t4.pk][3] == "—"
    assert totals(html) == (4, 2, 1)
    assert_no_unpublished_solution(html)


@pytest.mark.parametrize(
    "query, expected, expected_totals",
    [
        ("network=city2city", ["t2", "t1"], (2, 1, 0)),
        ("network=eurocities-exchange", ["t3"], (1, 0, 0)),
        ("network=quiet", [], (0, 0, 0)),
        ("status=adopted&status=adapted", ["t4", "t1"], (2, 1, 1)),
        ("status=proposed", ["t3"], (1, 0, 0)),
        ("region=europe", ["t4", "t3"], (2, 1, 1)),
        ("region=africa", ["t4", "t2", "t1"], (3, 2, 1)),
        ("region=asia", [], (0, 0, 0)),
        ("crossing=national", ["t4", "t2"], (2, 2, 1)),
        ("crossing=regional", ["t4"], (1, 1, 1)),
        ("crossing=domestic", ["t3", "t1"], (2, 0, 0)),
        ("crossing=national&crossing=domestic", ["t4", "t2", "t3", "t1"], (4, 2, 1)),
        ("network=city2city&crossing=national", ["t2"], (1, 1, 0)),
        ("region=europe&crossing=domestic", ["t3"], (1, 0, 0)),
        ("region=africa&status=adopted", ["t1"], (1, 0, 0)),
    ],
)
def test_transfers_page_filters_the_rows_and_the_totals(
    client, world, query, expected, expected_totals
):
    html = transfers_page(client, query)

    assert transfer_ids(html) == [getattr(world, name).pk for name in expected]
    assert totals(html) == expected_totals
    if not expected:
        assert "No transfers match these filters." in html


def test_transfers_page_shows_the_chosen_filters_as_removable_chips(client, world):
    response = client.get(reverse("solutions:transfers") + "?network=city2city&crossing=national")

    assert response.status_code == 200
    chips = part(response.content.decode(), '<ul class="chips active-filters"', "</ul>")
    assert "Network: City2City Network" in chips
    assert "Border: Across a national border" in chips
    assert 'href="/transfers/?crossing=national"' in chips
    form = read_form(response, css_class="filters")
    assert form.method == "get"
    assert form.checked("network") == {"city2city"}
    assert form.checked("crossing") == {"national"}


@pytest.mark.parametrize(
    "query, notice",
    [
        ("network=nowhere", "Ignored the unknown network “nowhere”."),
        ("status=lost", "Ignored the unknown status “lost”."),
        ("region=mars", "Ignored the unknown region (either city) “mars”."),
        ("crossing=sideways", "Ignored the unknown border “sideways”."),
    ],
)
def test_transfers_page_ignores_an_unknown_filter_value_with_a_notice(client, world, query, notice):
    response = client.get(reverse("solutions:transfers") + "?" + query)

    assert response.status_code == 200
    html = response.content.decode()
    assert notice in text_of(part(html, '<div class="notices" role="status">', "</div>"))
    assert transfer_ids(html) == [world.t4.pk, world.t2.pk, world.t3.pk, world.t1.pk]
    assert totals(html) == (4, 2, 1)


def test_transfers_page_keeps_the_known_values_next_to_an_unknown_one(client, world):
    html = transfers_page(client, "network=city2city&network=nowhere")

    assert "Ignored the unknown network “nowhere”." in html
    assert transfer_ids(html) == [world.t2.pk, world.t1.pk]
    assert totals(html) == (2, 1, 0)


# 5. Meta descriptions and canonical links


def test_canonical_link_drops_filters_but_keeps_the_page_number(client, db):
    network = make_network(slug="busy")
    for n in range(21):
        make_solution(
            title=f"Paged solution {n}", network=network, published_at=at(2020) + timedelta(days=n)
        )

    html = get_html(client, "/solutions/?network=busy&page=2")

    assert canonical_url(html) == "http://testserver/solutions/?page=2"
    assert page_title(html).startswith("Solutions, page 2")


def test_theme_page_without_a_description_still_has_a_meta_description(client, db):
    make_theme(name="Heat", slug="heat", description="")

    html = get_html(client, reverse("solutions:theme", kwargs={"slug": "heat"}))

    assert meta_description(html)


def test_solution_page_without_a_summary_still_has_a_meta_description(client, db):
    solution = make_solution(title="Untitled summary", summary="")

    html = get_html(client, solution.get_absolute_url())

    assert meta_description(html)


# 6. Query counts: the same exact number of queries for 3 rows as for 60

_serial = itertools.count(1)


def home_case():
    def add(count):
        for _ in range(count):
            solution = make_newest_solution()
            make_transfer(solution)
        return solution.title

    return reverse("solutions:home"), add


def solution_list_case(query=(), title="Row solution", found="solutions"):
    """The list with these parameters, whose every row matches them."""
    city = make_city(name="Floodtown", slug="floodtown", country="KE", population=2_000_000)
    network = make_network(name="Search network", slug="search-net")
    theme = make_theme(name="Flooding", slug="flooding")
    rows = []

    def add(count):
        for _ in range(count):
            n = next(_serial)
            solution = make_newest_solution(
                title=f"{title} {n:05}",
                city=city,
                network=network,
                themes=[theme],
                tags=["drainage", f"row tag {n}"],
                stage=Stage.IMPLEMENTED,
                start_year=2015,
            )
            solution.sdgs.add(11)
            rows.append(solution)
        return f"<strong>{len(rows)}</strong> {found}"

    return reverse("solutions:list") + ("?" + urlencode(query) if query else ""), add


FILTERS = [
    ("theme", "flooding"),
    ("region", "africa"),
    ("country", "KE"),
    ("city", "floodtown"),
    ("network", "search-net"),
    ("stage", "implemented"),
    ("sdg", "11"),
    ("tag", "drainage"),
    ("size", "large"),
    ("year_from", "2010"),
    ("year_to", "2020"),
]
SEARCH = [("q", "flood park")]
FOUND_BY_SEARCH = "solutions matching your search"


def theme_index_case():
    def add(count):
        for _ in range(count):
            solution = make_newest_solution()
        return solution.themes.get().name

    return reverse("solutions:themes"), add


def theme_page_case():
    theme = make_theme(name="Crowded theme", slug="crowded")
    rows = []

    def add(count):
        for _ in range(count):
            n = next(_serial)
            other = make_theme(name=f"Side theme {n:05}", slug=f"side-{n}")
            rows.append(make_newest_solution(themes=[theme, other]))
        return f"<strong>{len(rows)}</strong> solutions"

    return reverse("solutions:theme", kwargs={"slug": "crowded"}), add


PARTNER_SECTORS = ["government", "business", "nonprofit", "community", "academia", "media"]


def add_everything_to(solution, count):
    """`count` more of every related row the solution page shows; the newest partner's name."""
    for _ in range(count):
        n = next(_serial)
        theme = make_theme(name=f"Detail theme {n:05}", slug=f"detail-theme-{n}")
        solution.themes.add(theme)
        solution.tags.add(f"detail tag {n}")
        solution.sdgs.add(n % 17 + 1)
        make_partner(
            solution,
            name=f"Detail partner {n:05}",
            sector=PARTNER_SECTORS[n % len(PARTNER_SECTORS)],
        )
        make_indicator(solution, measurements=[(2018, n), (2020, n + 1), (2022, n + 3)])
        SourceLink.objects.create(
            solution=solution, title=f"Source {n}", url=f"https://example.org/{n}"
        )
        SolutionImage.objects.create(
            solution=solution, image=f"solutions/row-{n}.png", alt_text=f"Image {n}"
        )
        make_transfer(solution)
        make_newest_solution(themes=[theme])  # a related solution
    return f"Detail partner {n:05}"


def solution_page_case():
    solution = make_solution(title="Detail subject", slug="detail-subject")
    return solution.get_absolute_url(), lambda count: add_everything_to(solution, count)


def transfers_page_case(query=""):
    network = make_network(name="Broker", slug="broker")
    rows = []

    def add(count):
        for _ in range(count):
            solution = make_newest_solution(network=network)  # from Kenya
            rows.append(make_transfer(solution, network=network, status="adopted"))  # to TZ
        return f"<dt>Transfers</dt><dd>{len(rows)}</dd>"

    return reverse("solutions:transfers") + query, add


TRANSFER_FILTERS = "?network=broker&status=adopted&region=africa&crossing=national"

# A search asks PostgreSQL's planner how many it matches (broad ones get estimated counts),
# and reads the ranked ids (kept until the content changes) before its page of rows.
ESTIMATE = 1 if connection.vendor == "postgresql" else 0

# (page, its rows, exact queries on a cold cache, exact queries on a warm one)
PAGES = [
    ("home", home_case, 6, 3),
    ("solution list", solution_list_case, 9, 2),
    ("solution list, filtered", lambda: solution_list_case(FILTERS), 14, 2),
    (
        "solution list, searched",
        lambda: solution_list_case(SEARCH, "Flood park", FOUND_BY_SEARCH),
        10 + ESTIMATE,
        2,
    ),
    (
        "solution list, searched and filtered",
        lambda: solution_list_case(SEARCH + FILTERS, "Flood park", FOUND_BY_SEARCH),
        15 + ESTIMATE,
        2,
    ),
    ("theme index", theme_index_case, 1, 0),
    ("theme page", theme_page_case, 13, 3),
    ("solution page", solution_page_case, 11, 11),
    # The list, its count, the totals and the flows between sub-regions (cached when warm).
    ("transfers page", transfers_page_case, 5, 2),
    ("transfers page, filtered", lambda: transfers_page_case(TRANSFER_FILTERS), 5, 2),
]


@pytest.mark.parametrize(
    "build, cold, warm",
    [(build, cold, warm) for _page, build, cold, warm in PAGES],
    ids=[page for page, *_rest in PAGES],
)
def test_page_runs_the_same_exact_queries_for_3_rows_and_for_60(
    client, django_assert_num_queries, build, cold, warm
):
    url, add_rows = build()

    assert_queries_do_not_grow(client, url, add_rows, django_assert_num_queries, cold, warm=warm)


def test_a_preview_of_a_draft_runs_the_same_exact_queries_for_3_rows_and_for_60(
    client, django_assert_num_queries
):
    network = make_network()
    author = make_user()
    make_staff(network, user=author)
    draft = make_solution(
        title="Draft preview", status=Status.DRAFT, author=author, network=network
    )
    client.force_login(author)

    assert_queries_do_not_grow(
        client,
        draft.get_absolute_url(),
        lambda count: add_everything_to(draft, count),
        django_assert_num_queries,
        16,
        warm=16,
    )
