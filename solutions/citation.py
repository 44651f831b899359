"""How to cite a published case study: as a line of text, and in the formats reference managers
read (BibTeX, RIS, CSL-JSON); and what search engines and chat apps read about its page
(schema.org JSON-LD, Open Graph).

The author is the network that documented the case study (an organisation, as reference
managers expect a corporate author), the publisher this site, the date its publication here;
"accessed" is the day the citation is made.
"""

import json
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

SITE_NAME = "Urban Solutions Exchange"


@dataclass(frozen=True)
class Citation:
    key: str
    title: str
    author: str
    place: str
    published: date
    url: str
    accessed: date

    @classmethod
    def of(cls, solution, url, accessed=None):
        city = solution.city
        published = timezone.localdate(solution.published_at)
        return cls(
            key=solution.slug,  # unique on the site, and a valid BibTeX key
            title=solution.title,
            author=solution.network.name,
            place=f"{city.name}, {city.country.name}",
            published=published,
            url=url,
            accessed=accessed or timezone.localdate(),
        )

    def as_text(self):
        return _(
            "%(author)s (%(year)s). %(title)s [case study: %(place)s]. %(site)s. %(url)s "
            "(accessed %(accessed)s)."
        ) % {
            "author": self.author,
            "year": self.published.year,
            "title": self.title,
            "place": self.place,
            "site": SITE_NAME,
            "url": self.url,
            "accessed": self.accessed.isoformat(),
        }

    def as_bibtex(self):
        fields = [
            ("author", "{" + _bibtex(self.author) + "}"),  # braced: an organisation's name
            ("title", _bibtex(self.title)),
            ("year", str(self.published.year)),
            ("month", str(self.published.month)),
            ("publisher", _bibtex(SITE_NAME)),
            ("address", _bibtex(self.place)),
            ("note", _bibtex(f"Case study: {self.place}")),
            ("url", self.url),
            ("urldate", self.accessed.isoformat()),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def as_ris(self):
        lines = [
            ("TY", "ELEC"),
            ("AU", self.author),
            ("TI", self.title),
            ("PY", str(self.published.year)),
            ("DA", self.published.strftime("%Y/%m/%d")),
            ("PB", SITE_NAME),
            ("CY", self.place),
            ("UR", self.url),
            ("Y2", self.accessed.strftime("%Y/%m/%d")),
            ("ER", ""),
        ]
        # One line a tag; a line break inside a value would start a line RIS cannot read.
        return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines)

    def as_csl(self):
        return [
            {
                "id": self.key,
                "type": "report",
                "genre": "Case study",
                "title": self.title,
                "author": [{"literal": self.author}],
                "publisher": SITE_NAME,
                "publisher-place": self.place,
                "issued": {"date-parts": [_parts(self.published)]},
                "accessed": {"date-parts": [_parts(self.accessed)]},
                "URL": self.url,
            }
        ]


def _parts(day):
    return [day.year, day.month, day.day]


# Characters BibTeX (and LaTeX after it) read as commands, and how to write them as text.
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _bibtex(text):
    text = " ".join(text.split())
    return "".join(BIBTEX_ESCAPES.get(character, character) for character in text)


def json_ld(solution, request):
    """schema.org's Article for the case study's page, as the text of a <script> element:
    with "<", ">" and "&" escaped so no text in it can end the element."""
    city = solution.city
    page = request.build_absolute_uri(solution.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": solution.title,
        "description": solution.summary,
        "url": page,
        "mainEntityOfPage": page,
        "inLanguage": "en",
        "datePublished": solution.published_at.isoformat(),
        "dateModified": solution.updated_at.isoformat(),
        "author": {
            "@type": "Organization",
            "name": solution.network.name,
            "url": request.build_absolute_uri(solution.network.get_absolute_url()),
        },
        "publisher": {
            "@type": "Organization",
            "name": SITE_NAME,
            "url": request.build_absolute_uri("/"),
        },
        "contentLocation": {
            "@type": "Place",
            "name": f"{city.name}, {city.country.name}",
            "address": {"@type": "PostalAddress", "addressCountry": city.country.code},
        },
        "about": [theme.name for theme in solution.themes.all()],
        "keywords": sorted(tag.name for tag in solution.tags.all()),
    }
    if city.latitude is not None and city.longitude is not None:
        data["contentLocation"]["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": city.latitude,
            "longitude": city.longitude,
        }
    if image := first_image_url(solution, request):
        data["image"] = image
    text = json.dumps(data, ensure_ascii=False)
    escaped = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(escaped)  # JSON with the characters HTML reads escaped


def first_image_url(solution, request):
    images = list(solution.images.all())
    return request.build_absolute_uri(images[0].image.url) if images else ""


def share_links(citation):
    """Links that share the page on other sites: plain links, no script from anyone."""
    url, title = quote(citation.url, safe=""), quote(citation.title, safe="")
    return [
        ("email", _("E-mail"), f"mailto:?subject={title}&body={url}"),
        ("linkedin", "LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={url}"),
        ("mastodon", "Mastodon", f"https://mastodonshare.com/?text={title}&url={url}"),
        ("x", "X", f"https://x.com/intent/post?text={title}&url={url}"),
        ("facebook", "Facebook", f"https://www.facebook.com/sharer/sharer.php?u={url}"),
    ]
