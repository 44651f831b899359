"""Search by substring, for text a full-text index cannot split into words (Chinese, Japanese,
Thai ... write no spaces between words): every term must match somewhere in the title, the
summary, the four long sections, the origin city's name or alternate names, a theme or a tag.
Both backends add these matches to a query written in such a script."""

from django.db.models import Q
from taggit.models import TaggedItem

from solutions.models import Solution
from solutions.search.query import parse_query

TEXT_FIELDS = ["title", "summary", "problem", "approach", "results", "lessons_learned"]


def _word_q(word):
    q = Q()
    for name in TEXT_FIELDS:
        q |= Q(**{f"{name}__icontains": word})
    q |= Q(city__name__icontains=word) | Q(city__alternate_names__icontains=word)
    q |= Q(
        pk__in=Solution.themes.through.objects.filter(theme__name__icontains=word).values(
            "solution_id"
        )
    )
    q |= Q(
        pk__in=TaggedItem.objects.filter(
            content_type__app_label="solutions",
            content_type__model="solution",
            tag__name__icontains=word,
        ).values("object_id")
    )
    return q


def search(queryset, text):
    parsed = parse_query(text)
    for clause in parsed.clauses:
        q = Q()
        for term in clause:
            q |= _word_q(term)
        queryset = queryset.filter(q)
    for term in parsed.excluded:
        queryset = queryset.exclude(_word_q(term))
    return queryset
