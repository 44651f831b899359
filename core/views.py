"""Views for operators: a liveness probe and a health check for load balancers."""

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def health(request):
    """200 when the app can query its database, 503 when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_safe
def ping(request):
    """Alive, without touching the database: the benchmark's floor, and a liveness probe."""
    return HttpResponse("ok", content_type="text/plain")
