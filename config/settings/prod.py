"""Production: refuses to start without a secret key, allowed hosts and a database URL."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, BASE_DIR, REDIS_URL, SECRET_KEY, SECURE_CSP, env_bool

missing = [
    name
    for name, value in [
        ("SECRET_KEY", SECRET_KEY),
        ("ALLOWED_HOSTS", ALLOWED_HOSTS),
        ("DATABASE_URL", os.environ.get("DATABASE_URL")),
    ]
    if not value
]
if missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables: " + ", ".join(missing)
    )

# One cache for every worker of every app server, so that a change (which bumps the content
# version, core/caching.py) reaches all of them at once and each person's saves count once
# against the rate limit: Redis when REDIS_URL is set (base.py), otherwise a table in the
# database, which `migrate` creates. Never a per-process cache: `check --deploy` fails on one.
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            # Pages are cached per address, filters included: room for a few thousand.
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "5000"))},
        }
    }

STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))


def media_storage(environ):
    """Where uploaded images go: STORAGES["default"], and the MEDIA_URL they are served from
    (None: base.py's "media/").

    Without MEDIA_BUCKET, files under MEDIA_ROOT that the reverse proxy serves at /media/.
    With it, an S3-compatible bucket (django-storages), so that every app server sees every
    image: AWS S3 in MEDIA_REGION, or any other S3 API at MEDIA_ENDPOINT_URL (MinIO, Ceph,
    R2, ...). Credentials come from the standard AWS environment (AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY) or an instance role. Images are served straight from the bucket,
    or from MEDIA_URL when a CDN or another public address stands in front of it.

    The bucket is publicly readable and URLs carry no signature: every image name is random
    (uuid4), as under /media/ today, and a signed URL would expire inside the pages that the
    page cache keeps until the content changes. Names are never reused (file_overwrite off).
    """
    bucket = environ.get("MEDIA_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}, None
    endpoint = environ.get("MEDIA_ENDPOINT_URL", "").strip().rstrip("/")
    region = environ.get("MEDIA_REGION", "").strip()
    public_url = environ.get("MEDIA_URL", "").strip()
    if not public_url:
        if endpoint:
            public_url = f"{endpoint}/{bucket}/"  # path-style, which every S3 API serves
        elif region:
            public_url = f"https://{bucket}.s3.{region}.amazonaws.com/"
        else:
            public_url = f"https://{bucket}.s3.amazonaws.com/"
    url = urlsplit(public_url)
    if url.scheme not in ("http", "https") or not url.netloc or url.query or url.fragment:
        raise ImproperlyConfigured(
            f"MEDIA_URL must be the http(s) address images are served from, not {public_url!r}."
        )
    storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint or None,
            "region_name": region or None,
            "addressing_style": "path" if endpoint else None,
            # Image URLs: the public address and the file's name, built without a request.
            "url_protocol": f"{url.scheme}:",
            "custom_domain": url.netloc + url.path.rstrip("/"),
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,  # read access comes from the bucket's policy, not object ACLs
            # Names are never reused, so browsers may keep an image; a deleted one is gone from
            # their caches within a day.
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
    return storage, f"{url.scheme}://{url.netloc}{url.path.rstrip('/')}/"


_media_storage, _media_url = media_storage(os.environ)
STORAGES = {
    "default": _media_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if _media_url:
    MEDIA_URL = _media_url
    # Pages show the images from the bucket's (or the CDN's) address: the CSP must allow it.
    _media_origin = "{0.scheme}://{0.netloc}".format(urlsplit(_media_url))
    SECURE_CSP = {**SECURE_CSP, "img-src": [*SECURE_CSP["img-src"], _media_origin]}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
