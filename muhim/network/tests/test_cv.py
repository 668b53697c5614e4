"""CV checking by content (muhim/network/cv.py): no database needed."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from muhim.network import cv

MZ_HEADER = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode."
)
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


def make_pdf(*, password=None, pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def make_docx(*, types=DOCX_TYPES, extra=None):
    files = {
        "[Content_Types].xml": types,
        "_rels/.rels": "<Relationships/>",
        "word/document.xml": "<w:document><w:body><w:p><w:r><w:t>Ayesha, community organiser</w:t></w:r></w:p></w:body></w:document>",
    }
    files.update(extra or {})
    return make_zip(files)


def message_of(data):
    with pytest.raises(ValidationError) as caught:
        cv.identify(data)
    return caught.value.messages[0]


def test_a_pdf_is_a_pdf():
    assert cv.identify(make_pdf()) == "pdf"


def test_a_docx_is_a_docx():
    assert cv.identify(make_docx()) == "docx"


def test_the_name_never_decides():
    # A real PDF named .docx is a PDF; a program named .pdf is refused.
    assert cv.check_cv(SimpleUploadedFile("cv.docx", make_pdf())) == "pdf"
    with pytest.raises(ValidationError, match="not a PDF or Word"):
        cv.check_cv(SimpleUploadedFile("cv.pdf", MZ_HEADER, content_type="application/pdf"))


def test_an_executable_renamed_pdf_is_refused():
    assert "This is not a PDF or Word (.docx) file" in message_of(MZ_HEADER + b"\x00" * 2000)


def test_a_picture_is_refused_with_a_hint_about_scans():
    message = message_of(PNG_HEADER + b"\x00" * 200)
    assert "picture" in message and "put it into a PDF" in message


def test_plain_text_is_refused():
    assert "not a PDF or Word" in message_of(b"Curriculum vitae\nAyesha Khan\n")


def test_a_password_protected_pdf_is_refused():
    assert "protected with a password" in message_of(make_pdf(password="secret"))


def test_a_broken_pdf_is_refused():
    assert "damaged" in message_of(b"%PDF-1.7\n%garbage that is not a PDF at all\n")
    # A PDF cut short halfway, as a failed download leaves it.
    whole = make_pdf(pages=3)
    assert "damaged" in message_of(whole[: len(whole) // 3])


@pytest.mark.parametrize(
    ("files", "what"),
    [
        ({"notes.txt": "hello"}, "an ordinary ZIP archive"),
        (
            {
                "[Content_Types].xml": DOCX_TYPES.replace("wordprocessingml.document", "spreadsheetml.sheet"),
                "xl/workbook.xml": "<workbook/>",
            },
            "an Excel workbook",
        ),
        (
            {
                "mimetype": "application/vnd.oasis.opendocument.text",
                "content.xml": "<office:document-content/>",
            },
            "an OpenDocument text",
        ),
        (
            {
                "[Content_Types].xml": "<Types/>",
                "word/document.xml": "<w:document/>",
            },
            "a ZIP with word/document.xml but not declared as Word",
        ),
    ],
)
def test_a_zip_that_is_not_a_word_document_is_refused(files, what):
    assert "not a Word document (.docx)" in message_of(make_zip(files)), what


def test_a_word_document_with_macros_is_refused():
    types = DOCX_TYPES.replace(
        "officedocument.wordprocessingml.document.main+xml", "ms-word.document.macroEnabled.main+xml"
    )
    assert "macros" in message_of(make_docx(types=types, extra={"word/vbaProject.bin": b"\x00" * 64}))


def test_an_old_doc_file_is_asked_for_as_docx_or_pdf():
    message = message_of(OLE_HEADER)
    assert ".doc" in message and ".docx or PDF" in message


def test_a_word_file_locked_with_a_password_is_named_as_such():
    import docx
    from msoffcrypto.format.ooxml import OOXMLFile

    document = docx.Document()
    document.add_paragraph("Sadia Parveen, teacher and parents' committee organiser")
    plain, locked = io.BytesIO(), io.BytesIO()
    document.save(plain)
    plain.seek(0)
    OOXMLFile(plain).encrypt("secret", locked)
    message = message_of(locked.getvalue())
    assert "protected by a password" in message and ".doc)" not in message


def test_an_empty_file_is_refused():
    assert "empty" in message_of(b"")
    with pytest.raises(ValidationError, match="empty"):
        cv.check_cv(SimpleUploadedFile("cv.pdf", b""))


def test_a_file_over_5_mb_is_refused_with_its_size_and_the_limit():
    big = SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024))
    with pytest.raises(ValidationError) as caught:
        cv.check_cv(big)
    message = caught.value.messages[0]
    assert "6.0\xa0MB" in message and "5.0\xa0MB" in message


def test_exactly_5_mb_is_allowed_through_the_size_check():
    assert cv.size_error(cv.MAX_BYTES) is None
    assert cv.size_error(cv.MAX_BYTES + 1) is not None


def test_the_file_is_rewound_for_storing():
    upload = SimpleUploadedFile("cv.pdf", make_pdf())
    cv.check_cv(upload)
    assert upload.read(4) == b"%PDF"


def test_the_upload_guard_stops_keeping_bytes_past_the_limit_but_counts_them():
    guard = cv.UploadSizeGuard(limit=10)
    guard.new_file("cv", "cv.pdf", "application/pdf", None)
    passed = [guard.receive_data_chunk(b"x" * 8, 0) for _ in range(4)]
    assert guard.file_complete(32) is None
    assert guard.sizes == {"cv": 32}
    # The first chunks go on to the handlers that store them (enough to exceed the limit); the rest only count.
    assert [p is not None for p in passed] == [True, True, False, False]
