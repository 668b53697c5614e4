"""Importing results (`na-results`, `pa-results`) and parties (`parties`, load_parties)."""

import io

import pytest
from django.core.management import call_command

from muhim.core.imports.readers import json_as_csv as flatten_json
from muhim.elections import services
from muhim.elections.models import Candidacy, ConstituencyResult, Election, Party
from muhim.elections.tests.test_import_candidates import (
    DATA,
    all_warnings,
    csv_bytes,
    errors_by_row,
    import_file,
    importer_summary,
    load_seats,
    make_seat,
    run_import,
)
from muhim.geography.models import Constituency

pytestmark = pytest.mark.django_db

CANDIDATES_HEADER = "Constituency Number (ID),Name of candidate,Party Affiliation,Symbol Alloted"
RESULTS_HEADER = (
    '"seat","Percentage of Votes Polled to Registered Voters","Registered Votes","Votes Polled",'
    '"Valid Votes","Rejected Votes","results__candidate","results__party","results__votes"'
)


def test_national_assembly_results_2018(gazetteer, shared_data):
    load_seats(shared_data)
    services.load_parties()
    import_file(shared_data, "na-candidates-ecp", "na-candidates-ecp-2018.csv")
    data = (shared_data / DATA / "na-results-2018.csv").read_bytes()
    summary = " ".join(importer_summary("na-results", data))
    assert "NA-229 Mir Ghulam Ali Talpur" in summary
    run = import_file(shared_data, "na-results", "na-results-2018.csv")
    assert run.errors == 0, run.preview["errors"][:5]
    election = Election.objects.get(slug="ge-2018")
    # With the results, every one of the 272 seats has candidates.
    with_candidates = Constituency.objects.filter(assembly="NA", candidacies__election=election).distinct()
    assert sorted(with_candidates.values_list("number", flat=True)) == list(range(1, 273))
    assert ConstituencyResult.objects.filter(election=election).count() == 270  # NA-60, NA-103 postponed
    winner = Candidacy.objects.get(election=election, constituency__code="NA-1", is_winner=True)
    assert winner.person.name == "Moulana Abdul Akbar Chitrali"
    assert winner.party.abbreviation == "MMA"
    assert winner.votes == 48616
    result = ConstituencyResult.objects.get(election=election, constituency__code="NA-1")
    assert (result.registered_voters, result.valid_votes, str(result.turnout)) == (269579, 158925, "60.97")
    assert Candidacy.objects.filter(election=election, is_winner=True).count() == 270
    # Badin-I's candidates were missing from the list: the results add them, and say so.
    assert Candidacy.objects.filter(constituency__code="NA-229", votes__isnull=False).count() == 7
    assert Candidacy.objects.filter(constituency__code="NA-229", added_from_results=True).count() == 7
    assert not Candidacy.objects.filter(constituency__code="NA-1", added_from_results=True).exists()
    # The Mirpurkhas candidates the list filed under NA-128 (refused there) stand in NA-218.
    perwani = Candidacy.objects.get(election=election, person__name="Sanjay Perwani")
    assert (perwani.constituency.code, perwani.votes) == ("NA-218", 5018)
    warnings = " ".join(all_warnings(run))
    assert "is not on the candidate list of" in warnings
    # Importing again changes nothing.
    stamps = list(Candidacy.objects.order_by("pk").values_list("pk", "votes", "is_winner", "updated_at"))
    again = import_file(shared_data, "na-results", "na-results-2018.csv")
    assert (again.created, again.updated, again.errors) == (0, 0, 0), again.preview["samples"]["update"]
    assert (
        list(Candidacy.objects.order_by("pk").values_list("pk", "votes", "is_winner", "updated_at")) == stamps
    )


def test_provincial_results_from_json(gazetteer, shared_data):
    load_seats(shared_data, "pa-seats-2018.csv")
    services.load_parties()
    import_file(shared_data, "pa-candidates", "candidates-pk.csv")
    out = io.StringIO()
    call_command(
        "import_results_json", "pa-results", str(shared_data / DATA / "pa-results-2018.json"), stdout=out
    )
    assert "pa-results-2018.csv (pa-results" in out.getvalue()
    winner = Candidacy.objects.get(constituency__code="PK-1", is_winner=True)
    assert (winner.person.name, winner.votes) == ("Hidayat ur Rehman", 45629)
    assert ConstituencyResult.objects.filter(constituency__assembly="PP").count() > 290


def test_results_of_an_unknown_seat_are_rejected_with_their_rows(gazetteer):
    make_seat("NA-1")
    data = csv_bytes(
        f"""
{RESULTS_HEADER}
"NA-999","50","100","50","48","2","A Winner","PTI","30"
"","","","","","","A Loser","PPPP","18"
"NA-1","50","100","50","48","2","B Winner","PTI","40"
"","","","","","","B Loser","Independent","8"
"""
    )
    run = run_import("na-results", data)
    errors = errors_by_row(run)
    assert "NA-999" in errors[2] and "Load the seats first" in errors[2]
    assert "NA-999" in errors[3] and "rejected" in errors[3]
    assert run.created == 2
    assert not Candidacy.objects.filter(person__name__startswith="A ").exists()
    assert Candidacy.objects.get(is_winner=True).person.name == "B Winner"


def test_results_match_close_spellings_and_report_them(gazetteer):
    make_seat("NA-1")
    services.load_parties()
    run_import(
        "na-candidates-ecp",
        csv_bytes(f"{CANDIDATES_HEADER}\nNA-1,Muhammad Akhter,PPPP,Arrow\nNA-1,Sher Ali Khan,PTI,Bat"),
    )
    data = csv_bytes(
        f"""
{RESULTS_HEADER}
"NA-1","50","100","50","48","2","Muhammad Akhtar","Pakistan Peoples Party Parliamentarians","30"
"","","","","","","SHER ALI KHAN","Pakistan Tehreek-e-Insaf","18"
"""
    )
    run = run_import("na-results", data)
    assert (run.created, run.updated) == (0, 2)
    assert "“Muhammad Akhtar” was matched to the listed candidate" in " ".join(all_warnings(run))
    assert Candidacy.objects.get(is_winner=True).person.name == "Muhammad Akhter"


def test_an_independents_chaudhry_spelt_another_way_is_the_listed_candidate(gazetteer):
    """NA-125, 2018: listed as 'Muhammad Imtiaz Choudhary', in the results as '… Chaudhry'."""
    make_seat("NA-125")
    services.load_parties()
    run_import(
        "na-candidates-ecp",
        csv_bytes(
            f"{CANDIDATES_HEADER}\nNA-125,Muhammad Imtiaz Choudhary,Independent,Air Conditioner (3)\n"
            "NA-125,Waheed Alam Khan,Pakistan Muslim League (N),Tiger"
        ),
    )
    data = csv_bytes(
        f"""
{RESULTS_HEADER}
"NA-125","51.53","485624","250263","250263","0","Waheed Alam Khan","Pakistan Muslim League (N)","122327"
"","","","","","","Muhammad Imtiaz Chaudhry","Independent","36"
"""
    )
    run = run_import("na-results", data)
    assert (run.created, run.updated) == (0, 2)
    imtiaz = Candidacy.objects.get(person__name="Muhammad Imtiaz Choudhary")
    assert (imtiaz.symbol, imtiaz.votes, imtiaz.added_from_results) == ("Air Conditioner", 36, False)
    assert Candidacy.objects.count() == 2


def test_a_turnout_published_as_zero_or_left_out_is_worked_out_from_the_votes(gazetteer):
    make_seat("NA-1")
    make_seat("NA-2")
    make_seat("NA-3")
    data = csv_bytes(
        f"""\
{RESULTS_HEADER}
"NA-1","0","485624","250263","250263","0","A Winner","PTI","150000"
"NA-2","","1000","400","390","10","B Winner","PTI","300"
"NA-3","0","1000","0","0","0","C Winner","PTI","0"
"""
    )
    run = run_import("na-results", data)
    turnout = dict(ConstituencyResult.objects.values_list("constituency__code", "turnout"))
    assert {code: str(value) for code, value in turnout.items()} == {
        "NA-1": "51.53",
        "NA-2": "40.00",
        "NA-3": "0.00",
    }
    warnings = " ".join(all_warnings(run))
    assert "The turnout is written as 0% although 250263 votes were polled: 51.53%" in warnings
    assert warnings.count("The turnout is written as 0%") == 1  # not for NA-2 (left out) or NA-3 (no votes)


def test_results_rows_without_a_seat_above(gazetteer):
    make_seat("NA-1")
    run = run_import("na-results", csv_bytes(f'{RESULTS_HEADER}\n"","","","","","","Someone","PTI","3"'))
    assert "No seat is given above this row" in errors_by_row(run)[2]


def test_flatten_json_refuses_what_is_not_a_list_of_seats():
    with pytest.raises(ValueError, match="not valid JSON"):
        flatten_json(b"{nope")
    with pytest.raises(ValueError, match="list of objects"):
        flatten_json(b"[1, 2]")
    flat = flatten_json(
        b'[{"seat": "PK-1", "Valid Votes": 9, "results": [{"candidate": "A", "votes": 5}, {"candidate": "B", "votes": 4}]}]'
    )
    assert flat.decode().splitlines() == [
        "seat,Valid Votes,results__candidate,results__votes",
        "PK-1,9,A,5",
        ",,B,4",
    ]


# --- parties ------------------------------------------------------------------------------------


def test_party_list_with_symbols(db, shared_data):
    out = io.StringIO()
    args = [
        "--parties",
        str(shared_data / DATA / "parties.csv"),
        "--symbols",
        str(shared_data / DATA / "symbols.csv"),
    ]
    call_command("load_parties", *args, stdout=out)
    assert "0 rejected" in out.getvalue()
    seed_and_list = Party.objects.count()
    assert seed_and_list > 100
    # The list's spelling matched the seed's party; its symbol is read from the symbol list.
    assert Party.objects.get(abbreviation="PML-N").symbol == "Tiger"
    assert Party.objects.get(name="Pakistan Yaqeen Party").symbol == "P"
    # The list's 'Jamat-e-Islami Pakistan' is the seed's party (an alias), not a second one.
    assert Party.objects.filter(name__icontains="islami pakistan", abbreviation="JI").count() == 1
    call_command("load_parties", *args, stdout=io.StringIO())
    assert Party.objects.count() == seed_and_list


def test_party_importer_rejects_a_bad_colour(db):
    run = run_import("parties", csv_bytes("name,colour\nA New Party,green"))
    assert "#1b5e20" in errors_by_row(run)[2]
    assert not Party.objects.filter(name="A New Party").exists()


def test_party_symbol_number_alone_is_explained(db):
    run = run_import("parties", csv_bytes("name,symbol_id\nA New Party,19"))
    assert "load_parties" in " ".join(all_warnings(run))


def test_importing_the_provincial_results_again_changes_nothing(gazetteer, shared_data):
    load_seats(shared_data, "pa-seats-2018.csv")
    services.load_parties()
    for name in ("candidates-pp.csv", "candidates-ps.csv", "candidates-pk.csv", "candidates-pb.csv"):
        import_file(shared_data, "pa-candidates", name)
    data = flatten_json((shared_data / DATA / "pa-results-2018.json").read_bytes())
    first = run_import("pa-results", data, "pa-results-2018.csv", options={"election": "ge-2018"})
    assert first.created > 0 and first.updated > 1000
    stamps = list(Candidacy.objects.order_by("pk").values_list("pk", "person_id", "votes", "is_winner"))
    again = run_import("pa-results", data, "pa-results-2018.csv", options={"election": "ge-2018"})
    assert (again.created, again.updated) == (0, 0), again.preview["samples"]["update"][:3]
    assert (
        list(Candidacy.objects.order_by("pk").values_list("pk", "person_id", "votes", "is_winner")) == stamps
    )
