"""Structured log lines for logins, logouts and failed logins (logger "security")."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.client import client_address

logger = logging.getLogger("security")


def address_of(request):
    return client_address(request) if request is not None else ""


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    logger.info(
        "Login",
        extra={"event": "login", "user": user.get_username(), "ip": address_of(request)},
    )


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    username = user.get_username() if user else ""
    logger.info("Logout", extra={"event": "logout", "user": username, "ip": address_of(request)})


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs):
    logger.warning(
        "Failed login",
        extra={
            "event": "login_failed",
            "user": credentials.get("username", ""),
            "ip": address_of(request),
        },
    )
