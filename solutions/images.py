"""Uploaded images: checked by their content, capped in size, re-encoded without metadata and
stored under a random name, whatever the uploaded file was called.

Every limit is checked from the file's header, before a single pixel is decoded, so the work
one save can ask for is bounded: at most MAX_NEW_IMAGES_PER_SAVE new images with
MAX_PIXELS_PER_SAVE pixels in all (`save_refusal`, called by the image formset before its
forms are cleaned), each of at most MAX_IMAGE_BYTES and MAX_IMAGE_PIXELS (`read_header`).
Only then is an image decoded, turned upright, brought to 8 bits per channel and encoded
again with fast settings (`clean_uploaded_image`).
"""

import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 6000
MAX_IMAGE_PIXELS = 24_000_000
# One save: five images of 5 MB stay under the proxy's 30 MB body limit (docs/deploy.md), and
# five 12-megapixel phone photos (4032 × 3024) fit the pixel budget.
MAX_NEW_IMAGES_PER_SAVE = 5
MAX_PIXELS_PER_SAVE = 64_000_000

# The accepted formats as Pillow names them: the stored file's extension, MIME type and the
# name people know it by. Every message and the form's help text are built from this.
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WebP"}
# Phones write multi-picture JPEGs (MPO: the photo, then previews or a depth map): stored as a
# JPEG of the first picture.
STORED_AS = {"MPO": "JPEG"}
# The modes each format is written in as they are; any other is converted first.
WRITTEN_MODES = {
    "JPEG": {"L", "RGB"},
    "PNG": {"1", "L", "LA", "P", "RGB", "RGBA"},
    "GIF": {"1", "L", "P"},
    "WEBP": {"RGB", "RGBA"},
}
# Fast settings: encoding is most of the work of an upload. PNG's fastest zlib level costs a few
# percent in size on drawings and screenshots and is two to four times faster on noisy
# pictures, where zlib is slowest; WebP's fastest method is four times faster than its
# default, at the same size. With them, a save of 64 noisy megapixels takes about 3 s.
ENCODER_OPTIONS = {
    "JPEG": {"quality": 88},
    "PNG": {"compress_level": 1},
    "GIF": {},
    "WEBP": {"method": 0},
}
READ_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    Image.DecompressionBombError,
)


def accepted_formats():
    """“JPEG, PNG, GIF or WebP”: exactly the accepted formats."""
    names = list(FORMAT_NAMES.values())
    return _("%(formats)s or %(last)s") % {"formats": ", ".join(names[:-1]), "last": names[-1]}


def upload_help_text():
    return _("A %(formats)s image of at most %(megabytes)d MB and %(megapixels)d megapixels.") % {
        "formats": accepted_formats(),
        "megabytes": MAX_IMAGE_BYTES // 1024 // 1024,
        "megapixels": MAX_IMAGE_PIXELS // 1_000_000,
    }


def image_upload_path(instance, filename):
    """A random name: the uploaded name (and any path in it) is never used."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    extension = extension if extension in FORMATS.values() else "bin"
    return f"solutions/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


@dataclass(frozen=True)
class ImageHeader:
    format: str  # the format it is stored in: a key of FORMATS
    width: int
    height: int

    @property
    def pixels(self):
        return self.width * self.height


def not_readable():
    return ValidationError(
        _("This file is not an image we can read. Upload a %(formats)s image.")
        % {"formats": accepted_formats()},
        code="invalid_image",
    )


def read_header(upload):
    """The format and size of an uploaded image, read from its header without decoding it, or
    a ValidationError saying why it is not accepted."""
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("This file is %(size).1f MB; the largest allowed is %(max)d MB.")
            % {"size": upload.size / 1024 / 1024, "max": MAX_IMAGE_BYTES // 1024 // 1024},
            code="file_too_large",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:  # reads the header only
            found, (width, height) = probe.format, probe.size
    except Image.DecompressionBombError:
        raise too_many_pixels() from None
    except READ_ERRORS:
        raise not_readable() from None
    finally:
        upload.seek(0)
    image_format = STORED_AS.get(found, found)
    if image_format not in FORMATS:
        raise ValidationError(
            _("This is a %(found)s file. Upload a %(formats)s image.")
            % {"found": found, "formats": accepted_formats()},
            code="format",
        )
    if max(width, height) > MAX_IMAGE_SIDE:
        raise ValidationError(
            _(
                "This image is %(width)d × %(height)d pixels; the largest allowed is %(max)d "
                "pixels on a side."
            )
            % {"width": width, "height": height, "max": MAX_IMAGE_SIDE},
            code="image_too_large",
        )
    if width * height > MAX_IMAGE_PIXELS:
        raise too_many_pixels(width, height)
    return ImageHeader(image_format, width, height)


def too_many_pixels(width=None, height=None):
    limit = {"max": MAX_IMAGE_PIXELS // 1_000_000}
    if width is None:
        message = _("This image has more than %(max)d megapixels, the largest allowed.") % limit
    else:
        message = _(
            "This image is %(width)d × %(height)d pixels (%(megapixels).1f megapixels); the "
            "largest allowed is %(max)d megapixels."
        ) % {"width": width, "height": height, "megapixels": width * height / 1e6, **limit}
    return ValidationError(message, code="image_too_large")


def save_refusal(uploads):
    """Why the new images of one save are refused all together, or None. Reads headers only:
    nothing is decoded. An upload refused on its own (unreadable, too large) is never decoded,
    so it does not count towards the pixels."""
    if len(uploads) > MAX_NEW_IMAGES_PER_SAVE:
        return _(
            "You added %(count)d new images at once; one save can add at most %(max)d. Save "
            "with fewer, then add the others."
        ) % {"count": len(uploads), "max": MAX_NEW_IMAGES_PER_SAVE}
    pixels = 0
    for upload in uploads:
        try:
            pixels += read_header(upload).pixels
        except ValidationError:
            continue
    if pixels > MAX_PIXELS_PER_SAVE:
        return _(
            "The new images of this save have %(megapixels).1f megapixels in all; one save can "
            "add at most %(max)d megapixels. Save with fewer or smaller images, then add the "
            "others."
        ) % {"megapixels": pixels / 1e6, "max": MAX_PIXELS_PER_SAVE // 1_000_000}
    return None


def eight_bit(image, image_format):
    """The image in a mode its format is written in, at 8 bits per channel."""
    if image.mode.startswith("I"):  # 16-bit greyscale (PNG)
        if image.mode not in ("I", "I;16"):
            image = image.convert("I")
        image = image.point(lambda value: value / 257).convert("L")  # 65535 → 255
    if image.mode not in WRITTEN_MODES[image_format]:
        keep_alpha = image.has_transparency_data and image_format != "JPEG"
        image = image.convert("RGBA" if keep_alpha else "RGB")
    return image


def upright(image):
    """Turn a phone's photo as its EXIF Orientation says (portraits are stored sideways)."""
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception:
        # Malformed EXIF: its tag could not be read (the pixels stay as stored) or rewritten
        # after turning (they are turned); the metadata is dropped either way.
        pass


def clean_uploaded_image(upload):
    """A safe copy of an uploaded image, or a ValidationError saying what is wrong with it."""
    header = read_header(upload)
    try:
        with Image.open(upload) as opened:
            opened.load()  # of a multi-picture file, the first picture only
            upright(opened)
            image = eight_bit(opened, header.format)
            # A fresh image holding the pixels alone carries no EXIF, GPS, XMP or other metadata.
            clean = Image.new(image.mode, image.size)
            if image.mode == "P":
                clean.putpalette(image.getpalette())
            clean.paste(image)
    except READ_ERRORS:
        raise not_readable() from None
    finally:
        upload.seek(0)
    out = io.BytesIO()
    clean.save(out, format=header.format, **ENCODER_OPTIONS[header.format])
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{FORMATS[header.format]}")
