"""The geography API under /api/v1/, as a partner's script or the map would use it."""

import csv
import io
import json

import pytest
import yaml
from drf_spectacular.validation import validate_schema
from openpyxl import load_workbook

from muhim.core.imports.runner import create_run, execute
from muhim.core.models import AuditEvent
from muhim.geography.models import Area

pytestmark = pytest.mark.django_db

# Pakistan with its territories, generously: west, south, east, north.
PAKISTAN = (60.5, 23.5, 78.0, 37.2)


def import_seats(data, filename="seats.csv"):
    run = create_run(importer_slug="constituencies", data=data, filename=filename, source="command")
    execute(run, commit=True)
    run.refresh_from_db()
    assert run.errors == 0, run.preview["errors"]


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def coordinates(geometry):
    """Every [lon, lat] in a GeoJSON geometry."""

    def walk(value):
        if isinstance(value[0], int | float):
            yield value
        else:
            for item in value:
                yield from walk(item)

    return list(walk(geometry["coordinates"]))


def test_districts_are_counted_and_paginated(gazetteer, client):
    first = client.get("/api/v1/areas/", {"level": "district"}).json()
    assert first["count"] == 156
    assert len(first["results"]) == 50
    assert first["previous"] is None
    codes = [a["code"] for a in first["results"]]
    page = first
    while page["next"]:
        page = client.get(page["next"]).json()
        codes += [a["code"] for a in page["results"]]
    assert len(page["results"]) == 6
    assert len(codes) == len(set(codes)) == 156
    assert len(client.get("/api/v1/areas/", {"level": "district", "page_size": 200}).json()["results"]) == 156


def test_an_area_in_the_api(gazetteer, client):
    data = client.get("/api/v1/areas/pb-lahore/").json()
    assert data["code"] == "pb-lahore"
    assert (data["name"], data["name_ur"], data["level"]) == ("Lahore", "لاہور", "district")
    assert data["parent"] == {
        "code": "pb-lahore-division",
        "name": "Lahore",
        "name_ur": "لاہور",
        "level": "division",
    }
    assert data["province"] == "pb"
    lahore = gazetteer("pb-lahore")
    assert data["centroid"] == {"lat": float(lahore.centroid_lat), "lon": float(lahore.centroid_lon)}
    assert data["aliases"] == [{"name": a.name, "kind": a.kind} for a in lahore.aliases.order_by("name")]
    assert data["has_boundary"] is False
    assert data["url"].endswith("/api/v1/areas/pb-lahore/")
    assert client.get("/api/v1/areas/atlantis/").status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"level": "province"}, 7),
        ({"level": "division", "province": "pb"}, 9),
        ({"parent": "sd-karachi-division"}, 7),
        ({"province": "jk", "level": "district"}, 10),
        ({"q": "Nawabshah"}, 2),
        ({"q": "Nawabshah", "level": "district"}, 1),
        ({"q": "لاہور", "level": "district"}, 1),
        ({"q": "pb-lahore"}, 1),
        ({"has_boundary": "true"}, 0),
        ({"has_boundary": "false", "level": "province"}, 7),
    ],
)
def test_area_filters(gazetteer, client, params, expected):
    data = client.get("/api/v1/areas/", params).json()
    assert data["count"] == expected, params


def test_an_unknown_province_is_an_error_not_everything(gazetteer, client):
    response = client.get("/api/v1/areas/", {"province": "atlantis"})
    assert response.status_code == 400
    assert "province" in response.json()


def test_geojson_holds_every_matching_area_as_a_point_without_boundaries(gazetteer, client):
    response = client.get("/api/v1/areas/", {"level": "district", "format": "geojson"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) == 156
    assert {f["geometry"]["type"] for f in features} == {"Point"}
    lahore = next(f for f in features if f["id"] == "pb-lahore")
    assert lahore["properties"] == {
        "code": "pb-lahore",
        "name": "Lahore",
        "name_ur": "لاہور",
        "level": "district",
        "parent": "pb-lahore-division",
        "url": "/areas/pb-lahore/",
    }
    lon, lat = lahore["geometry"]["coordinates"]
    assert (round(lat, 2), round(lon, 2)) == (
        float(gazetteer("pb-lahore").centroid_lat),
        float(gazetteer("pb-lahore").centroid_lon),
    )


def test_geojson_follows_the_filters(gazetteer, client):
    collection = client.get("/api/v1/areas/", {"parent": "pb-lahore-division", "format": "geojson"}).json()
    assert sorted(f["id"] for f in collection["features"]) == [
        "pb-kasur",
        "pb-lahore",
        "pb-nankana-sahib",
        "pb-sheikhupura",
    ]
    feature = client.get("/api/v1/areas/pb-lahore/", {"format": "geojson"}).json()
    assert feature["type"] == "Feature" and feature["id"] == "pb-lahore"


def test_geojson_with_the_real_boundaries(gazetteer, shared_data, client):
    from muhim.geography.boundaries import import_boundaries

    path = shared_data / "boundaries" / "pakistan-2023.topojson.json"
    report = import_boundaries(path.read_bytes(), source_name=path.name)
    assert report.matched_by_level["district"] == 156
    response = client.get("/api/v1/areas/", {"level": "district", "format": "geojson"})
    assert len(response.content) < 600 * 1024
    features = json.loads(response.content)["features"]
    assert len(features) == 156
    assert {f["geometry"]["type"] for f in features} <= {"Polygon", "MultiPolygon"}
    west, south, east, north = PAKISTAN
    for feature in features:
        points = coordinates(feature["geometry"])
        assert all(west <= lon <= east and south <= lat <= north for lon, lat in points), feature["id"]
    assert client.get("/api/v1/areas/", {"has_boundary": "true"}).json()["count"] == 200
    provinces = client.get("/api/v1/areas/", {"level": "province", "format": "geojson"}).json()
    assert {f["geometry"]["type"] for f in provinces["features"]} <= {"Polygon", "MultiPolygon"}
    assert client.get("/api/v1/areas/pb-lahore/").json()["has_boundary"] is True


def test_constituencies_filtered_by_assembly_and_district(gazetteer, client):
    import_seats(b"seat,district\nNA-1,Chitral\nNA-2,Swat\nNA-3,Swat\nPK-2,Swat\nPK-1,Chitral\n")
    data = client.get("/api/v1/constituencies/", {"assembly": "NA", "district": "kp-swat"}).json()
    assert [s["code"] for s in data["results"]] == ["NA-2", "NA-3"]
    assert data["results"][0]["areas"] == [
        {
            "code": "kp-swat",
            "name": "Swat",
            "name_ur": gazetteer("kp-swat").name_ur,
            "level": "district",
            "is_primary": True,
        }
    ]
    assert data["results"][0]["province"] == "kp"
    assert client.get("/api/v1/constituencies/", {"district": "kp-upper-chitral"}).json()["count"] == 2
    assert client.get("/api/v1/constituencies/", {"province": "kp", "assembly": "PK"}).json()["count"] == 2
    assert client.get("/api/v1/constituencies/", {"delimitation_year": 2013}).json()["count"] == 0


def test_constituencies_of_swat_with_the_real_seat_lists(gazetteer, shared_data, client):
    for name in ("na-seats-2018.csv", "pa-seats-2018.csv"):
        import_seats((shared_data / "elections-2018" / name).read_bytes(), name)
    data = client.get("/api/v1/constituencies/", {"assembly": "NA", "district": "kp-swat"}).json()
    assert [s["code"] for s in data["results"]] == ["NA-2", "NA-3", "NA-4"]
    assert client.get("/api/v1/constituencies/", {"district": "kp-swat"}).json()["count"] == 11
    assert client.get("/api/v1/constituencies/", {"assembly": "PP"}).json()["count"] == 297


def test_csv_export_has_every_filtered_row_not_one_page(gazetteer, client):
    response = client.get("/api/v1/areas/", {"level": "district", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="areas.csv"' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert len(rows) == 156
    lahore = next(r for r in rows if r["code"] == "pb-lahore")
    assert (lahore["name_ur"], lahore["parent.code"], lahore["province"]) == (
        "لاہور",
        "pb-lahore-division",
        "pb",
    )
    event = AuditEvent.objects.get(action="export")
    assert (event.subject, event.details["rows"], event.details["format"]) == ("API areas", 156, "csv")


def test_xlsx_export_follows_the_filters(gazetteer, client):
    response = client.get("/api/v1/areas/", {"province": "sd", "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == Area.objects.filter(province__code="sd").count() == 37
    assert {r[header.index("province")] for r in body} == {"sd"}


def test_constituency_csv(gazetteer, client):
    import_seats(b"seat,district,other districts\nNA-257,Killa Saifullah,Zhob - Sherani\n")
    rows = csv_rows(client.get("/api/v1/constituencies/", {"format": "csv"}))
    assert len(rows) == 1
    assert rows[0]["code"] == "NA-257"
    # The primary district first, then the others by name.
    assert rows[0]["areas"] == "ba-killa-saifullah; ba-sherani; ba-zhob"
    data = client.get("/api/v1/constituencies/").json()["results"][0]
    assert [(a["code"], a["is_primary"]) for a in data["areas"]] == [
        ("ba-killa-saifullah", True),
        ("ba-sherani", False),
        ("ba-zhob", False),
    ]


def test_the_schema_is_valid_openapi_and_lists_the_endpoints(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/v1/areas/",
        "/api/v1/areas/{code}/",
        "/api/v1/constituencies/",
        "/api/v1/constituencies/{id}/",
    ]:
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/v1/areas/"]["get"]["parameters"]}
    assert {"level", "parent", "province", "q", "has_boundary", "format", "page"} <= parameters
    parameters = {p["name"] for p in schema["paths"]["/api/v1/constituencies/"]["get"]["parameters"]}
    assert {"assembly", "district", "province", "delimitation_year"} <= parameters
    json_schema = client.get("/api/v1/schema/", {"format": "json"})
    assert json.loads(json_schema.content)["paths"].keys() == schema["paths"].keys()


def test_the_api_docs_load(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert "swagger-ui" in response.content.decode()
    assert "/api/v1/schema/" in response.content.decode()


def test_changing_an_area_needs_the_right_role_and_region(gazetteer, client, make_user):
    payload = json.dumps({"name_ur": "لہور"})
    assert client.patch("/api/v1/areas/pb-lahore/", payload, content_type="application/json").status_code in (
        401,
        403,
    )

    client.force_login(make_user("organiser", regions=["sd-karachi-division"]))
    assert (
        client.patch("/api/v1/areas/pb-lahore/", payload, content_type="application/json").status_code == 403
    )
    assert gazetteer("pb-lahore").name_ur == "لاہور"

    client.force_login(make_user("organiser", regions=["pb-lahore-division"]))
    response = client.patch("/api/v1/areas/pb-lahore/", payload, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["name_ur"] == "لہور"
    assert gazetteer("pb-lahore").name_ur == "لہور"

    bad = client.patch(
        "/api/v1/areas/pb-lahore/", json.dumps({"centroid_lat": 99}), content_type="application/json"
    )
    assert bad.status_code == 400
    assert "centroid_lat" in bad.json()


def test_the_api_does_not_create_or_delete_areas(gazetteer, client, make_user):
    client.force_login(make_user("administrator"))
    assert client.delete("/api/v1/areas/pb-lahore/").status_code == 405
    assert client.post("/api/v1/areas/", {"code": "x", "name": "X"}).status_code == 405
