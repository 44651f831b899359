from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from cities.models import City
from networks.models import Network
from solutions.models import Solution, Status, Theme


class SolutionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 5000

    def items(self):
        return Solution.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, solution):
        return solution.updated_at


class CitySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5
    limit = 5000

    def items(self):
        published = Q(solutions__status=Status.PUBLISHED)
        adopted = Q(incoming_transfers__solution__status=Status.PUBLISHED)
        return City.objects.filter(published | adopted).distinct().only("slug").order_by("pk")


class ThemeSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Theme.objects.annotate(
            lastmod=Max("solutions__updated_at", filter=Q(solutions__status=Status.PUBLISHED))
        ).order_by("position", "pk")

    def lastmod(self, theme):
        return theme.lastmod


class NetworkSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Network.objects.order_by("pk")


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self):
        return ["solutions:home", "solutions:list", "solutions:themes", "solutions:transfers"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "solutions": SolutionSitemap,
    "themes": ThemeSitemap,
    "cities": CitySitemap,
    "networks": NetworkSitemap,
}
