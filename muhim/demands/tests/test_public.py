"""The public pages of published demands: what the public may read, and never who raised a
demand, their number, the campaign's notes or its evidence files."""

import io
import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from muhim.activities.tests.factories import district
from muhim.demands import services
from muhim.demands.models import Category, Demand, Status

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(buffer, "PNG")
    return SimpleUploadedFile("notification.png", buffer.getvalue(), content_type="image/png")


def record(user, *, published=True, **fields):
    values = {
        "title": "A girls' middle school for Chak 12",
        "title_ur": "چک 12 کے لیے لڑکیوں کا مڈل اسکول",
        "category": Category.GIRLS_SCHOOL,
        "district": district("pb-kasur"),
        "school": "GGPS Chak 12",
        "authority": Demand.Authority.EDUCATION_OFFICER,
        "authority_name": "District Education Officer (Female), Kasur",
        "raised_on": TODAY - timedelta(days=60),
        "raised_by_name": "Shamim Bibi",
        "raised_by_phone": "+923001234567",
        "description": "Girls walk 9 km to the nearest middle school.",
        "is_published": published,
    }
    values.update(fields)
    return services.record_demand(demand=Demand(**values), user=user, note="Raised by 30 mothers.")


@pytest.fixture
def followed(staff):
    demand = record(staff.lahore)
    services.update_status(
        demand=demand,
        status=Status.SUBMITTED,
        on=TODAY - timedelta(days=40),
        note="Submitted to the DEO (Female) with the mothers' letter.",
        internal_note="Shamim's husband is the union council chairman's cousin.",
        evidence=photo(),
        user=staff.lahore,
    )
    services.update_status(
        demand=demand,
        status=Status.ACKNOWLEDGED,
        on=TODAY - timedelta(days=10),
        note="The DEO wrote back: a post is being created.",
        evidence_url="https://example.org/notification",
        user=staff.lahore,
    )
    return demand


def test_the_public_page_shows_the_demand_and_its_dated_history(client, followed):
    response = client.get(f"/demands/{followed.pk}/")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    for shown in (
        "A girls' middle school for Chak 12",
        "Girls' school needed",
        "GGPS Chak 12",
        "Kasur",
        "District Education Officer (Female), Kasur",
        "Acknowledged",
        "Raised by 30 mothers.",
        "Submitted to the DEO (Female) with the mothers' letter.",
        "The DEO wrote back: a post is being created.",
    ):
        assert shown in html, shown
    history = re.search(
        r'<section aria-labelledby="history-heading" id="history">(.*?)</section>', html, re.S
    )
    steps = re.findall(r'<time class="small text-body-secondary" datetime="([\d-]+)"', history.group(1))
    assert steps == [
        (TODAY - timedelta(days=60)).isoformat(),
        (TODAY - timedelta(days=40)).isoformat(),
        (TODAY - timedelta(days=10)).isoformat(),
    ]


def test_the_public_page_never_shows_personal_data_internal_notes_or_evidence(client, followed):
    for url in (f"/demands/{followed.pk}/", f"/ur/demands/{followed.pk}/", "/demands/", "/ur/demands/"):
        html = unescape(client.get(url).content.decode())
        for private in (
            "Shamim Bibi",
            "Shamim",
            "+923001234567",
            "0300 1234567",
            "3001234567",
            "union council chairman's cousin",
            "/evidence/",
            "notification.png",
            "example.org/notification",
        ):
            assert private not in html, (url, private)


def test_an_unpublished_demand_has_no_public_page(client, staff):
    hidden = record(staff.lahore, published=False, title="Not public yet")
    assert client.get(f"/demands/{hidden.pk}/").status_code == 404
    assert client.get("/demands/999999/").status_code == 404
    assert "Not public yet" not in client.get("/demands/").content.decode()


def test_the_public_page_can_be_shared_and_printed(client, followed):
    html = client.get(f"/demands/{followed.pk}/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "A girls&#x27; middle school for Chak 12" in title and "Kasur" in title
    assert '<meta property="og:title" content="A girls&#x27; middle school for Chak 12">' in html
    description = re.search(r'<meta property="og:description" content="([^"]+)">', html).group(1)
    assert "Girls&#x27; school needed in Kasur: Acknowledged since" in description
    assert f'<meta property="og:url" content="http://testserver/demands/{followed.pk}/">' in html
    assert "@media print" in html
    assert "https://wa.me/?text=" in html


def test_the_public_page_in_urdu_is_right_to_left_with_the_urdu_title(client, followed):
    html = client.get(f"/ur/demands/{followed.pk}/").content.decode()
    assert '<html lang="ur" dir="rtl">' in html
    assert "چک 12 کے لیے لڑکیوں کا مڈل اسکول" in html


def test_the_public_list_shows_published_demands_and_filters_them(client, staff, followed):
    record(
        staff.karachi,
        title="Teachers for GBPS Korangi",
        title_ur="",
        category=Category.TEACHERS,
        district=district("sd-karachi-south"),
    )
    record(staff.lahore, published=False, title="Private for now")

    def listed(query=""):
        html = unescape(client.get(f"/demands/{query}").content.decode())
        return set(re.findall(r'<a class="fw-semibold text-break" href="/demands/\d+/">(.*?)</a>', html))

    assert listed() == {"A girls' middle school for Chak 12", "Teachers for GBPS Korangi"}
    assert listed("?province=sd") == {"Teachers for GBPS Korangi"}
    assert listed("?district=pb-kasur") == {"A girls' middle school for Chak 12"}
    assert listed("?category=teachers") == {"Teachers for GBPS Korangi"}
    assert listed("?status=acknowledged") == {"A girls' middle school for Chak 12"}
    assert listed("?status=resolved") == set()
    html = client.get("/demands/?district=pb-kasur", HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "1 demand" in html
