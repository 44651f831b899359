from django.db import migrations

from solutions.sdgs import GOALS



def add_goals(apps, schema_editor):
    Goal = apps.get_model("solutions", "SustainableDevelopmentGoal")
    for number, name in GOALS:
        Goal.objects.update_or_create(number=number, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("solutions", "0001_initial")]

    operations = [migrations.RunPython(add_goals, migrations.RunPython.noop)]
