"""The campaign office in real Chromium: an application goes through the hiring pipeline and
the post it was for shows its new holder."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from muhim.accounts.models import Role
from muhim.network import services
from muhim.network.models import Application, Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _cvs_in_the_tests_folder(monkeypatch):
    monkeypatch.setattr(Application._meta.get_field("cv"), "storage", storages["private"])


def test_the_office_hires_an_applicant_and_the_post_shows_the_new_holder(
    browser_page, browser_login, live_server, gazetteer, make_user
):
    post = services.save_post(
        post=Post(
            code="rco-pb-dera-ghazi-khan",
            kind=Post.Kind.REGIONAL,
            title="Regional Campaign Organiser, Dera Ghazi Khan",
            province=gazetteer("pb"),
        ),
        areas=[gazetteer("pb-dera-ghazi-khan-division")],
    )
    vacancy = services.open_vacancy(post=post, closes_on=timezone.localdate() + timedelta(days=30))
    application = services.apply(
        vacancy=vacancy,
        cv=SimpleUploadedFile("cv.pdf", PDF),
        cv_kind="pdf",
        full_name="Mahnoor Leghari",
        email="mahnoor@example.org",
        phone="03001234567",
        sex="female",
    )
    office = make_user(Role.CAMPAIGN_OFFICE, first_name="Sana")
    page = browser_page
    browser_login(page, live_server, office)

    detail = f"{live_server.url}/network/manage/applications/{application.pk}/"
    page.goto(f"{live_server.url}/network/manage/applications/")
    page.get_by_role("link", name="Mahnoor Leghari").click()
    page.wait_for_url(detail)
    expect(page.locator("#application-status")).to_have_text("Received")
    for stage in ["Shortlisted", "Interviewed", "Offered", "Hired"]:
        page.get_by_label("Move to").select_option(label=stage)
        page.get_by_label("Note").fill(f"{stage} by the office")
        page.get_by_role("button", name="Record this step").click()
        page.wait_for_url(detail)
        expect(page.get_by_text(f"Mahnoor Leghari's application is now {stage.lower()}.")).to_be_visible()
        expect(page.locator("#application-status")).to_have_text(stage)
    expect(page.locator("#steps li")).to_have_count(5)
    expect(page.locator("#hired-assignment")).to_contain_text(
        "Hired: holds Regional Campaign Organiser, Dera Ghazi Khan"
    )
    expect(page.get_by_text("This application has reached its last stage.")).to_be_visible()

    page.locator("#hired-assignment").get_by_role("link", name="See the post").click()
    page.wait_for_url(f"{live_server.url}/network/manage/posts/rco-pb-dera-ghazi-khan/")
    expect(page.locator("#current-holder")).to_contain_text("Mahnoor Leghari")
    expect(page.locator("#post-status")).to_have_text("Covered")
    expect(page.locator("#vacancies")).to_contain_text("Filled")
    assert mail.outbox[-1].to == ["mahnoor@example.org"]
