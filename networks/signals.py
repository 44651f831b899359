"""Cache invalidation: networks and their members show on many cached pages."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.caching import bump_content_version
from networks.models import Membership, Network


@receiver(post_save, sender=Network, dispatch_uid="cache-save-Network")
@receiver(post_delete, sender=Network, dispatch_uid="cache-delete-Network")
@receiver(post_save, sender=Membership, dispatch_uid="cache-save-Membership")
@receiver(post_delete, sender=Membership, dispatch_uid="cache-delete-Membership")
def network_changed(sender, **kwargs):
    bump_content_version()
