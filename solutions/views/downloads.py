"""/open-data/: the whole knowledge base as one download, what it holds, and its licence."""

from datetime import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.caching import content_version
from solutions import open_data


@require_safe
def open_data_page(request):
    manifest = open_data.latest()
    context = {
        "manifest": manifest,
        "tables": open_data.TABLES,
        "licence": settings.OPEN_DATA_LICENCE,
    }
    if manifest:
        context["download_url"] = default_storage.url(manifest["file"])
        context["built_at"] = datetime.fromisoformat(manifest["built_at"])
        context["changed_since"] = manifest["content_version"] != content_version()
    return render(request, "solutions/open_data.html", context)
