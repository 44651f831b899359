from django.apps import AppConfig


class SolutionsConfig(AppConfig):
    name = "solutions"
    verbose_name = "Solutions"

    def ready(self):
        from solutions import signals, warming  # noqa: F401  (they connect their receivers)
