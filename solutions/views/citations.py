"""A published case study's citation, in the formats reference managers import."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from solutions.citation import Citation
from solutions.models import Solution

# format -> (content type, how the citation is written)
FORMATS = {
    "bib": ("application/x-bibtex; charset=utf-8", Citation.as_bibtex),
    "ris": ("application/x-research-info-systems; charset=utf-8", Citation.as_ris),
    "json": (
        "application/vnd.citationstyles.csl+json; charset=utf-8",
        lambda citation: json.dumps(citation.as_csl(), ensure_ascii=False, indent=2),
    ),
}


@require_safe
def cite(request, slug, format):
    """A download, never cached: its "accessed" date is the day it is asked for."""
    if format not in FORMATS:
        raise Http404
    solution = get_object_or_404(
        Solution.objects.published().select_related("city", "network"), slug=slug
    )
    citation = Citation.of(solution, request.build_absolute_uri(solution.get_absolute_url()))
    content_type, write = FORMATS[format]
    response = HttpResponse(write(citation), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{solution.slug}.{format}"'
    return response
