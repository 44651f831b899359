from django.contrib.sitemaps import Sitemap

from cities.models import City


class CitySitemap(Sitemap):
    """The cities with published work; not the tens of thousands imported from GeoNames."""

    changefreq = "monthly"
    priority = 0.5
    limit = 5000

    def items(self):
        return City.objects.with_published_work().only("slug").order_by("pk")
