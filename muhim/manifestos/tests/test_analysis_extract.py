"""Reading a manifesto's text from PDF, DOCX and plain text, judged by content, and the clear
messages for files that cannot be analysed."""

import io
import unicodedata
import zipfile

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from muhim.manifestos.analysis import ManifestoError, analyse_file


def pdf_bytes(pages):
    """A minimal PDF whose pages hold the given lines as real text (Helvetica), or, for a page
    given as None, only a picture (what a scanner makes)."""
    objects = []

    def add(body):
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"
    )
    pages_id = len(objects) + 1 + 2 * len(pages)  # the Pages object comes after every page
    kids = []
    for lines in pages:
        if lines is None:
            content = b"q 400 0 0 600 100 100 cm /Im1 Do Q"
        else:
            escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
            content = (
                b"BT /F1 11 Tf 14 TL 72 760 Td "
                + b" ".join(b"(" + line.encode("latin-1") + b") Tj T*" for line in escaped)
                + b" ET"
            )
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                % (pages_id, stream, font, image)
            )
        )
    add(b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    )
    return out.getvalue()


MANIFESTO_PAGES = [
    [
        "EDUCATION FOR ALL",
        "We will build a primary school in every village and recruit",
        "fifty thousand trained teachers. Every child will be enrolled in",
        "school by 2023.",
    ],
    [
        "Roads and Energy",
        "We will build new motorways between the provincial capitals. Load",
        "shedding will end within two years.",
    ],
]


def test_pdf_text_is_read_page_by_page_and_lines_broken_by_the_layout_are_joined():
    analysis = analyse_file(pdf_bytes(MANIFESTO_PAGES), "manifesto.pdf")

    assert analysis.pages == 2
    texts = [(s.text, s.page, s.is_heading) for s in analysis.sentences]
    assert ("EDUCATION FOR ALL", 1, True) in texts
    assert (
        "We will build a primary school in every village and recruit fifty thousand trained teachers.",
        1,
        False,
    ) in texts
    assert ("Every child will be enrolled in school by 2023.", 1, False) in texts
    assert ("Roads and Energy", 2, True) in texts
    assert analysis.quasi_sentences == 4
    assert analysis.education_sentences == 2
    assert analysis.education_share == pytest.approx(50)


def test_the_kind_of_file_is_judged_by_content_not_by_its_name():
    analysis = analyse_file(pdf_bytes(MANIFESTO_PAGES), "manifesto.txt")
    assert analysis.pages == 2


def test_a_scanned_pdf_without_a_text_layer_says_what_to_upload_instead():
    with pytest.raises(ManifestoError) as error:
        analyse_file(pdf_bytes([None, None]), "scan.pdf")
    message = str(error.value)
    assert "no text layer" in message
    assert "DOCX" in message and "text itself" in message


def test_a_scan_that_carries_only_a_watermark_is_still_a_scan():
    with pytest.raises(ManifestoError, match="no text layer"):
        analyse_file(pdf_bytes([["Scanned with CamScanner"]] * 6), "scan.pdf")


def test_pages_without_text_are_named_and_the_rest_is_analysed():
    pages = [MANIFESTO_PAGES[0], None, MANIFESTO_PAGES[1], None, None]
    analysis = analyse_file(pdf_bytes(pages), "part-scanned.pdf")

    assert analysis.pages == 5
    assert analysis.textless_pages == [2, 4, 5]
    assert analysis.quasi_sentences == 4
    [note] = analysis.notes()
    assert note.startswith("Pages 2, 4–5 have no text that can be read")
    assert analysis.as_dict()["pages_without_text"] == [2, 4, 5]


def test_a_page_of_invisible_spaces_is_a_page_without_text(monkeypatch):
    from pypdf import PageObject

    extract_text = PageObject.extract_text

    def zero_width_on_page_two(page, *args, **kwargs):
        text = extract_text(page, *args, **kwargs)
        return "\u200b \u200b\n" if "XXXX" in text else text

    monkeypatch.setattr(PageObject, "extract_text", zero_width_on_page_two)
    analysis = analyse_file(pdf_bytes([MANIFESTO_PAGES[0], ["XXXX"], MANIFESTO_PAGES[1]]), "manifesto.pdf")
    assert analysis.quasi_sentences == 4
    assert analysis.textless_pages == [2]


def test_running_headers_and_footers_on_every_page_are_not_statements():
    header = "Pakistan Progress Party. Manifesto 2018."
    pages = [
        [header, *lines, f"Page {n} of 4. Vote for progress."]
        for n, lines in enumerate(MANIFESTO_PAGES * 2, 1)
    ]
    analysis = analyse_file(pdf_bytes(pages), "manifesto.pdf")

    texts = [s.text for s in analysis.sentences]
    assert not any("Manifesto 2018" in text or "Vote for progress" in text for text in texts)
    assert analysis.quasi_sentences == 8
    assert analysis.textless_pages == []


def test_a_pdf_whose_font_does_not_say_which_letters_it_shows_is_refused():
    # What a Nastaliq PDF often gives: most glyphs come out as U+0000.
    garbled = ["\x00\x00m \x00\x00r \x00\x00\x00la \x00\x00\x00\x00n \x00\x00\x00o\x00\x00or\x00\x00i"] * 6
    with pytest.raises(ManifestoError, match="cannot be read reliably"):
        analyse_file(pdf_bytes([garbled]), "urdu.pdf")


def test_a_few_glyphs_without_letters_are_dropped_and_the_rest_read():
    pages = [[line.replace("will", "wi\x00ll") for line in lines] for lines in MANIFESTO_PAGES]
    analysis = analyse_file(pdf_bytes(pages), "manifesto.pdf")
    assert analysis.quasi_sentences == 4
    assert all("\x00" not in s.text for s in analysis.sentences)
    assert analysis.education_sentences == 2


def test_a_damaged_pdf_is_reported():
    with pytest.raises(ManifestoError, match="damaged"):
        analyse_file(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "broken.pdf")


def test_a_password_protected_pdf_is_reported():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(MANIFESTO_PAGES))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-40")
    out = io.BytesIO()
    writer.write(out)

    with pytest.raises(ManifestoError, match="password"):
        analyse_file(out.getvalue(), "locked.pdf")


def docx_bytes():
    document = docx.Document()
    document.add_heading("Education", level=1)
    document.add_paragraph("We will double the number of girls' schools. Teachers will be paid on time.")
    document.add_heading("Agriculture", level=1)
    document.add_paragraph("Farmers will get cheaper fertiliser.")
    return saved(document)


def saved(document):
    """A python-docx document's bytes, as Word would save them."""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_are_read_and_heading_styles_mark_headings():
    analysis = analyse_file(docx_bytes(), "manifesto.docx")

    assert [(s.text, s.is_heading) for s in analysis.sentences] == [
        ("Education", True),
        ("We will double the number of girls' schools.", False),
        ("Teachers will be paid on time.", False),
        ("Agriculture", True),
        ("Farmers will get cheaper fertiliser.", False),
    ]
    assert analysis.quasi_sentences == 3
    assert analysis.education_sentences == 2
    assert analysis.sentences[1].topic == "girls"


def test_word_bullets_and_numbered_items_are_statements_however_short():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_heading("Education", level=1)
    document.add_paragraph("Our first steps:")
    document.add_paragraph("Free textbooks for every pupil", style="List Bullet")
    document.add_paragraph("A teacher in every classroom", style="List Number")
    numbered = document.add_paragraph("Boundary walls for girls' schools")  # numbered by hand
    numbered._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
    )
    document.add_paragraph("Roads and Energy")
    document.add_paragraph("We will build motorways.")
    analysis = analyse_file(saved(document), "manifesto.docx")

    assert [(s.text, s.is_heading) for s in analysis.sentences] == [
        ("Education", True),
        ("Our first steps:", False),
        ("Free textbooks for every pupil", False),
        ("A teacher in every classroom", False),
        ("Boundary walls for girls' schools", False),
        ("Roads and Energy", True),
        ("We will build motorways.", False),
    ]
    assert [s.text for s in analysis.sentences if s.education] == [
        "Free textbooks for every pupil",
        "A teacher in every classroom",
        "Boundary walls for girls' schools",
    ]


def test_web_page_list_items_are_statements_however_short():
    page = (
        "<html><body><h2>Education</h2><p>We will:</p><ul><li>Free textbooks for every pupil</li>"
        "<li>A teacher in <b>every</b> classroom</li></ul><p>Roads and Energy</p><p>We will build roads.</p>"
        "</body></html>"
    )
    analysis = analyse_file(page.encode(), "manifesto.html")
    assert [(s.text, s.is_heading) for s in analysis.sentences] == [
        ("Education", True),
        ("We will:", False),
        ("Free textbooks for every pupil", False),
        ("A teacher in every classroom", False),
        ("Roads and Energy", True),
        ("We will build roads.", False),
    ]


def test_a_merged_table_cell_counts_once_and_tables_inside_cells_are_read():
    # Manifestos set their pledges out in tables; python-docx repeats a merged cell for every
    # column and row it spans, which would count the same pledge several times.
    document = docx.Document()
    document.add_paragraph("Our pledges are set out below.")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "We will build ten thousand primary schools."
    table.cell(1, 0).merge(table.cell(2, 0)).text = "Every teacher will be trained each year."
    table.cell(1, 1).text = "Farmers will get cheaper seed."
    table.cell(1, 2).text = "Roads will be repaired."
    inner = table.cell(2, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "Girls' schools will get boundary walls."

    analysis = analyse_file(saved(document), "manifesto.docx")

    assert [s.text for s in analysis.sentences] == [
        "Our pledges are set out below.",
        "We will build ten thousand primary schools.",
        "Every teacher will be trained each year.",
        "Farmers will get cheaper seed.",
        "Roads will be repaired.",
        "Girls' schools will get boundary walls.",
    ]
    assert analysis.quasi_sentences == 6
    assert analysis.education_sentences == 3


def test_a_zip_that_is_not_a_word_document_is_refused_with_a_clear_message():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("results.csv", "constituency,votes\nNA-1,100\n")
        archive.writestr("photo.png", b"\x89PNG\r\n\x1a\n")
    with pytest.raises(ManifestoError, match="not a Word document"):
        analyse_file(out.getvalue(), "manifesto.docx")


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "])
def test_an_empty_or_blank_file_is_refused(data):
    with pytest.raises(ManifestoError, match="empty"):
        analyse_file(data, "manifesto.txt")


def test_an_image_is_refused_and_named():
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
        + b"\x00" * 40
    )
    with pytest.raises(ManifestoError, match="Portable Network Graphics"):
        analyse_file(png, "manifesto.pdf")


URDU = "تعلیم\nہم ہر بچے کے لیے مفت تعلیم یقینی بنائیں گے۔ ہم نئی سڑکیں بنائیں گے۔ کیا لڑکیوں کے اسکول کھلیں گے؟ ہاں، ہر ضلع میں۔"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le"])
def test_urdu_text_is_decoded_and_split_at_urdu_full_stops(encoding):
    analysis = analyse_file(URDU.encode(encoding), "manifesto.txt")

    assert analysis.language == "ur"
    assert [(s.text, s.is_heading, s.education) for s in analysis.sentences] == [
        ("تعلیم", True, False),
        ("ہم ہر بچے کے لیے مفت تعلیم یقینی بنائیں گے۔", False, True),
        ("ہم نئی سڑکیں بنائیں گے۔", False, False),
        ("کیا لڑکیوں کے اسکول کھلیں گے؟", False, True),
        ("ہاں، ہر ضلع میں۔", False, False),
    ]
    assert analysis.sentences[3].topic == "girls"
    assert analysis.education_share == pytest.approx(50)


def test_legacy_encoded_english_text_is_read():
    text = "Our schools will be free – for every child.\nWe will cut the price of bread by 10%.\n"
    analysis = analyse_file(text.encode("cp1252"), "manifesto.txt")
    assert analysis.sentences[0].text == "Our schools will be free – for every child."


def test_progress_is_reported_up_to_100():
    seen = []
    analyse_file(pdf_bytes(MANIFESTO_PAGES), "manifesto.pdf", progress=seen.append)
    assert seen == sorted(seen)
    assert seen[-1] == 100
    assert len(set(seen)) >= 4


SAVED_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Manifesto 2018</title>
<style>p { color: green }</style><script>var menu = "Home. About us.";</script></head>
<body>
<nav><ul><li>Home</li><li>Donate now</li></ul></nav>
<!-- the party's site puts its pledges below -->
<h1>Education for <em>every</em> child</h1>
<p>We will double the number of girls' schools.
   Teachers will be paid on time.</p>
<ul><li>Farmers will get cheaper fertiliser.</li><li>Every school will get clean water.</li></ul>
<p>We will raise the education budget to 4% of GDP.<br>Roads will be repaired.</p>
<form><button>Subscribe</button></form>
</body></html>"""


@pytest.mark.parametrize(
    "data",
    [
        SAVED_PAGE.encode("utf-8"),
        b"\xef\xbb\xbf" + SAVED_PAGE.encode("utf-8"),
        SAVED_PAGE.encode("utf-16"),
        b'<?xml version="1.0" encoding="utf-8"?>\n' + SAVED_PAGE.replace("<!DOCTYPE html>", "").encode(),
    ],
    ids=["utf-8", "utf-8 with BOM", "utf-16", "XHTML"],
)
def test_a_saved_web_page_is_read_by_its_elements_without_menus_scripts_or_forms(data):
    analysis = analyse_file(data, "manifesto.html")

    assert [(s.text, s.is_heading) for s in analysis.sentences] == [
        ("Education for every child", True),
        ("We will double the number of girls' schools.", False),
        ("Teachers will be paid on time.", False),
        ("Farmers will get cheaper fertiliser.", False),
        ("Every school will get clean water.", False),
        ("We will raise the education budget to 4% of GDP.", False),
        ("Roads will be repaired.", False),
    ]
    assert analysis.quasi_sentences == 6
    assert [(c.text, c.measure, c.meets_target) for c in analysis.commitments] == [
        ("We will raise the education budget to 4% of GDP.", "gdp", True)
    ]


def test_text_that_only_mentions_a_tag_is_read_as_text():
    text = "Our site is written in <html> and <p> tags.\n\nWe will build schools in every union council."
    analysis = analyse_file(text.encode(), "notes.txt")
    assert analysis.sentences[0].text == "Our site is written in <html> and <p> tags."


def test_a_web_page_with_no_text_is_refused_with_a_clear_message():
    page = b"<!doctype html><html><body><nav>Home</nav><script>x()</script></body></html>"
    with pytest.raises(ManifestoError, match="web page .* has no text"):
        analyse_file(page, "manifesto.html")


def as_pdf_glyphs(text):
    """Urdu as many PDFs hold it: each letter as an Arabic presentation form (its isolated
    shape), the way a text layer keeps the glyphs that were drawn."""
    shapes = {}
    for code in [*range(0xFB50, 0xFDFF), *range(0xFE70, 0xFEFF)]:
        glyph = chr(code)
        letter = unicodedata.normalize("NFKC", glyph)
        if len(letter) == 1 and "ISOLATED" in unicodedata.name(glyph, ""):
            shapes.setdefault(letter, glyph)
    return "".join(shapes.get(ch, ch) for ch in text)


def test_letters_kept_as_presentation_forms_or_ligatures_are_read_as_letters():
    urdu = "ہر بچے کو مفت تعلیم دی جائے گی۔ کسانوں کو سستی کھاد ملے گی۔"
    glyphs = as_pdf_glyphs(urdu)
    assert glyphs != urdu and not set(glyphs) & set("تعلیم")  # no ordinary letter left

    analysis = analyse_file(glyphs.encode(), "manifesto.txt", language="ur")

    assert [s.text for s in analysis.sentences] == [
        "ہر بچے کو مفت تعلیم دی جائے گی۔",
        "کسانوں کو سستی کھاد ملے گی۔",
    ]
    assert [s.education for s in analysis.sentences] == [True, False]
    english = analyse_file("We will train qualiﬁed teachers.".encode(), "manifesto.txt")
    assert english.sentences[0].text == "We will train qualified teachers."


def test_urdu_typed_with_arabic_letter_forms_is_read_as_urdu():
    # Arabic yeh, kaf and heh where Urdu has its own, and a zero-width non-joiner in a word.
    arabic = "هم هر ضلع ميں يونيورسٹي قائم كريں گے۔ تعليم كا بجٹ جي ڈي پي كے چار فيصد تك بڑھايا جائے گا۔ طالب\u200cعلم خوش ہوں گے۔"
    analysis = analyse_file(arabic.encode(), "manifesto.txt")

    assert analysis.language == "ur"
    assert [s.text for s in analysis.sentences] == [
        "ہم ہر ضلع میں یونیورسٹی قائم کریں گے۔",
        "تعلیم کا بجٹ جی ڈی پی کے چار فیصد تک بڑھایا جائے گا۔",
        "طالبعلم خوش ہوں گے۔",
    ]
    assert analysis.education_sentences == 3
    assert [(c.percent, c.meets_target) for c in analysis.commitments] == [(4, True)]


def test_urdu_with_short_vowel_marks_is_read_and_shown_as_written():
    # Zabar, zer, pesh and tashdeed, as a few writers add them; the reader sees them kept.
    marked = "ہم تَعلِیم کے لیے جی ڈی پی کا چار فیصد مُختص کریں گے۔ اُستادوں کی تربیت ہوگی۔ کسانوں کو سستی کھاد ملے گی۔"
    analysis = analyse_file(marked.encode(), "manifesto.txt")

    assert analysis.sentences[0].text.startswith("ہم تَعلِیم")
    assert [s.education for s in analysis.sentences] == [True, True, False]
    assert [(c.percent, c.meets_target) for c in analysis.commitments] == [(4, True)]


def test_a_word_document_locked_with_a_password_is_named_as_such():
    from msoffcrypto.format.ooxml import OOXMLFile

    locked = io.BytesIO()
    OOXMLFile(io.BytesIO(docx_bytes())).encrypt("secret", locked)
    with pytest.raises(ManifestoError, match="protected by a password.*Remove the password"):
        analyse_file(locked.getvalue(), "manifesto.docx")


def test_an_old_word_document_is_refused_with_what_to_save_it_as():
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
    with pytest.raises(ManifestoError, match=r"old Word document \(\.doc\): save it as DOCX or PDF"):
        analyse_file(old, "manifesto.doc")


def with_text_box(paragraph, text, *, legacy=False):
    """Anchor a text box holding `text` in the paragraph, the way Word writes one: a drawing
    with a VML copy for older readers, or (`legacy`) the VML shape alone."""
    from docx.oxml import parse_xml

    namespaces = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml"'
    )
    box = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    vml = f"<w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
    if legacy:
        run = f"<w:r {namespaces}>{vml}</w:r>"
    else:
        drawing = (
            "<w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>"
            f"{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        )
        run = (
            f'<w:r {namespaces}><mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice>'
            f"<mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>"
        )
    paragraph._p.append(parse_xml(run))


def test_text_boxes_are_read_once_after_the_paragraph_they_hang_on():
    document = docx.Document()
    with_text_box(
        document.add_paragraph("Our pledge for every child."), "We will spend 4% of GDP on education."
    )
    with_text_box(
        document.add_paragraph("Farmers will get cheaper seed."),
        "Teachers will be paid on time.",
        legacy=True,
    )

    analysis = analyse_file(saved(document), "manifesto.docx")

    assert [s.text for s in analysis.sentences] == [
        "Our pledge for every child.",
        "We will spend 4% of GDP on education.",
        "Farmers will get cheaper seed.",
        "Teachers will be paid on time.",
    ]
    assert [c.text for c in analysis.commitments] == ["We will spend 4% of GDP on education."]
