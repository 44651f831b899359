"""The key figures on the home page."""

from django.db.models import Count

from solutions.models import Solution, Transfer
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
