from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """What every app shares; it has no models and imports no app of ours."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core import checks, security_log  # noqa: F401  (register checks, connect receivers)
        from core.caching import create_cache_tables

        post_migrate.connect(create_cache_tables, dispatch_uid="core-create-cache-tables")
