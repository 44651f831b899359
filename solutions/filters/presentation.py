"""What a filtered list shows beside its results: the options with their counts, a chip for
each active filter (with a link that removes it), and notices about what was left out."""

from dataclasses import dataclass

from solutions.filters.solutions import SortOrder
from solutions.models.years import YEAR_MAX, YEAR_MIN
from solutions.search import MAX_QUERY_LENGTH, MAX_WORDS

YEAR_FILTERS = ["year_from", "year_to"]

NOTICES = {
    "unknown-value": "Ignored the unknown {label} “{value}”.",
    "unknown-sort": "Ignored the unknown sort order “{value}”.",
    "search-shortened": f"The search was shortened to {MAX_QUERY_LENGTH} characters.",
    "search-words": f"Only the first {MAX_WORDS} words of the search were used.",
    "bad-year": f"Ignored the year “{{value}}”: give a year between {YEAR_MIN} and {YEAR_MAX}.",
    "years-swapped": "The year range was the wrong way round, so it was swapped.",
}


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


def notices(filterset):
    """A sentence for each value the filters left out or changed."""
    return [
        NOTICES[item.kind].format(label=item.label.lower(), value=item.value)
        for item in filterset.adjustments
    ]


def option_groups(filterset, counts=None):
    """The multiple-choice filters, each with its options, ticked ones and counts."""
    counts = counts or {}
    groups = []
    for name in filterset.multiple:
        selected = set(filterset.data.getlist(name))
        facet = counts.get(name)
        listed = filterset.listed_values(name)
        choices = filterset.choices_of(name)
        options = [
            Option(value, label, value in selected, facet.get(value, 0) if facet else None)
            for value, label in choices
            if listed is None or value in listed or value in selected
        ]
        note = ""
        if listed is not None and len(options) < len(choices):
            note = f"The {len(listed)} with the most solutions; search finds the others."
        groups.append(OptionGroup(name, filterset.filters[name].label, options, note))
    return groups


def link(path, data, *, without=(), **replace):
    """`path` with the query string of `data`, less `without` (name, value) pairs (a value of
    None drops the name), with `replace` set."""
    data = data.copy()
    for name, value in without:
        if value is None:
            data.pop(name, None)
        else:
            data.setlist(name, [v for v in data.getlist(name) if v != value])
    for name, value in replace.items():
        data[name] = value
    query = data.urlencode()
    return f"{path}?{query}" if query else path


def chips(filterset, path):
    """One chip for the search, each chosen value and each year bound, in that order."""
    data = filterset.data
    result = []
    if data.get("q"):
        without = [("q", None)]
        if data.get("sort") == SortOrder.RELEVANCE:  # the sort a search brings goes with it
            without.append(("sort", None))
        result.append(Chip(f"Search: “{data['q']}”", link(path, data, without=without)))
    for name in filterset.multiple:
        labels = dict(filterset.choices_of(name))
        for value in data.getlist(name):
            label = f"{filterset.filters[name].label}: {labels[value]}"
            result.append(Chip(label, link(path, data, without=[(name, value)])))
    for name in YEAR_FILTERS:
        if data.get(name):
            label = f"{filterset.filters[name].label} {data[name]}"
            result.append(Chip(label, link(path, data, without=[(name, None)])))
    return result
