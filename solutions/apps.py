from django.apps import AppConfig


class SolutionsConfig(AppConfig):
    name = "solutions"
    verbose_name = "Solutions"

    def ready(self):
        from django.db.models.signals import post_migrate, pre_migrate

        from solutions import open_data, signals, warming  # noqa: F401  (they connect receivers)
        from solutions.search import sqlite_index

        pre_migrate.connect(sqlite_index.before_migrate, sender=self)
        post_migrate.connect(sqlite_index.after_migrate, sender=self)
