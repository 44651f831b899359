"""Ways in by place: the cities index (every city with published work, by place, size,
network and theme), "cities like mine", and where the knowledge base is thin (coverage)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.caching import cached, conditional_for_visitors
from core.pagination import paginate
from solutions.coverage import coverage
from solutions.filters import presentation
from solutions.filters.cities import CityFilterSet, CitySort, published_work
from solutions.forms_places import CityDescriptionForm
from solutions.similar_cities import Profile, names, similar_cities, solutions_from
from solutions.workflow.roles import is_curator

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


@require_safe
@conditional_for_visitors
def cities_like_mine(request):
    """A visitor describes their city; the most similar cities with solutions, and their
    solutions, best first. A GET form: the answer can be bookmarked and shared."""
    form = CityDescriptionForm(request.GET or None)
    context = {"form": form, "suggestions": None, "solutions": []}
    if form.is_bound and form.is_valid() and form.describes_something():
        data = form.cleaned_data
        themes = list(data["themes"])
        profile = Profile.described(
            country=data["country"],
            subregion=data["subregion"],
            population=data["population"],
            theme_ids={theme.pk for theme in themes},
        )
        found = names()
        suggestions = similar_cities(
            profile, theme_names=found["themes"], network_names=found["networks"]
        )
        context["suggestions"] = suggestions
        context["solutions"] = solutions_from(suggestions, [theme.pk for theme in themes])
    return render(request, "cities/like_mine.html", context)


@require_safe
@conditional_for_visitors
def coverage_page(request):
    """Where the knowledge base is thin; for curators, with what is in progress beside it."""
    curator = is_curator(request.user)
    context = coverage(with_in_progress=curator) | {"curator": curator}
    return render(request, "solutions/coverage.html", context)
