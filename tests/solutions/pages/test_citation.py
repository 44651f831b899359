"""Citing and sharing a published case study: the citation on its page, the BibTeX, RIS and
CSL-JSON downloads (read back with real parsers), the JSON-LD and Open Graph that describe
the page; none of it for a case study that is not published."""

import json
import re
from datetime import UTC, date, datetime

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.utils import timezone

from solutions.models import SolutionImage, Status
from tests.support.factories import make_city, make_network, make_solution, make_theme

pytestmark = pytest.mark.django_db

TRICKY_TITLE = 'Fees of 5% & {braced} $costs_ #1 ~ ^ \\ </script><script>alert("x")</script>'


@pytest.fixture
def case_study(db):
    network = make_network(name="Parks & Streets Network", slug="parks")
    city = make_city(name="São Paulo", slug="sao-paulo-br", country="BR", latitude=-23.55)
    solution = make_solution(
        title=TRICKY_TITLE,
        slug="fees-sao-paulo",
        summary="A summary <b>with markup</b> & more.",
        city=city,
        network=network,
        themes=[make_theme(name="Housing", slug="housing")],
        tags=["fees"],
        published_at=datetime(2024, 3, 12, 9, tzinfo=UTC),
    )
    SolutionImage.objects.create(solution=solution, image="solutions/a.jpg", alt_text="A street")
    return solution


def test_the_page_shows_a_citation_with_who_when_where_and_the_date_accessed(client, case_study):
    html = client.get("/solutions/fees-sao-paulo/").content.decode()
    [text] = re.findall(r'<p class="citation" id="citation-text">(.*?)</p>', html, re.S)
    today = timezone.localdate().isoformat()
    assert text == (
        "Parks &amp; Streets Network (2024). Fees of 5% &amp; {braced} $costs_ #1 ~ ^ \\ "
        "&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
        "[case study: São Paulo, Brazil]. Urban Solutions Exchange. "
        f"http://testserver/solutions/fees-sao-paulo/ (accessed {today})."
    )
    for format in ["bib", "ris", "json"]:
        assert f'href="/solutions/fees-sao-paulo/cite.{format}" download' in html


def test_bibtex_reads_back_as_the_case_study(client, case_study):
    response = client.get("/solutions/fees-sao-paulo/cite.bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="fees-sao-paulo.bib"'
    library = bibtexparser.parse_string(
        response.content.decode(), append_middleware=[LatexDecodingMiddleware()]
    )
    assert library.failed_blocks == []
    [entry] = library.entries
    fields = {name: field.value for name, field in entry.fields_dict.items()}
    assert entry.entry_type == "misc" and entry.key == "fees-sao-paulo"
    # pylatexenc reads LaTeX's \textasciicircum as the modifier letter U+02C6 (LaTeX prints ^).
    assert fields["title"].replace("\u02c6", "^") == TRICKY_TITLE
    assert fields["author"] == "Parks & Streets Network"
    assert fields["year"] == "2024" and fields["month"] == "3"
    assert fields["publisher"] == "Urban Solutions Exchange"
    assert fields["url"] == "http://testserver/solutions/fees-sao-paulo/"
    assert fields["urldate"] == timezone.localdate().isoformat()


def test_ris_reads_back_as_the_case_study(client, case_study):
    response = client.get("/solutions/fees-sao-paulo/cite.ris")
    [entry] = rispy.loads(response.content.decode())
    assert entry["type_of_reference"] == "ELEC"
    assert entry["title"] == TRICKY_TITLE
    assert entry["authors"] == ["Parks & Streets Network"]
    assert entry["year"] == "2024"
    assert entry["publisher"] == "Urban Solutions Exchange"
    assert entry["place_published"] == "São Paulo, Brazil"
    assert entry["urls"] == ["http://testserver/solutions/fees-sao-paulo/"]


def test_csl_json_reads_back_as_the_case_study(client, case_study):
    response = client.get("/solutions/fees-sao-paulo/cite.json")
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    [item] = json.loads(response.content)
    today = timezone.localdate()
    assert item["title"] == TRICKY_TITLE
    assert item["author"] == [{"literal": "Parks & Streets Network"}]
    assert item["issued"] == {"date-parts": [[2024, 3, 12]]}
    assert item["accessed"] == {"date-parts": [[today.year, today.month, today.day]]}
    assert item["URL"] == "http://testserver/solutions/fees-sao-paulo/"


def json_ld_of(html):
    [text] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return text


def test_the_page_describes_itself_to_search_engines_and_chat_apps(client, case_study):
    html = client.get("/solutions/fees-sao-paulo/").content.decode()
    text = json_ld_of(html)
    assert "</script" not in text.lower() and "<" not in text  # no way out of the element
    data = json.loads(text)
    assert data["@type"] == "Article"
    assert data["headline"] == TRICKY_TITLE
    assert data["author"] == {
        "@type": "Organization",
        "name": "Parks & Streets Network",
        "url": "http://testserver/networks/parks/",
    }
    assert data["publisher"]["name"] == "Urban Solutions Exchange"
    assert data["contentLocation"]["name"] == "São Paulo, Brazil"
    assert data["contentLocation"]["geo"]["latitude"] == -23.55
    assert data["datePublished"].startswith("2024-03-12T09:00:00")
    assert data["about"] == ["Housing"] and data["keywords"] == ["fees"]
    assert data["image"].startswith("http://testserver/") and data["image"].endswith("a.jpg")
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:url" content="http://testserver/solutions/fees-sao-paulo/">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert 'og:description" content="A summary &lt;b&gt;with markup&lt;/b&gt; &amp; more.' in html


def test_share_links_are_plain_links_with_the_page_s_address(client, case_study):
    html = client.get("/solutions/fees-sao-paulo/").content.decode()
    links = dict(re.findall(r'<a href="([^"]+)" rel="noopener nofollow" data-share="(\w+)"', html))
    by_name = {name: href for href, name in links.items()}
    assert set(by_name) == {"email", "linkedin", "mastodon", "x", "facebook"}
    address = "http%3A%2F%2Ftestserver%2Fsolutions%2Ffees-sao-paulo%2F"
    assert all(address in href for href in by_name.values())
    assert by_name["email"].startswith("mailto:?subject=")
    assert "<script" not in html.split('id="cite"')[1].split("</section>")[0]


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.ARCHIVED]
)
def test_what_is_not_published_cannot_be_cited_or_shared(client, superuser, case_study, status):
    case_study.status = status
    case_study.save()
    for format in ["bib", "ris", "json"]:
        assert client.get(f"/solutions/fees-sao-paulo/cite.{format}").status_code == 404
    client.force_login(superuser)  # a curator sees the preview, without citation or metadata
    html = client.get("/solutions/fees-sao-paulo/").content.decode()
    assert "Preview:" in html
    assert 'id="cite"' not in html and "ld+json" not in html and "og:title" not in html
    assert client.get("/solutions/fees-sao-paulo/cite.bib").status_code == 404


def test_an_unknown_format_is_not_found(client, case_study):
    assert client.get("/solutions/fees-sao-paulo/cite.docx").status_code == 404
    assert client.get("/solutions/no-such-thing/cite.bib").status_code == 404


def test_a_download_runs_one_query(client, case_study, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/solutions/fees-sao-paulo/cite.ris").status_code == 200


def test_a_visitor_s_cached_page_is_made_again_the_next_day(client, case_study, settings):
    """The citation says when it was accessed: a page kept in the cache does not outlive the
    day it was made."""
    from unittest import mock

    settings.PAGE_CACHE_FOR_VISITORS = True
    client.get("/solutions/fees-sao-paulo/")  # made and kept today
    tomorrow = date(2031, 5, 6)
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        html = client.get("/solutions/fees-sao-paulo/").content.decode()
    assert "(accessed 2031-05-06)" in html
