"""Reading CSV and XLSX files the way people actually make them: any common encoding (also mixed
within one file), comma, semicolon, tab or pipe separators, Excel's spreadsheets, and JSON lists
of objects (flattened into rows, see `json_as_csv`). A reader never fails on one bad row: the
row carries its problem and the importer reports it."""

import codecs
import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

DELIMITERS = [",", ";", "\t", "|"]
# Legacy encodings people in Pakistan save CSVs in: Excel on English and on Urdu/Arabic Windows.
LEGACY_ENCODINGS = ["cp1252", "cp1256", "latin_1"]


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says what to do."""


@dataclass(slots=True)
class SourceRow:
    number: int  # the row number a spreadsheet would show (the header is row 1)
    cells: list[str]
    headers: list[str]  # shared by every row of the table
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def value(self, header):
        index = self.headers.index(header)
        return self.cells[index] if index < len(self.cells) else ""

    @property
    def values(self):
        return {h: (self.cells[i] if i < len(self.cells) else "") for i, h in enumerate(self.headers)}


@dataclass
class Table:
    headers: list[str]
    rows: list[SourceRow]
    kind: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)

    def __len__(self):
        return len(self.rows)


def read_table(data: bytes, filename: str = "", *, sheet: str | None = None) -> Table:
    if _is_blank(data):
        raise FileProblem(_("The file is empty."))
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, sheet)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileProblem(_("This is an old Excel (.xls) file. Save it as .xlsx or CSV and upload it again."))
    if data[:5] == b"%PDF-":
        raise FileProblem(_("This is a PDF. Upload the table as CSV or XLSX."))
    if _looks_like_json(data):
        try:
            table = _read_csv(json_as_csv(data))
        except ValueError as exc:
            raise FileProblem(str(exc)) from exc
        table.kind = "json"
        return table
    return _read_csv(data)


# --- JSON -------------------------------------------------------------------------------------


def _looks_like_json(data):
    head = data[:64].lstrip(codecs.BOM_UTF8).lstrip()
    # '{', '[{', '[[', '["', '[]' open JSON; a CSV whose first header is '[seat]' does not.
    return head[:1] == b"{" or (head[:1] == b"[" and head[1:].lstrip()[:1] in (b"{", b"[", b'"', b"]", b""))


def json_as_csv(data: bytes) -> bytes:
    """A JSON list of objects as CSV: an object's plain values on its first row, and one row
    per item of a list of objects it holds, as `list__field` columns (the layout of the
    Election Commission's results: a seat and its totals on the first row, a row per
    candidate). A single object holding such a list is read as that list. Raises ValueError
    with a message for the user."""
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(_("The file is not valid JSON (%(error)s).") % {"error": exc}) from exc
    if isinstance(items, dict):
        items = next((v for v in items.values() if isinstance(v, list)), [items])
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        raise ValueError(_("The JSON file must hold a list of objects, one per row."))
    headers, rows = [], []

    def header(name):
        if name not in headers:
            headers.append(name)

    for item in items:
        plain = {k: v for k, v in item.items() if not isinstance(v, list | dict)}
        for k in plain:
            header(k)
        children = [
            (k, child)
            for k, v in item.items()
            if isinstance(v, list)
            for child in v
            if isinstance(child, dict)
        ]
        if not children:
            rows.append(plain)
            continue
        for n, (k, child) in enumerate(children):
            row = dict(plain) if n == 0 else {}
            for field_name, value in child.items():
                header(f"{k}__{field_name}")
                row[f"{k}__{field_name}"] = value
            rows.append(row)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=headers)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


# --- CSV --------------------------------------------------------------------------------------


def _is_blank(data):
    """Nothing but white space, perhaps after a byte-order mark."""
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            data = data[len(bom) :]
            if bom != codecs.BOM_UTF8:
                data = data.replace(b"\x00", b"")  # in UTF-16, white space comes with a NUL
            break
    return not data.strip()


# Control characters (other than tab and line breaks), private-use and surrogate code points,
# and the replacement character: what undecodable bytes turn into.
_BAD_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd]")


def _bad_text(text):
    return _BAD_CHARACTERS.search(text) is not None


def _decode_whole(data):
    """(text, encoding, is_mixed). UTF-8 (with or without BOM) and UTF-16 with a BOM decode
    whole; otherwise the text comes back as latin-1 so that the CSV structure can be parsed and
    each cell decoded on its own (see _decode_cell)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", False
        except UnicodeDecodeError as exc:
            raise FileProblem(_("The file starts as UTF-16 text but is damaged.")) from exc
    if b"\x00" in data[:4096] and data.count(b"\x00") > len(data) // 10:
        raise FileProblem(_("This does not look like a CSV or XLSX file (it contains binary data)."))
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
    lines = data.splitlines()
    utf8_non_ascii = 0
    legacy = []
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_non_ascii += 1
        except UnicodeDecodeError:
            legacy.append(line)
    encoding = _guess_legacy_encoding(b"\n".join(legacy))
    return data.decode("latin-1"), encoding, utf8_non_ascii > 0


def _guess_legacy_encoding(sample):
    best = from_bytes(sample, cp_isolation=LEGACY_ENCODINGS).best()
    encoding = best.encoding if best else "cp1252"
    if encoding == "latin_1":
        # Identical to cp1252 for letters; cp1252 also reads Excel's quotes and dashes, and a
        # byte it has no letter for is reported instead of becoming an invisible control code.
        encoding = "cp1252"
    if encoding == "cp1256" and not _has_words_in_arabic_script(sample):
        # A few stray bytes between Latin letters are damage or accents, not Urdu: every
        # byte would pass as some Arabic letter in cp1256, so nothing would be reported.
        encoding = "cp1252"
    return encoding


def _has_words_in_arabic_script(sample):
    """Urdu saved as cp1256 has whole words of non-ASCII bytes; a byte here and there between
    Latin letters is not Urdu."""
    high = sum(1 for byte in sample if byte >= 0x80)
    in_words = sum(len(run) for run in re.findall(rb"[\x80-\xff]{2,}", sample))
    return high > 0 and in_words * 2 >= high


def _decode_cell(cell, encoding):
    """A cell parsed from latin-1 text back to its bytes, then decoded properly.
    Returns (text, used_fallback) or raises UnicodeDecodeError."""
    if cell.isascii():
        return cell, False
    raw = cell.encode("latin-1")
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return raw.decode(encoding), True


def _pick_delimiter(text):
    sample_lines = [line for line in text[:65536].splitlines() if line.strip()][:30]
    if not sample_lines:
        return ","
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = [len(r) for r in csv.reader(sample_lines, delimiter=delimiter)]
        if not counts or counts[0] < 2:
            continue
        header = counts[0]
        consistent = sum(1 for c in counts if c == header)
        score = (consistent, header)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(data):
    text, encoding, mixed = _decode_whole(data)
    per_cell = encoding not in ("utf-8", "utf-16")
    delimiter = _pick_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    notes = []
    any_fell_back = False
    if delimiter != ",":
        names = {";": _("semicolons"), "\t": _("tabs"), "|": _("vertical bars")}
        notes.append(_("Columns are separated by %(separator)s.") % {"separator": names[delimiter]})

    # Most files hold no suspicious character at all; then no cell needs checking.
    check_cells = per_cell or _bad_text(text)
    headers = None
    rows = []
    try:
        # A quoted value may span lines; a spreadsheet shows such a record as one row.
        records = enumerate(reader, start=1)
        if not check_cells:
            # The usual file: clean text. Read it without looking at each cell.
            for _number, line_cells in records:
                cells = [cell.strip() for cell in line_cells]
                if any(cells):
                    headers = _clean_headers(cells)
                    break
            width = len(headers or ())
            append = rows.append
            for number, line_cells in records:
                cells = [cell.strip() for cell in line_cells]
                if len(cells) <= width and any(cells):
                    append(SourceRow(number, cells, headers, [], []))
                elif any(cells):
                    append(_make_row(number, cells, headers, [], []))
            records = ()
        for number, line_cells in records:
            problems, warnings = [], []
            fell_back = False
            cells = []
            for cell in line_cells:
                if per_cell:
                    try:
                        cell, used = _decode_cell(cell, encoding)
                        fell_back = fell_back or used
                    except UnicodeDecodeError:
                        problems.append(
                            _("It contains bytes that are not valid text: %(cell)s")
                            % {"cell": ascii(cell.encode("latin-1"))}
                        )
                        cell = cell.encode("latin-1").decode("utf-8", errors="replace")
                if check_cells and not problems and _bad_text(cell):
                    problems.append(
                        _("It contains bytes that are not valid text: %(cell)s") % {"cell": repr(cell)}
                    )
                cells.append(cell.strip())
            any_fell_back = any_fell_back or fell_back
            if headers is None:
                if not any(cells):
                    continue
                if problems:
                    raise FileProblem(_("The header row contains bytes that are not valid text."))
                headers = _clean_headers(cells)
                continue
            if not any(cells):
                continue
            if fell_back and mixed:
                warnings.append(
                    _("This row is not UTF-8 like the rest of the file; it was read as %(encoding)s.")
                    % {"encoding": encoding}
                )
            rows.append(_make_row(number, cells, headers, problems, warnings))
    except csv.Error as exc:
        raise FileProblem(
            _("The file could not be read as CSV near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from exc
    if headers is None:
        raise FileProblem(_("The file has no header row."))
    if any_fell_back and mixed:
        notes.insert(
            0,
            _("Most of the file is UTF-8; rows that are not UTF-8 were read as %(encoding)s and are marked.")
            % {"encoding": encoding},
        )
    elif any_fell_back:
        notes.insert(0, _("The file is not UTF-8; it was read as %(encoding)s.") % {"encoding": encoding})
    return Table(headers=headers, rows=rows, kind="csv", encoding=encoding, delimiter=delimiter, notes=notes)


def _clean_headers(cells):
    headers, seen = [], {}
    for index, cell in enumerate(cells):
        name = cell.strip().lstrip("\ufeff") or _("Column %(n)s") % {"n": index + 1}
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        headers.append(name)
    return headers


def _make_row(number, cells, headers, problems, warnings):
    if len(cells) > len(headers):
        extra = cells[len(headers) :]
        if any(extra):
            problems.append(
                _(
                    "It has %(found)s values but the header has %(expected)s columns. "
                    "Check for a separator or quote inside a value."
                )
                % {"found": len(cells), "expected": len(headers)}
            )
        cells = cells[: len(headers)] if not any(extra) else cells
    return SourceRow(number=number, cells=cells, headers=headers, problems=problems, warnings=warnings)


# --- XLSX -------------------------------------------------------------------------------------


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # Excel keeps 15 significant digits: 0.1 + 0.2 is 0.3 there, as it is here.
        return f"{value:.15g}"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _sheet_rows(worksheet):
    try:
        yield from worksheet.iter_rows(values_only=True)
    except Exception as exc:  # damaged sheet XML surfaces only while reading it
        raise FileProblem(
            _(
                "The Excel workbook is damaged and could not be read (%(error)s). Save it again as .xlsx or CSV."
            )
            % {"error": exc.__class__.__name__}
        ) from exc


def _read_xlsx(data, sheet):
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileProblem(_("The file looks like an Excel workbook but is damaged.")) from exc
    if "content.xml" in names and "mimetype" in names:
        raise FileProblem(
            _("This is an OpenDocument (.ods or .odt) file. Save it as .xlsx or CSV and upload it again.")
        )
    if not any(name.startswith("xl/") for name in names):
        raise FileProblem(
            _("This file is a ZIP archive but not an Excel workbook. Upload an .xlsx or CSV file.")
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged workbook
        raise FileProblem(
            _("The Excel workbook could not be opened (%(error)s). Save it again as .xlsx or CSV.")
            % {"error": exc.__class__.__name__}
        ) from exc
    try:
        if sheet:
            if sheet not in workbook.sheetnames:
                raise FileProblem(
                    _("The workbook has no sheet called %(sheet)s (it has: %(sheets)s).")
                    % {"sheet": sheet, "sheets": ", ".join(workbook.sheetnames)}
                )
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; read every row that is there instead.
        worksheet.reset_dimensions()
        headers = None
        rows = []
        for number, row in enumerate(_sheet_rows(worksheet), start=1):
            cells = [_cell_text(v) for v in row]
            while cells and cells[-1] == "":
                cells.pop()
            if headers is None:
                if any(cells):
                    headers = _clean_headers(cells)
                continue
            if not any(cells):
                continue
            rows.append(_make_row(number, cells, headers, [], []))
    finally:
        workbook.close()
    if headers is None:
        raise FileProblem(_("The first sheet of the workbook is empty."))
    notes = []
    if len(workbook.sheetnames) > 1 and not sheet:
        notes.append(
            _("The workbook has %(n)s sheets; only the first, %(sheet)s, was read.")
            % {"n": len(workbook.sheetnames), "sheet": workbook.sheetnames[0]}
        )
    return Table(headers=headers, rows=rows, kind="xlsx", notes=notes)
