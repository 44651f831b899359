from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from solutions.charts import format_number, indicator_chart

register = template.Library()


@register.filter
def number(value):
    return format_number(value)


@register.inclusion_tag("includes/_indicator_chart.html")
def chart(indicator):
    return {"indicator": indicator, "chart": indicator_chart(indicator)}


@register.simple_tag
def search_snippet(solution, matcher):
    """The part of a search result's text that shows the searched words (search.snippets)."""
    return matcher.snippet(solution)


@register.simple_tag
def filter_options(group, approximate=False):
    """A filter group's checkboxes, each with its label and count.

    Written in Python rather than as a template loop: a list page has about 300 options, and
    the loop was a third of the page's rendering time.
    """
    about = gettext("about")

    def count(option):
        if option.count is None:
            return ""
        shown = f"{about} {intcomma(option.count)}" if approximate else str(option.count)
        return format_html(' <span class="count">({})</span>', shown)

    return format_html_join(
        "\n",
        '<li><label><input type="checkbox" name="{}" value="{}"{}> {}{}</label></li>',
        (
            (
                group.name,
                option.value,
                " checked" if option.checked else "",
                option.label,
                count(option),
            )
            for option in group.options
        ),
    )
