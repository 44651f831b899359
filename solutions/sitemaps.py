from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from solutions.models import Solution, Theme
from solutions.models.solution import published_q


class SolutionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 5000

    def items(self):
        return Solution.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, solution):
        return solution.updated_at


class ThemeSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Theme.objects.annotate(
            lastmod=Max("solutions__updated_at", filter=published_q("solutions__"))
        ).order_by("position", "pk")

    def lastmod(self, theme):
        return theme.lastmod


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self):
        return ["solutions:home", "solutions:list", "solutions:themes", "solutions:transfers"]

    def location(self, name):
        return reverse(name)
