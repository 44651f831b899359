"""The pages visitors browse: home, the solution list and search, themes, a solution, transfers."""

from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from core.caching import cached, conditional_for_visitors
from core.pagination import paginate
from solutions.citation import Citation, first_image_url, json_ld, share_links
from solutions.figures import cached_key_figures, published_theme_counts
from solutions.filters import presentation
from solutions.filters.solutions import SolutionFilterSet
from solutions.filters.transfers import TransferFilterSet
from solutions.models import Solution, Theme, Transfer
from solutions.search import ranking, suggest
from solutions.search.snippets import Matcher
from solutions.workflow.roles import can_edit_on_site, visible_solutions

PER_PAGE = 20
TRANSFERS_PER_PAGE = 50


@require_safe
@conditional_for_visitors
def home(request):
    return render(
        request,
        "solutions/home.html",
        {
            "themes": published_theme_counts(),
            "newest": Solution.objects.published().for_listing().newest_first()[:6],
            "figures": cached_key_figures(),
        },
    )


def filtered_solutions(request, *, queryset, fixed=()):
    """The filter form, facets, chips and one page of results, for any list of solutions."""
    filterset = SolutionFilterSet(request.GET, queryset=queryset, fixed=fixed)
    results = filterset.ordered().select_related("city", "network").prefetch_related("themes")
    # A search result shows the section that matched: only then are the sections read.
    matcher = Matcher(filterset.words) if filterset.words else None
    results = results.defer("search_document") if matcher else results.without_long_text()
    facets = filterset.facet_counts()
    page, page_notice = paginate(results, request.GET.get("page"), PER_PAGE, count=facets.total)
    suggestion = None
    if filterset.words and page.paginator.count == 0:
        suggestion = suggest(filterset.data["q"], queryset)
    return {
        "suggestion": suggestion,
        "search_matcher": matcher,
        "counts_approximate": facets.approximate,
        "ranked_candidates": ranking.CANDIDATES,
        "suggestion_url": presentation.link(request.path, filterset.data, q=suggestion)
        if suggestion
        else None,
        "filterset": filterset,
        "page_obj": page,
        "solutions": page.object_list,
        "notices": presentation.notices(filterset) + ([page_notice] if page_notice else []),
        "groups": presentation.option_groups(filterset, facets.counts),
        "chips": presentation.chips(filterset, request.path),
    }


@require_safe
@conditional_for_visitors
def solution_list(request):
    context = filtered_solutions(request, queryset=Solution.objects.published())
    return render(request, "solutions/solution_list.html", context)


@require_safe
@conditional_for_visitors
def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    context = filtered_solutions(
        request, queryset=Solution.objects.published().in_theme(theme), fixed=["theme"]
    )
    return render(request, "solutions/theme_detail.html", {"theme": theme, **context})


@method_decorator(conditional_for_visitors, name="dispatch")
class SolutionDetailView(DetailView):
    """A published solution, or a preview for its submitters and curators; else a 404."""

    def get_queryset(self):
        return visible_solutions(self.request.user).whole()

    def get_context_data(self, **kwargs):
        solution = self.object
        context = super().get_context_data(
            related=solution.related()[:4],
            can_edit=can_edit_on_site(self.request.user, solution),
            **kwargs,
        )
        if solution.is_public:  # a preview is neither cited, shared nor described to robots
            request = self.request
            citation = Citation.of(
                solution, request.build_absolute_uri(solution.get_absolute_url())
            )
            context.update(
                citation=citation,
                share_links=share_links(citation),
                json_ld=json_ld(solution, request),
                share_image=first_image_url(solution, request),
            )
        return context


@method_decorator(conditional_for_visitors, name="dispatch")
class ThemeListView(ListView):
    template_name = "solutions/theme_list.html"

    def get_queryset(self):
        return published_theme_counts()


@require_safe
@conditional_for_visitors
def transfer_list(request):
    filterset = TransferFilterSet(
        request.GET, queryset=Transfer.objects.of_published_solutions().for_listing()
    )
    transfers = filterset.qs  # in the model's order, which an index matches
    page, page_notice = paginate(transfers, request.GET.get("page"), TRANSFERS_PER_PAGE)
    context = {
        "filterset": filterset,
        "page_obj": page,
        "transfers": page.object_list,
        "totals": cached("transfer-totals", filterset.totals, sorted(filterset.data.lists())),
        "flows": cached("transfer-flows", filterset.flows, sorted(filterset.data.lists())),
        "groups": presentation.option_groups(filterset),
        "chips": presentation.chips(filterset, request.path),
        "notices": presentation.notices(filterset) + ([page_notice] if page_notice else []),
    }
    return render(request, "solutions/transfer_list.html", context)
