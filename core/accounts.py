"""Account pages that differ from Django's own."""

from django.conf import settings
from django.contrib.auth import views as auth_views


class PasswordResetView(auth_views.PasswordResetView):
    """The emailed link starts with SITE_URL, never with the Host header the request came with
    (any port of an allowed host passes Django's host check)."""

    @property
    def extra_email_context(self):
        return {"site_url": settings.SITE_URL}
