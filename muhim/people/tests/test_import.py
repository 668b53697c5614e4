"""Importing supporters' lists (importer `supporters`) with the sign-up form's rules."""

import re

import pytest

from muhim.core.imports.runner import create_run, execute
from muhim.core.models import ImportRun
from muhim.people.importers import fast_mobile
from muhim.people.models import Interaction, Volunteer
from muhim.people.services import mobile_number

pytestmark = pytest.mark.django_db


def run_import(data, *, user=None, commit=True, filename="supporters.csv", options=None):
    if isinstance(data, str):
        data = data.encode("utf-8")
    run = create_run(
        importer_slug="supporters", data=data, filename=filename, user=user, source="command", options=options
    )
    execute(run, commit=commit)
    run.refresh_from_db()
    return run


def errors_by_row(run):
    return {e["row"]: " ".join(e["messages"]) for e in run.preview["errors"]}


def counts(run):
    return (run.created, run.updated, run.unchanged, run.errors)


def mixed_file():
    """Semicolons; UTF-8 rows (Urdu) and rows saved by Excel on English Windows (cp1252)."""
    header = b"Name;Mobile;E-mail;District;Interests;Sex;Level\n"
    utf8 = [
        "عائشہ بی بی;0300-1234567;;لاہور;events, media;عورت;\n",
        "Ali Raza;+92 321 7654321;ali@example.org;Kasur;School monitoring;m;volunteer\n",
        "Omar;3451112223;;sd-karachi-south;data;;active\n",
    ]
    cp1252 = [
        "José Dâr;0333-4445556;jose@example.org;Qasur;parents;male;\n",  # é â in cp1252, Qasur an alias
        "Zoë Khan;0300 9998887;;Sheikhupura;teaching;female;leader\n",
    ]
    return header + b"".join(r.encode("utf-8") for r in utf8) + b"".join(r.encode("cp1252") for r in cp1252)


def test_a_csv_with_mixed_encodings_and_semicolons_imports_after_a_preview(network):
    preview = run_import(mixed_file(), commit=False)
    assert preview.status == ImportRun.Status.PREVIEWED, preview.message
    assert counts(preview) == (5, 0, 0, 0), preview.preview["errors"]
    assert "semicolons" in " ".join(preview.preview["notes"])
    assert not Volunteer.objects.exists()  # a preview stores nothing

    run = run_import(mixed_file())
    assert run.status == ImportRun.Status.DONE, run.message
    assert counts(run) == (5, 0, 0, 0)
    people = {v.phone.as_e164: v for v in Volunteer.objects.select_related("district", "organiser")}
    assert set(people) == {
        "+923001234567",
        "+923217654321",
        "+923451112223",
        "+923334445556",
        "+923009998887",
    }
    aisha = people["+923001234567"]
    assert (aisha.name, aisha.district.code, aisha.sex, aisha.level) == (
        "عائشہ بی بی",
        "pb-lahore",
        "female",
        "supporter",
    )
    assert set(aisha.interests.values_list("code", flat=True)) == {"events", "media"}
    assert aisha.organiser == network.lahore
    assert aisha.source == Volunteer.Source.IMPORT
    assert aisha.consent_text.version == "2026-11" and aisha.consent_at is not None
    jose = people["+923334445556"]
    assert (jose.name, jose.email, jose.district.code, jose.sex) == (
        "José Dâr",
        "jose@example.org",
        "pb-kasur",
        "male",
    )
    assert people["+923009998887"].name == "Zoë Khan" and people["+923009998887"].level == "leader"
    assert people["+923451112223"].organiser == network.karachi
    assert people["+923217654321"].level == "volunteer"
    # Each has an "imported" line in their history, and a history record saying who imported it.
    assert Interaction.objects.filter(kind=Interaction.Kind.IMPORTED).count() == 5
    assert Volunteer.history.filter(history_type="+").count() == 5
    assert not Volunteer.history.filter(consent_at__isnull=True).exists()
    assert (
        Volunteer.history.filter(history_type="+", consent_text__version="2026-11", source="import").count()
        == 5
    )
    # No one is told by SMS about a whole file of people.


def test_importing_the_same_file_again_changes_nothing(network):
    run_import(mixed_file())
    history = Volunteer.history.count()
    again = run_import(mixed_file())
    assert counts(again) == (0, 0, 5, 0)
    assert Volunteer.history.count() == history
    assert Interaction.objects.filter(kind="imported").count() == 5


BAD_ROWS = """name,phone,district,interests,sex,consent
Good Person,0300-1111111,Lahore,events,f,yes
Short Number,12345,Lahore,,,
Landline,042-35761234,Lahore,,,
No District,0300-2222222,,,,
Atlantis,0300-3333333,Atlantis,,,
Chitral,0300-4444444,Chitral,,,
Said No,0300-5555555,Lahore,,,no
Maybe,0300-6666666,Lahore,,,perhaps
,0300-7777777,Lahore,,,
Odd Values,0300-8888888,Lahore,knitting;events,zz,
"""


def test_bad_rows_are_rejected_with_a_reason_and_the_good_ones_imported(network):
    run = run_import(BAD_ROWS)
    assert counts(run) == (2, 0, 0, 8), run.preview["errors"]
    errors = errors_by_row(run)
    assert "Enter a mobile number like 0300 1234567" in errors[3]
    assert "landline" in errors[4]
    assert "The district is empty" in errors[5]
    assert "Unknown district 'Atlantis'" in errors[6]
    assert "split into Lower Chitral, Upper Chitral" in errors[7]
    assert "did not agree to be contacted" in errors[8]
    assert "neither yes nor no" in errors[9]
    assert "The name is empty" in errors[10]
    odd = Volunteer.objects.get(phone="+923008888888")
    assert list(odd.interests.values_list("code", flat=True)) == ["events"]
    assert odd.sex == ""
    warnings = next(s for s in run.preview["samples"]["create"] if s["row"] == 11)["warnings"]
    assert any("knitting" in w for w in warnings) and any("'zz'" in w for w in warnings)
    # The rejected rows can be downloaded to be fixed and imported again.
    assert run.rejected_file


def test_duplicates_within_the_file(network):
    text = """name,phone,district,interests
Sana,0300-1234567,Kasur,events
Sana,+923001234567,Kasur,events
Sana,03001234567,Lahore,events
"""
    run = run_import(text)
    assert (run.created, run.unchanged, run.errors) == (1, 1, 1)
    errors = errors_by_row(run)
    assert "already appears in row 2 with different values" in errors[4]
    assert Volunteer.objects.count() == 1


def test_an_existing_volunteer_is_updated_without_erasing_anything(network, volunteer_in):
    from muhim.people.models import Interest

    known = volunteer_in(
        "pb-kasur",
        name="Sana Riaz",
        phone="+923001234567",
        email="sana@example.org",
        sex="female",
        level="active",
    )
    known.interests.add(Interest.objects.get(code="media"))
    known.notes = "Met at the Kasur seminar."
    known.save()
    text = """name,phone,email,district,interests,sex,level
Sana Riaz Khan,0300 1234567,,Lahore,events,,
"""
    preview = run_import(text, commit=False)
    assert counts(preview) == (0, 1, 0, 0)
    change = preview.preview["samples"]["update"][0]["changes"]
    assert change["name"] == ["Sana Riaz", "Sana Riaz Khan"]
    assert change["district"] == ["Kasur", "Lahore"]
    assert change["interests"] == ["Media and press", "Events and gatherings, Media and press"]
    run = run_import(text)
    assert counts(run) == (0, 1, 0, 0)
    known.refresh_from_db()
    assert (known.name, known.district.code) == ("Sana Riaz Khan", "pb-lahore")
    assert (known.email, known.sex, known.level, known.notes) == (
        "sana@example.org",
        "female",
        "active",
        "Met at the Kasur seminar.",
    )
    assert set(known.interests.values_list("code", flat=True)) == {"media", "events"}
    assert known.consent_text.version == "2026-11"
    assert Volunteer.objects.count() == 1
    line = known.interactions.get(kind=Interaction.Kind.IMPORTED)
    assert "name" in line.text and "district" in line.text and "interests" in line.text
    assert known.history.first().history_change_reason.startswith("import #")
    assert counts(run_import(text)) == (0, 0, 1, 0)


def test_an_organiser_imports_only_inside_their_regions(network, volunteer_in):
    volunteer_in("sd-karachi-south", name="Zara", phone="+923332222222")
    text = """name,phone,district
In Lahore,0300-1111111,Lahore
In Karachi,0300-2222222,Karachi South
Zara moved?,0333-2222222,Lahore
"""
    run = run_import(text, user=network.lahore)
    assert run.status == ImportRun.Status.DONE, run.message
    assert counts(run) == (1, 0, 0, 2)
    errors = errors_by_row(run)
    assert "outside your regions" in errors[3]
    assert "belongs to a volunteer outside your regions" in errors[4]
    assert Volunteer.objects.get(phone="+923332222222").district.code == "sd-karachi-south"


def test_consent_wording_option(network):
    text = "name,phone,district\nSana,0300-1234567,Lahore\n"
    run = run_import(text, options={"consent_version": "1999-01"})
    assert run.status == ImportRun.Status.FAILED
    assert "There is no consent wording 1999-01" in run.message
    assert not Volunteer.objects.exists()


def test_specialists_cannot_import_supporters(make_user, network):
    run = run_import("name,phone,district\nSana,0300-1234567,Lahore\n", user=make_user("specialist"))
    assert run.status == ImportRun.Status.FAILED
    assert not Volunteer.objects.exists()


def test_the_upload_page_says_to_import_only_people_who_agreed(client, network):
    client.force_login(network.lahore)
    html = client.get("/imports/new/").content.decode()
    assert "Volunteers and supporters" in html
    assert "Import only people who agreed to be contacted" in html


@pytest.mark.parametrize(
    "text",
    [
        "0300-1234567",
        "+92 300 1234567",
        "3001234567",
        "0092 300 1234567",
        "(0300) 123-4567",
        "0355 1234567",
        "0364 1234567",
        "0350 1234567",
        "0338 1234567",
        "0399 1234567",
        "+44 7700 900123",
        "923001234567",
        "0300 123 4567",
        "+92 0300 1234567",
        "0300-12345678",
        "03001234567 ",
        "+92-300-1234567",
    ],
)
def test_the_fast_number_check_agrees_with_the_forms(text):
    try:
        expected = mobile_number(text).as_e164
    except Exception as exc:  # noqa: BLE001 - compared, not hidden
        expected = type(exc)
    try:
        got = fast_mobile(text)
    except Exception as exc:  # noqa: BLE001
        got = type(exc)
    assert got == expected


def test_routing_computed_for_the_whole_file_agrees_with_organiser_for(network):
    from muhim.geography.models import Area
    from muhim.network.services import organiser_for
    from muhim.people.importers import SupportersImporter

    districts = list(Area.objects.districts())
    routed = SupportersImporter._organisers_by_district(districts)
    expected = {d.pk: getattr(organiser_for(d).holder, "pk", None) for d in districts}
    assert routed == expected
    assert routed[Area.objects.get(code="pb-kasur").pk] == network.lahore.pk
    assert routed[Area.objects.get(code="pb-rajanpur").pk] is None


def test_new_volunteers_are_completed_also_when_their_keys_are_not_consecutive(network, volunteer_in):
    from muhim.people.importers import SupportersImporter

    first, between, last = (volunteer_in("pb-kasur", consent_at=None) for _ in range(3))
    importer = SupportersImporter(options={})
    importer.prepare()
    importer._complete_new([first.pk, last.pk])
    assert Volunteer.objects.get(pk=first.pk).consent_at == importer.now
    assert Volunteer.objects.get(pk=last.pk).consent_at == importer.now
    assert Volunteer.objects.get(pk=between.pk).consent_at is None
    assert sorted(Interaction.objects.filter(kind="imported").values_list("volunteer_id", flat=True)) == [
        first.pk,
        last.pk,
    ]


def test_an_import_uploaded_from_an_urdu_page_reports_in_urdu_wherever_it_runs(network):
    from django.utils import translation

    data = "Name,Mobile,District\nعائشہ,12345,Lahore\n".encode()
    with translation.override("ur"):
        run = create_run(importer_slug="supporters", data=data, filename="s.csv", user=None, source="web")
    assert run.language == "ur"
    with translation.override("en"):  # a worker has no request, so no language of its own
        execute(run, commit=False)
    run.refresh_from_db()
    message = errors_by_row(run)[2]
    assert re.search("[\u0600-\u06ff]", message.replace("12345", "")), message
    assert translation.get_language() == "en"  # the worker's own language is left as it was


def test_an_import_uploaded_from_an_english_page_reports_in_english(network):
    data = b"Name,Mobile,District\nAyesha,12345,Lahore\n"
    run = run_import(data, commit=False)
    assert run.language == "en"
    assert not re.search("[\u0600-\u06ff]", errors_by_row(run)[2])
