"""Photos from residents: checked by content (not by name), re-encoded so that camera metadata and GPS go."""

import io
import math
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# What is kept: a photo scaled down to this many pixels on its long side, enough to see the hole in the road.
MAX_SIDE = 4096
# A photo with more pixels than these is taken as a decompression bomb, not a photo. A JPEG is decoded at a half, a
# quarter or an eighth of its size (Pillow's draft), so a 200-megapixel phone photo costs what 12 megapixels do; a
# PNG is decoded whole, at three or four bytes a pixel.
MAX_PIXELS = {"JPEG": 250_000_000, "PNG": 50_000_000}

# Pillow keeps a large image in blocks of this size. glibc serves an allocation of more than 32 MB straight from
# the system and gives it back when freed; smaller ones come from the process's heap, which keeps what a decoded
# 49-megapixel photo took. Measured in `make bench` (bench/photos.py).
Image.core.set_block_size(64 * 1024 * 1024)

ERROR_PHOTO_TOO_LARGE = _("The photo %(name)s is larger than 10 MB. Choose a smaller photo.")
ERROR_PHOTO_NOT_IMAGE = _("The file %(name)s is not a JPEG or PNG photo.")
ERROR_PHOTO_TOO_MANY_PIXELS = _(
    "The photo %(name)s has too many pixels to be read. Take a new photo, or save this one in a smaller size."
)
ERROR_TOO_MANY_PHOTOS = _("You can attach at most 3 photos.")


def _photos_hint() -> str:
    return ngettext(
        "At most %(count)d photo, JPEG or PNG, of at most %(megabytes)d MB. A larger photo is scaled down to "
        "%(pixels)s pixels on its longest side. Before we save a photo we remove the information about the camera "
        "and the position that photos often carry.",
        "At most %(count)d photos, JPEG or PNG, at most %(megabytes)d MB each. A larger photo is scaled down to "
        "%(pixels)s pixels on its longest side. Before we save a photo we remove the information about the camera "
        "and the position that photos often carry.",
        MAX_PHOTOS,
    ) % {
        "count": MAX_PHOTOS,
        "megabytes": MAX_PHOTO_BYTES // (1024 * 1024),
        "pixels": formats.number_format(MAX_SIDE, force_grouping=True),
    }


# What the form's hint says is accepted, from the limits above (in the active language when shown).
PHOTOS_HINT = lazy(_photos_hint, str)()


@dataclass(frozen=True)
class ProcessedPhoto:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def photo_process(upload: UploadedFile) -> ProcessedPhoto:
    """Check that the upload is a JPEG or PNG photo; scale it down to MAX_SIDE and re-encode it without metadata."""
    name = upload.name or ""
    if upload.size is None or upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(ERROR_PHOTO_TOO_LARGE, params={"name": name}, code="photo_too_large")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            if image_format not in MAX_PIXELS:
                raise ValidationError(ERROR_PHOTO_NOT_IMAGE, params={"name": name}, code="photo_not_image")
            if probe.width * probe.height > MAX_PIXELS[image_format]:
                raise ValidationError(ERROR_PHOTO_TOO_MANY_PIXELS, params={"name": name}, code="photo_too_many_pixels")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            # Decoded at a fraction of its size where the format allows (JPEG), then scaled down; the pixels are
            # then turned the way the camera meant, and EXIF (position, camera, time) is dropped on saving.
            scale = MAX_SIDE / max(image.size)
            if scale < 1:  # draft's size must fit both sides, so it is given the photo's own proportions
                image.draft(None, (math.ceil(image.width * scale), math.ceil(image.height * scale)))
            image.thumbnail((MAX_SIDE, MAX_SIDE))
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
