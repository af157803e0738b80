"""Photos from residents: checked by content (not by name), re-encoded so that camera metadata and GPS go."""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 50-megapixel camera; more is a decompression bomb, not a photo

ERROR_PHOTO_TOO_LARGE = _("The photo %(name)s is larger than 10 MB. Choose a smaller photo.")
ERROR_PHOTO_NOT_IMAGE = _("The file %(name)s is not a JPEG or PNG photo.")
ERROR_TOO_MANY_PHOTOS = _("You can attach at most 3 photos.")


@dataclass(frozen=True)
class ProcessedPhoto:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def photo_process(upload: UploadedFile) -> ProcessedPhoto:
    """Check that the upload is a JPEG or PNG photo and re-encode it without metadata."""
    name = upload.name or ""
    if upload.size is None or upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(ERROR_PHOTO_TOO_LARGE, params={"name": name}, code="photo_too_large")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            if image_format not in ("JPEG", "PNG") or probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(ERROR_PHOTO_NOT_IMAGE, params={"name": name}, code="photo_not_image")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            # Turn the pixels the way the camera meant, then drop EXIF (position, camera, time) on saving.
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if image_format == "JPEG":
                upright.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
                content_type, extension = "image/jpeg", "jpg"
            else:
                clean = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
                clean.save(out, format="PNG", optimize=True)
                content_type, extension = "image/png", "png"
            return ProcessedPhoto(out.getvalue(), content_type, extension, upright.width, upright.height)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(ERROR_PHOTO_NOT_IMAGE, params={"name": name}, code="photo_not_image") from error
