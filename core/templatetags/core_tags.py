from django import template

from core.markdown import rendered_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Markdown rendered and sanitised to the allow-list, once per text (core.markdown)."""
    return rendered_markdown(text)
