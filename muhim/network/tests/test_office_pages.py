"""The campaign office's network pages, as people use them (Django's test client): who may open
them, defining posts, giving and ending posts, vacancies, applications and their CVs, the
recruitment report, and an organiser's own public profile."""

import csv
import io
import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from muhim.accounts.models import Role
from muhim.core.models import AuditEvent
from muhim.network import services
from muhim.network.models import Application, Assignment, OrganiserProfile, Post, Vacancy

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
TODAY = timezone.localdate
ROLES_DENIED = [Role.ORGANISER, Role.SPECIALIST, Role.PARTNER]


@pytest.fixture(autouse=True)
def _cvs_in_the_tests_folder(monkeypatch):
    """The CV field got its storage when the model class was made; the test's private folder
    (conftest) must be the one it writes to."""
    monkeypatch.setattr(Application._meta.get_field("cv"), "storage", storages["private"])


def text_of(response):
    """The page's visible text: tags removed, entities decoded, spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return text_of_html(html)


def text_of_html(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def csv_rows(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def regional(gazetteer, code, province, areas, title=None):
    post = Post(code=code, kind=Post.Kind.REGIONAL, title=title or code, province=gazetteer(province))
    return services.save_post(post=post, areas=[gazetteer(a) for a in areas])


def apply_to(vacancy, name="Ayesha Khan", email="ayesha@example.org", sex="female"):
    return services.apply(
        vacancy=vacancy,
        cv=SimpleUploadedFile("My CV (final).pdf", PDF, content_type="application/pdf"),
        cv_kind="pdf",
        full_name=name,
        email=email,
        phone="0300 1234567",
        sex=sex,
    )


@pytest.fixture
def office(make_user):
    return make_user(Role.CAMPAIGN_OFFICE, first_name="Sana", last_name="Office")


@pytest.fixture
def lahore(gazetteer):
    return regional(
        gazetteer, "rco-pb-lahore", "pb", ["pb-lahore-division"], "Regional Campaign Organiser, Lahore"
    )


@pytest.fixture
def vacancy(lahore):
    return services.open_vacancy(post=lahore, closes_on=TODAY() + timedelta(days=30))


@pytest.fixture
def application(vacancy):
    return apply_to(vacancy)


def user_of(role, make_user):
    if role == Role.ORGANISER:
        return make_user(role, ["pb-lahore-division"])
    return make_user(role)


# --- who may open what --------------------------------------------------------------------------


def office_urls(application):
    return [
        reverse("network:manage-posts"),
        reverse("network:post-create"),
        reverse("network:post-manage", kwargs={"code": "rco-pb-lahore"}),
        reverse("network:application-list"),
        reverse("network:application-detail", kwargs={"pk": application.pk}),
        reverse("network:application-cv", kwargs={"pk": application.pk}),
        reverse("network:recruitment-report"),
    ]


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.CAMPAIGN_OFFICE])
def test_administrators_and_the_office_open_every_office_page(client, make_user, application, role):
    client.force_login(make_user(role))
    for url in office_urls(application):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("role", ROLES_DENIED)
def test_organisers_specialists_and_partners_are_refused_every_office_page(
    client, make_user, application, role
):
    client.force_login(user_of(role, make_user))
    for url in office_urls(application):
        response = client.get(url)
        assert response.status_code == 403, url
    # Nor can they change anything by posting.
    response = client.post(
        reverse("network:post-manage", kwargs={"code": "rco-pb-lahore"}), {"action": "retire"}
    )
    assert response.status_code == 403
    assert Post.objects.get(code="rco-pb-lahore").is_active


def test_anonymous_visitors_are_sent_to_sign_in(client, application):
    for url in [*office_urls(application), reverse("network:my-profile")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/accounts/login/?next={url}"


def test_the_403_page_says_why(client, make_user, application):
    client.force_login(make_user(Role.ORGANISER, ["pb-lahore-division"]))
    assert "Only the campaign office handles applications and CVs." in text_of(
        client.get(reverse("network:application-list"))
    )


# --- the list of posts ----------------------------------------------------------------------------


@pytest.fixture
def network(gazetteer):
    from muhim.accounts import demo as accounts_demo
    from muhim.network import demo

    accounts_demo.load(stdout=io.StringIO())
    demo.load_network(stdout=io.StringIO())


def test_the_posts_list_shows_holders_since_when_and_counts(client, office, network):
    client.force_login(office)
    response = client.get(reverse("network:manage-posts"))
    text = text_of(response)
    assert "35 posts" in text
    assert "Punjab: 10 of 11 covered" in text
    assert "Specialists: 4 of 4 covered" in text
    lahore = Post.objects.get(code="rco-pb-lahore").current_assignment()
    row = re.search(
        r"<tr[^>]*>(?:(?!</tr>).)*rco-pb-lahore(?:(?!</tr>).)*</tr>", response.content.decode(), re.S
    )
    row_text = " ".join(re.sub(r"<[^>]+>", " ", row.group(0)).split())
    assert lahore.holder.organiser_profile.public_name in row_text
    assert lahore.start_date.isoformat() in row_text
    assert "Covered" in row_text


def test_the_posts_list_filters_by_status_and_province(client, office, network):
    client.force_login(office)
    text = text_of(client.get(reverse("network:manage-posts"), {"status": "vacant"}))
    assert "4 posts" in text
    for code in ["rco-pb-dera-ghazi-khan", "rco-sd-mirpur-khas", "rco-kp-bannu", "rco-ba-rakhshan"]:
        assert code in text
    text = text_of(client.get(reverse("network:manage-posts"), {"province": "ba", "kind": "regional"}))
    assert "5 posts" in text
    assert "1 post" in text_of(client.get(reverse("network:manage-posts"), {"q": "Rakhshan"}))


def test_the_posts_list_exports_what_it_shows_and_the_export_is_audited(client, office, network):
    client.force_login(office)
    response = client.get(reverse("network:manage-posts"), {"status": "vacant", "export": "csv"})
    rows = csv_rows(response)
    assert len(rows) == 4
    assert {r["Status"] for r in rows} == {"vacant"}
    assert rows[0]["Holder"] == ""
    event = AuditEvent.objects.get(action="export")
    assert (event.user, event.subject, event.details["rows"]) == (office, "posts", 4)


# --- defining posts -------------------------------------------------------------------------------


def test_creating_a_regional_post_makes_its_code_from_the_title(client, office, gazetteer):
    client.force_login(office)
    response = client.post(
        reverse("network:post-create"),
        {
            "kind": "regional",
            "title": "Regional Campaign Organiser, Kasur",
            "title_ur": "علاقائی کیمپین آرگنائزر، قصور",
            "province": gazetteer("pb").pk,
            "areas": [gazetteer("pb-kasur").pk, gazetteer("pb-okara").pk],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/network/manage/posts/regional-campaign-organiser-kasur/"
    post = Post.objects.get(code="regional-campaign-organiser-kasur")
    assert sorted(post.areas.values_list("code", flat=True)) == ["pb-kasur", "pb-okara"]
    page = text_of(client.get(response["Location"]))
    assert "The post Regional Campaign Organiser, Kasur was created." in page
    assert "Kasur" in page and "Okara" in page and "Nobody holds this post." in page


def test_a_post_that_would_overlap_shows_the_error_and_keeps_what_was_typed(
    client, office, lahore, gazetteer
):
    client.force_login(office)
    response = client.post(
        reverse("network:post-create"),
        {
            "kind": "regional",
            "title": "RCO Kasur and Okara",
            "title_ur": "قصور",
            "code": "rco-kasur",
            "province": gazetteer("pb").pk,
            "areas": [gazetteer("pb-kasur").pk, gazetteer("pb-okara").pk],
            "description": "Two districts south of Lahore",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Kasur is already covered by rco-pb-lahore (Regional Campaign Organiser, Lahore). "
        "A district is covered by one post at a time." in text_of(response)
    )
    assert 'value="RCO Kasur and Okara"' in html
    assert 'value="rco-kasur"' in html
    assert "Two districts south of Lahore</textarea>" in html
    for code in ("pb-kasur", "pb-okara"):
        assert re.search(rf'<option value="{gazetteer(code).pk}"[^>]*selected', html)
    assert not Post.objects.filter(code="rco-kasur").exists()


def test_a_regional_post_needs_areas_and_a_specialist_post_a_specialism(client, office, gazetteer):
    client.force_login(office)
    text = text_of(client.post(reverse("network:post-create"), {"kind": "regional", "title": "X"}))
    assert "A regional post belongs to a province." in text
    text = text_of(client.post(reverse("network:post-create"), {"kind": "specialist", "title": "Y"}))
    assert "Choose the specialism of the post." in text
    response = client.post(
        reverse("network:post-create"),
        {"kind": "specialist", "title": "Media engagement specialist", "specialism": "media"},
    )
    assert response.status_code == 302
    post = Post.objects.get(code="media-engagement-specialist")
    assert (post.kind, post.specialism, post.province) == ("specialist", "media", None)


def test_choosing_a_province_offers_its_divisions_and_districts(client, office, gazetteer):
    client.force_login(office)
    response = client.get(
        reverse("network:post-create"), {"province": gazetteer("ba").pk}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="areas-field">')
    assert "Quetta division (all its districts)" in html
    assert "Lahore" not in html
    # Without a province every province's areas are offered, grouped.
    html = client.get(reverse("network:post-create")).content.decode()
    assert '<optgroup label="Punjab">' in html and '<optgroup label="Balochistan">' in html


def test_editing_a_post_keeps_its_code_and_checks_its_areas(client, office, lahore, gazetteer):
    regional(gazetteer, "rco-gujranwala", "pb", ["pb-gujranwala"])
    client.force_login(office)
    url = reverse("network:post-manage", kwargs={"code": "rco-pb-lahore"})
    form = {
        "action": "edit",
        "post-title": "RCO Lahore and Gujranwala",
        "post-province": gazetteer("pb").pk,
        "post-areas": [gazetteer("pb-lahore-division").pk, gazetteer("pb-gujranwala").pk],
        "post-code": "something-else",
    }
    response = client.post(url, form)
    assert "Gujranwala is already covered by rco-gujranwala" in text_of(response)
    assert 'value="RCO Lahore and Gujranwala"' in response.content.decode()
    # The heading still shows the post as it is.
    assert "<h1" in response.content.decode() and "Regional Campaign Organiser, Lahore" in text_of(response)
    form["post-areas"] = [gazetteer("pb-lahore-division").pk]
    assert client.post(url, form).status_code == 302
    lahore.refresh_from_db()
    assert (lahore.title, lahore.code) == ("RCO Lahore and Gujranwala", "rco-pb-lahore")


# --- holders ----------------------------------------------------------------------------------------


def manage(client, code="rco-pb-lahore", **data):
    url = reverse("network:post-manage", kwargs={"code": code})
    return client.post(url, data) if data else client.get(url)


def test_assigning_an_existing_staff_member(client, office, lahore, make_user):
    person = make_user(first_name="Hamza", last_name="Ali")
    client.force_login(office)
    response = manage(
        client, action="assign", **{"assign-holder": person.pk, "assign-start_date": "2024-05-01"}
    )
    assert response.status_code == 302
    text = text_of(client.get(response["Location"]))
    assert "Hamza Ali holds the post from 2024-05-01." in text
    assert "Holds the post since 2024-05-01." in text
    person.refresh_from_db()
    assert person.role == Role.ORGANISER
    assert list(person.regions.values_list("code", flat=True)) == ["pb-lahore-division"]


def test_assigning_someone_new_makes_their_account_and_e_mails_them(
    client, office, lahore, django_capture_on_commit_callbacks
):
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = manage(
            client,
            action="assign",
            **{
                "assign-full_name": "Mehwish Baloch",
                "assign-email": "mehwish@example.org",
                "assign-username": "mehwish",
                "assign-start_date": TODAY().isoformat(),
            },
        )
    assert response.status_code == 302
    holder = get_user_model().objects.get(username="mehwish")
    assert lahore.current_assignment().holder == holder
    assert holder.organiser_profile.public_name == "Mehwish Baloch"
    assert mail.outbox[0].to == ["mehwish@example.org"]
    assert "An e-mail with a link to choose a password is on its way to them." in text_of(
        client.get(response["Location"])
    )


def test_assigning_with_a_taken_username_shows_the_error_and_keeps_the_input(
    client, office, lahore, make_user
):
    make_user(username="mehwish")
    client.force_login(office)
    response = manage(
        client,
        action="assign",
        **{
            "assign-full_name": "Mehwish Baloch",
            "assign-email": "mehwish@example.org",
            "assign-username": "Mehwish",
            "assign-start_date": "2024-05-01",
        },
    )
    assert response.status_code == 200
    assert "The username Mehwish is taken." in text_of(response)
    assert 'value="Mehwish Baloch"' in response.content.decode()
    assert not Assignment.objects.exists()
    assert not get_user_model().objects.filter(email="mehwish@example.org").exists()


def test_marking_vacant_and_opening_a_vacancy_at_once(client, office, lahore, make_user):
    services.assign(post=lahore, holder=make_user(first_name="Usman"), start_date=date(2024, 1, 1))
    client.force_login(office)
    closes = TODAY() + timedelta(days=21)
    response = manage(
        client,
        action="vacate",
        **{
            "vacate-end_date": TODAY().isoformat(),
            "vacate-note": "Moved to Karachi",
            "vacate-open_vacancy": "on",
            "vacate-closes_on": closes.isoformat(),
        },
    )
    assert response.status_code == 302
    text = text_of(client.get(response["Location"]))
    assert f"The post is vacant from {TODAY().isoformat()}." in text
    assert "Moved to Karachi" in text
    vacancy = lahore.vacancies.get()
    assert (vacancy.status, vacancy.closes_on) == ("open", closes)
    assert closes.isoformat() in text


def test_a_refused_vacancy_undoes_the_vacating_and_keeps_the_input(client, office, lahore, make_user):
    services.assign(post=lahore, holder=make_user(), start_date=date(2024, 1, 1))
    client.force_login(office)
    response = manage(
        client,
        action="vacate",
        **{
            "vacate-end_date": TODAY().isoformat(),
            "vacate-note": "Leaving for studies",
            "vacate-open_vacancy": "on",
            "vacate-closes_on": (TODAY() - timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "The closing date must be on or after the opening date." in text_of(response)
    assert "Leaving for studies</textarea>" in response.content.decode()
    assert lahore.assignments.get().end_date is None  # still held: nothing was half done


def test_marking_vacant_before_the_holder_started_is_refused(client, office, lahore, make_user):
    services.assign(post=lahore, holder=make_user(), start_date=date(2024, 3, 1))
    client.force_login(office)
    response = manage(client, action="vacate", **{"vacate-end_date": "2024-02-01"})
    assert "The holder started on 2024-03-01; the post cannot become vacant before that." in text_of(response)


def test_the_assignment_history_lists_every_holder_with_dates(client, office, lahore, make_user):
    services.assign(
        post=lahore, holder=make_user(first_name="Rabia", last_name="One"), start_date=date(2022, 1, 1)
    )
    services.make_vacant(post=lahore, end_date=date(2023, 6, 30), note="Resigned")
    services.assign(
        post=lahore, holder=make_user(first_name="Kamran", last_name="Two"), start_date=date(2023, 8, 1)
    )
    client.force_login(office)
    html = manage(client).content.decode()
    section = text_of_html(re.search(r'<section id="assignments".*?</section>', html, re.S).group(0))
    assert "Kamran Two" in section and "2023-08-01 in post" in section
    assert "Rabia One" in section and "2022-01-01 2023-06-30 Resigned" in section
    assert section.index("Kamran Two") < section.index("Rabia One")


def test_the_change_history_is_for_administrators(client, office, lahore, make_user):
    services.assign(
        post=lahore, holder=make_user(first_name="Rabia"), start_date=date(2024, 1, 1), user=office
    )
    client.force_login(make_user(Role.ADMINISTRATOR))
    html = manage(client).content.decode()
    history = text_of_html(re.search(r'<section id="history".*?</section>', html, re.S).group(0))
    assert f"{office.username} Assignment Created Rabia: 2024-01-01 – …" in history
    assert "system Covered area Created Lahore" in history
    assert "system Post Created" in history
    client.force_login(office)
    assert "Change history" not in text_of(manage(client))


def test_opening_closing_a_vacancy_and_retiring_the_post(client, office, lahore):
    client.force_login(office)
    closes = TODAY() + timedelta(days=14)
    response = manage(client, action="open-vacancy", **{"vacancy-closes_on": closes.isoformat()})
    assert response.status_code == 302
    vacancy = lahore.vacancies.get()
    assert vacancy.status == "open"
    text = text_of(manage(client, action="open-vacancy", **{"vacancy-closes_on": closes.isoformat()}))
    assert "This post already has an open vacancy." in text
    manage(client, action="close-vacancy", vacancy=vacancy.pk)
    assert Vacancy.objects.get(pk=vacancy.pk).status == "closed"
    response = manage(client, action="retire")
    lahore.refresh_from_db()
    assert not lahore.is_active and lahore.areas.count() == 0
    assert "The post is retired; its history is kept." in text_of(client.get(response["Location"]))


def test_a_post_with_a_holder_is_not_retired(client, office, lahore, make_user):
    services.assign(post=lahore, holder=make_user(), start_date=date(2024, 1, 1))
    client.force_login(office)
    response = manage(client, action="retire")
    assert "End the current holder's assignment before retiring the post." in text_of(
        client.get(response["Location"])
    )
    assert Post.objects.get(pk=lahore.pk).is_active


# --- applications -------------------------------------------------------------------------------


def test_the_applications_list_filters_and_its_export_is_audited(client, office, vacancy):
    apply_to(vacancy, "Ayesha Khan", "ayesha@example.org", "female")
    apply_to(vacancy, "Bilal Ahmed", "bilal@example.org", "male")
    apply_to(vacancy, "Sam Noor", "sam@example.org", "")
    client.force_login(office)
    url = reverse("network:application-list")
    text = text_of(client.get(url))
    assert "3 applications" in text
    text = text_of(client.get(url, {"sex": "female"}))
    assert "1 application" in text and "Ayesha Khan" in text and "Bilal" not in text
    assert "Sam Noor" in text_of(client.get(url, {"sex": "undisclosed"}))
    rows = csv_rows(client.get(url, {"province": "pb", "export": "csv"}))
    assert {r["Applicant"] for r in rows} == {"Ayesha Khan", "Bilal Ahmed", "Sam Noor"}
    assert {r["Mobile number"] for r in rows} == {"+923001234567"}
    event = AuditEvent.objects.get(action="export")
    assert (event.subject, event.details["rows"], event.details["filters"]) == (
        "applications",
        3,
        {"province": "pb"},
    )


def test_an_application_page_shows_the_applicant_the_cv_and_the_steps(client, office, application):
    client.force_login(office)
    url = reverse("network:application-detail", kwargs={"pk": application.pk})
    response = client.get(url)
    text = text_of(response)
    assert "Ayesha Khan" in text and "ayesha@example.org" in text and "0300 1234567" in text
    assert f'href="/network/manage/applications/{application.pk}/cv/"' in response.content.decode()
    assert "Received" in text
    response = client.post(
        url, {"status": "shortlisted", "date": TODAY().isoformat(), "note": "Strong field work"}
    )
    assert response.status_code == 302
    text = text_of(client.get(url))
    assert "Ayesha Khan's application is now shortlisted." in text
    assert "Shortlisted · " + TODAY().isoformat() in text and "Strong field work" in text


def test_a_step_out_of_order_is_refused_on_the_page(client, office, application):
    client.force_login(office)
    url = reverse("network:application-detail", kwargs={"pk": application.pk})
    response = client.post(url, {"status": "hired", "date": TODAY().isoformat(), "note": "Skip ahead"})
    assert response.status_code == 200
    assert "Select a valid choice. hired is not one of the available choices." in text_of(response)
    response = client.post(
        url, {"status": "shortlisted", "date": (TODAY() - timedelta(days=9)).isoformat(), "note": "Backdated"}
    )
    assert "this one cannot be earlier" in text_of(response)
    assert "Backdated</textarea>" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "received"


def test_hiring_on_the_page_shows_the_assignment_it_made(
    client, office, application, django_capture_on_commit_callbacks
):
    client.force_login(office)
    url = reverse("network:application-detail", kwargs={"pk": application.pk})
    with django_capture_on_commit_callbacks(execute=True):
        for status in ("shortlisted", "interviewed", "offered", "hired"):
            assert client.post(url, {"status": status, "date": TODAY().isoformat()}).status_code == 302
    text = text_of(client.get(url))
    holder = get_user_model().objects.get(email="ayesha@example.org")
    assert (
        f"Hired: holds Regional Campaign Organiser, Lahore since {TODAY().isoformat()} (account {holder.username})."
        in text
    )
    assert "This application has reached its last stage." in text
    assert "Ayesha Khan" in text_of(manage(client))
    assert len(mail.outbox) == 1


# --- the CV -------------------------------------------------------------------------------------


def test_the_office_downloads_the_cv_and_the_download_is_audited(client, office, application, settings):
    client.force_login(office)
    response = client.get(reverse("network:application-cv", kwargs={"pk": application.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="cv-{application.pk}-ayesha-khan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action="download")
    assert (event.user, event.subject, event.details["application"]) == (
        office,
        f"CV of application #{application.pk}",
        application.pk,
    )
    # The file is in the private folder, not under the public media root.
    assert (settings.PRIVATE_MEDIA_ROOT / application.cv.name).read_bytes() == PDF
    assert not (settings.MEDIA_ROOT / application.cv.name).exists()


def test_an_organiser_cannot_download_a_cv_nor_guess_its_address(client, make_user, application):
    client.force_login(make_user(Role.ORGANISER, ["pb-lahore-division"]))
    assert client.get(reverse("network:application-cv", kwargs={"pk": application.pk})).status_code == 403
    assert client.get(f"/media/{application.cv.name}").status_code == 404
    assert not AuditEvent.objects.filter(action="download").exists()


# --- the recruitment report ---------------------------------------------------------------------


def test_the_recruitment_report_counts_who_reached_each_stage_by_sex(
    client, office, vacancy, gazetteer, django_capture_on_commit_callbacks
):
    other = services.open_vacancy(
        post=regional(gazetteer, "rco-karachi", "sd", ["sd-karachi-division"], "RCO Karachi"),
        closes_on=TODAY() + timedelta(days=10),
    )
    ayesha = apply_to(vacancy, "Ayesha Khan", "ayesha@example.org", "female")
    sadia = apply_to(vacancy, "Sadia Malik", "sadia@example.org", "female")
    bilal = apply_to(vacancy, "Bilal Ahmed", "bilal@example.org", "male")
    apply_to(other, "Zain Shah", "zain@example.org", "")
    with django_capture_on_commit_callbacks(execute=True):
        for status in ("shortlisted", "interviewed", "offered", "hired"):
            services.move_application(application=ayesha, status=status)
    services.move_application(application=sadia, status="shortlisted")
    services.move_application(application=bilal, status="shortlisted")
    services.move_application(application=bilal, status="not_selected")

    client.force_login(office)
    response = client.get(reverse("network:recruitment-report"))
    html = response.content.decode()
    lahore_rows = text_of_html(
        re.search(rf'<tbody id="vacancy-{vacancy.pk}".*?</tbody>', html, re.S).group(0)
    )
    # Stage · female · male · other · not said · all
    assert "Received 2 1 0 0 3" in lahore_rows
    assert "Shortlisted 2 1 0 0 3" in lahore_rows
    assert "Interviewed 1 0 0 0 1" in lahore_rows
    assert "Offered 1 0 0 0 1" in lahore_rows
    assert "Hired 1 0 0 0 1" in lahore_rows
    assert "Not selected 0 1 0 0 1" in lahore_rows
    total = text_of_html(re.search(r'<tbody id="total".*?</tbody>', html, re.S).group(0))
    assert "All vacancies Received 2 1 0 1 4" in total
    assert "Hired 1 0 0 0 1" in total

    rows = csv_rows(client.get(reverse("network:recruitment-report"), {"export": "csv"}))
    hired = [r for r in rows if r["stage"] == "hired" and r["post"] == "rco-pb-lahore"]
    assert hired == [
        {
            "vacancy": str(vacancy.pk),
            "post": "rco-pb-lahore",
            "closes on": vacancy.closes_on.isoformat(),
            "stage": "hired",
            "Female": "1",
            "Male": "0",
            "Other": "0",
            "Not said": "0",
            "all": "1",
        }
    ]
    assert len(rows) == 3 * 6
    assert AuditEvent.objects.filter(action="export", subject="recruitment report").count() == 1


# --- my public profile --------------------------------------------------------------------------


def image_file(size=(1200, 800), fmt="JPEG", name="me.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_an_organiser_edits_their_public_profile(client, make_user, lahore, settings):
    organiser = make_user(Role.ORGANISER, ["pb-lahore-division"], first_name="Ayesha", last_name="Khan")
    services.assign(post=lahore, holder=organiser, start_date=date(2024, 1, 1))
    client.force_login(organiser)
    url = reverse("network:my-profile")
    page = client.get(url)
    text = text_of(page)
    assert "Only the details you tick “show” are public; the others stay with the campaign office." in text
    assert 'value="Ayesha Khan"' in page.content.decode()
    assert "Regional Campaign Organiser, Lahore" in text
    response = client.post(
        url,
        {
            "public_name": "Ayesha K.",
            "public_name_ur": "عائشہ",
            "bio": "Teacher for ten years.",
            "phone": "0300-1234567",
            "whatsapp": "+92 301 7654321",
            "email": "ayesha@example.org",
            "publish_phone": "on",
            "publish_whatsapp": "",
            "photo": image_file(),
        },
    )
    assert response.status_code == 302
    profile = OrganiserProfile.objects.get(user=organiser)
    assert (profile.public_name, profile.phone.as_e164, profile.whatsapp.as_e164) == (
        "Ayesha K.",
        "+923001234567",
        "+923017654321",
    )
    assert profile.published_contacts() == {"phone": "+923001234567"}
    with Image.open(settings.MEDIA_ROOT / profile.photo.name) as photo:
        assert max(photo.size) == 600
        assert photo.size == (600, 400)


def test_the_profile_refuses_a_landline_a_fake_image_and_publishing_an_empty_detail(client, make_user):
    partner = make_user(Role.PARTNER)
    client.force_login(partner)
    url = reverse("network:my-profile")
    response = client.post(
        url,
        {
            "public_name": "Imran",
            "phone": "042 35761234",
            "publish_email": "on",
            "photo": SimpleUploadedFile(
                "me.jpg", b"<?php echo 'not an image'; ?>", content_type="image/jpeg"
            ),
        },
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "is a landline; give a mobile number" in text
    assert "Upload a valid image." in text
    assert "Fill this in to publish it, or untick “show”." in text
    assert 'value="Imran"' in response.content.decode()
    assert not OrganiserProfile.objects.filter(user=partner).exists()


def test_the_profile_is_for_staff_and_holders(client, make_user, lahore):
    nobody = make_user("")
    client.force_login(nobody)
    assert client.get(reverse("network:my-profile")).status_code == 403
    # Someone who held a post, whatever their role now, keeps their public page.
    services.assign(post=lahore, holder=nobody, start_date=date(2024, 1, 1))
    nobody.role = ""
    nobody.save()
    assert client.get(reverse("network:my-profile")).status_code == 200


# --- the admin --------------------------------------------------------------------------------------


def test_the_admin_shows_the_network_without_exposing_the_cv_file(client, make_user, application):
    admin_user = make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    for url in [
        "/admin/network/post/",
        f"/admin/network/post/{application.vacancy.post_id}/change/",
        "/admin/network/assignment/",
        "/admin/network/vacancy/",
        "/admin/network/organiserprofile/",
        "/admin/network/application/",
        f"/admin/network/application/{application.pk}/history/",
    ]:
        assert client.get(url).status_code == 200, url
    html = client.get(f"/admin/network/application/{application.pk}/change/").content.decode()
    assert f'href="/network/manage/applications/{application.pk}/cv/"' in html
    assert application.cv.name not in html
