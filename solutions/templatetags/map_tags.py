"""The small maps on city, network and theme pages (`solutions.maps`), and a map's layers.

A tag rather than a view's context: the city and network pages belong to apps below this
one, which cannot import it; their templates load these tags instead. Each map is cached until
the content changes, so a warm page runs no query for it.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.translation import gettext

from solutions.filters import presentation
from solutions.maps import drawing as drawings
from solutions.maps import queries

register = template.Library()


@register.simple_tag
def map_layers(drawing, map_id):
    """The arrowheads, arcs and cities of a drawing, as SVG."""
    return drawings.svg_layers(drawing, map_id)


def _small_map(map_id, heading, data, full_url, list_url):
    return {
        "map_id": map_id,
        "heading": heading,
        "drawing": drawings.draw(data, list_url=list_url),
        "full_url": full_url,
        "small": True,
    }


def _list_of(path, data):
    return lambda slug: presentation.link(path, data, city=slug)


def _with_query(name, **params):
    return f"{reverse(name)}?{urlencode(params)}"


@register.inclusion_tag("includes/_map_embed.html")
def city_map(city):
    """The city, the cities it exchanged solutions with, and the transfers between them."""
    return _small_map(
        "city-map",
        gettext("Where its solutions travelled"),
        queries.city_map(city),
        _with_query("solutions:map", city=city.slug),
        lambda slug: _with_query("solutions:list", city=slug),
    )


@register.inclusion_tag("includes/_map_embed.html")
def network_map(network):
    """The network's published solutions and where they went: /map/?network=<slug>."""
    return _small_map(
        "network-map",
        gettext("Its solutions on the map"),
        queries.network_map(network),
        _with_query("solutions:map", network=network.slug),
        lambda slug: _with_query("solutions:list", network=network.slug, city=slug),
    )


@register.inclusion_tag("includes/_map_embed.html")
def theme_map(theme, filterset):
    """The theme page's solutions under its filters, and where they went."""
    data = filterset.data.copy()
    data["theme"] = theme.slug
    return _small_map(
        "theme-map",
        gettext("On the map"),
        queries.filtered_map(filterset, small=True),
        presentation.link(reverse("solutions:map"), data),
        _list_of(theme.get_absolute_url(), filterset.data),
    )
