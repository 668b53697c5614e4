"""Importing demands with where each stands (importer `demands`) and parental bodies
(`parental-bodies`): a preview first, row errors with reasons, the services' rules, history
rows a status implies, figures that equal the demands, and a second import that changes
nothing."""

from datetime import timedelta

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from muhim.activities.tests.factories import district, sub_area
from muhim.core.imports.runner import create_run, execute
from muhim.core.models import ImportRun
from muhim.demands import services
from muhim.demands.models import Demand, DemandDistrictStat, DemandStat, DemandUpdate, ParentalBody
from muhim.geography.models import Area
from muhim.partners.models import Organisation

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = [TODAY - timedelta(days=n) for n in range(60)]


def run_import(slug, data, *, user=None, commit=True):
    if isinstance(data, str):
        data = data.encode("utf-8")
    run = create_run(importer_slug=slug, data=data, filename=f"{slug}.csv", user=user, source="command")
    execute(run, commit=commit)
    run.refresh_from_db()
    return run


def counts(run):
    return (run.created, run.updated, run.unchanged, run.errors)


def errors_by_row(run):
    return {e["row"]: " ".join(e["messages"]) for e in run.preview["errors"]}


def history(demand):
    return [(u.status, u.date) for u in demand.updates.order_by("date", "pk")]


def figures_equal_the_demands():
    """The dashboard's tables against direct aggregates of the demands."""
    monthly = DemandStat.objects.aggregate(
        raised=Sum("raised"),
        resolved=Sum("resolved"),
        spot=Sum("resolved_on_the_spot"),
        days=Sum("days_to_resolution"),
    )
    resolved = Demand.objects.filter(status="resolved", resolved_on__isnull=False)
    assert monthly["raised"] == Demand.objects.count()
    assert monthly["resolved"] == resolved.count()
    assert monthly["spot"] == resolved.filter(resolved_on_the_spot=True).count()
    assert monthly["days"] == sum(d.days_to_resolution for d in resolved)
    raw = {
        (r["district_id"], r["category"], r["status"]): r["n"]
        for r in Demand.objects.values("district_id", "category", "status").annotate(n=Count("pk")).order_by()
    }
    stored = {(s.district_id, s.category, s.status): s.demands for s in DemandDistrictStat.objects.all()}
    assert stored == raw
    by_category = dict(Demand.objects.values_list("category").annotate(n=Count("pk")).order_by())
    assert (
        dict(DemandStat.objects.values_list("category").annotate(n=Sum("raised")).order_by()) == by_category
    )


def demands_file():
    """Semicolons; UTF-8 rows (Urdu) and a row saved by Excel on Urdu Windows (cp1256)."""
    header = (
        b"Title;Category;District;School;EMIS;Authority;Authority name;Raised on;Status;Status since;"
        b"Follow up by;Published;Raised by name;Raised by phone\n"
    )
    utf8 = [
        f"A girls' middle school;Girls' school needed;Kasur;GPS Chak 12;35210123;education_officer;DEO (F) Kasur;{DAY[40]};;;{DAY[5]};yes;Shamim Bibi;0300-1234567\n",
        f"Two teachers;teachers;لاہور;GPS Shahdara;;Elected representative;MPA PP-150;{DAY[30]};submitted;{DAY[25]};;no;;\n",
        f"Boundary wall;Boundary wall;Lahore;GGPS Ravi Road;;education_officer;;{DAY[50]};resolved;{DAY[10]};;yes;Rafiq;+92 321 1111111\n",
        f"Toilets;toilets;sd-karachi-south;GGHS Lyari;;administration;;{DAY[20]};in progress;;;;;\n",
    ]
    # Urdu Windows' code page has the Arabic yeh (ي) where Urdu keyboards type ی.
    cp1256 = [
        f"پاني کا ٹينک;water;Kasur;GPS Pattoki;;education_officer;;{DAY[15]};raised;;;;نصرت;03451112223\n"
    ]
    return header + b"".join(r.encode("utf-8") for r in utf8) + b"".join(r.encode("cp1256") for r in cp1256)


def test_demands_import_with_their_history_after_a_preview(staff):
    preview = run_import("demands", demands_file(), commit=False, user=staff.office)
    assert preview.status == ImportRun.Status.PREVIEWED, preview.message
    assert counts(preview) == (5, 0, 0, 0), preview.preview["errors"]
    assert not Demand.objects.exists()
    warnings = " ".join(w for s in preview.preview["samples"]["create"] for w in s["warnings"])
    assert "No date is given for the status “In progress”" in warnings

    run = run_import("demands", demands_file(), user=staff.office)
    assert run.status == ImportRun.Status.DONE, run.message
    assert counts(run) == (5, 0, 0, 0)
    school = Demand.objects.get(title="A girls' middle school")
    assert (school.category, school.district.code, school.school_emis, school.is_published) == (
        "girls_school",
        "pb-kasur",
        "35210123",
        True,
    )
    assert (school.raised_by_name, school.raised_by_phone.as_e164, school.follow_up_on) == (
        "Shamim Bibi",
        "+923001234567",
        DAY[5],
    )
    assert (school.status, history(school)) == ("raised", [("raised", DAY[40])])
    assert (school.created_by, school.organiser) == (staff.office, staff.office)
    teachers = Demand.objects.get(title="Two teachers")
    assert (teachers.district.code, teachers.authority, teachers.status, teachers.status_on) == (
        "pb-lahore",
        "elected",
        "submitted",
        DAY[25],
    )
    assert history(teachers) == [("raised", DAY[30]), ("submitted", DAY[25])]
    wall = Demand.objects.get(title="Boundary wall")
    assert (wall.status, wall.resolved_on, wall.days_to_resolution) == ("resolved", DAY[10], 40)
    assert wall.raised_by_phone.as_e164 == "+923211111111"
    toilets = Demand.objects.get(title="Toilets")
    assert history(toilets) == [("raised", DAY[20]), ("in_progress", DAY[20])]
    water = Demand.objects.get(category="water")
    assert (water.title, water.raised_by_name, water.raised_by_phone.as_e164) == (
        "پاني کا ٹينک",
        "نصرت",
        "+923451112223",
    )
    assert Demand.history.filter(history_type="+", history_user=staff.office).count() == 5
    figures_equal_the_demands()


def test_importing_the_same_file_again_changes_nothing(staff):
    run_import("demands", demands_file(), user=staff.office)
    updates, records = DemandUpdate.objects.count(), Demand.history.count()
    figures = list(DemandStat.objects.values_list("month", "category", "raised", "resolved").order_by("pk"))
    again = run_import("demands", demands_file(), user=staff.office)
    assert counts(again) == (0, 0, 5, 0), again.preview["errors"]
    assert (DemandUpdate.objects.count(), Demand.history.count()) == (updates, records)
    assert (
        list(DemandStat.objects.values_list("month", "category", "raised", "resolved").order_by("pk"))
        == figures
    )


def test_a_file_that_moves_demands_on_adds_steps_through_the_service(staff):
    run_import("demands", demands_file(), user=staff.office)
    later = f"""title,category,district,school,authority,raised_on,status,status_on,follow_up_on,raised_by_phone
Two teachers,teachers,Lahore,GPS Shahdara,elected,{DAY[30]},resolved,{DAY[2]},,
A girls' middle school,girls_school,Kasur,GPS Chak 12,education_officer,{DAY[40]},,,{DAY[1]},
Boundary wall,boundary_wall,Lahore,GGPS Ravi Road,education_officer,{DAY[50]},in_progress,,,
Toilets,toilets,Karachi South,GGHS Lyari,administration,{DAY[20]},submitted,{DAY[20]},,0300-7777777
"""
    preview = run_import("demands", later, commit=False, user=staff.office)
    assert counts(preview) == (0, 2, 0, 2), preview.preview["errors"]
    changes = {s["label"].split(" (")[0]: s["changes"] for s in preview.preview["samples"]["update"]}
    assert changes["Two teachers"] == {"status": ["submitted", "resolved"]}
    assert changes["A girls' middle school"] == {"follow_up_on": [str(DAY[5]), str(DAY[1])]}
    errors = errors_by_row(preview)
    assert "A demand that is “Resolved” cannot become “In progress”." in errors[4]
    assert "A demand that is “In progress” cannot become “Submitted to the authority”." in errors[5]

    run = run_import("demands", later, user=staff.office)
    assert counts(run) == (0, 2, 0, 2)
    teachers = Demand.objects.get(title="Two teachers")
    assert (teachers.status, teachers.resolved_on) == ("resolved", DAY[2])
    assert history(teachers) == [("raised", DAY[30]), ("submitted", DAY[25]), ("resolved", DAY[2])]
    assert Demand.objects.get(title="A girls' middle school").raised_by_phone.as_e164 == "+923001234567"
    figures_equal_the_demands()
    # The first file again: its statuses are in the history already; nothing goes back.
    again = run_import("demands", demands_file(), user=staff.office)
    assert again.updated == 1 and again.errors == 0  # only the follow-up date of the school, set back
    note = " ".join(w for s in again.preview["samples"]["unchanged"] for w in s["warnings"])
    assert "The demand has moved on since this file said “Submitted to the authority”" in note
    assert Demand.objects.get(title="Two teachers").status == "resolved"


BAD_ROWS = f"""title,category,district,school,authority,raised_on,status,status_on,raised_by_phone
Good,teachers,Kasur,GPS 1,education_officer,{DAY[3]},,,
Future,teachers,Kasur,GPS 2,education_officer,{TODAY + timedelta(days=3)},,,
Bad phone,teachers,Kasur,GPS 3,education_officer,{DAY[3]},,,12345
Landline,teachers,Kasur,GPS 4,education_officer,{DAY[3]},,,042-35761234
Roads,roads,Kasur,GPS 5,education_officer,{DAY[3]},,,
Karachi,teachers,Karachi South,GPS 6,education_officer,{DAY[3]},,,
Before,teachers,Kasur,GPS 7,education_officer,{DAY[3]},resolved,{DAY[9]},
Nobody,teachers,Kasur,GPS 8,the king,{DAY[3]},,,
Unknown status,teachers,Kasur,GPS 9,education_officer,{DAY[3]},done,,
,teachers,Kasur,GPS 10,education_officer,{DAY[3]},,,
No day,teachers,Kasur,GPS 11,education_officer,,,,
"""


def test_bad_rows_are_rejected_with_a_reason_and_the_good_ones_imported(staff):
    run = run_import("demands", BAD_ROWS, user=staff.lahore)
    assert run.status == ImportRun.Status.DONE, run.message
    assert counts(run) == (1, 0, 0, 10), run.preview["errors"]
    errors = errors_by_row(run)
    assert "The day it was raised cannot be in the future." in errors[3]
    assert "Enter a mobile number like 0300 1234567" in errors[4]
    assert "landline" in errors[5]
    assert "The category 'roads' is not one of" in errors[6]
    assert "Karachi South is outside your regions (Lahore)" in errors[7]
    assert "is before the day it was raised" in errors[8]
    assert "The responsible authority 'the king' is not one of" in errors[9]
    assert "The status 'done' is not one of" in errors[10]
    assert "The demand (title) is empty" in errors[11]
    assert "The day it was raised is empty" in errors[12]
    good = Demand.objects.get()
    assert (good.title, good.organiser, history(good)) == ("Good", staff.lahore, [("raised", DAY[3])])
    figures_equal_the_demands()


def test_specialists_cannot_import_demands(staff):
    run = run_import(
        "demands",
        f"title,category,district,authority,raised_on\nX,teachers,Kasur,education_officer,{DAY[3]}\n",
        user=staff.specialist,
    )
    assert run.status == ImportRun.Status.FAILED and "not allowed" in run.message


def test_figures_equal_the_demands_after_imports_and_service_writes(staff):
    services.record_demand(
        demand=Demand(
            title="Already there",
            category="teachers",
            district=district("pb-kasur"),
            authority="education_officer",
            raised_on=DAY[12],
        ),
        user=staff.lahore,
        note="",
    )
    lines = ["title,category,district,school,authority,raised_on,status,status_on"]
    statuses = ["raised", "submitted", "resolved", "rejected", "stalled", "acknowledged"]
    for i in range(36):
        status = statuses[i % 6]
        raised = DAY[45 - i]
        lines.append(
            f"Demand {i},{['teachers', 'water', 'toilets'][i % 3]},{['Kasur', 'Lahore', 'Sheikhupura'][i % 3]},"
            f"GPS {i},education_officer,{raised},{status},{raised + timedelta(days=i % 4)}"
        )
    run = run_import("demands", "\n".join(lines) + "\n", user=staff.lahore)
    assert counts(run) == (36, 0, 0, 0), run.preview["errors"]
    figures_equal_the_demands()


# --- parental bodies ----------------------------------------------------------------------------


def test_parental_bodies_import_with_their_union_councils_and_partners(staff):
    kasur = district("pb-kasur")
    tehsil = sub_area("pb-kasur-kasur", Area.Level.TEHSIL, "Kasur Tehsil", kasur)
    sub_area("pb-kasur-uc-12", Area.Level.UNION_COUNCIL, "Kot Radha Kishan", tehsil)
    sub_area("sd-karachi-south-uc-1", Area.Level.UNION_COUNCIL, "Lyari 1", district("sd-karachi-south"))
    text = """name,level,district,union council,partner,formed on
UC 12 parents' body,union council,Kasur,Kot Radha Kishan,NRSP,2025-03-01
Kasur district parents' forum,district,Kasur,,Rural Support Programmes Network,
Inferred level,,Kasur,pb-kasur-uc-12,,
UC needed,uc,Kasur,,,
Wrong UC,union council,Kasur,Lyari 1,,
Karachi body,district,Karachi South,,,
"""
    preview = run_import("parental-bodies", text, commit=False, user=staff.lahore)
    assert counts(preview) == (3, 0, 0, 3), preview.preview["errors"]
    assert not ParentalBody.objects.exists() and not Organisation.objects.exists()
    run = run_import("parental-bodies", text, user=staff.lahore)
    assert counts(run) == (3, 0, 0, 3)
    errors = errors_by_row(run)
    assert "A union-council body needs its union council." in errors[5]
    assert "'Lyari 1' is not a union council of Kasur." in errors[6]
    assert "Karachi South is outside your regions (Lahore)" in errors[7]
    uc_body = ParentalBody.objects.get(name="UC 12 parents' body")
    assert (uc_body.level, uc_body.union_council.code, uc_body.partner.name, str(uc_body.formed_on)) == (
        "union_council",
        "pb-kasur-uc-12",
        "NRSP",
        "2025-03-01",
    )
    assert uc_body.organiser == staff.lahore
    assert ParentalBody.objects.get(name="Inferred level").level == "union_council"
    assert ParentalBody.objects.get(name="Kasur district parents' forum").union_council is None
    assert Organisation.objects.count() == 2
    again = run_import("parental-bodies", text, user=staff.lahore)
    assert counts(again) == (0, 0, 3, 3)
    changed = text.replace(
        "UC 12 parents' body,union council,Kasur,Kot Radha Kishan,NRSP",
        "UC 12 parents' body,union council,Kasur,Kot Radha Kishan,ITA",
    )
    assert counts(run_import("parental-bodies", changed, user=staff.lahore))[:2] == (0, 1)
    assert ParentalBody.objects.get(name="UC 12 parents' body").partner.name == "ITA"


def test_an_export_of_the_api_imports_back_unchanged(staff):
    from rest_framework.test import APIClient

    run_import("demands", demands_file(), user=staff.office)
    client = APIClient()
    client.force_authenticate(staff.office)
    exported = client.get("/api/v1/demands/", {"format": "csv"}).content
    again = run_import("demands", exported, user=staff.office)
    assert counts(again) == (0, 0, 5, 0), again.preview["errors"]
