"""The counts the home page and the themes page show, cached until the content changes."""

from django.db.models import Count

from core.caching import cached
from solutions.models import Solution, Theme, Transfer
from solutions.models.solution import published_q
from solutions.models.transfers import CROSSES_NATIONAL_BORDER


def key_figures():
    solutions = Solution.objects.published().aggregate(
        solutions=Count("pk"),
        cities=Count("city", distinct=True),
        countries=Count("city__country", distinct=True),
        networks=Count("network", distinct=True),
    )
    transfers = Transfer.objects.of_published_solutions().aggregate(
        transfers=Count("pk"),
        international=Count("pk", filter=CROSSES_NATIONAL_BORDER),
    )
    return solutions | transfers


def cached_key_figures():
    return cached("key-figures", key_figures)


def published_theme_counts():
    """Every theme, in order, with its number of published solutions (`published_count`)."""
    return cached(
        "theme-counts",
        lambda: list(
            Theme.objects.annotate(
                published_count=Count("solutions", filter=published_q("solutions__"))
            ).order_by("position", "name")
        ),
    )
