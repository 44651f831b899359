from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.views.generic import DetailView, ListView

from solutions.models import Indicator, Solution, Status, Theme, Transfer


def published_theme_counts():
    return Theme.objects.annotate(
        published_count=Count("solutions", filter=Q(solutions__status=Status.PUBLISHED))
    )


def home(request):
    return render(
        request,
        "solutions/home.html",
        {
            "themes": published_theme_counts(),
            "newest": Solution.objects.published().for_listing().newest_first()[:6],
        },
    )


class SolutionListView(ListView):
    paginate_by = 20
    template_name = "solutions/solution_list.html"

    def get_queryset(self):
        return Solution.objects.published().for_listing().newest_first()


class SolutionDetailView(DetailView):
    """A published solution; any other status is a 404 for visitors."""

    def get_queryset(self):
        return (
            Solution.objects.published()
            .select_related("city", "network")
            .prefetch_related(
                "themes",
                "tags",
                "sdgs",
                "partners",
                "sources",
                "images",
                Prefetch("indicators", queryset=Indicator.objects.prefetch_related("measurements")),
                Prefetch(
                    "transfers",
                    queryset=Transfer.objects.select_related(
                        "origin_city", "adopting_city", "network"
                    ),
                ),
            )
        )


class ThemeListView(ListView):
    template_name = "solutions/theme_list.html"

    def get_queryset(self):
        return published_theme_counts()


class ThemeDetailView(DetailView):
    model = Theme

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            solutions=self.object.solutions.published().for_listing().newest_first(), **kwargs
        )


class TransferListView(ListView):
    template_name = "solutions/transfer_list.html"

    def get_queryset(self):
        return Transfer.objects.of_published_solutions().for_listing()
