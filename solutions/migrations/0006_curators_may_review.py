"""Give the Curators group the permission to review. Safe to run again."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def add_review_permission(apps, schema_editor):
    app_config = apps.get_app_config("solutions")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators, _ = Group.objects.get_or_create(name="Curators")
    curators.permissions.add(
        Permission.objects.get(content_type__app_label="solutions", codename="review_solution")
    )


class Migration(migrations.Migration):
    dependencies = [("solutions", "0005_review_permission")]

    operations = [migrations.RunPython(add_review_permission, migrations.RunPython.noop)]
