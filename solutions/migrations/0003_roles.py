"""The two roles, as groups with their permissions. Safe to run again: it only adds."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATOR_APPS = ["cities", "networks", "solutions", "taggit"]
STAFF_PERMISSIONS = {
    "solutions": {
        "solution": ["add", "change", "view"],
        "partner": ["add", "change", "delete", "view"],
        "sourcelink": ["add", "change", "delete", "view"],
        "solutionimage": ["add", "change", "delete", "view"],
        "indicator": ["add", "change", "delete", "view"],
        "measurement": ["add", "change", "delete", "view"],
        "transfer": ["view"],
        "theme": ["view"],
    },
    "cities": {"city": ["view"]},
    "networks": {"network": ["view"], "membership": ["view"]},
}


def add_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    curators, _ = Group.objects.get_or_create(name="Curators")
    curators.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=CURATOR_APPS)
    )

    staff, _ = Group.objects.get_or_create(name="Network staff")
    for app_label, models in STAFF_PERMISSIONS.items():
        for model, actions in models.items():
            staff.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("solutions", "0002_sustainable_development_goals"),
        ("cities", "0001_initial"),
        ("networks", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
