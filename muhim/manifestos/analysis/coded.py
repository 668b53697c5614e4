"""Pre-coded manifestos: one quasi-sentence per row, `text,cmp_code[,eu_code]`, as the
Manifesto Project's corpus publishes them.

How the codes count, as the Manifesto Project counts them for per506:
- `H` is a heading, and NA (or an empty code) marks text that was not unitised at all (titles,
  page furniture, "§" signs in older documents): both are left out of the denominator;
- `0` and `000` are quasi-sentences no category fits: they count in the denominator;
- education expansion is code 506 (a sub-code 506.x, should a file have one, counts as 506).
These rules reproduce the published per506 and total_quasi_sentences of every file in the
Manifesto Project's Turkish corpus."""

import csv
import io

from django.utils.translation import gettext as _

from muhim.manifestos.analysis import Analysis, ManifestoError, Sentence
from muhim.manifestos.analysis.classify import topic_of
from muhim.manifestos.analysis.extract import _decode

EDUCATION_CODE = "506"
HEADING_CODES = {"h"}
NOT_UNITISED = {"", "na", "n/a", "nan", "none", "null"}
TEXT_COLUMNS = ("text", "content", "quasi_sentence", "sentence")
CODE_COLUMNS = ("cmp_code", "code", "cmp")


def is_education_code(code: str) -> bool:
    code = code.strip()
    return code == EDUCATION_CODE or code.startswith(EDUCATION_CODE + ".") or code in {"506.0", "5060"}


def read(data: bytes, filename: str = "") -> Analysis:
    if not data or not data.strip():
        raise ManifestoError(
            _(
                "The file is empty: a coded manifesto has a header row (text, cmp_code) and one row per quasi-sentence."
            )
        )
    text = _decode(data)
    sample = text[:10000]
    try:
        dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0] + "\n", delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ManifestoError(
            _("The file has no header row: it needs the columns text and cmp_code.")
        ) from exc
    names = [h.strip().strip("\ufeff").lower() for h in header]
    text_at = next((names.index(c) for c in TEXT_COLUMNS if c in names), None)
    code_at = next((names.index(c) for c in CODE_COLUMNS if c in names), None)
    missing = [name for name, at in (("text", text_at), ("cmp_code", code_at)) if at is None]
    if missing:
        raise ManifestoError(
            _(
                "The file has no %(missing)s column. A coded manifesto needs a header row with the columns text and cmp_code; this one has: %(found)s."
            )
            % {
                "missing": _(" and no ").join(missing),
                "found": ", ".join(h for h in header if h.strip()) or _("no column names"),
            }
        )
    sentences = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            cell_text = row[text_at].strip() if text_at < len(row) else ""
            code = row[code_at].strip() if code_at < len(row) else ""
            lowered = code.lower()
            heading = lowered in HEADING_CODES or lowered in NOT_UNITISED
            education = not heading and is_education_code(code)
            sentences.append(
                Sentence(
                    text=cell_text,
                    is_heading=heading,
                    cmp_code="H" if lowered in HEADING_CODES else ("NA" if lowered in NOT_UNITISED else code),
                    education=education,
                    topic=topic_of(cell_text) if education else "",
                    confidence=1.0,
                )
            )
    except csv.Error as exc:
        raise ManifestoError(_("The file is not a readable CSV: %(error)s") % {"error": exc}) from exc
    if not any(not s.is_heading for s in sentences):
        raise ManifestoError(
            _("The file has no coded quasi-sentences: every row is a heading, uncoded or empty.")
        )
    return Analysis(sentences=sentences, language=_language(sentences))


def _language(sentences) -> str:
    from muhim.manifestos.analysis import detect_language

    return detect_language(" ".join(s.text for s in sentences[:200]))
