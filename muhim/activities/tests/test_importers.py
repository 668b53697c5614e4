"""Importing activities (importer `activities`) and caravans' stops (`caravan-stops`): a preview
first, row errors with reasons, the same rules as the services, figures that equal the
activities after every import, and a second import of the same file that changes nothing."""

from datetime import date, timedelta

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from muhim.activities import services, stats
from muhim.activities.models import Activity, ActivityDistrictStat, ActivityStat, ActivityType, CaravanStop
from muhim.activities.tests.factories import ActivityFactory, district
from muhim.core.imports.registry import importers_for
from muhim.core.imports.runner import create_run, execute
from muhim.core.models import ImportRun
from muhim.partners.models import Organisation

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def run_import(slug, data, *, user=None, commit=True, filename=None):
    if isinstance(data, str):
        data = data.encode("utf-8")
    run = create_run(
        importer_slug=slug, data=data, filename=filename or f"{slug}.csv", user=user, source="command"
    )
    execute(run, commit=commit)
    run.refresh_from_db()
    return run


def counts(run):
    return (run.created, run.updated, run.unchanged, run.errors)


def errors_by_row(run):
    return {e["row"]: " ".join(e["messages"]) for e in run.preview["errors"]}


def figures_equal_the_activities():
    """The dashboard's tables against direct aggregates of the activities."""
    sums = {
        "n": Count("pk"),
        "women": Sum("women"),
        "men": Sum("men"),
        "girls": Sum("girls"),
        "boys": Sum("boys"),
    }
    raw = {
        (r["kind"], r["status"]): (r["n"], r["women"] or 0, r["men"] or 0, r["girls"] or 0, r["boys"] or 0)
        for r in Activity.objects.values("kind", "status").annotate(**sums).order_by()
    }
    for model in (ActivityStat, ActivityDistrictStat):
        figures = {
            (r["kind"], r["status"]): (r["n"], r["women"], r["men"], r["girls"], r["boys"])
            for r in model.objects.values("kind", "status")
            .annotate(
                n=Sum("activities"), women=Sum("women"), men=Sum("men"), girls=Sum("girls"), boys=Sum("boys")
            )
            .order_by()
        }
        assert figures == raw, model.__name__
    by_district = dict(Activity.objects.values_list("district_id").annotate(n=Count("pk")).order_by())
    stored = dict(
        ActivityDistrictStat.objects.values_list("district_id").annotate(n=Sum("activities")).order_by()
    )
    assert stored == by_district


def mixed_file():
    """Semicolons; UTF-8 rows (Urdu district and title) and rows saved by Excel on English
    Windows (cp1252); partners separated by ';' inside a quoted cell."""
    header = b"Type;Title;Start;End;District;Venue;Status;Women;Men;Girls;Boys;Public;Organiser;Partners\n"
    utf8 = [
        'Kuli Katchehri;کلی کچہری قصور;2026-11-12;;قصور;Town Hall;held;40;25;3;0;yes;rco-lahore;"ITA; Rural Support Programmes Network"\n',
        "seminar;Girls' schooling seminar;12/11/2026;13/11/2026;Lahore;Alhamra;;120;80;;;no;;\n",
        "Theatre;Theatre in Lyari;2027-01-20;;sd-karachi-south;;;;;;;yes;;\n",
    ]
    cp1252 = [
        "school_visit;Visit to GGHS Chak 5;2026-10-01;;Qasur;Café corner school;held;1,200;40.0;12;8;;;ITA\n",
    ]
    return header + b"".join(r.encode("utf-8") for r in utf8) + b"".join(r.encode("cp1252") for r in cp1252)


def test_a_csv_with_mixed_encodings_and_semicolons_imports_after_a_preview(staff):
    preview = run_import("activities", mixed_file(), commit=False, user=staff.office)
    assert preview.status == ImportRun.Status.PREVIEWED, preview.message
    assert counts(preview) == (4, 0, 0, 0), preview.preview["errors"]
    assert "semicolons" in " ".join(preview.preview["notes"])
    warnings = " ".join(w for s in preview.preview["samples"]["create"] for w in s["warnings"])
    assert "ITA is not in the list of organisations yet; it will be added." in warnings
    assert not Activity.objects.exists() and not Organisation.objects.exists()  # a preview stores nothing

    run = run_import("activities", mixed_file(), user=staff.office)
    assert run.status == ImportRun.Status.DONE, run.message
    assert counts(run) == (4, 0, 0, 0)
    katchehri = Activity.objects.get(title="کلی کچہری قصور")
    assert (katchehri.kind, katchehri.district.code, katchehri.status, katchehri.attendance) == (
        "kuli_katchehri",
        "pb-kasur",
        "held",
        68,
    )
    assert (katchehri.is_public, katchehri.organiser, katchehri.created_by) == (
        True,
        staff.lahore,
        staff.office,
    )
    assert sorted(katchehri.partners.values_list("name", flat=True)) == [
        "ITA",
        "Rural Support Programmes Network",
    ]
    seminar = Activity.objects.get(title="Girls' schooling seminar")
    assert (seminar.start_date, seminar.end_date, seminar.status, seminar.is_public) == (
        date(2026, 11, 12),
        date(2026, 11, 13),
        "held",  # no status given, and the day is past
        False,
    )
    assert Activity.objects.get(title="Theatre in Lyari").status == "planned"  # still to come
    visit = Activity.objects.get(title="Visit to GGHS Chak 5")
    assert (visit.venue, visit.women, visit.men, visit.district.code) == (
        "Café corner school",
        1200,
        40,
        "pb-kasur",
    )
    assert list(visit.partners.all()) == [Organisation.objects.get(name="ITA")]
    assert Organisation.objects.count() == 2
    # Each has a history record saying who imported it.
    assert Activity.history.filter(history_type="+", history_user=staff.office).count() == 4
    assert Activity.history.first().history_change_reason.startswith("import #")
    figures_equal_the_activities()


def test_importing_the_same_file_again_changes_nothing(staff):
    run_import("activities", mixed_file(), user=staff.office)
    history = Activity.history.count()
    figures = list(
        ActivityStat.objects.values_list("month", "kind", "status", "activities", "women").order_by("pk")
    )
    again = run_import("activities", mixed_file(), user=staff.office)
    assert counts(again) == (0, 0, 4, 0), again.preview["errors"]
    assert Activity.objects.count() == 4 and Organisation.objects.count() == 2
    assert Activity.history.count() == history
    assert (
        list(
            ActivityStat.objects.values_list("month", "kind", "status", "activities", "women").order_by("pk")
        )
        == figures
    )


def test_a_changed_row_updates_the_activity_through_the_service_and_the_figures_follow(staff):
    run_import("activities", mixed_file(), user=staff.office)
    changed = """type,title,start,district,status,women,partners
Kuli Katchehri,کلی کچہری قصور,2026-11-12,pb-kasur,cancelled,55,NRSP
seminar,Girls' schooling seminar,2026-11-12,pb-lahore,,,
"""
    preview = run_import("activities", changed, commit=False, user=staff.office)
    assert counts(preview) == (0, 1, 1, 0), preview.preview["errors"]
    change = preview.preview["samples"]["update"][0]["changes"]
    assert change["status"] == ["held", "cancelled"]
    assert change["women"] == ["40", "55"]
    assert change["partners"] == [
        "ITA, Rural Support Programmes Network",
        "ITA, NRSP, Rural Support Programmes Network",
    ]
    run = run_import("activities", changed, user=staff.office)
    assert counts(run) == (0, 1, 1, 0)
    katchehri = Activity.objects.get(title="کلی کچہری قصور")
    assert (katchehri.status, katchehri.women, katchehri.men, katchehri.venue) == (
        "cancelled",
        55,
        25,
        "Town Hall",
    )
    assert katchehri.partners.count() == 3  # partners add up; empty cells erase nothing
    assert katchehri.history.first().history_change_reason.startswith("import #")
    figures_equal_the_activities()
    assert counts(run_import("activities", changed, user=staff.office)) == (0, 0, 2, 0)


BAD_ROWS = """type,title,start,end,district,women,men,girls,boys,organiser,public
seminar,Good one,2026-11-01,,Lahore,10,,,,,
seminar,Atlantis seminar,2026-11-01,,Atlantis,,,,,,
seminar,Backwards,2026-11-05,2026-11-01,Lahore,,,,,,
seminar,Negative,2026-11-01,,Lahore,-3,,,,,
seminar,Words,2026-11-01,,Lahore,many,,,,,
picnic,Unknown type,2026-11-01,,Lahore,,,,,,
seminar,Karachi one,2026-11-01,,Karachi South,,,,,,
seminar,Bad date,31/31/2026,,Lahore,,,,,,
seminar,,2026-11-01,,Lahore,,,,,,
seminar,Nobody,2026-11-01,,Lahore,,,,,nosuchuser,
seminar,Maybe,2026-11-01,,Lahore,,,,,,perhaps
seminar,Chitral,2026-11-01,,Chitral,,,,,,
"""


def test_bad_rows_are_rejected_with_a_reason_and_the_good_ones_imported(staff):
    run = run_import("activities", BAD_ROWS, user=staff.lahore)
    assert run.status == ImportRun.Status.DONE, run.message
    assert counts(run) == (1, 0, 0, 11), run.preview["errors"]
    errors = errors_by_row(run)
    assert "Unknown district 'Atlantis'" in errors[3]
    assert "cannot end (2026-11-01) before it starts (2026-11-05)" in errors[4]
    assert "Women cannot be negative (-3)" in errors[5]
    assert "Women must be a whole number, not 'many'" in errors[6]
    assert "The type 'picnic' is not one of" in errors[7]
    assert "Karachi South is outside your regions (Lahore)" in errors[8]
    assert "'31/31/2026' is not a date" in errors[9]
    assert "The title is empty" in errors[10]
    assert "There is no staff account 'nosuchuser'" in errors[11]
    assert "'perhaps' is neither yes nor no" in errors[12]
    assert "split into Lower Chitral, Upper Chitral" in errors[13]
    good = Activity.objects.get()
    assert (good.title, good.women, good.organiser) == (
        "Good one",
        10,
        staff.lahore,
    )  # the importing organiser
    assert run.rejected_file
    figures_equal_the_activities()


def test_rows_repeated_in_a_file_are_counted_once(staff):
    text = """type,title,start,district,women
seminar,Seminar,2026-11-01,Lahore,10
seminar,Seminar,2026-11-01,lahore,10
seminar,Seminar,2026-11-01,pb-lahore,12
"""
    run = run_import("activities", text, user=staff.office)
    assert (run.created, run.unchanged, run.errors) == (1, 1, 1)
    assert "already appears in row 2 with different values" in errors_by_row(run)[4]


def test_who_may_import_activities(staff):
    assert "activities" in {cls.slug for cls in importers_for(staff.specialist)}
    assert "activities" not in {cls.slug for cls in importers_for(staff.partner)}
    run = run_import(
        "activities", "type,title,start,district\nseminar,X,2026-11-01,Lahore\n", user=staff.partner
    )
    assert run.status == ImportRun.Status.FAILED and "not allowed" in run.message
    assert not Activity.objects.exists()


def test_figures_stay_right_across_chunks_of_a_large_file(staff, monkeypatch):
    from muhim.activities.importers import ActivityImporter

    monkeypatch.setattr(ActivityImporter, "chunk_size", 7)
    ActivityFactory(title="Already there", district=district("pb-kasur"), women=5)
    stats.rebuild()
    lines = ["type,title,start,district,status,women,men,girls,boys"]
    kinds = ["seminar", "theatre", "rally", "school_visit"]
    for i in range(40):
        day = date(2026, 8, 1) + timedelta(days=3 * i)
        place = ["Lahore", "Kasur", "Sheikhupura", "Nankana Sahib"][i % 4]
        status = ["held", "planned", "cancelled"][i % 3]
        lines.append(f"{kinds[i % 4]},Activity {i},{day},{place},{status},{i},{i % 5},{i % 3},{i % 2}")
    run = run_import("activities", "\n".join(lines) + "\n", user=staff.lahore)
    assert counts(run) == (40, 0, 0, 0), run.preview["errors"]
    figures_equal_the_activities()


# --- caravans' stops ----------------------------------------------------------------------------


@pytest.fixture
def caravan(staff):
    return services.save_activity(
        activity=Activity(
            kind=ActivityType.CARAVAN,
            title="15 districts in 15 days",
            start_date=date(2026, 11, 1),
            end_date=date(2026, 11, 15),
            district=district("pb-lahore"),
        ),
        user=staff.office,
    )


PUNJAB = [
    "Lahore",
    "Kasur",
    "Okara",
    "Sahiwal",
    "Pakpattan",
    "Vehari",
    "Multan",
    "Lodhran",
    "Bahawalpur",
    "Rahim Yar Khan",
    "Rajanpur",
    "Dera Ghazi Khan",
    "Muzaffargarh",
    "Khanewal",
    "Faisalabad",
]


def itinerary(caravan_ref="15 districts in 15 days"):
    lines = ["caravan,stop,date,district,venue"]
    lines += [
        f"{caravan_ref},{n},2026-11-{n:02d},{name},Main chowk" for n, name in enumerate(PUNJAB, start=1)
    ]
    return "\n".join(lines) + "\n"


def test_a_15_stop_itinerary_imports_in_order_and_again_changes_nothing(staff, caravan):
    preview = run_import("caravan-stops", itinerary(), commit=False, user=staff.office)
    assert counts(preview) == (15, 0, 0, 0), preview.preview["errors"]
    assert not CaravanStop.objects.exists()
    run = run_import("caravan-stops", itinerary(), user=staff.office)
    assert counts(run) == (15, 0, 0, 0), run.preview["errors"]
    stops = list(caravan.stops.select_related("district").order_by("sequence"))
    assert [s.district.name for s in stops] == PUNJAB
    assert [s.date.day for s in stops] == list(range(1, 16))
    progress = services.caravan_progress(caravan)
    assert (progress.stops, progress.districts, progress.days) == (15, 15, 15)
    assert counts(run_import("caravan-stops", itinerary(str(caravan.pk)), user=staff.office)) == (0, 0, 15, 0)
    # A stop moved to another venue is an update through the service.
    changed = itinerary().replace("2026-11-03,Okara,Main chowk", "2026-11-03,Okara,Company Bagh")
    assert counts(run_import("caravan-stops", changed, user=staff.office)) == (0, 1, 14, 0)
    assert caravan.stops.get(sequence=3).venue == "Company Bagh"
    assert CaravanStop.objects.count() == 15


def test_stop_rows_break_no_caravan_rule(staff, caravan):
    seminar = ActivityFactory(title="A seminar", district=district("pb-lahore"))
    run_import(
        "caravan-stops",
        "caravan,stop,date,district\n15 districts in 15 days,5,2026-11-05,Lahore\n",
        user=staff.office,
    )
    text = f"""caravan,stop,date,district
15 districts in 15 days,6,2026-11-06,Kasur
15 districts in 15 days,7,2026-11-20,Kasur
15 districts in 15 days,8,2026-11-04,Kasur
15 districts in 15 days,2,2026-11-02,Kasur
15 districts in 15 days,9,2026-11-09,Karachi South
{seminar.pk},1,2026-11-10,Lahore
The other caravan,1,2026-11-01,Lahore
15 districts in 15 days,none,2026-11-10,Lahore
"""
    run = run_import("caravan-stops", text, user=staff.lahore)
    assert counts(run) == (1, 0, 0, 7), run.preview["errors"]
    errors = errors_by_row(run)
    assert "The caravan runs from 2026-11-01 to 2026-11-15; this stop's date is outside it." in errors[3]
    assert "Stop 5 is on 2026-11-05; stops follow each other in date order." in errors[4]
    assert "Stop 2 would come before stop 5, which is already on the itinerary" in errors[5]
    assert "Karachi South is outside your regions (Lahore)" in errors[6]
    assert f"Activity {seminar.pk} is not a caravan" in errors[7]
    assert "There is no caravan called 'The other caravan'" in errors[8]
    assert "The stop number must be 1 or more" in errors[9]
    assert list(caravan.stops.order_by("sequence").values_list("sequence", flat=True)) == [5, 6]


def test_an_export_of_the_api_imports_back_unchanged(staff):
    from rest_framework.test import APIClient

    run_import("activities", mixed_file(), user=staff.office)
    client = APIClient()
    client.force_authenticate(staff.office)
    exported = client.get("/api/v1/activities/", {"format": "csv"}).content
    again = run_import("activities", exported, user=staff.office)
    assert counts(again) == (0, 0, 4, 0), again.preview["errors"]
