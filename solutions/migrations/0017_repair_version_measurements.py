"""Give back to stored versions the measurements the staff form left out, where they are known.

Before e3d5229 a save from the staff form that saved an indicator replaced its measurements
with new rows, created in bulk, and stored a version holding the indicator without any of
them. Comparing such a version showed the measurements removed and added again, and restoring
it deleted them. Such a version is one of a staff save ("Saved on the site by its submitter")
holding an indicator and none of its measurements.

A missing measurement is filled in only where the history proves what it was:

1. the next version of the case study was stored by a save that cannot change a measurement
   (a workflow step, the admin's form of the case study, a partner, source, image or transfer
   saved on its own page) and holds the indicator: its rows are the ones the staff save made;
2. the staff save is the case study's newest version: its rows are the ones in the database.

Both assume every change to a measurement went through the site or the admin. What no version
and no row still holds is not guessed: a staff save followed by another that rewrote the same
indicator (which deleted the first one's rows), by a restore, or by an edit of an indicator or
a measurement on its own page keeps its gap.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import migrations

STAFF_SAVE = "Saved on the site by its submitter"
# The workflow steps' labels, as solutions.workflow.transitions wrote them into revisions.
WORKFLOW_STEPS = [
    "Submit for review",
    "Resubmit",
    "Request changes",
    "Publish",
    "Archive",
    "Republish",
]
# Saves that may have changed a measurement: the staff form, django-reversion's restore (the
# site is in English), an indicator or a measurement on its own admin page, the measurements
# service on its own (from this release).
MAY_CHANGE_MEASUREMENTS = re.compile(
    rf"^({re.escape(STAFF_SAVE)}$|Reverted to previous version|Changed the measurements of "
    r"|(Added|Changed|Deleted) (indicator|measurement) on its own page$)"
)
ROW_PAGE = re.compile(
    r"^(Added|Changed|Deleted) (partner|source link|solution image|transfer) on its own page$"
)


def leaves_measurements_alone(comment):
    """Whether the save that stored a revision with this comment cannot change a measurement:
    a workflow step, a row page other than an indicator's or a measurement's, or the admin's
    form of the case study (whose comments are Django's change messages: every other one but
    an empty one, which no known save leaves)."""
    if not comment:
        return False
    if any(comment == step or comment.startswith(f"{step}: ") for step in WORKFLOW_STEPS):
        return True
    return bool(ROW_PAGE.match(comment)) or not MAY_CHANGE_MEASUREMENTS.match(comment)


def measurement_repr(indicator_name, fields):
    # As Measurement.__str__ reads at this migration (historical models have no __str__).
    return f"{indicator_name} {fields['year']}: {fields['value']:g}"


@dataclass
class Save:
    """One version of a case study: its revision, the indicators it holds (id: name) and
    their measurements as stored ({indicator id: {measurement id: serialized data}})."""

    revision_id: int
    comment: str
    db: str
    indicators: dict = field(default_factory=dict)
    measurements: dict = field(default_factory=lambda: defaultdict(dict))

    def lost(self, indicator_pk):
        return (
            self.comment == STAFF_SAVE
            and indicator_pk in self.indicators
            and not self.measurements.get(indicator_pk)
        )


def _fields(data):
    return json.loads(data)[0]["fields"]


def _histories(Version, types, using):
    """Every case study's versions in the order saved, each with its indicators and their
    measurements as stored; and every (revision, measurement) a revision holds."""
    versions = Version.objects.using(using)
    histories, saves, held = defaultdict(list), {}, set()
    solution_versions = (
        versions.filter(content_type=types["solution"])
        .order_by("revision__date_created", "revision_id")
        .values_list("object_id", "revision_id", "revision__comment", "db")
    )
    for solution_pk, revision_id, comment, db in solution_versions.iterator():
        save = Save(revision_id, comment, db)
        histories[solution_pk].append(save)
        saves[(revision_id, solution_pk)] = save
    if not saves:
        return histories, held
    save_of_indicator = {}
    indicator_versions = versions.filter(content_type=types["indicator"]).values_list(
        "revision_id", "object_id", "serialized_data"
    )
    for revision_id, indicator_pk, data in indicator_versions.iterator():
        save = saves.get((revision_id, str(_fields(data)["solution"])))
        if save is not None:
            save.indicators[indicator_pk] = _fields(data)["name"]
            save_of_indicator[(revision_id, indicator_pk)] = save
    measurement_versions = versions.filter(content_type=types["measurement"]).values_list(
        "revision_id", "object_id", "serialized_data"
    )
    for revision_id, measurement_pk, data in measurement_versions.iterator():
        held.add((revision_id, measurement_pk))
        indicator_pk = str(_fields(data)["indicator"])
        save = save_of_indicator.get((revision_id, indicator_pk))
        if save is not None:
            save.measurements[indicator_pk][measurement_pk] = data
    return histories, held


def _in_database(Measurement, indicator_pk, using):
    """The indicator's measurements now, serialized as a version stores them."""
    return {
        str(row.pk): json.dumps(
            [
                {
                    "model": "solutions.measurement",
                    "pk": row.pk,
                    "fields": {
                        "indicator": row.indicator_id,
                        "year": row.year,
                        "value": row.value,
                        "note": row.note,
                    },
                }
            ]
        )
        for row in Measurement.objects.using(using).filter(indicator_id=indicator_pk)
    }


def _proven(history, indicator_pk, now):
    """{index in history: the measurements that save held} for each lost save whose rows the
    history proves (the module's two rules). `now()` gives the database's rows."""
    proven = {}
    for index in range(len(history)):
        if not history[index].lost(indicator_pk):
            continue
        if index == len(history) - 1:
            proven[index] = now()
            continue
        after = history[index + 1]
        if indicator_pk in after.indicators and leaves_measurements_alone(after.comment):
            proven[index] = after.measurements.get(indicator_pk, {})
    return {index: rows for index, rows in proven.items() if rows}


def repair(apps, using):
    """Add the measurement versions the stored history proves to the revisions that lost them;
    how many were added."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    Measurement = apps.get_model("solutions", "Measurement")
    types = {
        content_type.model: content_type
        for content_type in ContentType.objects.using(using).filter(
            app_label="solutions", model__in=["solution", "indicator", "measurement"]
        )
    }
    if len(types) < 3:
        return 0  # a new database: nothing has been saved, so nothing was lost
    histories, held = _histories(Version, types, using)
    added = []
    for history in histories.values():
        for indicator_pk in sorted({pk for save in history for pk in save.indicators}):

            def now(indicator_pk=indicator_pk):
                return _in_database(Measurement, indicator_pk, using)

            for index, rows in _proven(history, indicator_pk, now).items():
                save = history[index]
                for measurement_pk, data in rows.items():
                    if (save.revision_id, measurement_pk) in held:
                        continue  # the row was another indicator's then: leave it be
                    held.add((save.revision_id, measurement_pk))
                    added.append(
                        Version(
                            revision_id=save.revision_id,
                            content_type=types["measurement"],
                            object_id=measurement_pk,
                            db=save.db,
                            format="json",
                            serialized_data=data,
                            object_repr=measurement_repr(
                                save.indicators[indicator_pk], _fields(data)
                            ),
                        )
                    )
    Version.objects.using(using).bulk_create(added, batch_size=500)
    return len(added)


def repair_measurements(apps, schema_editor):
    repair(apps, schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("solutions", "0016_theme_keywords"),
    ]

    operations = [migrations.RunPython(repair_measurements, migrations.RunPython.noop)]
