from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from solutions.filters import presentation
from solutions.filters.solutions import SolutionFilterSet
from solutions.models import Solution, Theme

FEED_LENGTH = 30


def newest_published(queryset):
    return (
        queryset.published()
        .select_related("city", "network")
        .prefetch_related("themes")
        .newest_first()[:FEED_LENGTH]
    )


class NewSolutionsFeed(Feed):
    """The newest published solutions of any list: /solutions/feed/ takes the list's query
    string (filters and search; values it does not know are dropped, as on the list), so
    every filtered list can be followed in a feed reader."""

    feed_type = Atom1Feed

    def get_object(self, request):
        return SolutionFilterSet(request.GET, queryset=Solution.objects.published())

    def title(self, filterset):
        chips = [chip.label for chip in presentation.chips(filterset, "")]
        if not chips:
            return _("Urban Solutions Exchange: new solutions")
        return _("Urban Solutions Exchange: new solutions, %(filters)s") % {
            "filters": "; ".join(chips)
        }

    def subtitle(self, filterset):
        return _("Urban solutions newly published after review by the curators.")

    def link(self, filterset):
        return presentation.link(reverse("solutions:list"), filterset.data)

    def feed_url(self, filterset):
        return presentation.link(reverse("solutions:feed"), filterset.data)

    def items(self, filterset):
        return newest_published(filterset.qs)

    def item_title(self, solution):
        return f"{solution.title} ({solution.city.name})"

    def item_description(self, solution):
        return solution.summary

    def item_pubdate(self, solution):
        return solution.published_at

    def item_updateddate(self, solution):
        return solution.updated_at

    def item_author_name(self, solution):
        return solution.network.name

    def item_categories(self, solution):
        return [theme.name for theme in solution.themes.all()]


class ThemeFeed(NewSolutionsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Theme, slug=slug)

    def title(self, theme):
        return f"Urban Solutions Exchange: new solutions in {theme.name}"

    def subtitle(self, theme):
        return theme.description

    def link(self, theme):
        return theme.get_absolute_url()

    def feed_url(self, theme):
        return None  # its own address, without a query string

    def items(self, theme):
        return newest_published(Solution.objects.in_theme(theme))
