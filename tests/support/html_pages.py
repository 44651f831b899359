"""Reading what a page says: its visible text, its parts, headings, cards and tables.

Plain text and structure for content assertions; forms are read with html_forms.
"""

import re
from html.parser import HTMLParser


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def text_of(html):
    """The visible text of an HTML fragment, entities decoded, whitespace collapsed."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return " ".join("".join(collector.parts).split())


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def part(html, start, end="</section>"):
    """The HTML from the first `start` up to the next `end`."""
    begin = html.find(start)
    assert begin != -1, f"{start!r} is not on the page"
    finish = html.find(end, begin + len(start))
    assert finish != -1, f"{end!r} does not follow {start!r}"
    return html[begin : finish + len(end)]


def head_of(html):
    return part(html, "<head>", "</head>")


def page_title(html):
    return text_of(re.search(r"<title>(.*?)</title>", head_of(html), re.S).group(1))


def meta_description(html):
    match = re.search(r'<meta name="description" content="([^"]*)">', head_of(html))
    assert match, "no meta description"
    return text_of(match.group(1))


def canonical_url(html):
    match = re.search(r'<link rel="canonical" href="([^"]*)">', head_of(html))
    assert match, "no canonical link"
    return match.group(1)


def h1_texts(html):
    return [text_of(h1) for h1 in re.findall(r"<h1[\s>].*?</h1>", html, re.S)]


def card_titles(html):
    return [
        text_of(title)
        for title in re.findall(r'<article class="card">\s*<h3><a href="[^"]*">(.*?)</a>', html)
    ]


def list_items(html):
    """The text of every <li> in the fragment."""
    return [text_of(item) for item in re.findall(r"<li>(.*?)</li>", html)]


def transfer_rows(html):
    """{transfer pk: [cell texts]} of every transfer table row, in page order."""
    rows = re.findall(r'<tr id="transfer-(\d+)">(.*?)</tr>', html, re.S)
    return {
        int(pk): [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for pk, row in rows
    }


def transfer_ids(html):
    return list(transfer_rows(html))


def key_figure(html, label):
    # The label may be a link to the list it counts.
    match = re.search(rf"<dt>(?:<a [^>]*>)?{re.escape(label)}(?:</a>)?</dt><dd>(\d+)</dd>", html)
    assert match, f"no figure {label!r}"
    return int(match.group(1))


def theme_grid(html):
    found = re.findall(
        r'<span class="theme-name">(.*?)</span> <span class="count">(.*?)</span>', html
    )
    return [(text_of(name), text_of(count)) for name, count in found]
