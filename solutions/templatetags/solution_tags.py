from django import template

from solutions.charts import format_number, indicator_chart
from solutions.search import highlight as highlight_terms

register = template.Library()


@register.filter
def number(value):
    return format_number(value)


@register.inclusion_tag("includes/_indicator_chart.html")
def chart(indicator):
    return {"indicator": indicator, "chart": indicator_chart(indicator)}


@register.filter
def highlight(text, terms):
    return highlight_terms(text, terms)
