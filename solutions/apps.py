from django.apps import AppConfig


class SolutionsConfig(AppConfig):
    name = "solutions"
    verbose_name = "Solutions"

    def ready(self):
        from solutions import signals  # noqa: F401  (connects its receivers)
