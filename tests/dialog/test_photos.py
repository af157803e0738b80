"""Large photos from phones are scaled down and kept, not refused; what is too large to read is refused by name."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from brobygget.dialog.models import CaseAttachment
from brobygget.dialog.photos import ERROR_PHOTO_TOO_MANY_PIXELS, MAX_SIDE, photo_process
from tests.dialog.test_public_support import FORM_URL, form_data, sv, text_of

pytestmark = pytest.mark.django_db


def large_jpeg(width: int, height: int, name: str = "stor.jpg", orientation: int | None = None) -> SimpleUploadedFile:
    """A JPEG as a high-resolution phone camera makes it (a gradient, so the file stays small)."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    exif = Image.Exif()
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=60, exif=exif.tobytes())
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def large_png(width: int, height: int, name: str = "skarm.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 60)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_63_megapixel_jpeg_is_scaled_down_to_the_long_side_and_kept(client, category):
    response = client.post(FORM_URL, form_data(category, photos=[large_jpeg(9700, 6500)]))

    assert response.status_code == 302
    with CaseAttachment.objects.get().file.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert max(image.size) == MAX_SIDE
        assert image.size == (MAX_SIDE, round(6500 * MAX_SIDE / 9700))


def test_a_49_megapixel_png_is_scaled_down_and_kept(client, category):
    response = client.post(FORM_URL, form_data(category, photos=[large_png(8575, 5714)]))

    assert response.status_code == 302
    attachment = CaseAttachment.objects.get()
    assert (attachment.width, attachment.height) == (MAX_SIDE, round(5714 * MAX_SIDE / 8575))
    assert attachment.content_type == "image/png"


def test_a_photo_taken_sideways_is_turned_upright_after_scaling():
    # Orientation 6: the camera was turned; the stored pixels are landscape, the photo is portrait.
    processed = photo_process(large_jpeg(6000, 4000, orientation=6))

    assert (processed.width, processed.height) == (round(4000 * MAX_SIDE / 6000), MAX_SIDE)
    with Image.open(io.BytesIO(processed.content)) as image:
        assert image.size == (processed.width, processed.height)
        assert ExifTags.Base.Orientation not in image.getexif()


def test_a_small_photo_keeps_its_size():
    processed = photo_process(large_jpeg(1200, 900))

    assert (processed.width, processed.height) == (1200, 900)


def test_a_png_with_more_pixels_than_can_be_read_is_refused_by_name(client, category):
    # 8,000 × 7,000 of one colour: a few kilobytes on disk, 168 MB once decoded.
    response = client.post(FORM_URL, form_data(category, photos=[large_png(8000, 7000, "bomb.png")]))

    page = text_of(response)
    assert response.status_code == 200
    assert sv(ERROR_PHOTO_TOO_MANY_PIXELS) % {"name": "bomb.png"} in page
    assert "Gungan på lekplatsen i Stadsparken är trasig." in page
    assert not CaseAttachment.objects.exists()


def test_the_refusal_of_too_many_pixels_says_what_to_do():
    with pytest.raises(ValidationError) as caught:
        photo_process(large_png(8000, 7000, "bomb.png"))

    assert caught.value.code == "photo_too_many_pixels"
