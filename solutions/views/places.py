"""The cities index: every city with published work, by place, size, network and theme."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.caching import cached, conditional_for_visitors
from core.pagination import paginate
from solutions.filters import presentation
from solutions.filters.cities import CityFilterSet, CitySort, published_work

CITIES_PER_PAGE = 50


@require_safe
@conditional_for_visitors
def city_index(request):
    filterset = CityFilterSet(request.GET, queryset=published_work())
    counts = filterset.facet_counts()
    total = cached("city-index-total", filterset.qs.count, sorted(filterset.data.lists()))
    page, page_notice = paginate(
        filterset.ordered(), request.GET.get("page"), CITIES_PER_PAGE, count=total
    )
    context = {
        "filterset": filterset,
        "page_obj": page,
        "cities": page.object_list,
        "groups": presentation.option_groups(filterset, counts),
        "chips": presentation.chips(filterset, request.path),
        "notices": presentation.notices(filterset) + ([page_notice] if page_notice else []),
        "sort_choices": CitySort.choices,
    }
    return render(request, "cities/city_list.html", context)
