"""Reading the CSV and XLSX files people actually make. No database needed."""

import codecs
import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from muhim.core.imports.readers import FileProblem, read_table


def rows_of(table):
    return [(row.number, row.cells) for row in table.rows]


def xlsx_bytes(*sheets):
    """A workbook with one sheet per (title, rows) pair."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# --- encodings ---------------------------------------------------------------------------------


def test_utf8_without_bom():
    table = read_table(b"seat,district\nNA-1,Chitral\nNA-2,Swat\n")
    assert table.kind == "csv"
    assert table.headers == ["seat", "district"]
    assert rows_of(table) == [(2, ["NA-1", "Chitral"]), (3, ["NA-2", "Swat"])]
    assert table.notes == []
    assert all(not row.problems and not row.warnings for row in table.rows)


def test_utf8_with_bom_does_not_leak_into_the_first_header():
    table = read_table(codecs.BOM_UTF8 + b"seat,district\nNA-1,Chitral\n")
    assert table.headers == ["seat", "district"]
    assert table.rows[0].value("seat") == "NA-1"


def test_utf16_with_bom_as_excel_saves_unicode_text():
    data = "seat\tdistrict\tname_ur\nNA-236\tKarachi\tکراچی\n".encode("utf-16")
    assert data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    table = read_table(data)
    assert table.headers == ["seat", "district", "name_ur"]
    assert rows_of(table) == [(2, ["NA-236", "Karachi", "کراچی"])]
    assert not table.rows[0].problems


def test_windows_1252_file_is_read_and_says_so():
    data = "name,city,quote\nJosé,Zürich,“Education for all” – €5\n".encode("cp1252")
    table = read_table(data)
    assert rows_of(table) == [(2, ["José", "Zürich", "“Education for all” – €5"])]
    assert not table.rows[0].problems
    assert any("not UTF-8" in note and "cp1252" in note for note in table.notes)


def test_windows_1256_urdu_file_is_read_as_urdu():
    data = "district,name_ur\nPeshawar,پشاور\nSwat,سوات\n".encode("cp1256")
    table = read_table(data)
    assert rows_of(table) == [(2, ["Peshawar", "پشاور"]), (3, ["Swat", "سوات"])]
    assert not any(row.problems for row in table.rows)


def test_mixed_file_reads_both_kinds_of_rows_and_marks_the_legacy_ones():
    data = (
        b"name,city\n" + "José,Zürich\n".encode() + "Renée,Köln\n".encode("cp1252") + "Zoë,Málaga\n".encode()
    )
    table = read_table(data)
    assert rows_of(table) == [(2, ["José", "Zürich"]), (3, ["Renée", "Köln"]), (4, ["Zoë", "Málaga"])]
    assert not any(row.problems for row in table.rows)
    assert table.rows[0].warnings == []
    assert table.rows[2].warnings == []
    [warning] = table.rows[1].warnings
    assert "not UTF-8" in warning
    assert "cp1252" in warning
    assert any("not UTF-8" in note for note in table.notes)


def test_mixed_file_with_an_urdu_row_saved_by_urdu_windows():
    data = "district,name_ur\nSwat,سوات\n".encode() + "Peshawar,پشاور\n".encode("cp1256")
    table = read_table(data)
    assert rows_of(table) == [(2, ["Swat", "سوات"]), (3, ["Peshawar", "پشاور"])]
    assert table.rows[0].warnings == []
    assert "cp1256" in table.rows[1].warnings[0]


def test_urdu_text_in_utf8():
    table = read_table("ضلع,تحصیل\nلاہور,رائیونڈ\nکراچی وسطی,نارتھ ناظم آباد\n".encode())
    assert table.headers == ["ضلع", "تحصیل"]
    assert rows_of(table) == [(2, ["لاہور", "رائیونڈ"]), (3, ["کراچی وسطی", "نارتھ ناظم آباد"])]


# --- separators and quoting ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("separator", "word"),
    [(";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")],
)
def test_other_separators(separator, word):
    lines = [["seat", "district", "turnout"], ["NA-1", "Chitral", "60,96"], ["NA-2", "Swat", "43,28"]]
    data = "\n".join(separator.join(line) for line in lines).encode() + b"\n"
    table = read_table(data)
    assert table.delimiter == separator
    assert table.headers == ["seat", "district", "turnout"]
    assert rows_of(table) == [(2, ["NA-1", "Chitral", "60,96"]), (3, ["NA-2", "Swat", "43,28"])]
    assert any(word in note for note in table.notes)


def test_quoted_fields_keep_separators_and_newlines_and_rows_are_numbered_as_a_spreadsheet_shows():
    data = b'seat,name,remark\nNA-1,"Chitral, Upper","line one\nline two"\nNA-2,Swat,"said ""yes"""\n'
    table = read_table(data)
    assert rows_of(table) == [
        (2, ["NA-1", "Chitral, Upper", "line one\nline two"]),
        (3, ["NA-2", "Swat", 'said "yes"']),
    ]
    assert not any(row.problems for row in table.rows)


def test_blank_lines_are_skipped_but_count_as_rows():
    table = read_table(b"seat,district\nNA-1,Chitral\n\n,\nNA-2,Swat\n")
    assert rows_of(table) == [(2, ["NA-1", "Chitral"]), (5, ["NA-2", "Swat"])]


def test_too_many_columns_is_a_problem_naming_the_counts():
    table = read_table(b"seat,district\nNA-1,Chitral\nNA-2,Swat,KP,extra\n")
    good, bad = table.rows
    assert good.problems == []
    [problem] = bad.problems
    assert "4 values" in problem
    assert "2 columns" in problem
    assert bad.number == 3


def test_trailing_empty_cells_are_fine():
    table = read_table(b"seat,district\nNA-1,Chitral,,\nNA-2,,\nNA-3\n")
    assert rows_of(table) == [(2, ["NA-1", "Chitral"]), (3, ["NA-2", ""]), (4, ["NA-3"])]
    assert not any(row.problems for row in table.rows)
    assert table.rows[2].values == {"seat": "NA-3", "district": ""}


@pytest.mark.parametrize(
    "bad",
    [b"Sw\x00at", b"Sw\x01at", b"Sw\x81at"],
    ids=["nul", "control", "undefined-in-cp1252"],
)
def test_a_row_with_bytes_that_are_not_text_is_a_problem_and_the_others_are_fine(bad):
    data = b"seat,district\nNA-1,Chitral\nNA-2," + bad + b"\nNA-3,Swat\n"
    table = read_table(data)
    assert [row.number for row in table.rows] == [2, 3, 4]
    assert table.rows[0].problems == []
    assert table.rows[2].problems == []
    [problem] = table.rows[1].problems
    assert "bytes that are not valid text" in problem


def test_invalid_bytes_in_a_utf8_file_with_urdu_are_not_read_as_urdu():
    data = "district,name_ur\nLahore,لاہور\n".encode() + b"Swat,Sw\x81at\n"
    table = read_table(data)
    assert table.rows[0].cells == ["Lahore", "لاہور"]
    assert table.rows[0].problems == []
    [problem] = table.rows[1].problems
    assert "bytes that are not valid text" in problem


def test_the_rest_of_the_table_is_read_after_a_bad_row():
    lines = [b"seat,district"] + [f"NA-{n},District {n}".encode() for n in range(1, 51)]
    lines[10] = b"NA-10,Dis\x00trict"
    table = read_table(b"\n".join(lines))
    assert len(table) == 50
    assert [row.number for row in table.rows if row.problems] == [11]


# --- files that are not tables ------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\r\n"])
def test_empty_file(data):
    with pytest.raises(FileProblem, match="empty"):
        read_table(data, "seats.csv")


def test_header_only_is_a_table_without_rows():
    table = read_table(b"seat,district\n")
    assert table.headers == ["seat", "district"]
    assert len(table) == 0


def test_blank_and_duplicate_headers_get_names():
    table = read_table(b"seat,,seat\nNA-1,x,NA-2\n")
    assert table.headers == ["seat", "Column 2", "seat (2)"]
    assert table.rows[0].value("seat (2)") == "NA-2"


def test_old_excel_file():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    with pytest.raises(FileProblem, match=r"old Excel \(\.xls\).*\.xlsx or CSV"):
        read_table(data, "seats.xls")


def test_pdf():
    with pytest.raises(FileProblem, match="PDF"):
        read_table(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "seats.pdf")


def test_zip_that_is_not_a_workbook():
    data = zip_bytes({"word/document.xml": "<w:document/>", "[Content_Types].xml": "<Types/>"})
    with pytest.raises(FileProblem, match="ZIP archive but not an Excel workbook"):
        read_table(data, "seats.docx")


def test_opendocument_spreadsheet():
    data = zip_bytes({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"})
    with pytest.raises(FileProblem, match=r"OpenDocument.*\.xlsx or CSV"):
        read_table(data, "seats.ods")


def test_damaged_workbook():
    data = zip_bytes({"[Content_Types].xml": "<Types", "xl/workbook.xml": "not xml <"})
    with pytest.raises(FileProblem, match="Excel workbook"):
        read_table(data, "seats.xlsx")


def test_binary_file():
    with pytest.raises(FileProblem, match="binary"):
        read_table(b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x00\x00" * 200, "photo.png")


# --- XLSX ---------------------------------------------------------------------------------------


def test_xlsx_with_numbers_dates_and_urdu():
    data = xlsx_bytes(
        (
            "Seats",
            [
                ["Seat", "Voters", "Turnout", "Polling day", "Counted at", "Reserved", None],
                ["NA-1", 12345, 60.96, date(2018, 7, 25), datetime(2018, 7, 26, 8, 30), True],
                [None, None, None],
                ["NA-2", 3.0, 0.1 + 0.2, datetime(2018, 7, 25), None, False, None, None],
                ["کراچی", 123456789012],
            ],
        )
    )
    table = read_table(data, "seats.xlsx")
    assert table.kind == "xlsx"
    assert table.headers == ["Seat", "Voters", "Turnout", "Polling day", "Counted at", "Reserved"]
    assert rows_of(table) == [
        (2, ["NA-1", "12345", "60.96", "2018-07-25", "2018-07-26 08:30:00", "yes"]),
        (4, ["NA-2", "3", "0.3", "2018-07-25", "", "no"]),
        (5, ["کراچی", "123456789012"]),
    ]
    assert not any(row.problems for row in table.rows)


def test_xlsx_too_many_columns():
    data = xlsx_bytes(("Seats", [["Seat", "District"], ["NA-1", "Chitral", "KP"]]))
    [row] = read_table(data).rows
    [problem] = row.problems
    assert "3 values" in problem
    assert "2 columns" in problem


def test_xlsx_reads_the_first_sheet_and_says_so_or_the_chosen_one():
    data = xlsx_bytes(("Seats", [["Seat"], ["NA-1"]]), ("Notes", [["Note"], ["hello"]]))
    table = read_table(data)
    assert rows_of(table) == [(2, ["NA-1"])]
    assert any("2 sheets" in note and "Seats" in note for note in table.notes)
    assert rows_of(read_table(data, sheet="Notes")) == [(2, ["hello"])]
    with pytest.raises(FileProblem, match="no sheet called Missing.*Seats, Notes"):
        read_table(data, sheet="Missing")


def test_empty_workbook():
    with pytest.raises(FileProblem, match="empty"):
        read_table(xlsx_bytes(("Sheet", [])))


def test_xlsx_header_only():
    table = read_table(xlsx_bytes(("Sheet", [["Seat", "District"]])))
    assert table.headers == ["Seat", "District"]
    assert len(table) == 0


# --- JSON -------------------------------------------------------------------------------------


def test_a_json_list_of_objects_is_read_as_rows_with_nested_lists_flattened():
    data = (
        b'[{"seat": "PK-1", "Registered Votes": 269579, "results": ['
        b'{"candidate": "Hidayat ur Rehman", "party": "MMA", "votes": 45629},'
        b'{"candidate": "Israr ud Din", "party": "PTI", "votes": 40490}]},'
        b'{"seat": "PK-2", "Registered Votes": null, "results": []}]'
    )
    table = read_table(data, "pa-results.json")
    assert table.kind == "json"
    assert table.headers == [
        "seat",
        "Registered Votes",
        "results__candidate",
        "results__party",
        "results__votes",
    ]
    assert rows_of(table) == [
        (2, ["PK-1", "269579", "Hidayat ur Rehman", "MMA", "45629"]),
        (3, ["", "", "Israr ud Din", "PTI", "40490"]),
        (4, ["PK-2", "", "", "", ""]),
    ]


def test_broken_json_says_so():
    with pytest.raises(FileProblem, match="not valid JSON"):
        read_table(b'[{"seat": "PK-1",', "results.json")
    with pytest.raises(FileProblem, match="list of objects"):
        read_table(b"[[1, 2]]", "results.json")
