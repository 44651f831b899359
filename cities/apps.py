from django.apps import AppConfig


class CitiesConfig(AppConfig):
    name = "cities"
    verbose_name = "Cities"

    def ready(self):
        from cities import signals  # noqa: F401  (connects its receivers)
