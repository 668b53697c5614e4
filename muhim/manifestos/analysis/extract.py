"""A manifesto file's text, judged by its content (never by its name): PDF (text per page),
DOCX (paragraphs, heading styles marking headings), a web page saved from the party's site
(HTML: paragraphs, list items, table cells, h1–h6 marking headings) or plain text in any usual
encoding.

`extract(data)` returns an `Extracted`: the kind ("pdf", "docx", "html", "text"), the number
of pages and those without text of their own (PDF only; running headers, footers and
watermarks found on most pages are left out) and the text as blocks: a `Block` is one line of
a page (PDF, text) or one paragraph (DOCX, HTML), with `heading` True when the document itself
says so (a heading style or element), None when only its shape can tell (the splitter
decides)."""

import io
import re
import zipfile
from dataclasses import dataclass, field

import puremagic
from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

from muhim.core.files import OLE_MAGIC, office_compound_kind
from muhim.core.text import urdu_letters
from muhim.manifestos.analysis import ManifestoError

# Below this many letters in the whole PDF, it is a scan (page numbers and a stray running
# header come out of a text layer even when the body is an image).
MIN_PDF_LETTERS = 40
# A text layer where more than this share of the characters are glyphs without a letter
# (U+0000, U+FFFD: the font does not say what it shows, common with Nastaliq fonts) cannot be
# read reliably.
MAX_UNKNOWN_GLYPHS = 0.05
# A page with fewer letters than this (once running headers and footers are left out) has no
# text of its own: a picture of a page, or a blank one.
MIN_PAGE_LETTERS = 40
# A line on at least this share of a PDF's pages (and on three or more) is page furniture: a
# running header or footer, a watermark ("Scanned with …"), not a statement of the manifesto.
FURNITURE_SHARE = 0.5


@dataclass
class Block:
    text: str
    page: int | None = None
    heading: bool | None = None
    new_paragraph: bool = False  # a blank line (or paragraph end) came before it


def _upload_instead():
    return _("Upload a PDF that contains text, a Word document (DOCX) or the text itself (a .txt file).")


@dataclass
class Extracted:
    kind: str  # "pdf" | "docx" | "html" | "text"
    pages: int | None  # PDF only
    blocks: list[Block]
    textless_pages: list[int] = field(default_factory=list)  # PDF pages with no text of their own


def extract(data: bytes, progress=None) -> Extracted:
    result = _read(data, progress)
    for block in result.blocks:
        block.text = normalise(block.text)
    return result


def normalise(text: str) -> str:
    """The letters a reader sees, in their ordinary code points (`muhim.core.text`), so that
    the words are found."""
    return urdu_letters(text)


def _read(data: bytes, progress=None) -> Extracted:
    if not data or not data.strip():
        raise ManifestoError(_("The file is empty. %(what)s") % {"what": _upload_instead()})
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        text = _decode(data)
        if is_html(text[:4096].lstrip("\ufeff")):
            return Extracted("html", None, _html_blocks(text.lstrip("\ufeff")))
        return Extracted("text", None, _text_blocks(text))
    if data[:1024].lstrip().startswith(b"%PDF") or data[:1024].find(b"%PDF-") != -1:
        return _pdf_blocks(data, progress)
    if data.startswith(b"PK\x03\x04"):
        return Extracted("docx", None, _docx_blocks(data))
    if is_html(data[:4096].decode("latin-1")):  # (the tags are ASCII in any usual encoding)
        return Extracted("html", None, _html_blocks(_decode(data)))
    if data.startswith(OLE_MAGIC):
        raise ManifestoError(office_file_message(data))
    kind = _binary_kind(data)
    if kind:
        raise ManifestoError(
            _("This file is %(kind)s, not a manifesto's text. %(what)s")
            % {"kind": kind, "what": _upload_instead()}
        )
    return Extracted("text", None, _text_blocks(_decode(data)))


def office_file_message(data: bytes) -> str:
    """What to tell the uploader of an Office compound file (.doc, .xls, a locked DOCX)."""
    kind = office_compound_kind(data)
    if kind == "locked":
        return _(
            "This document is protected by a password, so its text cannot be read. Remove the "
            "password (in Word: File › Info › Protect Document › Encrypt with Password, then "
            "clear it) and upload it again, or save it as PDF."
        )
    if kind == "word":
        return _("This is an old Word document (.doc): save it as DOCX or PDF and upload that.")
    return _("This is an Excel, PowerPoint or other Office file, not a manifesto's text. %(what)s") % {
        "what": _upload_instead()
    }


HTML_START = re.compile(
    r"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL
)


def is_html(head: str) -> bool:
    """A web page: it opens (after an XML prologue or comments) with a doctype or <html>. Text
    that merely mentions a tag is not one."""
    return bool(HTML_START.match(head))


def _binary_kind(data: bytes) -> str:
    """A name for a file type that is not text (an image, an archive…), or ''."""
    try:
        matches = puremagic.magic_string(data[:4096])
    except (puremagic.PureError, ValueError):
        matches = []
    for match in matches:
        if match.mime_type.startswith("text/") or match.extension in {".txt", ".csv"}:
            return ""
        if match.confidence >= 0.5:
            return match.name or match.extension
    if b"\x00" in data[:4096] and not _looks_utf16(data[:4096]):
        return _("a binary file")
    return ""


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte is NUL (Latin) or a constant high
    byte (Urdu letters are U+06xx)."""
    even, odd = head[0::2], head[1::2]
    return odd.count(0) > len(odd) * 0.3 or even.count(0) > len(even) * 0.3 or odd.count(6) > len(odd) * 0.3


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _looks_utf16(data[:4096]):
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _mostly_printable(text):
                return text
    best = from_bytes(data).best()
    text = str(best) if best is not None else ""
    if not text.strip() or not _mostly_printable(text):
        raise ManifestoError(
            _("This file is neither a PDF, a Word document nor readable text. %(what)s")
            % {"what": _upload_instead()}
        )
    return text


def _mostly_printable(text: str) -> bool:
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    return bad <= len(sample) * 0.02


def _text_blocks(text: str, page: int | None = None) -> list[Block]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n").replace("\u00a0", " ")
    text = text.replace("\u200b", "").replace("\ufeff", "")
    if not text.strip():
        raise ManifestoError(
            _("The file has no text, only blank space. %(what)s") % {"what": _upload_instead()}
        )
    blocks, blank = [], True
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            blank = True
            continue
        blocks.append(Block(stripped, page=page, new_paragraph=blank))
        blank = False
    return blocks


def _pdf_blocks(data: bytes, progress=None) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    broken = _("This PDF is damaged and cannot be read. %(what)s") % {"what": _upload_instead()}
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many PDFs are "encrypted" with an empty password only to forbid editing.
            try:
                opened = reader.decrypt("")
            except (PyPdfError, NotImplementedError, ValueError, DependencyError):
                opened = 0
            if not opened:
                raise ManifestoError(
                    _("This PDF is protected by a password, so its text cannot be read. %(what)s")
                    % {"what": _upload_instead()}
                )
        pages = reader.pages
        count = len(pages)
    except ManifestoError:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
    ) as exc:
        raise ManifestoError(broken) from exc
    if not count:
        raise ManifestoError(broken)
    texts: list[str] = []
    for number, page in enumerate(pages, start=1):
        try:
            text = page.extract_text() or ""
        except (
            PyPdfError,
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
            IndexError,
            OSError,
            RecursionError,
        ):
            text = ""
        texts.append(text)
        if progress:
            progress(int(60 * number / count))
    shown = sum(1 for text in texts for ch in text if not ch.isspace())
    unknown = sum(text.count("\x00") + text.count("\ufffd") for text in texts)
    if shown and unknown > MAX_UNKNOWN_GLYPHS * shown:
        raise ManifestoError(
            _(
                "The text in this PDF cannot be read reliably: its font does not say which letters "
                "many of its characters are (common with Nastaliq Urdu fonts). Upload the Word "
                "document, or the text copied from it into a .txt file."
            )
        )
    texts = [text.replace("\x00", "").replace("\ufffd", "") for text in texts]
    pages_blocks = [_page_blocks(text, number) for number, text in enumerate(texts, start=1)]
    furniture = _furniture(pages_blocks)
    blocks: list[Block] = []
    letters = 0
    textless = []
    for number, page_blocks in enumerate(pages_blocks, start=1):
        page_blocks = [block for block in page_blocks if _line_key(block.text) not in furniture]
        page_letters = sum(1 for block in page_blocks for ch in block.text if ch.isalpha())
        letters += page_letters
        if page_letters < MIN_PAGE_LETTERS:
            textless.append(number)
        if page_blocks:
            page_blocks[0].new_paragraph = True
        blocks.extend(page_blocks)
    if letters < MIN_PDF_LETTERS:
        raise ManifestoError(
            _(
                "This PDF has no text layer: it looks like a scan (pictures of pages), so there is "
                "no text to analyse. %(what)s"
            )
            % {"what": _upload_instead()}
        )
    return Extracted("pdf", count, blocks, textless)


def _page_blocks(text: str, number: int) -> list[Block]:
    try:
        return _text_blocks(text, page=number)
    except ManifestoError:  # a page of blank space (zero-width spaces, no-break spaces)
        return []


def _line_key(line: str) -> str:
    """A line as it repeats from page to page: numbers (the folio in "Manifesto 2018 | 12") and
    spacing set aside."""
    return re.sub(r"\s+", " ", re.sub(r"[\d۰-۹٠-٩]+", "#", line)).strip().lower()


def _furniture(pages: list[list[Block]]) -> set[str]:
    """The lines that stand on most pages of a PDF: its running headers, footers and watermarks."""
    if len(pages) < 3:
        return set()
    seen: dict[str, int] = {}
    for page_blocks in pages:
        for key in {_line_key(block.text) for block in page_blocks}:
            seen[key] = seen.get(key, 0) + 1
    needed = max(3, FURNITURE_SHARE * len(pages))
    return {key for key, pages in seen.items() if pages >= needed and any(ch.isalpha() for ch in key)}


LIST_STYLE = re.compile(r"^list\b", re.IGNORECASE)
HEADING_STYLE = re.compile(r"^(heading|title|subtitle|überschrift|titre)\b", re.IGNORECASE)


def _docx_blocks(data: bytes) -> list[Block]:
    not_word = _("This is a ZIP file but not a Word document (DOCX). %(what)s") % {"what": _upload_instead()}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ManifestoError(
            _("This file looks like a ZIP or Word document but is damaged. %(what)s")
            % {"what": _upload_instead()}
        ) from exc
    if "word/document.xml" not in names:
        raise ManifestoError(not_word)
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise ManifestoError(
            _("This Word document is damaged and cannot be read. %(what)s") % {"what": _upload_instead()}
        ) from exc
    blocks: list[Block] = []

    def add(paragraph):
        text = paragraph.text.strip()
        if not text:
            return
        style = paragraph.style.name if paragraph.style is not None else ""
        if HEADING_STYLE.match(style or ""):
            is_heading = True
        elif _is_list_item(paragraph):
            is_heading = False  # a bullet or numbered item is a statement however short
        else:
            is_heading = None
        for line in text.split("\n"):  # soft line breaks inside a paragraph
            if line.strip():
                blocks.append(Block(line.strip(), heading=is_heading, new_paragraph=True))

    def add_with_boxes(paragraph):
        add(paragraph)
        # Text boxes (a pledge set out in a call-out) hang inside the paragraph they are
        # anchored to; python-docx leaves them out of its text. Each is read after it.
        for box in _text_boxes(paragraph._p):
            for inner in box.iterchildren(qn("w:p")):
                add_with_boxes(Paragraph(inner, paragraph._parent))

    # python-docx gives a merged cell once for every grid cell it spans (across and down), so
    # each cell is read once; tables inside cells are read where they stand.
    seen_cells = set()

    def walk(container):
        for item in container.iter_inner_content():
            if not isinstance(item, Table):
                add_with_boxes(item)
                continue
            for row in item.rows:
                for cell in row.cells:
                    if cell._tc not in seen_cells:  # (the set keeps lxml's proxies alive)
                        seen_cells.add(cell._tc)
                        walk(cell)

    walk(document)
    if not blocks:
        raise ManifestoError(_("This Word document has no text. %(what)s") % {"what": _upload_instead()})
    return blocks


def _is_list_item(paragraph) -> bool:
    """Word's bullets and numbering: the paragraph, or its style, has a numbering (w:numPr),
    or its style is one of the list styles ("List Paragraph", "List Bullet 2"…)."""
    from docx.oxml.ns import qn

    if paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None:
        return True
    style = paragraph.style
    while style is not None:
        if (
            LIST_STYLE.match(style.name or "")
            or style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None
        ):
            return True
        style = style.base_style
    return False


def _text_boxes(paragraph_element):
    """The text boxes anchored in a paragraph, each once: Word writes a box twice (as a
    drawing, and inside mc:Fallback as a VML shape for older readers), and a box inside a box
    is found through its own paragraph."""
    from docx.oxml.ns import qn

    box_tag, fallback_tag = (
        qn("w:txbxContent"),
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
    )
    for box in paragraph_element.iter(box_tag):
        ancestors = []
        for ancestor in box.iterancestors():
            if ancestor is paragraph_element:
                break
            ancestors.append(ancestor.tag)
        if fallback_tag not in ancestors and box_tag not in ancestors:
            yield box


# What a saved web page holds besides the manifesto: menus, forms, scripts.
HTML_DROPPED = ("script", "style", "noscript", "template", "nav", "form", "button", "select", "svg", "iframe")
HTML_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
HTML_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _html_blocks(text: str) -> list[Block]:
    """The paragraphs of a web page: each block element (p, li, td, h1–h6…) gives one block, a
    <br> a new line; headings are the h1–h6 elements."""
    import lxml.etree
    import lxml.html

    unreadable = _("This web page (HTML) cannot be read. %(what)s") % {"what": _upload_instead()}
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses a str that declares its encoding
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ManifestoError(unreadable) from exc
    for element in list(root.iter(*HTML_DROPPED)):
        element.drop_tree()
    body = root.find("body")
    blocks: list[Block] = []
    parts: list[str] = []
    state = {"heading": 0, "item": 0, "new": True}

    def flush(new_paragraph=False):
        line = " ".join("".join(parts).split())
        parts.clear()
        if line:
            # A list item is a statement however short; an h1–h6 a heading; the rest by shape.
            heading = True if state["heading"] else (False if state["item"] else None)
            blocks.append(Block(line, heading=heading, new_paragraph=state["new"]))
            state["new"] = False
        if new_paragraph:
            state["new"] = True

    def walk(element):
        tag = element.tag if isinstance(element.tag, str) else ""  # comments have no tag name
        if tag == "br":
            flush()
        elif tag:
            block = tag in HTML_BLOCKS
            if block:
                flush(new_paragraph=True)
            state["heading"] += tag in HTML_HEADINGS
            state["item"] += tag == "li"
            parts.append(element.text or "")
            for child in element:
                walk(child)
            if block:
                flush(new_paragraph=True)
            state["heading"] -= tag in HTML_HEADINGS
            state["item"] -= tag == "li"
        parts.append(element.tail or "")

    try:
        walk(body if body is not None else root)
    except RecursionError as exc:  # elements nested thousands deep: not a page people wrote
        raise ManifestoError(unreadable) from exc
    flush()
    if not blocks:
        raise ManifestoError(_("This web page (HTML) has no text. %(what)s") % {"what": _upload_instead()})
    return blocks
