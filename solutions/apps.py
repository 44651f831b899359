from django.apps import AppConfig


class SolutionsConfig(AppConfig):
    name = "solutions"
    verbose_name = "Solutions"

    def ready(self):
        from solutions import security_log, signals  # noqa: F401  (connect their receivers)
