"""/api/: the documentation page; /api/v1/: the endpoints and their OpenAPI schema.

Written out path by path (not with a DRF router) so each address reads as the rest of the
site's do, with the same slug converter as the pages it mirrors."""

from django.urls import path, re_path
from django.views.decorators.cache import cache_page
from drf_spectacular.views import SpectacularAPIView

from solutions.api import docs, views

app_name = "api"


def endpoints(prefix, viewset, item="<slug:slug>"):
    name = viewset.basename
    return [
        path(f"v1/{prefix}/", viewset.as_view({"get": "list"}), name=f"{name}-list"),
        path(f"v1/{prefix}/{item}/", viewset.as_view({"get": "retrieve"}), name=f"{name}-detail"),
    ]


# The schema follows the code, not the content: kept in the shared cache for an hour.
schema = cache_page(60 * 60, key_prefix="api-schema")(SpectacularAPIView.as_view())

urlpatterns = [
    path("", docs.index, name="index"),
    path("v1/", views.Root.as_view(), name="root"),
    path("v1/schema/", schema, name="schema"),
    *endpoints("solutions", views.SolutionViewSet),
    *endpoints("cities", views.CityViewSet),
    *endpoints("networks", views.NetworkViewSet),
    *endpoints("themes", views.ThemeViewSet),
    *endpoints("transfers", views.TransferViewSet, item="<int:pk>"),
    # Any other address under /api/v1/ (ending in a slash, so that one without is redirected
    # to it first): a 404 in JSON, as a client of the API expects, not the site's HTML page.
    re_path(r"^v1/(?P<rest>[\s\S]*/)$", docs.not_found, name="not-found"),
]
