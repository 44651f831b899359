"""Cache invalidation: a city's name or place shows on many cached pages."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cities.models import City
from core.caching import bump_content_version


@receiver(post_save, sender=City, dispatch_uid="cache-save-City")
@receiver(post_delete, sender=City, dispatch_uid="cache-delete-City")
def city_changed(sender, **kwargs):
    bump_content_version()
