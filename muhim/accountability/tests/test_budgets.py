"""Education budgets: the rules of the figures (fiscal year, GDP, allocation) on the form, the
importer and the API alike; the public page with its table and chart against the 4% target;
who may change budgets; the `education-budgets` importer; `latest_budget_shares`; the demo."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from muhim.accountability import demo_evidence
from muhim.accountability import evidence_services as services
from muhim.accountability.models import EducationBudget

from . import test_surveys
from .test_surveys import api_as, client_as, counts, errors_by_row, run_import

pytestmark = pytest.mark.django_db
staff = test_surveys.staff  # the fixture
G = EducationBudget.Government


def budget(government, year, allocation, gdp=1000):
    return services.save_budget(
        budget=EducationBudget(
            government=government,
            fiscal_year=year,
            education_allocation=Decimal(str(allocation)),
            gdp=Decimal(gdp),
        )
    )


# --- the rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2018-19", "2018-19"), ("2018-2019", "2018-19"), ("FY 2018/19", "2018-19"), ("1999-00", "1999-00")],
)
def test_a_fiscal_year_is_written_one_way(text, expected):
    assert services.fiscal_year(text) == expected


@pytest.mark.parametrize("text", ["2018", "2018-20", "2019-18", "18-19", "2018-2020", "twenty"])
def test_a_fiscal_year_of_years_that_do_not_follow_each_other_is_refused(text):
    with pytest.raises(ValidationError):
        services.fiscal_year(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Punjab", G.PUNJAB),
        ("KP", G.KHYBER_PAKHTUNKHWA),
        ("Khyber Pakhtunkhwa", G.KHYBER_PAKHTUNKHWA),
        ("پنجاب", G.PUNJAB),
        ("Federal", G.FEDERAL),
        ("federal government", G.FEDERAL),
        ("Balochistan", G.BALOCHISTAN),
        ("sindh", G.SINDH),
        ("All", G.ALL),
        ("Pakistan (all governments)", G.ALL),
    ],
)
def test_a_government_is_found_by_its_names(text, expected):
    assert services.government_named(text) == expected


def test_an_unknown_government_is_named_in_the_message():
    with pytest.raises(ValidationError, match="'Gilgit' is not a government"):
        services.government_named("Gilgit")


def test_the_share_of_gdp_and_the_target():
    punjab = budget(G.PUNJAB, "2018-19", 40)
    assert punjab.share_of_gdp == Decimal("4.00") and punjab.meets_target
    assert not budget(G.SINDH, "2018-19", 39.9).meets_target


# --- the form -------------------------------------------------------------------------------------------


def form(**overrides):
    data = {
        "government": "pb",
        "fiscal_year": "2018-19",
        "education_allocation": "400000",
        "gdp": "38000000",
        "source_url": "",
        "note": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"fiscal_year": "2018-20"},
            "fiscal_year",
            "runs from July of one year to June of the next, e.g. 2018-19",
        ),
        ({"fiscal_year": "2018"}, "fiscal_year", "write it as 2018-19"),
        ({"education_allocation": "-5"}, "education_allocation", "cannot be negative"),
        ({"gdp": "0"}, "gdp", "must be more than zero"),
        ({"education_allocation": "40000000"}, "education_allocation", "larger than the GDP"),
    ],
)
def test_the_form_says_what_is_wrong_next_to_the_field(client, staff, overrides, field, message):
    response = client_as(client, staff.specialist).post(
        reverse("accountability:budget-create"), form(**overrides)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not EducationBudget.objects.exists()


def test_a_budget_is_recorded_once_per_government_and_year(client, staff):
    client_as(client, staff.specialist)
    response = client.post(reverse("accountability:budget-create"), form(fiscal_year="2018-2019"))
    assert response.status_code == 302
    stored = EducationBudget.objects.get()
    assert stored.fiscal_year == "2018-19" and stored.share_of_gdp == Decimal("1.05")
    again = client.post(reverse("accountability:budget-create"), form())
    assert "Punjab already has a budget for 2018-19" in " ".join(again.context["form"].errors["fiscal_year"])
    edited = client.post(
        reverse("accountability:budget-edit", args=[stored.pk]), form(education_allocation="1520000")
    )
    assert edited.status_code == 302
    stored.refresh_from_db()
    assert stored.meets_target


# --- the page and who may change it ------------------------------------------------------------------


def test_the_budget_page_is_public_and_read_only_for_those_who_may_not_change_it(client, staff):
    stored = budget(G.PUNJAB, "2018-19", 50)
    page = client.get(reverse("accountability:budget-list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="budget-chart"' in html and 'id="target-line"' in html
    assert reverse("accountability:budget-edit", args=[stored.pk]) not in html
    login = client.get(reverse("accountability:budget-create"))
    assert login.status_code == 302 and reverse("accounts:login") in login["Location"]
    client_as(client, staff.lahore)
    denied = client.get(reverse("accountability:budget-edit", args=[stored.pk]))
    assert (
        denied.status_code == 403
        and "may read education budgets but not record or change them" in denied.content.decode()
    )
    client.logout()
    client_as(client, staff.office)
    assert (
        reverse("accountability:budget-edit", args=[stored.pk])
        in client.get(reverse("accountability:budget-list")).content.decode()
    )


def test_the_table_and_chart_show_each_governments_share_against_4_percent(client):
    budget(G.PUNJAB, "2017-18", 30)
    budget(G.PUNJAB, "2018-19", 45)
    budget(G.FEDERAL, "2018-19", 20)
    page = client.get(reverse("accountability:budget-list"))
    rows = {(r.record.government, r.record.fiscal_year): r.record for r in page.context["table"].rows}
    assert rows[(G.PUNJAB, "2018-19")].meets_target and not rows[(G.FEDERAL, "2018-19")].meets_target
    chart = page.context["chart"]
    lines = {line["government"]: line for line in chart["lines"]}
    assert [p["share"] for p in lines[G.PUNJAB]["points"]] == [Decimal("3.00"), Decimal("4.50")]
    assert [p["year"] for p in lines[G.FEDERAL]["points"]] == ["2018-19"]
    # The target line is where a 4% point would be: between the 3% and the 4.5% points.
    punjab = lines[G.PUNJAB]["points"]
    assert punjab[1]["y"] < chart["target_y"] < punjab[0]["y"]
    # The last year's label ("2018-19", centred on its point) is not cut off at the edge.
    assert chart["x_ticks"][-1]["x"] + 24 <= chart["width"]
    filtered = client.get(reverse("accountability:budget-list"), {"government": "federal"})
    assert [r.record.government for r in filtered.context["table"].rows] == [G.FEDERAL]
    export = client.get(reverse("accountability:budget-list"), {"export": "csv"})
    exported = list(csv.DictReader(io.StringIO(b"".join(export).decode("utf-8-sig"))))
    assert {(r["Fiscal year"], r["Share of GDP (%)"], r["Meets 4%"]) for r in exported} == {
        ("2017-18", "3.00", "no"),
        ("2018-19", "4.50", "yes"),
        ("2018-19", "2.00", "no"),
    }
    assert "Edit" not in exported[0]


def test_an_empty_page_says_there_is_nothing_yet(client):
    assert 'id="no-budgets"' in client.get(reverse("accountability:budget-list")).content.decode()


# --- the dashboard's figures ---------------------------------------------------------------------------


def test_latest_budget_shares_give_each_governments_latest_year_and_its_trend():
    assert services.latest_budget_shares() == []
    budget(G.PUNJAB, "2016-17", 30)
    budget(G.PUNJAB, "2018-19", 42)
    budget(G.PUNJAB, "2017-18", 35)
    budget(G.ALL, "2017-18", 25)
    shares = services.latest_budget_shares()
    assert [s.government for s in shares] == [G.PUNJAB, G.ALL]
    punjab = shares[0]
    assert (punjab.fiscal_year, punjab.share, punjab.meets_target) == ("2018-19", Decimal("4.20"), True)
    assert punjab.series == [
        ("2016-17", Decimal("3.00")),
        ("2017-18", Decimal("3.50")),
        ("2018-19", Decimal("4.20")),
    ]
    assert (shares[1].fiscal_year, shares[1].meets_target) == ("2017-18", False)


# --- the importer ------------------------------------------------------------------------------------

BUDGET_FILE = """government,fiscal year,education allocation,gdp,note
Punjab,2018-19,"373,000","38,000,000",Budget statement
KP,2018-2019,150000,38000000,
پنجاب,2017-18,345000,34400000,
Federal,FY2018-19,97000,38000000,
"""


def test_importing_budgets_twice_changes_nothing(staff):
    run = run_import("education-budgets", BUDGET_FILE, staff.specialist)
    assert counts(run) == (4, 0, 0, 0)
    stored = EducationBudget.objects.get(government=G.KHYBER_PAKHTUNKHWA)
    assert stored.fiscal_year == "2018-19" and stored.education_allocation == Decimal("150000")
    assert EducationBudget.objects.get(government=G.PUNJAB, fiscal_year="2018-19").note == "Budget statement"
    again = run_import("education-budgets", BUDGET_FILE, staff.specialist)
    assert counts(again) == (0, 0, 4, 0)
    changed = run_import("education-budgets", BUDGET_FILE.replace("150000", "160000"), staff.specialist)
    assert counts(changed) == (0, 1, 3, 0)


def test_bad_budget_rows_are_refused_with_the_reason(staff):
    text = BUDGET_FILE + (
        "Gilgit,2018-19,100,1000,\n"
        "Sindh,2018-20,100,1000,\n"
        "Sindh,2018-19,-1,1000,\n"
        "Sindh,2018-19,2000,1000,\n"
        "Sindh,2018-19,100,0,\n"
    )
    run = run_import("education-budgets", text, staff.specialist)
    errors = errors_by_row(run)
    assert counts(run) == (4, 0, 0, 5)
    assert "'Gilgit' is not a government" in errors[6]
    assert "runs from July of one year to June of the next" in errors[7]
    assert "cannot be negative" in errors[8]
    assert "larger than the GDP" in errors[9]
    assert "more than zero" in errors[10]


def test_amounts_too_large_not_numbers_and_script_links_are_row_errors_and_the_pages_still_work(
    client, staff
):
    text = (
        "government,fiscal year,education allocation,gdp,source link\n"
        "Federal,2031-32,123456789012345678,999999999999999999999,\n"
        "Sindh,2018-19,NaN,38000000,\n"
        "Sindh,2019-20,100,Infinity,\n"
        "Sindh,2020-21,100,38000000,javascript:alert(document.cookie)\n"
        "Sindh,2021-22,100,38000000,https://www.finance.gov.pk/budget\n"
    )
    run = run_import("education-budgets", text, staff.specialist)
    errors = errors_by_row(run)
    assert run.status != "failed", run.message
    assert counts(run) == (1, 0, 0, 4)
    assert "too large: at most 12 digits" in errors[2]
    assert "'NaN' is not a number" in errors[3]
    assert "'Infinity' is not a number" in errors[4]
    assert "not a web address starting with http:// or https://" in errors[5]
    assert EducationBudget.objects.get().source_url == "https://www.finance.gov.pk/budget"
    client.force_login(staff.specialist)
    assert client.get(reverse("accountability:budget-list")).status_code == 200


def test_amounts_in_billions_are_stored_in_millions(staff):
    from muhim.core.imports.runner import create_run, execute

    run = create_run(
        importer_slug="education-budgets",
        data=b"government,fiscal year,education allocation,gdp\nSindh,2018-19,200,38000\n",
        filename="b.csv",
        user=staff.specialist,
        options={"unit": "billion"},
    )
    execute(run, commit=True)
    assert EducationBudget.objects.get().education_allocation == Decimal("200000")


def test_only_election_managers_may_import_budgets(staff):
    assert run_import("education-budgets", BUDGET_FILE, staff.lahore).status == "failed"
    assert not EducationBudget.objects.exists()


# --- the API -------------------------------------------------------------------------------------------


def test_the_api_gives_anyone_the_budgets_with_their_share_and_checks_writes(staff):
    budget(G.PUNJAB, "2018-19", 45)
    data = api_as().get("/api/v1/education-budgets/").json()["results"]
    assert [(b["government"], b["fiscal_year"], b["share_of_gdp"], b["meets_target"]) for b in data] == [
        ("pb", "2018-19", "4.50", True)
    ]
    body = {"government": "sd", "fiscal_year": "2018-2019", "education_allocation": "20", "gdp": "1000"}
    url = "/api/v1/education-budgets/"
    assert (
        api_as(staff.partner).post(url, json.dumps(body), content_type="application/json").status_code == 403
    )
    for bad, field in (
        ({"fiscal_year": "2018-20"}, "fiscal_year"),
        ({"gdp": "0"}, "gdp"),
        ({"education_allocation": "5000"}, "education_allocation"),
    ):
        refused = api_as(staff.specialist).post(
            url, json.dumps({**body, **bad}), content_type="application/json"
        )
        assert refused.status_code == 400 and field in refused.json(), refused.content
    created = api_as(staff.specialist).post(url, json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["fiscal_year"] == "2018-19" and created.json()["share_of_gdp"] == "2.00"
    twice = api_as(staff.specialist).post(url, json.dumps(body), content_type="application/json")
    assert twice.status_code == 400 and "already has a budget" in twice.json()["fiscal_year"][0]


# --- the demo ----------------------------------------------------------------------------------------


def test_the_demo_budgets_say_they_are_illustrative_and_load_once(gazetteer):
    demo_evidence.load()
    stored = EducationBudget.objects.count()
    assert stored and all("Illustrative" in b.note for b in EducationBudget.objects.all())
    demo_evidence.load()
    assert EducationBudget.objects.count() == stored


def test_the_demo_budgets_show_on_the_urdu_page_with_the_note(client, gazetteer):
    demo_evidence.load()
    page = client.get("/ur/budgets/")
    assert page.status_code == 200
    assert "Illustrative demo figures" in page.content.decode()


@pytest.mark.parametrize("prefix", ["", "/ur"])
def test_allocations_are_grouped_in_thousands_in_both_languages(client, prefix):
    budget(G.PUNJAB, "2018-19", 387600, gdp=38000000)
    html = client.get(f"{prefix}/budgets/").content.decode()
    table = html[html.index('id="budget-table"') :]
    assert "387,600" in table and "38,000,000" in table
