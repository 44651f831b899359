"""Markdown to safe HTML: Markdown renders, then nh3 keeps only an allow-list of tags."""

import hashlib

import markdown as markdown_lib
import nh3
from django.core.cache import cache
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
# "*": nothing on every other tag (nh3 would otherwise keep its default title and lang).
ALLOWED_ATTRIBUTES = {"*": set(), "a": {"href", "title"}, "th": {"scope"}, "td": set()}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


# Bump when the rendering or the allow-list changes, so no page shows the old rendering.
RENDERING = 1
# Unread renderings (of texts since edited) leave the cache after a month.
KEPT_FOR = 60 * 60 * 24 * 30


def rendered_markdown(text):
    """render_markdown(text), rendered once per distinct text: kept in the shared cache under
    the text's digest (not the content version, so a publish elsewhere does not clear it).
    Saving a text renders it (`remember_rendering`), so its first reader does not wait."""
    if not text:
        return mark_safe("")
    key = f"markdown:{RENDERING}:{hashlib.sha256(text.encode()).hexdigest()}"
    html = cache.get(key)
    if html is None:
        html = str(render_markdown(text))
        cache.set(key, html, KEPT_FOR)
    return mark_safe(html)  # noqa: S308 - rendered and sanitised by render_markdown


def remember_rendering(*texts):
    for text in texts:
        rendered_markdown(text)


def render_markdown(text):
    """Render Markdown and strip everything but the allowed tags, attributes and URL schemes."""
    if not text:
        return mark_safe("")
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just sanitised it
