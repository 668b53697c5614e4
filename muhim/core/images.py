"""Photos people upload: JPEG, PNG or WebP judged by their content (Pillow reads the file; the
name's extension never decides), turned upright, scaled down and re-encoded, which drops their
metadata (camera, GPS position). A thumbnail comes with each."""

import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_BYTES = 15 * 1024 * 1024
MAX_SIDE = 1600
THUMBNAIL_SIDE = 360
# Larger than any phone camera takes; a file claiming more pixels is a decompression bomb.
MAX_PIXELS = 80_000_000


@dataclass
class Photo:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def not_a_photo():
    return ValidationError(
        _("This file is not a photo. Upload a JPEG, PNG or WebP image."), code="not_an_image"
    )


def encode(image, side, name, *, quality=82):
    """`image` at most `side` pixels on its longest side, as PNG where it has transparency and
    JPEG otherwise, named `name` + the extension; and its size."""
    copy = image.copy()
    copy.thumbnail((side, side))
    has_alpha = copy.mode in ("RGBA", "LA") or (copy.mode == "P" and "transparency" in copy.info)
    buffer = io.BytesIO()
    if has_alpha:
        copy.save(buffer, format="PNG", optimize=True)
        ext = "png"
    else:
        copy.convert("RGB").save(buffer, format="JPEG", quality=quality, optimize=True)
        ext = "jpg"
    return ContentFile(buffer.getvalue(), name=f"{name}.{ext}"), copy.size


def read_photo(uploaded, *, max_bytes=MAX_BYTES) -> Photo:
    """The checked, re-encoded photo and its thumbnail, or ValidationError saying what to fix."""
    size = getattr(uploaded, "size", None)
    if size == 0:
        raise ValidationError(_("This file is empty. Choose the photo again."), code="empty")
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("This photo is %(size)s; a photo can be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    uploaded.seek(0)
    try:
        with Image.open(uploaded) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise not_a_photo()
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("This image is too large to be a photo."), code="too_many_pixels")
            probe.verify()  # reads the whole file: a truncated or forged one fails here
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            image = ImageOps.exif_transpose(image)
            name = uuid.uuid4().hex[:16]
            full, (width, height) = encode(image, MAX_SIDE, name)
            thumbnail, _size = encode(image, THUMBNAIL_SIDE, f"{name}-thumb")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise not_a_photo() from exc
    return Photo(image=full, thumbnail=thumbnail, width=width, height=height)
