from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from solutions.sitemaps import SITEMAPS

admin.site.site_header = "Urban Solutions Exchange"
admin.site.site_title = "Urban Solutions Exchange admin"
admin.site.index_title = "Curate the knowledge base"

urlpatterns = [
    path("", include("solutions.urls")),
    path("cities/", include("cities.urls")),
    path("networks/", include("networks.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
