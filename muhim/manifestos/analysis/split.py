"""Quasi-sentences, approximating the Manifesto Project's unitising rules: one quasi-sentence per
statement. A sentence ends at . ! ? (Urdu ۔ ؟); it is split further at semicolons and where a
colon introduces a list; each bullet or numbered list item is its own quasi-sentence. Lines
broken by a PDF's layout (and words hyphenated across them) are joined again. Headings (a DOCX
heading style, a numbered section title, an ALL-CAPS line, a short line without final
punctuation standing on its own, a title wrapped over two or three such lines) are kept, marked,
and left out of the share's denominator.

`split_blocks(blocks)` → list of (text, page, is_heading)."""

import re

from muhim.manifestos.analysis.extract import Block

TERMINAL = ".!?۔؟"
# Punctuation a line of running text may end with (a heading ends with none of these).
CONTINUING = TERMINAL + ";:,،؛-–—(/&"
CLOSERS = "\"'”’)]»"
MAX_HEADING_WORDS = 12

BULLET = re.compile(
    # (Word's bullets often reach a PDF as private-use symbol-font characters, e.g. U+F0B7.)
    r"^(?:[•●▪■◦‣○□✓✔➢➤►▶◆◇❖◉◾☐☑✦⁃\ue000-\uf8ff]\s*|"
    r"(?:[*·∙–—-]|\(?[a-zA-Z]\)|\(?[ivxIVX]{1,4}\)|\(?\d{1,2}\)|\d{1,2}\.(?!\d))\s+|"
    # Urdu lists: "1۔", "۲۔", "٣)", "(الف)", "(ب)".
    r"(?:[\d۰-۹٠-٩]{1,2}[۔.)](?![\d۰-۹٠-٩])|\(?[۰-۹٠-٩]{1,2}\)|\((?:الف|ب|ج|د|ہ|و|ز|ح|ط|ی|ک|ل|م)\))\s*)"
)
NUMBERED_TITLE = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVXivx]{1,5}\.|[A-Z]\.|Chapter\s+\w+:?)\s+\S")
PAGE_NUMBER = re.compile(r"^(?:page\s*)?[\divxlc۰-۹٠-٩]{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE)
LETTER = re.compile(r"[^\W\d_]")

# Abbreviations whose full stop does not end a sentence (compared lower-cased, without the dot).
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "rt", "hon", "rev", "sir", "gen", "col", "capt", "lt",
    "no", "nos", "vol", "art", "para", "paras", "sec", "ch", "fig", "pp", "cf", "vs", "viz",
    "e.g", "i.e", "approx", "est", "govt", "dept", "co", "ltd", "inc", "jr", "sr",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.s.a", "u.k", "u.n", "a.m", "p.m", "rs", "mt", "ft",
}  # fmt: skip
SENTENCE_END = re.compile(
    r"(?P<end>[.!?۔؟]+[" + re.escape(CLOSERS) + r"]*)(?P<space>\s+|$)|(?P<urdu>[۔؟])(?P<space2>\s*)"
)
SEMICOLON = re.compile(r"\s*[;؛]\s+")
LIST_COLON = re.compile(r":\s+(?=(?:\(?[a-z0-9]{1,2}\)|[•●▪\-–*])\s)")


def split_blocks(blocks: list[Block]) -> list[tuple[str, int | None, bool]]:
    units: list[tuple[str, int | None, bool]] = []
    paragraph: list[str] = []
    paragraph_page: int | None = None
    paragraph_bullet = False  # a list item, however short, is a statement

    def flush():
        nonlocal paragraph, paragraph_page, paragraph_bullet
        if paragraph and not paragraph_bullet and _is_wrapped_title(paragraph):
            units.append((_clean(" ".join(paragraph)), paragraph_page, True))
        elif paragraph:
            for piece in split_text(" ".join(paragraph)):
                units.append((piece, paragraph_page, False))
        paragraph, paragraph_page, paragraph_bullet = [], None, False

    previous: Block | None = None
    for i, block in enumerate(blocks):
        text = block.text
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if PAGE_NUMBER.match(text):
            continue  # a page number or a running folio, not a statement
        if is_heading(block, previous, following, paragraph, after_item=paragraph_bullet):
            flush()
            units.append((_clean(text), block.page, True))
        elif BULLET.match(text):
            flush()
            paragraph, paragraph_page = [BULLET.sub("", text, count=1)], block.page
            paragraph_bullet = True
        else:
            if block.new_paragraph or block.heading is False:
                flush()
            if paragraph:
                last = paragraph[-1]
                if last.endswith("-") and len(last) > 1 and last[-2].isalpha() and text[:1].islower():
                    paragraph[-1] = last[:-1] + text  # a word hyphenated across lines
                    previous = block
                    continue
            else:
                paragraph_page = block.page
            paragraph.append(text)
        previous = block
    flush()
    return [(t, p, h) for t, p, h in units if t and (h or LETTER.search(t))]


def _is_wrapped_title(lines: list[str]) -> bool:
    """A title set over two or three lines ("Education:" / "A New Deal for Every Child"): short,
    standing as its own paragraph, with no sentence ending anywhere in it."""
    text = _clean(" ".join(lines))
    return (
        1 < len(lines) <= 3
        and len(text.split()) <= MAX_HEADING_WORDS
        and not any(ch in TERMINAL for ch in text)
        and text[-1] not in CONTINUING + CLOSERS
        and bool(LETTER.search(text))
    )


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def is_heading(
    block: Block, previous: Block | None, following: Block | None, paragraph: list[str], *, after_item=False
) -> bool:
    if block.heading is not None:
        return block.heading
    text = block.text
    words = text.split()
    if not words or len(words) > MAX_HEADING_WORDS + 3:
        return False
    if text[-1] in CONTINUING or text[-1] in CLOSERS and len(text) > 1 and text[-2] in TERMINAL:
        return False
    letters = LETTER.findall(text)
    if not letters:
        return False
    # Inside a paragraph whose last line did not end a sentence, a short line is its tail.
    in_sentence = bool(paragraph) and paragraph[-1][-1:] not in TERMINAL + CLOSERS and not block.new_paragraph
    if in_sentence and after_item and _titled(text) and not _open_ended(paragraph[-1]):
        in_sentence = False  # list items seldom end with a full stop: a title after one is a title
    upper = sum(1 for ch in letters if ch.isupper())
    if upper >= 0.8 * len(letters) and len(letters) >= 3 and not in_sentence:
        return True  # an ALL-CAPS line
    if in_sentence:
        return False
    if BULLET.match(text) and not NUMBERED_TITLE.match(text):
        return False
    next_starts = following is None or following.new_paragraph or _starts_statement(following.text)
    if NUMBERED_TITLE.match(text) and len(words) <= MAX_HEADING_WORDS and next_starts:
        return True
    return len(words) <= MAX_HEADING_WORDS and next_starts and not BULLET.match(text)


# Urdu sentences end with their verb: the tail of a wrapped Urdu line ends with an auxiliary.
URDU_FINAL = frozenset({
    "گا", "گی", "گے", "ہے", "ہیں", "تھا", "تھی", "تھے", "ہو", "ہوں", "ہوگا", "ہوگی", "جائے", "جائیں",
    "کریں",
})  # fmt: skip


def _titled(text: str) -> bool:
    """A line after an unfinished list item that starts something new: in English a capital
    letter, in Urdu (no capitals) a few words that do not end with a verb."""
    first = text.lstrip("\"'“‘(«[")[:1]
    if first.isascii():
        return first.isupper()
    words = text.split()
    return len(words) <= 4 and words[-1].strip("،:") not in URDU_FINAL


# Words a line cannot end a phrase with: what follows them continues it ("… in" / "Punjab").
OPEN_WORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "with", "by",
    "as", "into", "than", "that", "which", "who",
    "اور", "کے", "کی", "کا", "میں", "سے", "کو", "پر", "تک", "لیے",
})  # fmt: skip


def _open_ended(line: str) -> bool:
    words = line.split()
    return bool(words) and words[-1].lower() in OPEN_WORDS


def _starts_statement(text: str) -> bool:
    first = text.lstrip("\"'“‘(«[")[:1]
    # Urdu has no capitals: any start will do there.
    return bool(first) and (first.isupper() or first.isdigit() or not first.isascii() or BULLET.match(text))


def split_text(text: str) -> list[str]:
    text = _clean(text)
    pieces = []
    for sentence in _sentences(text):
        for part in SEMICOLON.split(sentence):
            items = [BULLET.sub("", item.strip(" \t-–—"), count=1).strip() for item in LIST_COLON.split(part)]
            items = [item for item in items if item]
            # A short lead-in ("We will:") is part of the first item's statement.
            if len(items) > 1 and len(items[0].split()) < 4:
                items[1] = items[0] + ": " + items[1]
                items = items[1:]
            pieces.extend(items)
    return pieces


def _sentences(text: str) -> list[str]:
    out, start = [], 0
    for match in SENTENCE_END.finditer(text):
        if match.group("urdu"):
            cut = match.end()
        else:
            end = match.group("end")
            before = text[start : match.start()]
            if end[0] == "." and len(end.rstrip(CLOSERS)) == 1 and _is_abbreviation(before):
                continue
            rest = text[match.end() :]
            if rest and match.group("space") and not _starts_sentence(rest):
                continue
            cut = match.end()
        piece = text[start:cut].strip()
        if piece:
            out.append(piece)
        start = cut
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def _is_abbreviation(before: str) -> bool:
    word = before.rsplit(None, 1)[-1] if before.strip() else ""
    word = word.lstrip("(\"'“‘").lower()
    if not word:
        return False
    if word in ABBREVIATIONS:
        return True
    # An initial ("J. Smith") or a dotted abbreviation ("U.S.A", "e.g").
    return (len(word) == 1 and word.isalpha()) or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def _starts_sentence(rest: str) -> bool:
    first = rest.lstrip("\"'“‘(«[")[:1]
    return bool(first) and (first.isupper() or first.isdigit() or not first.isascii() or first in "•-–")
