"""The key figures on the home page."""

from django.db.models import Count, F, Q

from solutions.models import Solution, Transfer


def key_figures():
    solutions = Solution.objects.published().aggregate(
        solutions=Count("pk"),
        cities=Count("city", distinct=True),
        countries=Count("city__country", distinct=True),
        networks=Count("network", distinct=True),
    )
    transfers = Transfer.objects.of_published_solutions().aggregate(
        transfers=Count("pk"),
        international=Count("pk", filter=~Q(origin_city__country=F("adopting_city__country"))),
    )
    return solutions | transfers
