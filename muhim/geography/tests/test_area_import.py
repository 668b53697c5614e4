"""Importing tehsils and union councils (importer `areas`) under the shipped districts."""

import pytest
from django.urls import reverse

from muhim.core.imports.runner import create_run, execute
from muhim.core.models import ImportRun
from muhim.geography.models import Area

pytestmark = pytest.mark.django_db

TEHSILS = """level,name,name_ur,parent,latitude,longitude
tehsil,Lahore City,لاہور شہر,pb-lahore,31.58,74.33
tehsil,Lahore Cantt,لاہور کینٹ,Lahore,31.52,74.39
Tehsil,Model Town,ماڈل ٹاؤن,LAHORE,31.48,74.32
tehsil,Raiwind,رائیونڈ,pb-lahore,,
tehsil,Shalimar,شالیمار,Lahore District,31.59,74.38
taluka,Karachi South Taluka,,sd-karachi-south,,
"""

UNION_COUNCILS = """level,name,parent
union council,UC-1 Data Darbar,pb-lahore-lahore-city
Union Council,UC-2 Bhati Gate,Lahore City
UC,UC-3 Garhi Shahu,pb-lahore-lahore-cantt
union_council,UC-4 Nowhere,Ravi Town
"""


def run_import(text, *, user=None, commit=True, filename="areas.csv"):
    run = create_run(
        importer_slug="areas", data=text.encode(), filename=filename, user=user, source="command"
    )
    execute(run, commit=commit)
    run.refresh_from_db()
    return run


def errors_by_row(run):
    return {e["row"]: " ".join(e["messages"]) for e in run.preview["errors"]}


def test_tehsils_go_under_their_districts_by_code_or_name(gazetteer):
    run = run_import(TEHSILS)
    assert run.status == ImportRun.Status.DONE, run.message
    assert (run.created, run.errors) == (6, 0)
    tehsils = {a.code: a for a in Area.objects.filter(level="tehsil").select_related("parent", "province")}
    assert set(tehsils) == {
        "pb-lahore-lahore-city",
        "pb-lahore-lahore-cantt",
        "pb-lahore-model-town",
        "pb-lahore-raiwind",
        "pb-lahore-shalimar",
        "sd-karachi-south-karachi-south-taluka",
    }
    city = tehsils["pb-lahore-lahore-city"]
    assert (city.name, city.name_ur, city.parent.code, city.province.code) == (
        "Lahore City",
        "لاہور شہر",
        "pb-lahore",
        "pb",
    )
    assert city.path == "pb/pb-lahore-division/pb-lahore/pb-lahore-lahore-city"
    assert (float(city.centroid_lat), float(city.centroid_lon)) == (31.58, 74.33)
    assert tehsils["pb-lahore-raiwind"].centroid_lat is None
    assert gazetteer("pb-lahore").contains(city)
    assert tehsils["sd-karachi-south-karachi-south-taluka"].province.code == "sd"


def test_importing_the_same_file_again_changes_nothing(gazetteer):
    run_import(TEHSILS)
    run_import(UNION_COUNCILS)
    history = Area.history.count()
    again = run_import(TEHSILS)
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 6, 0)
    again = run_import(UNION_COUNCILS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Area.history.count() == history


def test_union_councils_go_under_tehsils_imported_before(gazetteer):
    run_import(TEHSILS)
    run = run_import(UNION_COUNCILS)
    assert run.created == 3
    ucs = dict(Area.objects.filter(level="union_council").values_list("code", "parent__code"))
    assert ucs == {
        "pb-lahore-lahore-city-uc-1-data-darbar": "pb-lahore-lahore-city",
        "pb-lahore-lahore-city-uc-2-bhati-gate": "pb-lahore-lahore-city",
        "pb-lahore-lahore-cantt-uc-3-garhi-shahu": "pb-lahore-lahore-cantt",
    }
    uc = Area.objects.get(code="pb-lahore-lahore-city-uc-1-data-darbar")
    assert uc.path.startswith("pb/pb-lahore-division/pb-lahore/pb-lahore-lahore-city/")
    assert uc in gazetteer("pb-lahore").descendants()
    assert "'Ravi Town' was not found" in errors_by_row(run)[5]


def test_a_union_council_before_its_tehsil_is_rejected_saying_to_import_tehsils_first(gazetteer):
    run = run_import(UNION_COUNCILS)
    errors = errors_by_row(run)
    assert sorted(errors) == [2, 3, 4, 5]
    assert "tehsil, which must be imported first" in errors[2]
    assert not Area.objects.filter(level="union_council").exists()


def test_a_union_council_under_a_district_is_rejected(gazetteer):
    run = run_import("level,name,parent\nunion council,UC-9,pb-lahore\n")
    assert "Lahore is a District; a Union council belongs to a Tehsil" in errors_by_row(run)[2]


def test_rows_people_get_wrong_are_rejected_with_reasons(gazetteer):
    text = (
        "level,name,parent,code,lat,lon\n"
        "district,Lahore North,pb-lahore,,,\n"  # 2: districts come from the gazetteer
        "tehsil,,pb-lahore,,,\n"  # 3
        "tehsil,Ravi,,,,\n"  # 4
        "tehsil,Ravi,pb-lahore,,91,74\n"  # 5
        "tehsil,Ravi,pb-lahore,,31.5,north\n"  # 6
        "tehsil,Ravi,pb-lahore,Ravi Town!,,\n"  # 7
        "tehsil,Ravi,pb-lahore,pb-lahore,,\n"  # 8: the district's own code
        "tehsil,راوی,pb-lahore,,,\n"  # 9: no English name, no code
        "tehsil,Ravi,Atlantis,,,\n"  # 10
        "tehsil,Ravi,pb-lahore,,31.55,74.3\n"  # 11: fine
        f"tehsil,{'Sub Division Number ' * 4},pb-lahore,,,\n"  # 12: the made-up code is too long
    )
    run = run_import(text)
    errors = errors_by_row(run)
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 12]
    assert "must be 'tehsil' or 'union council'" in errors[2]
    assert "The name is empty" in errors[3]
    assert "The parent is empty" in errors[4]
    assert "Latitude 91.0 is outside Pakistan" in errors[5]
    assert "Longitude 'north' is not a number" in errors[6]
    assert "may only hold letters, digits" in errors[7]
    assert "already belongs to Lahore" in errors[8]
    assert "code" in errors[9]
    assert "'Atlantis' was not found" in errors[10]
    assert "longer than 80 characters; give a shorter code" in errors[12]
    assert list(Area.objects.filter(level="tehsil").values_list("code", flat=True)) == ["pb-lahore-ravi"]


def test_an_urdu_name_gets_a_code_from_the_file(gazetteer):
    run = run_import("level,name,parent,code\ntehsil,راوی,pb-lahore,pb-lahore-ravi\n")
    assert run.created == 1
    assert Area.objects.get(code="pb-lahore-ravi").name == "راوی"


def test_an_organiser_imports_only_inside_their_regions(gazetteer, make_user):
    organiser = make_user("organiser", regions=["pb-lahore-division"])
    run = run_import(TEHSILS, user=organiser)
    assert run.status == ImportRun.Status.DONE
    errors = errors_by_row(run)
    assert list(errors) == [7]
    assert "Karachi South is outside your regions (Lahore)" in errors[7]
    assert run.created == 5
    assert not Area.objects.filter(code__startswith="sd-karachi-south-").exists()
    assert Area.history.filter(code="pb-lahore-model-town").get().history_user == organiser


def test_imported_tehsils_are_children_on_the_district_page_and_in_the_api(gazetteer, client):
    run_import(TEHSILS)
    page = client.get(reverse("geography:area-detail", kwargs={"code": "pb-lahore"}))
    html = page.content.decode()
    assert "5 areas inside" in html
    for name in ["Lahore City", "Lahore Cantt", "Model Town", "Raiwind", "Shalimar"]:
        assert f'<a href="/areas/pb-lahore-{name.lower().replace(" ", "-")}/">{name}</a>' in html
    data = client.get("/api/v1/areas/", {"parent": "pb-lahore"}).json()
    assert data["count"] == 5
    assert {a["code"] for a in data["results"]} == {
        "pb-lahore-lahore-city",
        "pb-lahore-lahore-cantt",
        "pb-lahore-model-town",
        "pb-lahore-raiwind",
        "pb-lahore-shalimar",
    }
    assert {a["level"] for a in data["results"]} == {"tehsil"}
    geojson = client.get("/api/v1/areas/", {"parent": "pb-lahore", "format": "geojson"}).json()
    # Raiwind has no centre yet, so it cannot be drawn; the others are points.
    assert len(geojson["features"]) == 4
    tehsil_page = client.get(reverse("geography:area-detail", kwargs={"code": "pb-lahore-model-town"}))
    assert tehsil_page.status_code == 200
    assert 'href="/areas/pb-lahore/">Lahore</a>' in tehsil_page.content.decode()
