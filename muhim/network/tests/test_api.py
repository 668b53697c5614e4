"""The network API under /api/v1/ (posts, assignments, applications), as a partner's script, the
map or the campaign office's tools use it."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
import yaml
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from drf_spectacular.validation import validate_schema

from muhim.accounts.models import Role
from muhim.core.models import AuditEvent
from muhim.network import services
from muhim.network.models import Application, Assignment, Post

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _cvs_in_the_tests_folder(monkeypatch):
    monkeypatch.setattr(Application._meta.get_field("cv"), "storage", storages["private"])


@pytest.fixture
def network(gazetteer):
    from muhim.accounts import demo as accounts_demo
    from muhim.network import demo

    accounts_demo.load(stdout=io.StringIO())
    demo.load_network(stdout=io.StringIO())


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def post_json(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def patch_json(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def all_results(client, url, **params):
    data = client.get(url, {"page_size": 1000, **params}).json()
    return data["results"]


# --- posts: reading -----------------------------------------------------------------------------


def test_anyone_reads_the_posts_with_public_names_and_never_private_contacts(
    client, network, django_assert_max_num_queries
):
    # A handful of queries for all 35 posts, their areas and holders (none per post).
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/posts/", {"page_size": 100})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 35
    lahore = next(p for p in data["results"] if p["code"] == "rco-pb-lahore")
    holder = Post.objects.get(code="rco-pb-lahore").current_assignment()
    profile = holder.holder.organiser_profile
    assert lahore == {
        "code": "rco-pb-lahore",
        "kind": "regional",
        "title": "Regional Campaign Organiser, Lahore",
        "title_ur": "علاقائی کیمپین آرگنائزر، لاہور",
        "specialism": "",
        "province": "pb",
        "areas": [{"code": "pb-lahore-division", "name": "Lahore", "name_ur": "لاہور", "level": "division"}],
        "description": "",
        "description_ur": "",
        "status": "covered",
        "holder": {"name": profile.public_name, "name_ur": None, "since": holder.start_date.isoformat()},
    }
    body = response.content.decode()
    # Published or not, phone numbers and e-mail addresses are not in the API.
    assert "+923000000" not in body and "@example.org" not in body and "username" not in body


def test_the_posts_api_filters_and_counts_as_the_network_is(client, network):
    assert client.get("/api/v1/posts/", {"status": "vacant"}).json()["count"] == 4
    assert client.get("/api/v1/posts/", {"status": "covered", "kind": "regional"}).json()["count"] == 27
    assert client.get("/api/v1/posts/", {"province": "sd"}).json()["count"] == 8
    assert client.get("/api/v1/posts/", {"specialism": "media"}).json()["count"] == 1
    vacant = all_results(client, "/api/v1/posts/", status="vacant")
    assert {p["holder"] for p in vacant} == {None}
    # Counting the API gives the map's numbers.
    for province, posts, covered in services.coverage_by_province():
        rows = all_results(client, "/api/v1/posts/", province=province.code)
        assert (len(rows), sum(r["status"] == "covered" for r in rows)) == (posts, covered)


def test_retired_posts_are_listed_only_when_asked_for_and_stay_reachable(client, network):
    post = Post.objects.get(code="rco-kp-bannu")
    services.retire_post(post=post)
    assert client.get("/api/v1/posts/").json()["count"] == 34
    retired = client.get("/api/v1/posts/", {"status": "retired"}).json()
    assert [p["code"] for p in retired["results"]] == ["rco-kp-bannu"]
    assert client.get("/api/v1/posts/rco-kp-bannu/").json()["status"] == "retired"
    assert client.get("/api/v1/posts/atlantis/").status_code == 404


def test_the_posts_export_as_csv_and_xlsx_is_audited(client, network):
    response = client.get("/api/v1/posts/", {"format": "csv", "kind": "specialist"})
    rows = csv_rows(response)
    assert [r["code"] for r in rows] == [
        "specialist-alliances",
        "specialist-data",
        "specialist-digital",
        "specialist-media",
    ]
    assert {r["status"] for r in rows} == {"covered"}
    assert "holder.name" in rows[0]
    response = client.get("/api/v1/posts/", {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="export", subject="API posts").count() == 2


# --- posts: writing ------------------------------------------------------------------------------


def test_only_the_office_writes_posts(client, make_user, gazetteer):
    payload = {"kind": "regional", "title": "RCO Kasur", "province": "pb", "areas": ["pb-kasur"]}
    assert post_json(client, "/api/v1/posts/", payload).status_code in (401, 403)
    for role in (Role.ORGANISER, Role.SPECIALIST, Role.PARTNER):
        client.force_login(make_user(role, ["pb"] if role == Role.ORGANISER else []))
        assert post_json(client, "/api/v1/posts/", payload).status_code == 403
    assert not Post.objects.exists()


def test_the_office_creates_and_changes_a_post_through_the_rules(client, make_user, gazetteer):
    client.force_login(make_user(Role.CAMPAIGN_OFFICE))
    response = post_json(
        client,
        "/api/v1/posts/",
        {"kind": "regional", "title": "RCO Lahore", "province": "pb", "areas": ["pb-lahore-division"]},
    )
    assert response.status_code == 201, response.content
    assert response.json()["code"] == "rco-lahore"
    assert response.json()["status"] == "vacant"
    response = post_json(
        client,
        "/api/v1/posts/",
        {
            "code": "rco-kasur",
            "kind": "regional",
            "title": "RCO Kasur",
            "province": "pb",
            "areas": ["pb-kasur"],
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "Kasur is already covered by rco-lahore (RCO Lahore). A district is covered by one post at a time."
        ]
    }
    response = post_json(
        client,
        "/api/v1/posts/",
        {"kind": "regional", "title": "RCO Karachi", "province": "pb", "areas": ["sd-karachi-division"]},
    )
    assert response.json() == {"non_field_errors": ["Karachi is not in Punjab, the post's province."]}
    response = post_json(
        client, "/api/v1/posts/", {"kind": "regional", "title": "RCO Lahore", "province": "pb"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["A regional post covers at least one division or district."]
    }
    response = post_json(
        client, "/api/v1/posts/", {"kind": "specialist", "title": "Media specialist", "specialism": "media"}
    )
    assert response.status_code == 201 and response.json()["province"] is None

    response = patch_json(client, "/api/v1/posts/rco-lahore/", {"areas": ["pb-lahore", "pb-kasur"]})
    assert response.status_code == 200
    assert [a["code"] for a in response.json()["areas"]] == ["pb-kasur", "pb-lahore"]
    response = patch_json(client, "/api/v1/posts/rco-lahore/", {"kind": "specialist"})
    assert response.json() == {"kind": ["A post's kind cannot change."]}
    response = client.post("/api/v1/posts/rco-lahore/retire/")
    assert response.status_code == 200 and response.json()["status"] == "retired"


# --- assignments ------------------------------------------------------------------------------------


@pytest.fixture
def lahore(gazetteer):
    post = Post(code="rco-lahore", kind=Post.Kind.REGIONAL, title="RCO Lahore", province=gazetteer("pb"))
    return services.save_post(post=post, areas=[gazetteer("pb-lahore-division")])


def test_assignments_are_read_by_staff_only(client, make_user, lahore):
    services.assign(
        post=lahore, holder=make_user(username="rabia", first_name="Rabia"), start_date=date(2024, 1, 1)
    )
    assert client.get("/api/v1/assignments/").status_code in (401, 403)
    client.force_login(make_user(""))
    assert client.get("/api/v1/assignments/").status_code == 403
    client.force_login(make_user(Role.PARTNER))
    data = client.get("/api/v1/assignments/").json()
    assert data["count"] == 1
    row = data["results"][0]
    assert (
        row["post"],
        row["holder"],
        row["holder_name"],
        row["start_date"],
        row["end_date"],
        row["is_active"],
    ) == (
        "rco-lahore",
        "rabia",
        "Rabia",
        "2024-01-01",
        None,
        True,
    )
    assert (
        post_json(client, "/api/v1/assignments/", {"post": "rco-lahore", "holder": "rabia"}).status_code
        == 403
    )


def test_the_office_assigns_and_ends_through_the_api(client, make_user, lahore):
    make_user(username="rabia", first_name="Rabia", last_name="Khan")
    make_user(username="kamran")
    client.force_login(make_user(Role.CAMPAIGN_OFFICE))
    response = post_json(
        client, "/api/v1/assignments/", {"post": "rco-lahore", "holder": "rabia", "start_date": "2024-01-01"}
    )
    assert response.status_code == 201, response.content
    first = response.json()["id"]
    response = post_json(
        client, "/api/v1/assignments/", {"post": "rco-lahore", "holder": "kamran", "start_date": "2024-02-01"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["RCO Lahore is held by Rabia Khan since 2024-01-01. Mark it vacant first."]
    }
    response = patch_json(client, f"/api/v1/assignments/{first}/", {"end_date": "2023-12-01"})
    assert response.status_code == 400
    assert "cannot become vacant before that" in response.json()["non_field_errors"][0]
    response = patch_json(client, f"/api/v1/assignments/{first}/", {"end_date": "2024-06-30", "note": "Left"})
    assert response.status_code == 200
    assert (response.json()["end_date"], response.json()["is_active"]) == ("2024-06-30", False)
    assert client.get("/api/v1/posts/rco-lahore/").json()["status"] == "vacant"
    response = patch_json(client, f"/api/v1/assignments/{first}/", {"end_date": "2024-07-30"})
    assert response.json() == {"end_date": ["This assignment already ended on 2024-06-30."]}
    response = post_json(
        client, "/api/v1/assignments/", {"post": "rco-lahore", "holder": "kamran", "start_date": "2024-06-15"}
    )
    assert "must start after that" in response.json()["non_field_errors"][0]
    response = post_json(
        client, "/api/v1/assignments/", {"post": "rco-lahore", "holder": "kamran", "start_date": "2024-07-01"}
    )
    assert response.status_code == 201
    assert client.delete(f"/api/v1/assignments/{first}/").status_code == 405
    assert Assignment.objects.count() == 2


def test_assignments_filter_by_post_holder_and_active(client, make_user, lahore, gazetteer):
    karachi = services.save_post(
        post=Post(code="rco-karachi", kind=Post.Kind.REGIONAL, title="RCO Karachi", province=gazetteer("sd")),
        areas=[gazetteer("sd-karachi-division")],
    )
    rabia = make_user(username="rabia")
    services.assign(post=lahore, holder=rabia, start_date=date(2023, 1, 1))
    services.make_vacant(post=lahore, end_date=date(2023, 12, 31))
    services.assign(post=karachi, holder=rabia, start_date=date(2024, 1, 1))
    services.assign(post=lahore, holder=make_user(username="kamran"), start_date=TODAY() - timedelta(days=1))
    client.force_login(make_user(Role.CAMPAIGN_OFFICE))

    def count(**params):
        return client.get("/api/v1/assignments/", params).json()["count"]

    assert count() == 3
    assert count(post="rco-lahore") == 2
    assert count(holder="rabia") == 2
    assert count(active="true") == 2
    assert count(active="false", post="rco-lahore") == 1
    rows = csv_rows(client.get("/api/v1/assignments/", {"format": "csv", "holder": "rabia"}))
    assert sorted(r["post"] for r in rows) == ["rco-karachi", "rco-lahore"]


# --- applications --------------------------------------------------------------------------------


@pytest.fixture
def applications(lahore):
    vacancy = services.open_vacancy(post=lahore, closes_on=TODAY() + timedelta(days=20))
    made = []
    for name, sex in [("Ayesha Khan", "female"), ("Bilal Ahmed", "male")]:
        made.append(
            services.apply(
                vacancy=vacancy,
                cv=SimpleUploadedFile("cv.pdf", PDF),
                cv_kind="pdf",
                full_name=name,
                email=f"{name.split()[0].lower()}@example.org",
                phone="03001234567",
                sex=sex,
            )
        )
    services.move_application(application=made[0], status="shortlisted", note="Good")
    return made


def test_applications_are_for_the_office_only_and_read_only(client, make_user, applications):
    assert client.get("/api/v1/applications/").status_code in (401, 403)
    for role in (Role.ORGANISER, Role.SPECIALIST, Role.PARTNER):
        client.force_login(make_user(role, ["pb"] if role == Role.ORGANISER else []))
        assert client.get("/api/v1/applications/").status_code == 403
    client.force_login(make_user(Role.CAMPAIGN_OFFICE))
    data = client.get("/api/v1/applications/").json()
    assert data["count"] == 2
    ayesha = next(a for a in data["results"] if a["full_name"] == "Ayesha Khan")
    assert ayesha["status"] == "shortlisted"
    assert ayesha["phone"] == "+923001234567"
    assert ayesha["vacancy"]["post"] == "rco-lahore"
    assert [(e["status"], e["note"]) for e in ayesha["events"]] == [("received", ""), ("shortlisted", "Good")]
    assert ayesha["cv_url"] == f"http://testserver/network/manage/applications/{applications[0].pk}/cv/"
    assert client.get(ayesha["cv_url"]).status_code == 200
    assert post_json(client, "/api/v1/applications/", {"full_name": "X"}).status_code == 405
    assert client.delete(f"/api/v1/applications/{applications[0].pk}/").status_code == 405


def test_applications_filter_by_status_and_sex_and_export_is_audited(client, make_user, applications):
    client.force_login(make_user(Role.CAMPAIGN_OFFICE))
    assert client.get("/api/v1/applications/", {"status": "received"}).json()["count"] == 1
    assert client.get("/api/v1/applications/", {"sex": "male"}).json()["count"] == 1
    vacancy = applications[0].vacancy_id
    assert client.get("/api/v1/applications/", {"vacancy": vacancy}).json()["count"] == 2
    rows = csv_rows(client.get("/api/v1/applications/", {"format": "csv"}))
    assert {r["full_name"] for r in rows} == {"Ayesha Khan", "Bilal Ahmed"}
    assert AuditEvent.objects.filter(action="export", subject="API applications").count() == 1


def test_the_schema_describes_the_network_endpoints(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    validate_schema(schema)
    for path in [
        "/api/v1/posts/",
        "/api/v1/posts/{code}/",
        "/api/v1/posts/{code}/retire/",
        "/api/v1/assignments/",
        "/api/v1/assignments/{id}/",
        "/api/v1/applications/",
        "/api/v1/applications/{id}/",
    ]:
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/v1/posts/"]["get"]["parameters"]}
    assert {"kind", "province", "status", "specialism", "q", "format"} <= parameters
    parameters = {p["name"] for p in schema["paths"]["/api/v1/assignments/"]["get"]["parameters"]}
    assert {"post", "holder", "active"} <= parameters
    assert "post" not in schema["paths"]["/api/v1/applications/"]
    assert "one holder at a time" in schema["paths"]["/api/v1/assignments/"]["post"]["description"]
