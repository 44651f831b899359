from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = "Networks"

    def ready(self):
        from networks import signals  # noqa: F401  (connects its receivers)
