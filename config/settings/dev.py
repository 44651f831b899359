"""Local development: a throwaway secret key, localhost, emails printed to the console.

DEBUG still comes from the environment (off unless set); `make run` sets DEBUG=1.
"""

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_list

SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Serve static files straight from the app folders, whether or not DEBUG is on.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
