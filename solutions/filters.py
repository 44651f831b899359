"""The filters of the solution list: what a visitor can narrow by, and the counts beside them.

Several values of one filter combine with OR, different filters with AND. Values the site
does not know (a misspelt theme, a year that is not a number) are dropped with a notice
instead of failing, so a shared or hand-edited URL always shows something.
"""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

import django_filters
from django.db.models import Count, F, Q, TextChoices
from django.db.models.functions import Lower
from django.http import QueryDict
from django_countries import countries
from taggit.models import Tag, TaggedItem

from cities.models import City, SizeClass
from cities.regions import Region
from config.caching import cached
from networks.models import Network
from solutions.models import Solution, Stage, Theme, Transfer, TransferStatus
from solutions.sdgs import GOALS
from solutions.search import (
    MAX_QUERY_LENGTH,
    MAX_WORDS,
    clean_query,
    parse_query,
    ranked,
    search,
    search_words,
)

YEAR_RANGE = range(1900, 2101)
# Cities and tags can run to thousands: the form lists the chosen ones and the most used.
LISTED_OPTIONS = 40


class SortOrder(TextChoices):
    RELEVANCE = "relevance", "Relevance"
    NEWEST = "newest", "Newest first"
    TITLE = "title", "Title (A to Z)"


@dataclass
class Option:
    value: str
    label: str
    checked: bool
    count: int | None = None


@dataclass
class OptionGroup:
    name: str
    label: str
    options: list
    note: str = ""

    @property
    def is_open(self):
        return any(option.checked for option in self.options)


@dataclass
class Chip:
    label: str
    remove_url: str


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
            rows = (
                City.objects.filter(solutions__status="published")
                .annotate(n=Count("solutions"))
                .order_by("name", "country")
                .values_list("slug", "name", "country", "n")
            )
            names = {}
            cities = []
            for slug, name, code, _count in rows:
                names.setdefault(code, countries.name(code))
                cities.append((slug, f"{name}, {names[code]}"))
            return {
                "cities": cities,
                "countries": sorted(names.items(), key=lambda c: c[1]),
                "popular": most_used((slug, n) for slug, _name, _code, n in rows),
            }

        return cached("choices-places", labelled)

    @property
    def cities(self):
        return self._places["cities"]

    @property
    def countries(self):
        return self._places["countries"]

    @cached_property
    def _tags(self):
        def used_tags():
            published = Solution.objects.published().values("pk")
            rows = list(
                Tag.objects.filter(
                    taggit_taggeditem_items__content_type__app_label="solutions",
                    taggit_taggeditem_items__content_type__model="solution",
                    taggit_taggeditem_items__object_id__in=published,
                )
                .annotate(n=Count("taggit_taggeditem_items"))
                .order_by("name")
                .values_list("slug", "name", "n")
            )
            return {
                "tags": [(slug, name) for slug, name, _n in rows],
                "popular": most_used((slug, n) for slug, _name, n in rows),
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
    ranked = sorted(counted, key=lambda row: (-row[1], row[0]))
    return {value for value, _count in ranked[:LISTED_OPTIONS]}


class LenientFilterSet(django_filters.FilterSet):
    """Drops values it does not know, with a notice, instead of failing or showing nothing.

    Subclasses list their multiple-choice filters in MULTIPLE and may clean more in
    `clean_more(raw, cleaned)`.
    """

    MULTIPLE = []

    def __init__(self, data=None, queryset=None, *, fixed=(), **kwargs):
        self.fixed = set(fixed)
        self.notices = []
        super().__init__(self._clean(data or QueryDict()), queryset, **kwargs)
        self.set_choices()
        for name in self.fixed:
            del self.filters[name]

    def set_choices(self):
        """Give filters whose choices come from the database their choices."""

    def valid_values(self, name):
        return {value for value, _label in self.base_filters[name].extra["choices"]}

    def _clean(self, raw):
        cleaned = QueryDict(mutable=True)
        for name in self.MULTIPLE:
            if name in self.fixed:
                continue
            values = [v for v in dict.fromkeys(raw.getlist(name)) if v.strip()]
            valid = self.valid_values(name) if values else set()
            for value in values:
                if value in valid:
                    cleaned.appendlist(name, value)
                else:
                    label = self.base_filters[name].label.lower()
                    self.notices.append(f"Ignored the unknown {label} “{value[:60]}”.")
        self.clean_more(raw, cleaned)
        return cleaned

    def clean_more(self, raw, cleaned):
        pass

    def option_groups(self, counts=None):
        counts = counts or {}
        groups = []
        for name in self.MULTIPLE:
            if name in self.fixed:
                continue
            selected = set(self.data.getlist(name))
            facet = counts.get(name)
            listed = self.listed_values(name)
            choices = self.filters[name].extra["choices"]
            options = [
                Option(value, label, value in selected, facet.get(value, 0) if facet else None)
                for value, label in choices
                if listed is None or value in listed or value in selected
            ]
            note = ""
            if listed is not None and len(options) < len(choices):
                note = f"The {len(listed)} with the most solutions; search finds the others."
            groups.append(OptionGroup(name, self.filters[name].label, options, note))
        return groups

    def listed_values(self, name):
        """The values to list in the form for this filter; None lists them all."""
        return None

    def querystring(self, *, without=(), **replace):
        """The current state as a query string, less `without` (name, value) pairs."""
        data = self.data.copy()
        for name, value in without:
            if value is None:
                data.pop(name, None)
            else:
                data.setlist(name, [v for v in data.getlist(name) if v != value])
        for name, value in replace.items():
            data[name] = value
        return urlencode(sorted(data.lists()), doseq=True)

    def chips(self, path):
        chips = []
        for name in self.MULTIPLE:
            if name in self.fixed:
                continue
            labels = dict(self.filters[name].extra["choices"])
            for value in self.data.getlist(name):
                chips.append(
                    Chip(
                        f"{self.filters[name].label}: {labels[value]}",
                        self.url(path, without=[(name, value)]),
                    )
                )
        return chips

    def url(self, path, **kwargs):
        query = self.querystring(**kwargs)
        return f"{path}?{query}" if query else path


def _subquery_filter(through_lookup):
    def filter_method(filterset, queryset, name, values):
        return queryset.filter(pk__in=through_lookup(values)) if values else queryset

    return filter_method


class SolutionFilterSet(LenientFilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    theme = django_filters.MultipleChoiceFilter(method="filter_theme", label="Theme")
    region = django_filters.MultipleChoiceFilter(
        field_name="city__region", choices=Region.choices, label="Region", distinct=False
    )
    country = django_filters.MultipleChoiceFilter(
        field_name="city__country", label="Country", distinct=False
    )
    city = django_filters.MultipleChoiceFilter(
        field_name="city__slug", label="City", distinct=False
    )
    network = django_filters.MultipleChoiceFilter(
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
    tag = django_filters.MultipleChoiceFilter(method="filter_tag", label="Tag")
    size = django_filters.MultipleChoiceFilter(
        method="filter_size", choices=SizeClass.choices, label="City size"
    )
    year_from = django_filters.NumberFilter(
        field_name="start_year", lookup_expr="gte", label="Started in or after"
    )
    year_to = django_filters.NumberFilter(
        field_name="start_year", lookup_expr="lte", label="Started in or before"
    )

    MULTIPLE = ["theme", "region", "network", "stage", "size", "country", "city", "sdg", "tag"]
    FACETS = {
        "theme": "theme",
        "region": "city__region",
        "network": "network__slug",
        "stage": "stage",
    }
    DYNAMIC_CHOICES = {
        "theme": "themes",
        "network": "networks",
        "country": "countries",
        "city": "cities",
        "tag": "tags",
    }

    class Meta:
        model = Solution
        fields = []

    def __init__(self, data=None, queryset=None, *, choices=None, **kwargs):
        self.choices = choices or FilterChoices()
        super().__init__(data, queryset, **kwargs)

    def set_choices(self):
        for name, attribute in self.DYNAMIC_CHOICES.items():
            self.filters[name].extra["choices"] = getattr(self.choices, attribute)

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
            self.notices.append(f"Ignored the unknown sort order “{sort[:40]}”.")

    def _clean_search(self, raw, cleaned):
        text = clean_query(raw.get("q", ""))
        if not text:
            return
        if len(text) > MAX_QUERY_LENGTH:
            self.notices.append(f"The search was shortened to {MAX_QUERY_LENGTH} characters.")
            text = text[:MAX_QUERY_LENGTH]
        if len(search_words(text, limit=None)) > MAX_WORDS:
            self.notices.append(f"Only the first {MAX_WORDS} words of the search were used.")
        cleaned["q"] = text

    def _clean_years(self, raw, cleaned):
        years = {}
        for name in ["year_from", "year_to"]:
            value = raw.get(name, "").strip()
            if not value:
                continue
            if value.isascii() and value.isdigit() and int(value) in YEAR_RANGE:
                years[name] = int(value)
            else:
                self.notices.append(
                    f"Ignored the year “{value[:20]}”: give a year between 1900 and 2100."
                )
        if len(years) == 2 and years["year_from"] > years["year_to"]:
            years = {"year_from": years["year_to"], "year_to": years["year_from"]}
            self.notices.append("The year range was the wrong way round, so it was swapped.")
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

    def ordered(self):
        queryset = self.qs
        if self.sort == SortOrder.RELEVANCE:
            return ranked(queryset, self.data["q"])
        if self.sort == SortOrder.TITLE:
            return queryset.order_by(Lower("title"), "title", "pk")
        return queryset.order_by("-published_at", "-pk")

    # What the page shows beside the results

    def facet_counts(self):
        """For theme, region, network and stage: the count of each value under the other filters.

        Cached until the content changes, per filter state and base list (a theme page's).
        """
        state = (sorted(self.data.lists()), sorted(self.fixed), str(self.queryset.query))
        return cached("facets", self.count_facets, state)

    def count_facets(self):
        counts = {}
        for name, field in self.FACETS.items():
            if name in self.fixed:
                continue
            others = self.data.copy()
            others.pop(name, None)
            base = type(self)(others, self.queryset, choices=self.choices, fixed=self.fixed)
            matches = base.qs.order_by().values("pk")
            if name == "theme":
                rows = (
                    Solution.themes.through.objects.filter(solution_id__in=matches)
                    .values("theme__slug")
                    .annotate(n=Count("solution_id"))
                    .values_list("theme__slug", "n")
                )
            else:
                rows = (
                    Solution.objects.filter(pk__in=matches)
                    .values(field)
                    .annotate(n=Count("pk"))
                    .values_list(field, "n")
                )
            counts[name] = dict(rows)
        return counts

    def chips(self, path):
        chips = []
        if self.data.get("q"):
            without = [("q", None)]
            if self.data.get("sort") == SortOrder.RELEVANCE:
                without.append(("sort", None))
            url = self.url(path, without=without)
            chips.append(Chip(f"Search: “{self.data['q']}”", url))
        chips += super().chips(path)
        for name in ["year_from", "year_to"]:
            if self.data.get(name):
                label = self.filters[name].label
                chips.append(
                    Chip(f"{label} {self.data[name]}", self.url(path, without=[(name, None)]))
                )
        return chips


class Crossing(TextChoices):
    NATIONAL = "national", "Across a national border"
    REGIONAL = "regional", "Across a regional border"
    DOMESTIC = "domestic", "Within one country"


class TransferFilterSet(LenientFilterSet):
    network = django_filters.MultipleChoiceFilter(
        field_name="network__slug", label="Network", distinct=False
    )
    status = django_filters.MultipleChoiceFilter(
        choices=TransferStatus.choices, label="Status", distinct=False
    )
    region = django_filters.MultipleChoiceFilter(
        method="filter_region", choices=Region.choices, label="Region (either city)"
    )
    crossing = django_filters.MultipleChoiceFilter(
        method="filter_crossing", choices=Crossing.choices, label="Border"
    )

    MULTIPLE = ["network", "status", "region", "crossing"]

    class Meta:
        model = Transfer
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        self.network_choices = list(Network.objects.values_list("slug", "name"))
        super().__init__(data, queryset, **kwargs)

    def set_choices(self):
        self.filters["network"].extra["choices"] = self.network_choices

    def valid_values(self, name):
        if name == "network":
            return {slug for slug, _name in self.network_choices}
        return super().valid_values(name)

    def filter_region(self, queryset, name, values):
        return queryset.filter(
            Q(origin_city__region__in=values) | Q(adopting_city__region__in=values)
        )

    def filter_crossing(self, queryset, name, values):
        same_country = Q(origin_city__country=F("adopting_city__country"))
        conditions = {
            Crossing.NATIONAL: ~same_country,
            Crossing.REGIONAL: ~Q(origin_city__region=F("adopting_city__region")),
            Crossing.DOMESTIC: same_country,
        }
        q = Q()
        for value in values:
            q |= conditions[value]
        return queryset.filter(q)

    def totals(self):
        return self.qs.aggregate(
            total=Count("pk"),
            national=Count("pk", filter=~Q(origin_city__country=F("adopting_city__country"))),
            regional=Count("pk", filter=~Q(origin_city__region=F("adopting_city__region"))),
        )
