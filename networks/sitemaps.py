from django.contrib.sitemaps import Sitemap

from networks.models import Network


class NetworkSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Network.objects.order_by("pk")
