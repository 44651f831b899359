"""Place widgets other apps' pages show: "Cities like this one" on a city's page (the cities
app cannot import what solutions know about themes, so its template loads this)."""

from django import template

from solutions.similar_cities import like_city

register = template.Library()


@register.inclusion_tag("includes/_similar_cities.html")
def cities_like(city):
    return {"city": city, "suggestions": like_city(city)}
