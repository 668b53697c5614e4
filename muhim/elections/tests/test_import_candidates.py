"""Importing the 2018 candidate lists (importers `na-candidates-ecp` and `pa-candidates`): the
Election Commission's real files, the party report, importing again, and the rows people get
wrong."""

from collections import Counter

import pytest

from muhim.core.imports.readers import read_table
from muhim.core.imports.registry import get_importer
from muhim.core.imports.runner import create_run, execute
from muhim.core.models import ImportRun
from muhim.elections import services
from muhim.elections.models import Candidacy, Election, Party, PartyAlias, Person
from muhim.geography.models import Area, Constituency, ConstituencyArea

pytestmark = pytest.mark.django_db

DATA = "elections-2018"


def run_import(slug, data, filename="file.csv", *, user=None, options=None, commit=True):
    run = create_run(
        importer_slug=slug, data=data, filename=filename, user=user, options=options, source="command"
    )
    execute(run, commit=commit)
    run.refresh_from_db()
    return run


def load_seats(shared_data, *names):
    for name in names or ("na-seats-2018.csv",):
        run = run_import("constituencies", (shared_data / DATA / name).read_bytes(), name)
        assert run.status == ImportRun.Status.DONE, run.message


def import_file(shared_data, slug, name, **kwargs):
    run = run_import(slug, (shared_data / DATA / name).read_bytes(), name, **kwargs)
    assert run.status == ImportRun.Status.DONE, run.message
    return run


def all_warnings(run):
    return [w for samples in run.preview["samples"].values() for s in samples for w in s["warnings"]]


def errors_by_row(run):
    return {e["row"]: " ".join(e["messages"]) for e in run.preview["errors"]}


def importer_summary(slug, data, options=None):
    """What the importer's summary says of a file (checked row by row, nothing stored)."""
    importer = get_importer(slug)(options=options or {})
    table = read_table(data)
    mapping = importer.auto_map(table.headers)
    importer.prepare()
    for row in table.rows:
        values = {f.name: "" for f in importer.fields}
        values.update({name: row.value(header) for name, header in mapping.items()})
        try:
            importer.parse(values)
        except Exception:  # noqa: BLE001 - rejected rows are the runner's business
            continue
    return importer.summary()


def make_seat(code, province="kp", district="kp-swat", year=2018):
    assembly, number = code.split("-")
    seat = Constituency.objects.create(
        code=code,
        assembly=assembly,
        number=int(number),
        delimitation_year=year,
        province=Area.objects.get(code=province),
    )
    ConstituencyArea.objects.create(constituency=seat, area=Area.objects.get(code=district))
    return seat


def csv_bytes(text):
    return text.strip().encode("utf-8") + b"\n"


ECP_HEADER = (
    "Serial Number,Province,Name of candidate,Address of the contestant,Symbol Alloted,"
    "Party Affiliation,Constituency Number (ID),Constituency Name"
)


# --- the real lists -----------------------------------------------------------------------------


def test_national_assembly_list_2018(gazetteer, shared_data):
    load_seats(shared_data)
    services.load_parties()
    run = import_file(shared_data, "na-candidates-ecp", "na-candidates-ecp-2018.csv")
    # Rows listed under another province than their seat's have a wrong seat code: ten
    # Mirpurkhas candidates (Sindh) under NA-128 (Lahore) and one of Sanghar under NA-271 (Kech).
    errors = errors_by_row(run)
    assert run.errors == len(errors) == 11, run.preview["errors"][:5]
    assert all(
        "listed under Sindh" in message and "seat code looks wrong" in message for message in errors.values()
    )
    assert sum("NA-128 is a seat in Punjab" in message for message in errors.values()) == 10
    election = Election.objects.get(slug="ge-2018")
    assert election.polling_date.isoformat() == "2018-07-25"
    assert election.delimitation_year == 2018
    assert election.name_ur
    candidacies = Candidacy.objects.filter(election=election)
    assert candidacies.count() == run.created == 3421
    assert not candidacies.filter(
        constituency__code="NA-128", person__name="Pir Aftab Hussain Jelani"
    ).exists()
    seats = set(candidacies.values_list("constituency__code", flat=True))
    # The list has no candidates of NA-161 (its rows say NA-160) nor NA-229 (Badin-I is
    # missing): the results add theirs (see test_import_results).
    assert len(seats) == 270
    assert "NA-133" in seats  # written 'NA-I33' in the list
    # Stray spaces and OCR slips are cleaned.
    first = candidacies.get(constituency__code="NA-1", person__name="Iftikhar ud Din")
    assert first.symbol == "Tiger"
    assert first.party.abbreviation == "PML-N"
    assert "Drosh" in first.person.address
    # Imran Khan stood in five seats for his party: one person.
    # (written 'Imran Ahmad Khan Niazi' in NA-35, 'Imran Ahmed Khan Niazi' elsewhere)
    imran = candidacies.get(constituency__code="NA-95", party__abbreviation="PTI").person
    assert sorted(imran.candidacies.values_list("constituency__code", flat=True)) == [
        "NA-131",
        "NA-243",
        "NA-35",
        "NA-53",
        "NA-95",
    ]
    # A common name standing as an independent in several seats is several people.
    anwar = Candidacy.objects.filter(person__normalised="anwar khan", party__isnull=True)
    assert anwar.count() == anwar.values("person").distinct().count() > 1
    independents = candidacies.filter(party__isnull=True, party_as_written="").count()
    assert independents > 1600


def test_unmatched_parties_are_reported_never_guessed(gazetteer, shared_data):
    load_seats(shared_data)
    services.load_parties()
    data = (shared_data / DATA / "na-candidates-ecp-2018.csv").read_bytes()
    run = run_import("na-candidates-ecp", data, "na-candidates-ecp-2018.csv")
    election = Election.objects.get(slug="ge-2018")
    # 'Ch.Nissar' is a politician's group, not a party: kept as written, no party set.
    nisar = Candidacy.objects.filter(election=election, party_as_written="Ch.Nissar")
    assert nisar.count() == 2
    assert not nisar.filter(party__isnull=False).exists()
    warnings = " ".join(all_warnings(run))
    assert "“Ch.Nissar” matches no party" in warnings
    report = {text: n for text, n, _hint in services.unmatched_parties(election)}
    assert report["Ch.Nissar"] == 2
    # The run's report (the import page, `manage.py import`) lists every unmatched string.
    summary = run.preview["summary"]
    assert summary == importer_summary("na-candidates-ecp", data)
    assert any("“Ch.Nissar”: 2 candidacies" in line for line in summary)
    # The summary names every unmatched string, as many as the stored candidacies keep.
    assert len(summary) - 1 >= len(report)
    assert any("NA-I33" in line for line in summary)


def test_importing_again_changes_nothing(gazetteer, shared_data):
    load_seats(shared_data)
    services.load_parties()
    import_file(shared_data, "na-candidates-ecp", "na-candidates-ecp-2018.csv")
    before = list(
        Candidacy.objects.order_by("pk").values_list("pk", "person_id", "party_id", "symbol", "updated_at")
    )
    people = list(Person.objects.order_by("pk").values_list("pk", "name", "address", "updated_at"))
    again = import_file(shared_data, "na-candidates-ecp", "na-candidates-ecp-2018.csv")
    assert (again.created, again.updated, again.errors) == (0, 0, 11)  # the same rows refused again
    assert again.unchanged == 3421
    assert (
        list(
            Candidacy.objects.order_by("pk").values_list(
                "pk", "person_id", "party_id", "symbol", "updated_at"
            )
        )
        == before
    )
    assert list(Person.objects.order_by("pk").values_list("pk", "name", "address", "updated_at")) == people


def test_provincial_lists(gazetteer, shared_data):
    load_seats(shared_data, "pa-seats-2018.csv")
    services.load_parties()
    counts = {}
    for name in ("candidates-pp.csv", "candidates-ps.csv", "candidates-pk.csv", "candidates-pb.csv"):
        run = import_file(shared_data, "pa-candidates", name)
        counts[name] = (run.created, run.errors)
    stored = Counter(Candidacy.objects.values_list("constituency__assembly", flat=True))
    assert stored["PP"] > 3900 and stored["PS"] > 2100 and stored["PK"] > 1100 and stored["PB"] > 900
    assert all(errors == 0 for _created, errors in counts.values()), counts
    amir = Candidacy.objects.get(constituency__code="PK-2", person__name="Amir Muqam")
    assert (amir.party.abbreviation, amir.symbol) == ("PML-N", "Tiger")
    assert Candidacy.objects.filter(constituency__assembly="PB", party__abbreviation="BAP").count() == 50
    again = import_file(shared_data, "pa-candidates", "candidates-pb.csv")
    assert (again.created, again.updated) == (0, 0)


# --- rows people get wrong ------------------------------------------------------------------------


def test_unknown_seat_is_rejected_and_nothing_of_it_is_written(gazetteer):
    make_seat("NA-1")
    services.load_parties()
    data = csv_bytes(
        f"""
{ECP_HEADER}
1,KPK,Iftikhar ud Din,Drosh,Tiger (No.284),Pakistan Muslim League(N),NA-1 ,Chitral
2,KPK,Someone Else,Nowhere,Bat (No.19),PTI,NA-999,Nowhere
"""
    )
    run = run_import("na-candidates-ecp", data)
    assert (run.created, run.errors) == (1, 1)
    message = errors_by_row(run)[3]
    assert "NA-999" in message and "Load the seats first" in message and "constituencies" in message
    assert not Person.objects.filter(name="Someone Else").exists()
    assert Candidacy.objects.count() == 1


def test_seat_of_an_unloaded_delimitation(gazetteer):
    make_seat("NA-1", year=2002)
    data = csv_bytes(f"{ECP_HEADER}\n1,KPK,A Candidate,Drosh,Tiger,PTI,NA-1,Chitral")
    run = run_import("na-candidates-ecp", data)
    assert run.errors == 1
    assert "There is no seat NA-1 of the 2018 delimitation" in errors_by_row(run)[2]


def test_missing_column(gazetteer):
    make_seat("NA-1")
    data = csv_bytes("Name of candidate,Party Affiliation\nA Candidate,PTI")
    run = run_import("na-candidates-ecp", data)
    assert run.status == ImportRun.Status.FAILED
    assert "Seat" in run.message and "Its columns are" in run.message
    assert not Candidacy.objects.exists()


def test_empty_file(gazetteer):
    from muhim.core.imports.readers import FileProblem

    with pytest.raises(FileProblem, match="empty"):
        create_run(importer_slug="na-candidates-ecp", data=b"  \n", filename="empty.csv")
    with pytest.raises(FileProblem, match="no rows"):
        create_run(
            importer_slug="pa-candidates",
            data=b"constituency_id,candidate_name,party_abbreviation\n",
            filename="h.csv",
        )


def test_unknown_election(gazetteer):
    make_seat("NA-1")
    data = csv_bytes(f"{ECP_HEADER}\n1,KPK,A Candidate,Drosh,Tiger,PTI,NA-1,Chitral")
    run = run_import("na-candidates-ecp", data, options={"election": "ge-2099"})
    assert run.status == ImportRun.Status.FAILED
    assert "There is no election called ge-2099" in run.message


def test_a_corrected_file_updates_in_place(gazetteer):
    make_seat("NA-1")
    services.load_parties()
    row = "1,KPK,Iftikhar ud Din,Drosh,Tiger (No.284),{party},NA-1,Chitral"
    run_import("na-candidates-ecp", csv_bytes(f"{ECP_HEADER}\n{row.format(party='PML Noon')}"))
    candidacy = Candidacy.objects.get()
    assert (candidacy.party, candidacy.party_as_written) == (None, "PML Noon")
    fixed = run_import("na-candidates-ecp", csv_bytes(f"{ECP_HEADER}\n{row.format(party='PML N')}"))
    assert (fixed.created, fixed.updated) == (0, 1)
    candidacy.refresh_from_db()
    assert candidacy.party.abbreviation == "PML-N"
    assert candidacy.party_as_written == ""
    assert Person.objects.count() == 1


def test_an_alias_makes_a_later_import_match(gazetteer):
    make_seat("NA-1")
    services.load_parties()
    data = csv_bytes(f"{ECP_HEADER}\n1,KPK,A Candidate,Drosh,Jeep (No.149),Ch.Nissar,NA-1,Chitral")
    first = run_import("na-candidates-ecp", data)
    assert "“Ch.Nissar” matches no party" in " ".join(all_warnings(first))
    group = Party.objects.create(name="Chaudhry Nisar group")
    PartyAlias.objects.create(party=group, alias="Ch. Nissar")
    again = run_import("na-candidates-ecp", data)
    assert again.updated == 1
    assert Candidacy.objects.get().party == group
