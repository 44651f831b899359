"""Uploaded images: checked by their content, capped in size, re-encoded without metadata and
stored under a random name, whatever the uploaded file was called."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 6000
MAX_IMAGE_PIXELS = 24_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


def image_upload_path(instance, filename):
    """A random name: the uploaded name (and any path in it) is never used."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    extension = extension if extension in FORMATS.values() else "bin"
    return f"solutions/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def clean_uploaded_image(upload):
    """A safe copy of an uploaded image, or a ValidationError saying what is wrong with it."""
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            f"This file is {upload.size / 1024 / 1024:.1f} MB; the largest allowed is "
            f"{MAX_IMAGE_BYTES // 1024 // 1024} MB."
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            "This file is not an image we can read. Upload a JPEG, PNG, GIF or WebP photo."
        ) from None
    if image_format not in FORMATS:
        raise ValidationError("Upload a JPEG, PNG, GIF or WebP image.")
    if max(width, height) > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            f"This image is {width} × {height} pixels; the largest allowed is "
            f"{MAX_IMAGE_SIDE} pixels on a side."
        )
    upload.seek(0)
    with Image.open(upload) as image:
        image.load()
        # A fresh image from the pixels alone carries no EXIF, GPS or other metadata.
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
        if image.mode == "P":
            clean.putpalette(image.getpalette())
        if image_format == "JPEG" and clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        out = io.BytesIO()
        clean.save(out, format=image_format, **({"quality": 88} if image_format == "JPEG" else {}))
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{FORMATS[image_format]}")
