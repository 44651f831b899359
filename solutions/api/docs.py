"""/api/: what the API offers, with examples, and its schema in Swagger UI (served from this
site's static files by drf-spectacular-sidecar, started by static/js/api-docs.js: no CDN and
no inline script)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from core.caching import conditional_for_visitors
from solutions.models import Solution


@require_safe
@conditional_for_visitors
def index(request):
    example = Solution.objects.published().order_by("-published_at", "-pk").only("slug").first()
    root = request.build_absolute_uri(reverse("api:root"))
    context = {
        "root": root,
        "schema_url": reverse("api:schema"),
        "schema_absolute": request.build_absolute_uri(reverse("api:schema")),
        "rate": settings.API_REQUESTS_PER_MINUTE,
        "example_slug": example.slug if example else "a-case-study",
    }
    return render(request, "api/index.html", context)


@require_safe
def not_found(request, rest=""):
    return JsonResponse({"detail": gettext("Not found.")}, status=404)
