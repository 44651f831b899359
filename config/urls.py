from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from cities.sitemaps import CitySitemap
from core import views as operations
from core.accounts import AdminLoginForm, LoginForm, PasswordResetView
from networks.sitemaps import NetworkSitemap
from solutions.sitemaps import PageSitemap, SolutionSitemap, ThemeSitemap

SITEMAPS = {
    "pages": PageSitemap,
    "solutions": SolutionSitemap,
    "themes": ThemeSitemap,
    "cities": CitySitemap,
    "networks": NetworkSitemap,
}

admin.site.login_form = AdminLoginForm
admin.site.site_header = "Urban Solutions Exchange"
admin.site.site_title = "Urban Solutions Exchange admin"
admin.site.index_title = "Curate the knowledge base"

urlpatterns = [
    path("", include("solutions.urls")),
    path("cities/", include("cities.urls")),
    path("networks/", include("networks.urls")),
    # The site's own password-change pages; the admin keeps its registration/ templates.
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change_form.html"),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("accounts/login/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("solutions.api.urls")),
    path("health/", operations.health, name="health"),
    path("ping/", operations.ping, name="ping"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
