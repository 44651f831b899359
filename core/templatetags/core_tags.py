from django import template

from core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Markdown rendered and sanitised to the allow-list (core.markdown)."""
    return render_markdown(text)
