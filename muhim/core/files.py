"""Documents people attach as evidence (a letter from the education department, a
notification, a photo of the new boundary wall): a PDF or a photo, judged by its content.
And what an Office compound file is, for the uploads that take Word documents."""

import io

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .images import ACCEPTED_FORMATS

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def check_evidence(uploaded) -> str:
    """'pdf' or 'image', or ValidationError saying what to fix."""
    size = getattr(uploaded, "size", None)
    if size == 0:
        raise ValidationError({"evidence": _("This file is empty.")}, code="empty")
    if size is not None and size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            {
                "evidence": _("This file is %(size)s; evidence can be at most %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(MAX_EVIDENCE_BYTES)}
            },
            code="too_large",
        )
    uploaded.seek(0)
    head = uploaded.read(5)
    uploaded.seek(0)
    if head.startswith(b"%PDF"):
        try:
            reader = PdfReader(io.BytesIO(uploaded.read()))
            if not reader.is_encrypted and len(reader.pages) == 0:
                raise ValueError("no pages")
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
            raise ValidationError(
                {"evidence": _("This PDF is damaged and cannot be opened.")}, code="broken_pdf"
            ) from exc
        finally:
            uploaded.seek(0)
        return "pdf"
    try:
        with Image.open(uploaded) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise ValueError(image.format)
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            {"evidence": _("Attach a PDF or a photo (JPEG, PNG or WebP); this file is neither.")},
            code="not_evidence",
        ) from exc
    finally:
        uploaded.seek(0)
    return "image"


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an Office compound file


def office_compound_kind(data: bytes) -> str:
    """What an Office compound file holds, by its streams: "locked" (Word and Excel wrap a
    DOCX or XLSX protected by a password in one, as an "EncryptedPackage"), "word" (an old
    .doc, or a file too damaged to tell), "other" (.xls, .ppt…); "" when `data` is not one."""
    if not data.startswith(OLE_MAGIC):
        return ""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(path).lower() for path in ole.listdir()}
    except Exception:  # a damaged compound file raises many kinds; the advice is the same
        streams = set()
    if "encryptedpackage" in streams:
        return "locked"
    if "worddocument" in streams or not streams:
        return "word"
    return "other"
