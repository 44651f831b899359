from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

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
    feed_type = Atom1Feed
    title = "Urban Solutions Exchange: new solutions"
    subtitle = "Urban solutions newly published after review by the curators."

    def link(self):
        return reverse("solutions:list")

    def items(self):
        return newest_published(Solution.objects.all())

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

    def items(self, theme):
        return newest_published(Solution.objects.in_theme(theme))
