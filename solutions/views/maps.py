"""The world map: the cities and transfers of the published solutions a list's filters select."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.caching import conditional_for_visitors
from solutions.filters import presentation
from solutions.filters.solutions import SolutionFilterSet
from solutions.maps.drawing import draw, summary
from solutions.maps.queries import filtered_map
from solutions.models import Solution


@require_safe
@conditional_for_visitors
def world_map(request):
    """/map/ takes the solution list's query string (values it does not know are dropped and
    named, as on the list) and maps what the list would show."""
    filterset = SolutionFilterSet(request.GET, queryset=Solution.objects.published())
    list_path = reverse("solutions:list")
    drawing = draw(
        filtered_map(filterset),
        list_url=lambda slug: presentation.link(list_path, filterset.data, city=slug),
    )
    context = {
        "filterset": filterset,
        "drawing": drawing,
        "summary": summary(drawing.data),
        "chips": presentation.chips(filterset, request.path),
        "notices": presentation.notices(filterset),
        "list_url": presentation.link(list_path, filterset.data),
    }
    return render(request, "solutions/map.html", context)
