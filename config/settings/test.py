"""Test settings: fast password hashing, in-memory email and cache, no manifest storage."""

from .base import *  # noqa: F403
from .base import BASE_DIR

SECRET_KEY = "test-only-secret-key"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = BASE_DIR / ".test-media"
# Tests read each response's context, which a cached page does not carry; the page cache has
# tests of its own that turn it on.
PAGE_CACHE_FOR_VISITORS = False
# Tests that commit would refill the caches after every factory save; its own tests turn it on.
WARM_CACHES_AFTER_CHANGES = False
