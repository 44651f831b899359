from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares; it has no models and imports no app of ours."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core import security_log  # noqa: F401  (connects its receivers)
