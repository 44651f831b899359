"""History: every saved version of a solution holds the whole case study as it was saved.

django-reversion serializes a row when it is added to a revision and follows its relations at
that moment, through whatever the instance has cached. A save that writes rows afterwards
without a signal (`bulk_create`, `QuerySet.update`), or an instance holding rows prefetched
before they changed, leaves the version with stale rows or none. So the case study is read
again when each revision is committed, whatever path saved it (the staff form, the admin, a
workflow step, a restore, a service): the version holds the database's rows, not the
instances' (`hold_whole_case_studies`).
"""

from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.dispatch import receiver
from django.utils.encoding import force_str
from reversion import register
from reversion.models import Version
from reversion.signals import pre_revision_commit
from taggit.models import TaggedItem

from solutions.models.attachments import Partner, SolutionImage, SourceLink
from solutions.models.indicators import Indicator, Measurement
from solutions.models.solution import Solution

# The relations a version of each model follows, and so what restoring it brings back and
# deletes. Transfers are curated on their own, so restoring a version never removes one.
# A tagged item does not follow its tag: tags are shared, and restoring one solution must
# never delete a tag that other solutions use.
FOLLOW = {
    Solution: ["partners", "sources", "images", "indicators", "tagged_items"],
    Indicator: ["measurements"],
}
NOT_VERSIONED = {Solution: {"search_document"}}  # derived by the database
VERSIONED_MODELS = [
    TaggedItem,
    Measurement,
    Indicator,
    Partner,
    SourceLink,
    SolutionImage,
    Solution,
]


def versioned_fields(model):
    """The fields a version of `model` stores (what reversion would take by default)."""
    opts = model._meta.concrete_model._meta
    excluded = NOT_VERSIONED.get(model, set())
    return [
        field.name
        for field in opts.local_fields + opts.local_many_to_many
        if field.name not in excluded
    ]


for _model in VERSIONED_MODELS:
    register(_model, fields=versioned_fields(_model), follow=FOLLOW.get(_model, ()))


def _prefetch_paths(model, prefix=""):
    """Every followed relation below `model`, as prefetch_related lookups."""
    for name in FOLLOW.get(model, ()):
        yield prefix + name
        yield from _prefetch_paths(model._meta.get_field(name).related_model, f"{prefix}{name}__")


@cache
def case_study_prefetch():
    """What is read with the case study, in a fixed number of queries: its themes and goals
    (serialized with it), every followed row, and what a tagged item's name shows (its tag and
    its solution). Built once the app registry knows the reverse relations."""
    return [
        "themes",
        "sdgs",
        *_prefetch_paths(Solution),
        "tagged_items__tag",
        "tagged_items__content_object",
    ]


def _followed(obj):
    """`obj` and every row it follows, from the instance's (freshly prefetched) relations."""
    yield obj
    for name in FOLLOW.get(type(obj), ()):
        for row in getattr(obj, name).all():
            yield from _followed(row)


def _version_of(obj, db):
    """An unsaved Version of `obj`, as reversion itself would make it."""
    return Version(
        content_type=ContentType.objects.db_manager(db).get_for_model(obj),
        object_id=force_str(obj.pk),
        db=db,
        format="json",
        serialized_data=serializers.serialize("json", [obj], fields=versioned_fields(type(obj))),
        object_repr=force_str(obj),
    )


def case_study_versions(solution_pk, db):
    """Unsaved versions of the case study and of every row its history keeps, as they are in
    the database now (none if it no longer exists)."""
    rows = Solution.objects.using(db).prefetch_related(*case_study_prefetch())
    solution = rows.filter(pk=solution_pk).first()
    return [_version_of(obj, db) for obj in _followed(solution)] if solution else []


@receiver(pre_revision_commit, dispatch_uid="solutions-whole-case-study")
def hold_whole_case_studies(sender, revision, versions, **kwargs):
    """Replace what the revision holds of each case study in it by the case study read again
    now, at the end of the save. reversion saves the very list it sends with this signal."""
    solution_type = ContentType.objects.get_for_model(Solution)
    solutions = {
        (version.db, version.object_id)
        for version in versions
        if version.content_type_id == solution_type.pk
    }
    if not solutions:
        return
    fresh = [new for db, pk in sorted(solutions) for new in case_study_versions(pk, db)]
    replaced = {(new.db, new.content_type_id, new.object_id) for new in fresh}
    versions[:] = [
        version
        for version in versions
        if (version.db, version.content_type_id, version.object_id) not in replaced
    ] + fresh
