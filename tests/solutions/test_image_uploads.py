"""Uploaded images: what one save may cost (counted from headers, before anything is decoded),
photos from phones (upright, multi-picture JPEGs), the formats named in every message, and
files that leave storage with their rows once the change is committed."""

import functools
import io
import struct
import zlib

import pytest
import reversion
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image, ImageFile
from reversion.models import Version

from networks.models import Network
from solutions.forms import (
    IMAGE_EXTENSIONS,
    MAX_IMAGES_PER_CASE_STUDY,
    SolutionImageForm,
)
from solutions.images import (
    FORMATS,
    MAX_NEW_IMAGES_PER_SAVE,
    MAX_PIXELS_PER_SAVE,
    clean_uploaded_image,
)
from solutions.models import Solution, SolutionImage, Status
from tests.support.factories import make_solution, make_staff, make_user
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db

FORMSETS = ("partners", "sources", "indicators", "images")
ACCEPTED = "JPEG, PNG, GIF or WebP"


# --- Images made in memory -------------------------------------------------------------------


def encoded(image, image_format, **options):
    out = io.BytesIO()
    image.save(out, image_format, **options)
    return out.getvalue()


def png(size=(12, 8), colour=(30, 90, 160)):
    return encoded(Image.new("RGB", size, colour), "PNG")


@functools.cache
def png_16_bit(width, height, channels=3):
    """A 16-bit PNG written chunk by chunk (Pillow writes 16 bits for greyscale only): all
    black, so a few kilobytes hold millions of pixels."""
    colour_type = {1: 0, 3: 2}[channels]
    compressor = zlib.compressobj(9)
    row = b"\0" + bytes(width * channels * 2)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 16, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def upload(content, name="photo.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def image_form(content, name="photo.png", content_type="image/png"):
    return SolutionImageForm(
        data={"alt_text": "A photo"}, files={"image": upload(content, name, content_type)}
    )


def stored(form, solution):
    image = form.save(commit=False)
    image.solution = solution
    image.save()
    return image


@pytest.fixture
def decoded(monkeypatch):
    """How many images were decoded (Pillow's load of the pixels)."""
    calls = []
    load = ImageFile.ImageFile.load

    def counting_load(self):
        calls.append(self.format)
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting_load)
    return calls


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- Posting the case-study form -------------------------------------------------------------


@pytest.fixture
def author(network, city):
    user = make_user(username="author")
    make_staff(network, user=user)
    return user


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


def new_case_study(*image_rows):
    """The new case study a staff member of the network fixture (in Nairobi) saves."""
    network = Network.objects.get()
    data = {"title": "Water kiosks", "network": network.pk, "city": "Nairobi", "stage": "idea"}
    for prefix in FORMSETS:
        count = len(image_rows) if prefix == "images" else 0
        data |= {f"{prefix}-TOTAL_FORMS": str(count), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(image_rows):
        data |= {f"images-{i}-{key}": value for key, value in row.items()}
    return data | {"action": "save"}


def image_row(content=None, alt_text="A kiosk"):
    row = {"alt_text": alt_text}
    if content is not None:
        row["image"] = upload(content)
    return row


def refused(response):
    assert response.status_code == 200
    formset = response.context["formsets"]["images"]
    assert not formset.is_valid()
    return formset


def typed_title(response):
    return read_form(response, css_class="submission").value("title")


# --- 1. What one save may cost ---------------------------------------------------------------


def test_more_new_images_than_one_save_may_add_are_refused_before_any_is_decoded(
    author_client, media, decoded
):
    count = MAX_NEW_IMAGES_PER_SAVE + 1
    data = new_case_study(*[image_row(png()) for _ in range(count)])

    response = author_client.post(reverse("solutions:submit"), data)

    formset = refused(response)
    expected = (
        f"You added {count} new images at once; one save can add at most "
        f"{MAX_NEW_IMAGES_PER_SAVE}. Save with fewer, then add the others."
    )
    assert formset.non_form_errors() == [expected]
    assert formset.forms[0].errors["image"] == [f"Not added: {expected}"]
    assert decoded == []
    assert typed_title(response) == "Water kiosks"  # the typing is kept
    assert Solution.objects.count() == 0
    assert list(media.rglob("*.*")) == []


def test_as_many_new_images_as_one_save_may_add_are_saved(author_client, media):
    data = new_case_study(*[image_row(png()) for _ in range(MAX_NEW_IMAGES_PER_SAVE)])

    response = author_client.post(reverse("solutions:submit"), data)

    assert response.status_code == 302
    assert SolutionImage.objects.count() == MAX_NEW_IMAGES_PER_SAVE


def test_a_forged_form_count_builds_no_more_forms_than_a_case_study_may_hold(author_client, media):
    rows = [image_row() for _ in range(100)]
    data = new_case_study(*rows) | {"images-0-image": upload(png())}

    response = author_client.post(reverse("solutions:submit"), data)

    formset = refused(response)
    assert len(formset.forms) == MAX_IMAGES_PER_CASE_STUDY
    assert formset.non_form_errors() == [
        f"A case study can have at most {MAX_IMAGES_PER_CASE_STUDY} images."
    ]
    assert Solution.objects.count() == 0


def test_the_pixels_of_one_save_are_counted_from_the_headers_before_anything_is_decoded(
    author_client, media, decoded
):
    # Three 16-bit photos of 6000 × 4000, each allowed on its own: 72 megapixels in all.
    heavy = png_16_bit(6000, 4000)
    assert len(heavy) < 200_000
    data = new_case_study(*[image_row(heavy) for _ in range(3)])

    response = author_client.post(reverse("solutions:submit"), data)

    formset = refused(response)
    assert formset.non_form_errors() == [
        "The new images of this save have 72.0 megapixels in all; one save can add at most "
        f"{MAX_PIXELS_PER_SAVE // 1_000_000} megapixels. Save with fewer or smaller images, "
        "then add the others."
    ]
    assert decoded == []
    assert typed_title(response) == "Water kiosks"
    assert Solution.objects.count() == 0


def test_an_image_with_too_many_pixels_is_refused_from_its_header(decoded):
    form = image_form(png_16_bit(5000, 5000, channels=1))  # each side allowed, 25 megapixels

    assert not form.is_valid()
    assert form.errors["image"] == [
        "This image is 5000 × 5000 pixels (25.0 megapixels); the largest allowed is 24 megapixels."
    ]
    assert decoded == []


def test_a_16_bit_greyscale_png_is_stored_with_8_bits_and_its_tones(media, solution):
    gradient = Image.new("I;16", (256, 2))
    gradient.putdata([x * 257 for x in range(256)] * 2)  # 0 to 65535
    original = encoded(gradient, "PNG")
    with Image.open(io.BytesIO(original)) as before:
        assert before.mode == "I;16"
    form = image_form(original)
    assert form.is_valid(), form.errors

    with Image.open(stored(form, solution).image.path) as saved:
        assert saved.mode == "L"
        # Scaled, not clipped: mid-grey stays mid-grey.
        assert [saved.getpixel((x, 0)) for x in range(256)] == list(range(256))


def test_a_16_bit_colour_png_is_stored_with_8_bits(media, solution):
    form = image_form(png_16_bit(40, 30))
    assert form.is_valid(), form.errors

    with Image.open(stored(form, solution).image.path) as saved:
        assert (saved.format, saved.mode, saved.size) == ("PNG", "RGB", (40, 30))


# --- 2. Photos from phones, and the formats named ---------------------------------------------


def test_a_portrait_photo_from_a_phone_is_stored_upright(media, solution):
    landscape = Image.new("RGB", (40, 20), (220, 20, 20))
    landscape.paste((20, 20, 220), (20, 0, 40, 20))  # left half red, right half blue
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to show
    form = image_form(encoded(landscape, "JPEG", exif=exif), "portrait.jpg", "image/jpeg")
    assert form.is_valid(), form.errors

    with Image.open(stored(form, solution).image.path) as saved:
        assert saved.size == (20, 40)
        top, bottom = saved.getpixel((10, 5)), saved.getpixel((10, 35))
        assert top[0] > 150 and top[2] < 100  # red: what was on the left is on top
        assert bottom[2] > 150 and bottom[0] < 100
        assert not saved.getexif()


def test_a_photo_whose_exif_cannot_be_written_back_is_still_accepted_and_upright(media, solution):
    # Orientation 6, and a resolution written as text where a fraction belongs: Pillow reads
    # it, but fails to write it back after turning the picture.
    entries = [(0x0112, 3, 1, struct.pack("<HH", 6, 0)), (0x011A, 2, 4, b"abc\0")]
    ifd = struct.pack("<H", len(entries))
    ifd += b"".join(struct.pack("<HHI", tag, kind, n) + value for tag, kind, n, value in entries)
    exif = b"Exif\0\0II*\0" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0)
    form = image_form(encoded(Image.new("RGB", (40, 20)), "JPEG", exif=exif), "p.jpg")
    assert form.is_valid(), form.errors

    with Image.open(stored(form, solution).image.path) as saved:
        assert saved.size == (20, 40)
        assert not saved.getexif()


def test_a_multi_picture_jpeg_from_a_phone_is_stored_as_a_jpeg_of_its_first_picture(
    media, solution
):
    first = Image.new("RGB", (32, 24), (220, 20, 20))
    preview = Image.new("RGB", (16, 12), (20, 20, 220))
    content = encoded(first, "MPO", save_all=True, append_images=[preview])
    with Image.open(io.BytesIO(content)) as before:
        assert (before.format, before.n_frames) == ("MPO", 2)
    form = image_form(content, "IMG_0001.jpg", "image/jpeg")
    assert form.is_valid(), form.errors

    image = stored(form, solution)
    assert image.image.name.endswith(".jpg")
    with Image.open(image.image.path) as saved:
        assert (saved.format, saved.size, getattr(saved, "n_frames", 1)) == ("JPEG", (32, 24), 1)
        assert saved.getpixel((16, 12))[0] > 150


@pytest.mark.parametrize("image_format, extension", [(f, e) for f, e in FORMATS.items()])
def test_every_format_named_is_accepted_and_kept(media, solution, image_format, extension):
    content = encoded(Image.new("RGB", (12, 8), (30, 90, 160)), image_format)
    form = image_form(content, f"picture.{extension}", f"image/{extension}")
    assert form.is_valid(), form.errors

    with Image.open(stored(form, solution).image.path) as saved:
        assert saved.format == image_format


@pytest.mark.parametrize("image_format", ["BMP", "TIFF"])
def test_an_image_in_another_format_is_refused_naming_the_formats_accepted(image_format):
    content = encoded(Image.new("RGB", (12, 8)), image_format)
    form = image_form(content, "picture.png")

    assert not form.is_valid()
    assert form.errors["image"] == [f"This is a {image_format} file. Upload a {ACCEPTED} image."]


def test_the_help_text_and_the_file_chooser_name_exactly_the_formats_accepted():
    field = SolutionImageForm().fields["image"]

    assert field.help_text == f"A {ACCEPTED} image of at most 5 MB and 24 megapixels."
    assert field.widget.attrs["accept"] == "image/jpeg,image/png,image/gif,image/webp"
    assert set(IMAGE_EXTENSIONS) == set(FORMATS.values()) | {"jpeg"}


def test_a_file_that_cannot_be_decoded_is_refused_naming_the_formats_accepted():
    broken = png(size=(200, 200))[:200]  # a real header, then nothing
    with pytest.raises(ValidationError) as refusal:
        clean_uploaded_image(upload(broken))

    assert refusal.value.messages == [
        f"This file is not an image we can read. Upload a {ACCEPTED} image."
    ]


# --- 3. Files leave storage with their rows -------------------------------------------------


def image_of(solution, colour=(30, 90, 160)):
    image = SolutionImage(solution=solution, alt_text="A kiosk")
    image.image = clean_uploaded_image(upload(png(colour=colour)))
    image.save()
    return image


def on_disk(media, image):
    return (media / image.image.name).is_file()


@pytest.fixture
def draft(author, network, city):
    return make_solution(status=Status.DRAFT, author=author, network=network, city=city)


def edit_page_data(client, solution):
    response = client.get(reverse("solutions:edit", kwargs={"slug": solution.slug}))
    return read_form(response, css_class="submission").data()


def test_an_image_removed_in_the_form_leaves_storage_once_the_save_is_committed(
    author_client, draft, media, django_capture_on_commit_callbacks
):
    image = image_of(draft)
    data = edit_page_data(author_client, draft) | {"images-0-DELETE": "on", "action": "save"}

    with django_capture_on_commit_callbacks() as callbacks:
        response = author_client.post(reverse("solutions:edit", kwargs={"slug": draft.slug}), data)
        assert response.status_code == 302
        assert not SolutionImage.objects.exists()
        assert on_disk(media, image)  # not before the commit
    for callback in callbacks:
        callback()

    assert not on_disk(media, image)


def test_an_image_replaced_by_a_new_upload_takes_its_old_file_with_it(
    author_client, draft, media, django_capture_on_commit_callbacks
):
    old = image_of(draft)
    data = edit_page_data(author_client, draft) | {
        "images-0-image": upload(png(colour=(200, 200, 0))),
        "action": "save",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(reverse("solutions:edit", kwargs={"slug": draft.slug}), data)
    assert response.status_code == 302

    new = SolutionImage.objects.get()
    assert new.pk == old.pk and new.image.name != old.image.name
    assert on_disk(media, new)
    assert not on_disk(media, old)


def test_an_image_deleted_in_the_admin_leaves_storage(
    client, solution, media, django_capture_on_commit_callbacks
):
    image = image_of(solution)
    curator = make_user(username="curator", is_staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))
    client.force_login(curator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:solutions_solutionimage_delete", args=[image.pk]), {"post": "yes"}
        )
    assert response.status_code == 302

    assert not SolutionImage.objects.exists()
    assert not on_disk(media, image)


def test_deleting_a_case_study_takes_its_images_files_with_it(
    solution, media, django_capture_on_commit_callbacks
):
    images = [image_of(solution), image_of(solution, colour=(0, 0, 0))]

    with django_capture_on_commit_callbacks(execute=True):
        solution.delete()

    assert not any(on_disk(media, image) for image in images)


def test_no_file_is_deleted_when_the_deletion_is_rolled_back(
    solution, media, django_capture_on_commit_callbacks
):
    image = image_of(solution)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            SolutionImage.objects.filter(pk=image.pk).delete()
            raise RuntimeError("the save failed")

    assert callbacks == []
    assert on_disk(media, image)


def test_a_file_another_row_still_refers_to_is_kept(
    solution, media, django_capture_on_commit_callbacks
):
    image = image_of(solution)
    twin = SolutionImage.objects.create(solution=solution, alt_text="Twin", image=image.image.name)

    with django_capture_on_commit_callbacks(execute=True):
        twin.delete()

    assert on_disk(media, image)


def test_a_case_study_restored_from_the_history_comes_back_without_the_deleted_files(
    client, solution, media, django_capture_on_commit_callbacks
):
    """The decision: a removed image's file is deleted; the history keeps the row, so a
    restored version has the image's text but not its picture, and its page still works."""
    with reversion.create_revision():
        image = image_of(solution)
        solution.save()
    with django_capture_on_commit_callbacks(execute=True):
        solution.delete()

    Version.objects.get_deleted(Solution).get().revision.revert(delete=True)

    restored = SolutionImage.objects.get()
    assert (restored.pk, restored.image.name) == (image.pk, image.image.name)
    assert not on_disk(media, image)
    response = client.get(reverse("solutions:detail", kwargs={"slug": solution.slug}))
    assert response.status_code == 200
    assert restored.alt_text in response.content.decode()
