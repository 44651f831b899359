"""Views for operators: a liveness probe and a health check for load balancers."""

import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def health(request):
    """200 when the app can query its database and use its shared cache, 503 when it cannot:
    without either, every page fails."""
    report = {"database": database_answers(), "cache": cache_answers()}
    healthy = all(state == "ok" for state in report.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **report}, status=200 if healthy else 503
    )


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unavailable"
    return "ok"


def cache_answers():
    key, token = "health-check", uuid.uuid4().hex
    try:
        cache.set(key, token, timeout=30)
        return "ok" if cache.get(key) == token else "unavailable"
    except Exception:  # noqa: BLE001 - any backend's failure (Redis down, table missing) is "down"
        return "unavailable"


@never_cache
@require_safe
def ping(request):
    """Alive, without touching the database: the benchmark's floor, and a liveness probe."""
    return HttpResponse("ok", content_type="text/plain")
