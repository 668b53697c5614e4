"""Checking an applicant's CV before it is kept: a PDF or a Word (.docx) file of at most 5 MB,
judged by its content. The file name's extension never decides: an executable renamed
"cv.pdf" is refused, and a real PDF named "cv.docx" is accepted as the PDF it is.

`check_cv(uploaded_file)` returns "pdf" or "docx" or raises ValidationError with a message for
the applicant. `identify(data)` does the same on bytes, without Django's file objects."""

import io
import zipfile

import puremagic
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from muhim.core.files import OLE_MAGIC, office_compound_kind

MAX_BYTES = 5 * 1024 * 1024

PDF, DOCX = "pdf", "docx"

# The first bytes of each family of files we tell apart.
_PDF_MAGIC = b"%PDF"
_ZIP_MAGIC = b"PK\x03\x04"

# [Content_Types].xml is a few kilobytes; anything much larger is not a real Word file.
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024
_DOCX_MAIN = b"wordprocessingml.document.main+xml"
_DOCM_MAIN = b"ms-word.document.macroenabled.main+xml"


def _not_pdf_or_docx():
    return ValidationError(
        _(
            "This is not a PDF or Word (.docx) file, whatever its name says. Choose your CV as a PDF or .docx."
        ),
        code="not_a_cv",
    )


def size_error(size: int) -> ValidationError | None:
    if size == 0:
        return ValidationError(_("This file is empty. Choose the file that holds your CV."), code="empty")
    if size > MAX_BYTES:
        return ValidationError(
            _(
                "This file is %(size)s; a CV can be at most %(limit)s. Save it smaller (for example as a PDF without large photos) and choose it again."
            )
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_BYTES)},
            code="too_large",
        )
    return None


def _family(head: bytes) -> str:
    """What the first bytes say the file is, through puremagic's signature table."""
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return ""
    extensions = {m.extension for m in matches}
    signatures = {bytes(m.byte_match[:8]) for m in matches if m.offset == 0}
    if ".pdf" in extensions and head.startswith(_PDF_MAGIC):
        return "pdf"
    if any(s.startswith(_ZIP_MAGIC) for s in signatures):
        return "zip"
    if any(s.startswith(OLE_MAGIC) for s in signatures):
        return "ole"
    if any(m.mime_type.startswith("image/") for m in matches):
        return "image"
    return ""


def _check_pdf(data: bytes) -> None:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(
                _(
                    "This PDF is protected with a password, so the campaign office could not open it. Save it without a password and choose it again."
                ),
                code="encrypted",
            )
        pages = len(reader.pages)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        # pypdf raises a variety of errors on damaged files; to the applicant they are one thing.
        raise _damaged_pdf() from exc
    if pages == 0:
        raise _damaged_pdf()


def _damaged_pdf():
    return ValidationError(
        _(
            "This PDF is damaged and cannot be opened. Save or export your CV as a PDF again and choose the new file."
        ),
        code="broken_pdf",
    )


def _check_docx(data: bytes) -> None:
    """A .docx is a ZIP holding word/document.xml, declared as a Word document. Spreadsheets,
    presentations, OpenDocument files and ordinary ZIP archives are ZIPs too."""
    not_word = ValidationError(
        _("This file is not a Word document (.docx). Choose your CV as a PDF or a Word .docx file."),
        code="not_word",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                raise not_word
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES_BYTES:
                raise not_word
            content_types = archive.read(info).lower()
    except zipfile.BadZipFile as exc:
        raise not_word from exc
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise not_word from exc
    # Macros are programs; the office opens CVs, it does not run them.
    if _DOCM_MAIN in content_types or "word/vbaProject.bin" in names:
        raise ValidationError(
            _(
                "This Word document contains macros. Save it as an ordinary Word document (.docx) or a PDF and choose it again."
            ),
            code="macros",
        )
    if _DOCX_MAIN not in content_types:
        raise not_word


def identify(data: bytes) -> str:
    """'pdf' or 'docx' for acceptable CV content, else ValidationError saying what is wrong."""
    error = size_error(len(data))
    if error:
        raise error
    family = _family(data[:4096])
    if family == "pdf":
        _check_pdf(data)
        return PDF
    if family == "zip":
        _check_docx(data)
        return DOCX
    if family == "ole":
        if office_compound_kind(data) == "locked":
            raise ValidationError(
                _(
                    "This Word file is protected by a password, so it cannot be checked or read. Remove the password in Word, save it again, then choose that file."
                ),
                code="locked",
            )
        raise ValidationError(
            _(
                "This is an old Word file (.doc). Open it in Word and save it as .docx or PDF, then choose that file."
            ),
            code="old_doc",
        )
    if family == "image":
        raise ValidationError(
            _(
                "This is a picture, not a PDF or Word (.docx) file. If your CV is a photo or a scan, put it into a PDF first."
            ),
            code="image",
        )
    raise _not_pdf_or_docx()


def check_cv(uploaded) -> str:
    """Check an uploaded CV (size first, without reading a too-large file) and rewind it for
    storing. Returns 'pdf' or 'docx'."""
    error = size_error(uploaded.size or 0)
    if error:
        raise error
    uploaded.seek(0)
    data = uploaded.read(MAX_BYTES + 1)
    uploaded.seek(0)
    return identify(data)


class UploadSizeGuard(FileUploadHandler):
    """Put first in `request.upload_handlers`: counts each file's bytes as they arrive and stops
    passing them on once past the limit, so a 20 MB upload never lands whole on the server's
    disk, yet can be answered with its real size (`sizes[field_name]`)."""

    def __init__(self, request=None, limit=MAX_BYTES):
        super().__init__(request)
        self.limit = limit
        self.sizes = {}
        self.received = 0

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        before = self.received
        self.received += len(raw_data)
        # Pass on chunks until the file is known to be too large: the stored part then still
        # exceeds the limit, and the rest is only counted.
        return raw_data if before <= self.limit else None

    def file_complete(self, file_size):
        self.sizes[self.field_name] = self.received
        return  # the next handlers (memory or temporary file) hold the data

    def true_sizes(self, files):
        """Give the uploaded files in `files` (request.FILES) their real sizes."""
        for name, size in self.sizes.items():
            for uploaded in files.getlist(name):
                if size > uploaded.size:
                    uploaded.size = size
