"""Markdown to safe HTML: Markdown renders, then nh3 keeps only an allow-list of tags."""

import markdown as markdown_lib
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
# "*": nothing on every other tag (nh3 would otherwise keep its default title and lang).
ALLOWED_ATTRIBUTES = {"*": set(), "a": {"href", "title"}, "th": {"scope"}, "td": set()}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


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
