"""Account pages that differ from Django's own."""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm


class PasswordResetView(auth_views.PasswordResetView):
    """The emailed link starts with SITE_URL, never with the Host header the request came with
    (any port of an allowed host passes Django's host check)."""

    @property
    def extra_email_context(self):
        return {"site_url": settings.SITE_URL}


class BoundedUsernameMixin:
    """A username longer than any account's is a wrong login, refused before anything (the
    lockout's record of failed attempts among them) tries to store it."""

    def clean(self):
        user_model = get_user_model()
        limit = user_model._meta.get_field(user_model.USERNAME_FIELD).max_length
        if len(self.data.get("username", "")) > limit:
            raise self.get_invalid_login_error()
        return super().clean()


class LoginForm(BoundedUsernameMixin, AuthenticationForm):
    pass


class AdminLoginForm(BoundedUsernameMixin, AdminAuthenticationForm):
    pass
