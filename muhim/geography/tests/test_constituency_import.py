"""Importing assembly seats (importer `constituencies`): the Election Commission's real lists,
and the rows people get wrong."""

import csv
import io
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from muhim.core.imports.runner import create_run, execute
from muhim.core.models import AuditEvent, ImportRun
from muhim.geography.models import Constituency, ConstituencyArea

pytestmark = pytest.mark.django_db

SEATS = "elections-2018"


def run_import(data, filename="seats.csv", *, user=None, options=None, commit=True):
    run = create_run(
        importer_slug="constituencies",
        data=data,
        filename=filename,
        user=user,
        options=options,
        source="command",
    )
    execute(run, commit=commit)
    run.refresh_from_db()
    return run


def errors_by_row(run):
    return {e["row"]: " ".join(e["messages"]) for e in run.preview["errors"]}


def links(code, year=2018):
    seat = Constituency.objects.get(code=code, delimitation_year=year)
    return {link.area.code: link.is_primary for link in seat.links.select_related("area")}


def test_national_assembly_seats_2018(gazetteer, shared_data):
    run = run_import((shared_data / SEATS / "na-seats-2018.csv").read_bytes(), "na-seats-2018.csv")
    assert run.status == ImportRun.Status.DONE, run.message
    assert (run.created, run.errors) == (272, 0)
    seats = Constituency.objects.filter(assembly="NA", delimitation_year=2018)
    assert seats.count() == 272
    assert not seats.filter(links__isnull=True).exists()
    assert sorted(seats.values_list("number", flat=True)) == list(range(1, 273))
    # Chitral was split after 2018: the seat lies in both successors.
    assert links("NA-1") == {"kp-upper-chitral": True, "kp-lower-chitral": True}
    assert Constituency.objects.get(code="NA-1").province.code == "kp"
    assert links("NA-2") == {"kp-swat": True}
    # Primary district, then the others the seat also covers ("Zhob - Sherani").
    assert links("NA-257") == {"ba-killa-saifullah": True, "ba-zhob": False, "ba-sherani": False}
    # FATA's frontier regions were merged into their districts, in Khyber Pakhtunkhwa.
    assert links("NA-51") == {
        "kp-peshawar": True,
        "kp-tank": False,
        "kp-bannu": False,
        "kp-dera-ismail-khan": False,
        "kp-lakki-marwat": False,
        "kp-kohat": False,
    }
    assert Constituency.objects.get(code="NA-51").province.code == "kp"
    # Lehri was merged into Sibi, which the row names too: one link, not two.
    assert links("NA-259") == {
        "ba-dera-bugti": True,
        "ba-kohlu": False,
        "ba-barkhan": False,
        "ba-sibi": False,
    }
    assert Counter(seats.values_list("province__code", flat=True)) == {
        "pb": 141,
        "sd": 61,
        "kp": 51,
        "ba": 16,
        "is": 3,
    }
    # The import report says how each unusual name was read.
    warnings = " ".join(w for sample in run.preview["samples"]["create"] for w in sample["warnings"])
    assert "'Chitral' was split into Lower Chitral and Upper Chitral" in warnings
    assert "'Naushehro Feroze' is a spelling of Naushahro Feroze" in warnings
    assert AuditEvent.objects.filter(action="import", details__run=run.pk).exists()

    again = run_import((shared_data / SEATS / "na-seats-2018.csv").read_bytes(), "na-seats-2018.csv")
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 272, 0)
    assert Constituency.objects.count() == 272
    assert Constituency.history.count() == 272


def test_provincial_assembly_seats_2018_and_their_names(gazetteer, shared_data):
    run = run_import((shared_data / SEATS / "pa-seats-2018.csv").read_bytes(), "pa-seats-2018.csv")
    assert (run.created, run.errors) == (577, 0)
    assert Counter(Constituency.objects.values_list("assembly", "province__code")) == {
        ("PP", "pb"): 297,
        ("PS", "sd"): 130,
        ("PK", "kp"): 99,
        ("PB", "ba"): 51,
    }
    # Every seat lies in districts of its own province.
    assert not ConstituencyArea.objects.exclude(area__province=F("constituency__province")).exists()
    assert links("PS-1") == {"sd-jacobabad": True}
    assert links("PK-1") == {"kp-upper-chitral": True, "kp-lower-chitral": True}
    before = set(ConstituencyArea.objects.values_list("constituency__code", "area__code", "is_primary"))

    names = run_import((shared_data / SEATS / "constituencies-pp.csv").read_bytes(), "constituencies-pp.csv")
    assert names.errors == 0, errors_by_row(names)
    assert names.created == 0
    pp = Constituency.objects.filter(assembly="PP")
    assert pp.count() == 297
    assert not pp.filter(name="").exists()
    assert Constituency.objects.get(code="PP-1").name == "Attock-I"
    assert Constituency.objects.get(code="PP-297").name == "Rajan Pur-V"
    # 'Taxila-I' names a tehsil, not a district: the name is stored, the seat keeps its district.
    assert Constituency.objects.get(code="PP-19").name == "Taxila-I"
    assert links("PP-19") == {"pb-rawalpindi": True}
    # The names agree with the districts the seat list gave: nothing else changed.
    assert (
        set(ConstituencyArea.objects.values_list("constituency__code", "area__code", "is_primary")) == before
    )


def test_seat_names_alone_are_enough_for_a_new_seat(gazetteer):
    data = "name,area,assembly_id\nPP-150,Lahore-VII,2\nPP-19,Taxila-I,2\nNA-14,Maneshra-cum-Torghar,1\n"
    run = run_import(data.encode())
    assert errors_by_row(run) == {
        3: "No district could be read from the seat name 'Taxila-I'; add a district column."
    }
    assert links("PP-150") == {"pb-lahore": True}
    assert links("NA-14") == {"kp-mansehra": True, "kp-torghar": False}
    assert Constituency.objects.get(code="NA-14").province.code == "kp"


def bad_file():
    rows = [
        b"seat,district,other districts",
        b"NA-1,Chitral,",  # 2
        b"na 2,Swat,",  # 3
        b"NA-4,Atlantis,",  # 4
        b",Swat,",  # 5
        b"XX-9,Swat,",  # 6
        b"NA-5,Sw\x81at,",  # 7
        b"NA-6,Swat,Buner,Shangla",  # 8
        b"NA-7,Lahore,",  # 9: Lahore is in Punjab, but the National Assembly spans all
        b"PK-3,Lahore,",  # 10: a KP seat cannot lie in Punjab
        b"NA-8,Hyderabad,Atlantis",  # 11
        b"NA-10,Bagh,",  # 12
    ]
    return b"\n".join(rows) + b"\n"


def test_bad_rows_are_reported_with_their_reason_and_good_rows_stored(gazetteer):
    run = run_import(bad_file(), "bad.csv")
    assert run.status == ImportRun.Status.DONE
    errors = errors_by_row(run)
    assert sorted(errors) == [4, 5, 6, 7, 8, 10, 11]
    assert "Unknown district 'Atlantis'" in errors[4]
    assert "The seat code is empty" in errors[5]
    assert "'XX-9' is not a seat code" in errors[6]
    assert "not valid text" in errors[7]
    assert "4 values but the header has 3 columns" in errors[8]
    assert "Unknown district 'Lahore'" in errors[10]
    assert "Unknown district 'Atlantis'" in errors[11]
    assert (run.created, run.errors) == (4, 7)
    assert set(Constituency.objects.values_list("code", flat=True)) == {"NA-1", "NA-2", "NA-7", "NA-10"}
    assert links("NA-2") == {"kp-swat": True}
    assert links("NA-7") == {"pb-lahore": True}
    # "Bagh" is a district only in AJK; the National Assembly list may name it.
    assert links("NA-10") == {"jk-bagh": True}

    # The rejected rows come back as a file with the reason beside each, to fix and upload again.
    with run.rejected_file.open("rb") as fh:
        rejected = list(csv.reader(io.StringIO(fh.read().decode("utf-8-sig"))))
    assert rejected[0] == ["row", "reason", "seat", "district", "other districts"]
    assert [r[0] for r in rejected[1:]] == ["4", "5", "6", "7", "8", "10", "11"]
    assert rejected[1][2:] == ["NA-4", "Atlantis", ""]


def test_a_preview_stores_nothing(gazetteer):
    run = run_import(bad_file(), "bad.csv", commit=False)
    assert run.status == ImportRun.Status.PREVIEWED
    assert run.preview["counts"]["create"] == 4
    assert not Constituency.objects.exists()


@pytest.mark.parametrize("written", ["na 1", "NA-001", "Na_1", " NA 01 ", "na-1"])
def test_seat_codes_are_normalised(gazetteer, written):
    run_import(b"seat,district\nNA-1,Chitral\n")
    again = run_import(f"seat,district\n{written},Chitral\n".encode())
    assert (again.created, again.unchanged, again.errors) == (0, 1, 0)
    assert list(Constituency.objects.values_list("code", "assembly", "number")) == [("NA-1", "NA", 1)]


def test_one_seat_twice_in_a_file(gazetteer):
    run = run_import(b"seat,district\nNA-1,Chitral\nNA-001,Chitral\nna 1,Swat\n")
    errors = errors_by_row(run)
    assert list(errors) == [4]
    assert "already appears in row 2 with different values" in errors[4]
    assert (run.created, run.unchanged) == (1, 1)


def test_a_changed_district_updates_the_seat(gazetteer):
    run_import(b"seat,district\nNA-2,Swat\n")
    run = run_import(b"seat,district,secondary district\nNA-2,Swat,Buner\n")
    assert run.updated == 1
    assert run.preview["samples"]["update"][0]["changes"] == {"districts": ["Swat", "Buner, Swat"]}
    assert links("NA-2") == {"kp-swat": True, "kp-buner": False}


def test_the_delimitation_year_keeps_delimitations_apart(gazetteer):
    run_import(b"seat,district\nNA-1,Chitral\n")
    run_import(b"seat,district\nNA-1,Upper Chitral\n", options={"delimitation_year": "2023"})
    assert links("NA-1", 2018) == {"kp-upper-chitral": True, "kp-lower-chitral": True}
    assert links("NA-1", 2023) == {"kp-upper-chitral": True}


def test_organisers_may_not_import_seats(gazetteer, make_user):
    organiser = make_user("organiser", regions=["pb-lahore-division"])
    run = run_import(b"seat,district\nNA-120,Lahore\n", user=organiser)
    assert run.status == ImportRun.Status.FAILED
    assert "not allowed" in run.message
    assert not Constituency.objects.exists()


def test_the_import_command(gazetteer, shared_data):
    out = StringIO()
    call_command("import", "constituencies", str(shared_data / SEATS / "pa-seats-2018.csv"), stdout=out)
    assert "577 created, 0 updated, 0 unchanged, 0 rejected" in out.getvalue()
    out = StringIO()
    call_command(
        "import", "constituencies", str(shared_data / SEATS / "pa-seats-2018.csv"), "--dry-run", stdout=out
    )
    assert "0 would be created, 0 would be updated, 577 unchanged, 0 rejected" in out.getvalue()
