"""The filters of the solution list: what a visitor can narrow by, and the counts beside them."""

from functools import cached_property

import django_filters
from django.db.models import Count, Q, TextChoices
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from taggit.models import Tag, TaggedItem

from cities.models import City, SizeClass
from cities.regions import Region, Subregion
from core.caching import cached
from core.text import clean_text
from networks.models import Network
from solutions.filters.facets import FACETS, count_facets
from solutions.filters.lenient import CleanedMultipleChoiceFilter, LenientFilterSet
from solutions.models import Solution, Stage, Theme
from solutions.models.years import YEAR_MAX, YEAR_MIN, YEARS
from solutions.sdgs import GOALS
from solutions.search import (
    MAX_QUERY_LENGTH,
    MAX_WORDS,
    estimated_count,
    parse_query,
    ranked,
    ranking,
    search,
    search_words,
)

# Cities and tags can run to thousands: the form lists the chosen ones and the most used.
LISTED_OPTIONS = 40
# A search with more matches than this (by the database's estimate) shows estimated counts.
ESTIMATE_ABOVE = 5_000


class SortOrder(TextChoices):
    RELEVANCE = "relevance", "Relevance"
    NEWEST = "newest", "Newest first"
    TITLE = "title", "Title (A to Z)"


class FilterChoices:
    """The values the list can be filtered by: cached until the content changes."""

    @cached_property
    def themes(self):
        return cached("choices-themes", lambda: list(Theme.objects.values_list("slug", "name")))

    @cached_property
    def networks(self):
        return cached("choices-networks", lambda: list(Network.objects.values_list("slug", "name")))

    @cached_property
    def _places(self):
        """Cities with published solutions and their countries, labelled (labels are slow),
        and the cities with the most solutions."""

        def labelled():
            # Counted per city id (an index-only scan), then the cities read by id: a join
            # before the GROUP BY would read every published row's city.
            counted = dict(
                Solution.objects.published()
                .order_by()
                .values("city_id")
                .annotate(n=Count("pk"))
                .values_list("city_id", "n")
            )
            rows = (
                City.objects.filter(pk__in=list(counted))
                .order_by("name", "country")
                .values_list("pk", "slug", "name", "country", "region", "subregion")
            )
            names = {}
            cities = []
            regions = set()
            for _pk, slug, name, code, region, subregion in rows:
                names.setdefault(code, countries.name(code))
                cities.append((slug, f"{name}, {names[code]}"))
                regions.update([region, subregion])
            return {
                "cities": cities,
                # Only the regions that have solutions: no one looks in an empty one.
                "regions": [(value, label) for value, label in Region.choices if value in regions],
                "subregions": [
                    (value, label) for value, label in Subregion.choices if value in regions
                ],
                "countries": sorted(names.items(), key=lambda c: c[1]),
                "popular": most_used((slug, counted[pk]) for pk, slug, *_rest in rows),
            }

        # Named for its shape: a cache filled by an earlier release holds no sub-regions.
        return cached("choices-places-m49", labelled)

    @property
    def cities(self):
        return self._places["cities"]

    @property
    def regions(self):
        return self._places["regions"]

    @property
    def subregions(self):
        return self._places["subregions"]

    @property
    def countries(self):
        return self._places["countries"]

    @cached_property
    def _tags(self):
        def used_tags():
            # Counted per tag id over the solutions' tagged items, then the tags read by id.
            counted = dict(
                TaggedItem.objects.filter(
                    content_type__app_label="solutions",
                    content_type__model="solution",
                    object_id__in=Solution.objects.published().order_by().values("pk"),
                )
                .order_by()
                .values("tag_id")
                .annotate(n=Count("pk"))
                .values_list("tag_id", "n")
            )
            rows = (
                Tag.objects.filter(pk__in=list(counted))
                .order_by("name")
                .values_list("pk", "slug", "name")
            )
            return {
                "tags": [(slug, name) for _pk, slug, name in rows],
                "popular": most_used((slug, counted[pk]) for pk, slug, _name in rows),
            }

        return cached("choices-tags", used_tags)

    @property
    def tags(self):
        return self._tags["tags"]

    @property
    def popular(self):
        """The cities and tags with the most published solutions: the ones the form lists."""
        return {"city": self._places["popular"], "tag": self._tags["popular"]}


def most_used(counted):
    ranked_values = sorted(counted, key=lambda row: (-row[1], row[0]))
    return {value for value, _count in ranked_values[:LISTED_OPTIONS]}


def _subquery_filter(through_lookup):
    def filter_method(filterset, queryset, name, values):
        return queryset.filter(pk__in=through_lookup(values)) if values else queryset

    return filter_method


class SolutionFilterSet(LenientFilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    theme = CleanedMultipleChoiceFilter(method="filter_theme", label="Theme")
    region = CleanedMultipleChoiceFilter(field_name="city__region", label="Region", distinct=False)
    subregion = CleanedMultipleChoiceFilter(
        field_name="city__subregion", label=_("Sub-region (UN)"), distinct=False
    )
    country = CleanedMultipleChoiceFilter(
        field_name="city__country", label="Country", distinct=False
    )
    city = CleanedMultipleChoiceFilter(field_name="city__slug", label="City", distinct=False)
    network = CleanedMultipleChoiceFilter(
        field_name="network__slug", label="Network", distinct=False
    )
    stage = django_filters.MultipleChoiceFilter(
        choices=Stage.choices, label="Stage", distinct=False
    )
    sdg = django_filters.MultipleChoiceFilter(
        method="filter_sdg",
        choices=[(str(number), f"{number}. {name}") for number, name in GOALS],
        label="Sustainable Development Goal",
    )
    tag = CleanedMultipleChoiceFilter(method="filter_tag", label="Tag")
    size = django_filters.MultipleChoiceFilter(
        method="filter_size", choices=SizeClass.choices, label="City size"
    )
    year_from = django_filters.NumberFilter(
        field_name="start_year", lookup_expr="gte", label="Started in or after"
    )
    year_to = django_filters.NumberFilter(
        field_name="start_year", lookup_expr="lte", label="Started in or before"
    )

    MULTIPLE = [
        "theme",
        "region",
        "subregion",
        "network",
        "stage",
        "size",
        "country",
        "city",
        "sdg",
        "tag",
    ]
    DYNAMIC_CHOICES = {
        "theme": "themes",
        "region": "regions",
        "subregion": "subregions",
        "network": "networks",
        "country": "countries",
        "city": "cities",
        "tag": "tags",
    }
    # For the form's year inputs.
    year_min, year_max = YEAR_MIN, YEAR_MAX

    class Meta:
        model = Solution
        fields = []

    def __init__(self, data=None, queryset=None, *, choices=None, **kwargs):
        self.choices = choices or FilterChoices()
        super().__init__(data, queryset, **kwargs)

    def set_choices(self):
        for name, attribute in self.DYNAMIC_CHOICES.items():
            self.dynamic_choices[name] = getattr(self.choices, attribute)

    def listed_values(self, name):
        return self.choices.popular.get(name)

    def valid_values(self, name):
        if name in self.DYNAMIC_CHOICES:
            choices = getattr(self.choices, self.DYNAMIC_CHOICES[name])
            return {value for value, _label in choices}
        return super().valid_values(name)

    def clean_more(self, raw, cleaned):
        self._clean_search(raw, cleaned)
        self._clean_years(raw, cleaned)
        sort = raw.get("sort", "")
        if sort in SortOrder.values:
            cleaned["sort"] = sort
        elif sort:
            self.adjust("unknown-sort", value=sort[:40])

    def _clean_search(self, raw, cleaned):
        text = clean_text(raw.get("q", ""))
        if not text:
            return
        if len(text) > MAX_QUERY_LENGTH:
            self.adjust("search-shortened")
            text = text[:MAX_QUERY_LENGTH]
        if len(search_words(text, limit=None)) > MAX_WORDS:
            self.adjust("search-words")
        cleaned["q"] = text

    def _clean_years(self, raw, cleaned):
        years = {}
        for name in ["year_from", "year_to"]:
            value = raw.get(name, "").strip()
            if not value:
                continue
            if value.isascii() and value.isdigit() and int(value) in YEARS:
                years[name] = int(value)
            else:
                self.adjust("bad-year", value=value[:20])
        if len(years) == 2 and years["year_from"] > years["year_to"]:
            years = {"year_from": years["year_to"], "year_to": years["year_from"]}
            self.adjust("years-swapped")
        for name, year in years.items():
            cleaned[name] = str(year)

    # Filtering

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

    filter_theme = _subquery_filter(
        lambda slugs: Solution.themes.through.objects.filter(theme__slug__in=slugs).values(
            "solution_id"
        )
    )
    filter_sdg = _subquery_filter(
        lambda numbers: Solution.sdgs.through.objects.filter(
            sustainabledevelopmentgoal_id__in=[int(n) for n in numbers]
        ).values("solution_id")
    )
    filter_tag = _subquery_filter(
        lambda slugs: TaggedItem.objects.filter(
            content_type__app_label="solutions",
            content_type__model="solution",
            tag__slug__in=slugs,
        ).values("object_id")
    )

    def filter_size(self, queryset, name, values):
        q = Q()
        for size_class in values:
            q |= SizeClass.population_q(size_class, prefix="city__")
        return queryset.filter(q)

    @property
    def words(self):
        """The positive search terms (words and phrases), for ranking and highlighting."""
        return parse_query(self.data.get("q", "")).terms

    @property
    def sort(self):
        sort = self.data.get("sort")
        if sort == SortOrder.RELEVANCE and not self.words:
            return SortOrder.NEWEST
        return sort or (SortOrder.RELEVANCE if self.words else SortOrder.NEWEST)

    @property
    def sort_choices(self):
        """The orders that make sense now: relevance only for a search."""
        return [
            choice for choice in SortOrder.choices if choice[0] != SortOrder.RELEVANCE or self.words
        ]

    def ordered(self):
        queryset = self.qs
        if self.sort == SortOrder.RELEVANCE:
            return ranked(queryset, self.data["q"])
        if self.sort == SortOrder.TITLE:
            return queryset.order_by(Lower("title"), "title", "pk")
        return queryset.order_by("-published_at", "-pk")

    def facet_counts(self):
        """For theme, region, sub-region, network, stage and size: the count of each value under
        the other filters, and the number of matches (`FacetCounts`).

        Every facet without a chosen value counts over the list itself, so those and the
        total come from one query (`facets.count_facets`); a facet with a value chosen counts
        over the list without it, one query each. Cached until the content changes, per
        filter state and base list (a theme page's).
        """
        state = (sorted(self.data.lists()), sorted(self.fixed), str(self.queryset.query))
        return cached("facets", self._count_facets, state)

    def _count_facets(self):
        """Exact, but for a broad search on a database that can estimate (PostgreSQL): above
        ESTIMATE_ABOVE matches, counting them would read every matching document, so the
        total is the planner's estimate and each facet's counts are those of the newest
        CANDIDATES matches, scaled up to it (`FacetCounts.approximate`)."""
        facets = [name for name in FACETS if name not in self.fixed]
        estimate = estimated_count(self.qs) if self.words else None
        broad = estimate is not None and estimate > ESTIMATE_ABOVE

        def counted(queryset, names, *, total=False, matches=None):
            """Exact counts, or for a broad search the sample's scaled to `matches` (the
            estimate of this queryset's size, asked for when not given)."""
            if not broad:
                return count_facets(queryset, names, total=total)
            sample = Solution.objects.filter(
                pk__in=queryset.order_by("-published_at", "-pk").values("pk")[: ranking.CANDIDATES]
            )
            counts = count_facets(sample, names, total=True)
            return counts.scaled(matches if matches is not None else estimated_count(queryset))

        shared = [name for name in facets if name not in self.data]
        result = counted(self.qs, shared, total=True, matches=estimate)
        for name in facets:
            if name in self.data:
                others = self.data.copy()
                others.pop(name)
                base = type(self)(others, self.queryset, choices=self.choices, fixed=self.fixed)
                result.counts[name] = counted(base.qs, [name]).counts[name]
        return result
