"""`manage.py import`, with small generated seat lists and with the real 2018 NA seat list."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from muhim.accounts.models import Role
from muhim.core.models import AuditEvent, ImportRun
from muhim.geography.models import Area, Constituency

SEATS = """Seat,PrimaryDistrict,SeconDistrict,Province
NA-1,Chitral,,KP
NA-2,Swat,,KP
NA-3,Swat,,KP
"""


@pytest.fixture(autouse=True)
def _run_files_in_the_tests_folder(monkeypatch):
    """ImportRun's file fields got their storage when the model class was made, so conftest's
    per-test private folder does not reach them; without this, tests write into var/private."""
    from django.core.files.storage import storages

    for name in ("file", "rejected_file"):
        monkeypatch.setattr(ImportRun._meta.get_field(name), "storage", storages["private"])


def run_command(*args, **options):
    out = StringIO()
    call_command("import", *[str(a) for a in args], stdout=out, **options)
    return out.getvalue()


def seat_file(tmp_path, text=SEATS, name="seats.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def linked_codes(code):
    return set(
        Constituency.objects.get(code=code, delimitation_year=2018).areas.values_list("code", flat=True)
    )


def test_import_prints_what_it_created(gazetteer, tmp_path):
    out = run_command("constituencies", seat_file(tmp_path))
    assert "Importing 3 rows of seats.csv" in out
    assert "3 created, 0 updated, 0 unchanged, 0 rejected" in out
    assert set(Constituency.objects.values_list("code", flat=True)) == {"NA-1", "NA-2", "NA-3"}
    assert linked_codes("NA-2") == {"kp-swat"}
    assert linked_codes("NA-1") == {"kp-upper-chitral", "kp-lower-chitral"}  # Chitral was split
    run = ImportRun.objects.get()
    assert (run.source, run.user, run.status) == ("command", None, ImportRun.Status.DONE)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count() == 1


def test_importing_again_changes_nothing(gazetteer, tmp_path):
    path = seat_file(tmp_path)
    run_command("constituencies", path)
    history = Constituency.history.count()
    out = run_command("constituencies", path)
    assert "0 created, 0 updated, 3 unchanged, 0 rejected" in out
    assert Constituency.objects.count() == 3
    assert Constituency.history.count() == history


def test_a_changed_district_updates_the_seat(gazetteer, tmp_path):
    run_command("constituencies", seat_file(tmp_path))
    out = run_command("constituencies", seat_file(tmp_path, SEATS.replace("NA-3,Swat", "NA-3,Buner")))
    assert "0 created, 1 updated, 2 unchanged, 0 rejected" in out
    assert linked_codes("NA-3") == {"kp-buner"}


def test_dry_run_stores_nothing(gazetteer, tmp_path):
    out = run_command("constituencies", seat_file(tmp_path), dry_run=True)
    assert "Checking 3 rows" in out
    assert "3 would be created" in out
    assert not Constituency.objects.exists()
    assert ImportRun.objects.get().status == ImportRun.Status.PREVIEWED
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_rejected_rows_are_printed_with_their_row_number(gazetteer, tmp_path):
    text = SEATS + "NA-4,Atlantis,,KP\nNA-X,Swat,,KP\n"
    out = run_command("constituencies", seat_file(tmp_path, text))
    assert "3 created, 0 updated, 0 unchanged, 2 rejected" in out
    assert "row 5: Unknown district 'Atlantis'." in out
    assert "row 6: 'NA-X' is not a seat code" in out
    assert "Rejected rows with reasons:" in out
    assert not Constituency.objects.filter(code="NA-4").exists()


def test_options_and_column_mapping(gazetteer, tmp_path):
    text = "Constituency No,Where\nNA-1,Chitral\nNA-2,Swat\n"
    out = run_command(
        "constituencies",
        seat_file(tmp_path, text),
        map=["seat=Constituency No", "district=Where"],
        option=["delimitation_year=2002"],
    )
    assert "2 created" in out
    assert set(Constituency.objects.values_list("delimitation_year", flat=True)) == {2002}


def test_the_import_can_be_recorded_as_a_users(gazetteer, tmp_path, make_user):
    office = make_user(Role.CAMPAIGN_OFFICE, username="office")
    run_command("constituencies", seat_file(tmp_path), user="office")
    assert ImportRun.objects.get().user == office
    assert Constituency.history.filter(code="NA-1").get().history_user == office


def test_a_user_who_may_not_use_the_importer_is_refused(gazetteer, tmp_path, make_user):
    make_user(Role.ORGANISER, regions=["kp"], username="organiser")
    with pytest.raises(CommandError, match="not allowed"):
        run_command("constituencies", seat_file(tmp_path), user="organiser")
    assert not Constituency.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["constituencies", "/no/such/file.csv"], "File not found"),
        (["constituencies"], "File not found"),
        (["nope", "/no/such/file.csv"], "No importer called 'nope'"),
    ],
)
def test_bad_arguments(db, args, message):
    with pytest.raises(CommandError, match=message):
        run_command(*args)


def test_a_file_that_is_not_a_table(db, tmp_path):
    with pytest.raises(CommandError, match="PDF"):
        run_command("constituencies", seat_file(tmp_path, b"%PDF-1.5\n", name="seats.pdf"))
    with pytest.raises(CommandError, match="no rows under it"):
        run_command("constituencies", seat_file(tmp_path, "Seat,District\n"))
    assert not ImportRun.objects.exists()


def test_a_missing_column_names_the_files_columns(db, tmp_path):
    with pytest.raises(CommandError, match="no column for seat. Its columns: Number, District"):
        run_command("constituencies", seat_file(tmp_path, "Number,District\n1,Swat\n"))


def test_an_unknown_option_or_field_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="no field colour"):
        run_command("constituencies", seat_file(tmp_path), map=["colour=Seat"])
    with pytest.raises(CommandError, match="no option year"):
        run_command("constituencies", seat_file(tmp_path), option=["year=2002"])


def test_list(db):
    out = run_command(list=True)
    assert "constituencies: Constituencies (National and provincial assembly seats)" in out
    assert "    seat (required): Seat code" in out
    assert "option delimitation_year (default 2018)" in out
    assert "areas: Tehsils and union councils" in out


# --- the real 2018 National Assembly seat list -------------------------------------------------


@pytest.fixture
def na_seats(shared_data):
    path = shared_data / "elections-2018" / "na-seats-2018.csv"
    if not path.is_file():
        pytest.skip(f"{path} is not there")
    return path


def test_the_real_na_seat_list(gazetteer, na_seats):
    out = run_command("constituencies", na_seats)
    assert "272 created, 0 updated, 0 unchanged, 0 rejected" in out
    seats = Constituency.objects.filter(assembly="NA", delimitation_year=2018).prefetch_related("areas")
    assert seats.count() == 272
    karachi = Area.objects.get(code="sd-karachi-division")
    for seat in seats:
        areas = list(seat.areas.all())
        assert areas, f"{seat.code} is linked to no area"
        for area in areas:
            assert area.level == Area.Level.DISTRICT or area == karachi, (seat.code, area.code)
        assert seat.province is not None
    assert linked_codes("NA-2") == {"kp-swat"}

    history = Constituency.history.count()
    out = run_command("constituencies", na_seats)
    assert "0 created, 0 updated, 272 unchanged, 0 rejected" in out
    assert Constituency.history.count() == history


def test_the_real_na_seat_list_with_bad_rows(gazetteer, na_seats, tmp_path):
    lines = na_seats.read_bytes().splitlines()
    assert lines[10].startswith(b"NA-10,")  # row 11 of the file
    lines[10] = b"NA-10,Atlantis," + lines[10].split(b",", 2)[2]
    lines[20] = b"," + lines[20].split(b",", 1)[1]  # NA-20 without its code
    lines[30] = b"NA-30,Pesh\x81awar," + lines[30].split(b",", 2)[2]
    lines[40] = lines[40] + b",extra,values"
    path = seat_file(tmp_path, b"\n".join(lines) + b"\n", name="na-seats-damaged.csv")

    out = run_command("constituencies", path)

    assert "268 created, 0 updated, 0 unchanged, 4 rejected" in out
    assert "row 11: Unknown district 'Atlantis'." in out
    assert "row 21: The seat code is empty." in out
    assert "row 31: It contains bytes that are not valid text" in out
    assert "row 41: It has 9 values but the header has 7 columns." in out
    stored = set(Constituency.objects.values_list("code", flat=True))
    assert len(stored) == 268
    assert not stored & {"NA-10", "NA-20", "NA-30", "NA-40"}
    run = ImportRun.objects.get()
    assert [e["row"] for e in run.preview["errors"]] == [11, 21, 31, 41]
