"""Uploaded images on S3-compatible object storage: production settings (config/settings/prod.py)
are loaded in a subprocess with and without MEDIA_BUCKET, and the storage they configure, the
real django-storages backend, stores a SolutionImage in moto's S3 served on 127.0.0.1 (no
other network), serves it at the bucket's address, reads it back and deletes it. Without
MEDIA_BUCKET, production keeps the files under MEDIA_ROOT."""

import io
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from moto.server import ThreadedMotoServer
from PIL import Image
from storages.backends.s3 import S3Storage

from solutions.images import clean_uploaded_image
from solutions.models import SolutionImage

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "solutions.example.org",
    "DATABASE_URL": "postgres://app@db.example.org/exchange",
}
STORAGE_ENV = ("MEDIA_BUCKET", "MEDIA_ENDPOINT_URL", "MEDIA_REGION", "MEDIA_URL")
# The random name solutions.images.image_upload_path gives every upload.
RANDOM_NAME = re.compile(r"solutions/\d{4}/\d{2}/[0-9a-f]{32}\.png")
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret"}


def load_production_settings(env, code):
    """Runs code with config.settings.prod loaded from env, and nothing else of this process's
    environment that production settings or boto3 read."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name not in {*PROD_ENV, *STORAGE_ENV, "DEBUG"} and not name.startswith("AWS_")
    }
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; " + code],
        cwd=ROOT,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "config.settings.prod", **PROD_ENV, **env},
        capture_output=True,
        text=True,
    )


def production_media_settings(**env):
    """STORAGES, MEDIA_URL and the CSP's img-src as config.settings.prod sets them from env."""
    result = load_production_settings(
        env,
        "import json; print(json.dumps({'STORAGES': settings.STORAGES, "
        "'MEDIA_URL': settings.MEDIA_URL, "
        "'img-src': [str(source) for source in settings.SECURE_CSP['img-src']]}))",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def png_upload(name="holiday photo.png"):
    out = io.BytesIO()
    Image.new("RGB", (12, 8), "teal").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def save_image(solution):
    """An image saved the way the forms save one: cleaned, then stored through the model."""
    return SolutionImage.objects.create(
        solution=solution, image=clean_uploaded_image(png_upload()), alt_text="A toilet block"
    )


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 on 127.0.0.1, on a port the system chose (one server per xdist worker)."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws_environment(monkeypatch, tmp_path):
    """Credentials in the environment, as production passes them; nothing read from the
    machine's AWS configuration, no instance-metadata lookups, no proxy for 127.0.0.1."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    for name, value in {
        **CREDENTIALS,
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "NO_PROXY": "127.0.0.1",
        "no_proxy": "127.0.0.1",
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def bucket(s3_endpoint, aws_environment):
    """A new bucket, publicly readable through its policy, as docs/deploy.md sets one up."""
    name = f"exchange-media-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=name)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{name}/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))
    return client, name


def keys(client, bucket_name):
    listed = client.list_objects_v2(Bucket=bucket_name)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def anonymous_get(url):
    """What a browser gets at the URL: the body, or the HTTP status of a refusal."""
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with direct.open(url, timeout=5) as response:
            return response.read()
    except urllib.error.HTTPError as refusal:
        return refusal.code


def test_with_media_bucket_images_are_stored_served_read_and_deleted_in_the_bucket(
    s3_endpoint, bucket, solution
):
    client, bucket_name = bucket
    prod = production_media_settings(MEDIA_BUCKET=bucket_name, MEDIA_ENDPOINT_URL=s3_endpoint)
    options = prod["STORAGES"]["default"]["OPTIONS"]
    assert prod["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["querystring_auth"] is False
    assert options["file_overwrite"] is False
    assert prod["MEDIA_URL"] == f"{s3_endpoint}/{bucket_name}/"
    assert prod["img-src"] == ["'self'", "data:", s3_endpoint]

    with override_settings(STORAGES=prod["STORAGES"], MEDIA_URL=prod["MEDIA_URL"]):
        image = save_image(solution)
        assert isinstance(image.image.storage, S3Storage)
        name = image.image.name
        assert RANDOM_NAME.fullmatch(name), name
        assert keys(client, bucket_name) == [name]
        stored = client.get_object(Bucket=bucket_name, Key=name)
        assert stored["ContentType"] == "image/png"
        assert stored["CacheControl"] == "public, max-age=86400"
        content = stored["Body"].read()
        assert Image.open(io.BytesIO(content)).size == (12, 8)

        # The page's <img src>: the bucket at its endpoint, no signature, readable by anyone.
        url = SolutionImage.objects.get(pk=image.pk).image.url
        assert url == f"{s3_endpoint}/{bucket_name}/{name}"
        assert anonymous_get(url) == content

        # Read back through the model.
        with SolutionImage.objects.get(pk=image.pk).image.open("rb") as stored_file:
            assert stored_file.read() == content

        # A name is never reused: saving under a taken one stores a new object beside it.
        other = default_storage.save(name, ContentFile(b"not the photo"))
        assert other != name
        assert keys(client, bucket_name) == sorted([name, other])
        assert anonymous_get(url) == content
        default_storage.delete(other)

        # Deleting the file through the model's field, then the row.
        image.image.delete(save=False)
        image.delete()
        assert keys(client, bucket_name) == []
        assert not default_storage.exists(name)
        assert anonymous_get(url) in (403, 404)


def test_without_media_bucket_production_keeps_files_under_media_root(tmp_path, solution):
    prod = production_media_settings()
    assert prod["STORAGES"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert prod["STORAGES"]["staticfiles"] == {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    }
    assert prod["MEDIA_URL"] == "/media/"  # base.py's "media/", below the script prefix
    assert prod["img-src"] == ["'self'", "data:"]

    with override_settings(STORAGES=prod["STORAGES"], MEDIA_ROOT=tmp_path):
        image = save_image(solution)
        assert RANDOM_NAME.fullmatch(image.image.name)
        assert (tmp_path / image.image.name).is_file()
        assert image.image.url == f"/media/{image.image.name}"


@pytest.mark.parametrize(
    "env, url",
    [
        # AWS S3, virtual-hosted in the bucket's region.
        (
            {"MEDIA_REGION": "eu-west-1"},
            "https://exchange-media.s3.eu-west-1.amazonaws.com/solutions/2026/11/a.png",
        ),
        # A CDN or another public address in front of the bucket.
        (
            {"MEDIA_REGION": "eu-west-1", "MEDIA_URL": "https://media.example.org"},
            "https://media.example.org/solutions/2026/11/a.png",
        ),
    ],
)
def test_image_urls_follow_the_region_or_the_public_address(env, url, aws_environment):
    prod = production_media_settings(MEDIA_BUCKET="exchange-media", **env)
    origin = url.split("/solutions/")[0]
    assert prod["MEDIA_URL"] == f"{origin}/"
    assert prod["img-src"] == ["'self'", "data:", origin]
    with override_settings(STORAGES=prod["STORAGES"]):
        # Built from the settings alone: no request to S3.
        assert default_storage.url("solutions/2026/11/a.png") == url


def test_a_media_url_that_is_not_an_http_address_is_refused():
    result = load_production_settings(
        {"MEDIA_BUCKET": "exchange-media", "MEDIA_URL": "media.example.org"}, "settings.STORAGES"
    )
    assert result.returncode != 0
    assert "MEDIA_URL must be the http(s) address" in result.stderr
