"""The manifesto pages as staff use them: who may do what, uploading each kind of file, bad
files told plainly with nothing typed lost, the analysis's progress, reviewing sentences (with
and without HTMX) and the figures following, the sentence filters, publishing, the download
and the exports."""

import csv
import io
import re
from decimal import Decimal
from html import unescape

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from muhim.core.models import AuditEvent
from muhim.manifestos import services
from muhim.manifestos.analysis import ManifestoError, analyse_file, read_coded
from muhim.manifestos.models import Manifesto

from .test_services import CODED, TEXT, fake_docx, make_election, make_party, pdf_without_text, upload

pytestmark = pytest.mark.django_db
UPLOAD = reverse("manifestos:upload")
LIST = reverse("manifestos:list")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def specialist(make_user):
    return make_user("specialist", username="analyst")


@pytest.fixture
def office(make_user):
    return make_user("campaign_office", username="office")


@pytest.fixture
def party(db):
    return make_party()


def signed_in(client, user):
    client.force_login(user)
    return client


def text_of(response):
    return re.sub(r"\s+", " ", unescape(response.content.decode())).replace("\xa0", " ")


def words(response):
    """What a reader sees: the text without its tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text_of(response)))


def post_upload(client, party, content, name="manifesto.txt", **extra):
    if isinstance(content, str):
        content = content.encode()
    data = {"party": party.pk, "title": "Manifesto 2018", "language": "en", **extra}
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content)
    return client.post(UPLOAD, data)


def docx_bytes(paragraphs):
    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def share_on(response):
    return re.search(r'id="share">([^<]*)<', response.content.decode()).group(1)


# --- who may do what ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, party):
    manifesto = upload(TEXT, party=party)
    for url in (
        LIST,
        UPLOAD,
        manifesto.get_absolute_url(),
        reverse("manifestos:sentences-export", args=[manifesto.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    response = client.post(reverse("manifestos:publish", args=[manifesto.pk]), {"publish": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["partner", "organiser"])
def test_roles_without_manage_manifestos_read_but_change_nothing(client, make_user, gazetteer, party, role):
    user = make_user(role, ["pb-lahore-division"] if role == "organiser" else [])
    manifesto = upload(CODED, "coded.csv", party=party)
    signed_in(client, user)
    page = client.get(manifesto.get_absolute_url())
    assert page.status_code == 200
    assert "review-form" not in page.content.decode() and 'id="publish"' not in page.content.decode()
    assert client.get(LIST).status_code == 200

    refused = client.get(UPLOAD)
    assert refused.status_code == 403
    assert "not upload, review or publish" in text_of(refused)
    sentence = manifesto.sentences.get(text="Hospitals will get new wards.")
    assert (
        client.post(reverse("manifestos:review", args=[sentence.pk]), {"education": "yes"}).status_code == 403
    )
    assert (
        client.post(reverse("manifestos:publish", args=[manifesto.pk]), {"publish": "1"}).status_code == 403
    )
    assert client.post(reverse("manifestos:reanalyse", args=[manifesto.pk])).status_code == 403
    assert client.post(reverse("manifestos:delete", args=[manifesto.pk])).status_code == 403
    manifesto.refresh_from_db()
    assert (manifesto.is_published, manifesto.reviewed_sentences) == (False, 0)


# --- uploading ---------------------------------------------------------------------------------


def test_uploading_a_text_manifesto_analyses_it_and_shows_its_figures_and_sentences(
    client, specialist, party
):
    signed_in(client, specialist)
    assert client.get(UPLOAD).status_code == 200
    response = post_upload(client, party, TEXT, election=make_election().pk)
    manifesto = Manifesto.objects.get()
    assert response.status_code == 302 and response["Location"] == manifesto.get_absolute_url()
    assert (manifesto.uploaded_by, manifesto.status, manifesto.source) == (specialist, "ready", "text")
    page = client.get(manifesto.get_absolute_url())
    body = text_of(page)
    assert share_on(page) == f"{manifesto.education_share:.3f}%"
    assert 'id="quasi-sentences">4<' in page.content.decode()
    # Headings are shown as headings, marked as not counted, with nothing to review.
    heading = manifesto.sentences.get(text="Education for every child")
    fragment = re.search(rf'id="sentence-{heading.pk}".*?</li>', page.content.decode(), re.S).group(0)
    assert "heading, not counted" in fragment and "review-form" not in fragment
    # The funding commitment with its sentence.
    commitments = re.search(r'id="commitments".*?</section>', body, re.S).group(0)
    assert "4% · Share of GDP" in commitments and "meets the 4% of GDP target" in commitments
    assert "We will raise public spending on education to 4% of GDP within five years." in commitments
    # The specialist may not see personal data: who uploaded it is not shown.
    assert "uploaded by" not in body


def test_uploading_a_word_document(client, specialist, party):
    content = docx_bytes(
        [
            ("Heading 1", "Schools for all"),
            ("Normal", "We will open a girls' secondary school in every union council."),
            ("Normal", "We will pay teachers on time every month."),
            ("Heading 1", "Roads"),
            ("Normal", "We will pave every village road."),
        ]
    )
    signed_in(client, specialist)
    post_upload(client, party, content, "manifesto.docx")
    manifesto = Manifesto.objects.get()
    assert (manifesto.status, manifesto.source) == ("ready", "docx")
    expected = analyse_file(content, "manifesto.docx", language="en")
    assert [s.text for s in manifesto.sentences.order_by("position")] == [s.text for s in expected.sentences]
    assert manifesto.quasi_sentences == expected.quasi_sentences == 3
    assert manifesto.sentences.filter(is_heading=True).count() == 2


def test_a_word_document_locked_with_a_password_is_refused_and_nothing_is_stored(client, specialist, party):
    from msoffcrypto.format.ooxml import OOXMLFile

    locked = io.BytesIO()
    OOXMLFile(io.BytesIO(docx_bytes([("Normal", "We will build schools.")]))).encrypt("secret", locked)
    signed_in(client, specialist)
    response = post_upload(client, party, locked.getvalue(), "manifesto.docx")
    assert response.status_code == 200
    assert "protected by a password" in text_of(response)
    assert not Manifesto.objects.exists()


def test_a_web_page_that_word_saved_as_doc_is_read_by_its_content(client, specialist, party):
    page = "<html><body><p>We will open a school in every village.</p></body></html>"
    signed_in(client, specialist)
    post_upload(client, party, page, "manifesto.doc")
    manifesto = Manifesto.objects.get()
    assert (manifesto.status, manifesto.source, manifesto.education_sentences) == ("ready", "html", 1)


def test_uploading_a_web_page_saved_from_the_partys_site(client, specialist, party):
    page = (
        "<!doctype html><html><body><nav>Home · Join us</nav><h2>Schools for all</h2>"
        "<p>We will open a girls' secondary school in every union council.</p>"
        "<p>We will pave every village road.</p></body></html>"
    )
    signed_in(client, specialist)
    form = client.get(UPLOAD)
    assert ".html" in form.content.decode()  # the file picker offers web pages
    post_upload(client, party, page, "manifesto.htm")
    manifesto = Manifesto.objects.get()
    assert (manifesto.status, manifesto.source, manifesto.get_source_display()) == (
        "ready",
        "html",
        "Web page (HTML)",
    )
    assert [s.text for s in manifesto.sentences.order_by("position")] == [
        "Schools for all",
        "We will open a girls' secondary school in every union council.",
        "We will pave every village road.",
    ]
    assert (manifesto.quasi_sentences, manifesto.education_sentences) == (2, 1)


def test_a_pre_coded_csv_is_recognised_without_being_told(client, specialist, party):
    signed_in(client, specialist)
    post_upload(client, party, CODED, "coded.csv")
    manifesto = Manifesto.objects.get()
    assert (manifesto.source, manifesto.education_share) == ("coded", Decimal("30.000"))


def test_a_pre_coded_file_can_be_said_to_be_so(client, specialist, party):
    signed_in(client, specialist)
    post_upload(client, party, CODED, "coded.txt", coded="on")
    assert Manifesto.objects.get().source == "coded"


def test_the_same_file_again_says_so_links_to_it_and_stores_nothing(client, specialist, party):
    signed_in(client, specialist)
    post_upload(client, party, TEXT)
    first = Manifesto.objects.get()
    response = post_upload(client, party, TEXT, "again.txt")
    assert response.status_code == 200
    assert "This exact file was already uploaded" in text_of(response)
    assert f'href="{first.get_absolute_url()}"' in response.content.decode()
    assert Manifesto.objects.count() == 1


def test_an_empty_file_is_refused_next_to_the_field_keeping_what_was_typed(client, specialist, party):
    signed_in(client, specialist)
    response = post_upload(client, party, b"", "empty.txt", title="Our manifesto, 2018")
    assert response.status_code == 200
    form = response.context["form"]
    assert "empty" in " ".join(form.errors["file"])
    body = text_of(response)
    assert 'value="Our manifesto, 2018"' in body
    assert "choose the file again" in body
    assert not Manifesto.objects.exists()


def test_a_missing_party_and_file_are_both_told(client, specialist):
    signed_in(client, specialist)
    response = client.post(UPLOAD, {"title": "Manifesto", "language": "en"})
    errors = response.context["form"].errors
    assert errors["party"] == ["Choose the party whose manifesto this is."]
    assert errors["file"] == ["Choose the manifesto's file."]


def test_a_file_over_the_limit_is_refused_with_the_limit(client, specialist, party, monkeypatch):
    monkeypatch.setattr(services, "MAX_MANIFESTO_BYTES", 1024)
    signed_in(client, specialist)
    response = post_upload(client, party, "word " * 1000)
    assert "a manifesto can be at most 1.0 KB" in " ".join(response.context["form"].errors["file"]).replace(
        "\xa0", " "
    )
    assert not Manifesto.objects.exists()


@pytest.mark.parametrize(
    ("content", "name"), [(fake_docx(), "manifesto.docx"), (pdf_without_text(), "scanned.pdf")]
)
def test_a_file_that_cannot_be_read_shows_the_reason_on_its_page(client, specialist, party, content, name):
    with pytest.raises(ManifestoError) as engine:
        analyse_file(content, name, language="en")
    signed_in(client, specialist)
    response = post_upload(client, party, content, name)
    manifesto = Manifesto.objects.get()
    assert (manifesto.status, manifesto.sentences.count()) == ("failed", 0)
    page = client.get(response["Location"])
    message = re.search(r'id="analysis-message">(.*?)</div>', text_of(page)).group(1)
    assert str(engine.value) in message
    assert 'id="sentences"' not in page.content.decode() and 'id="publish"' not in page.content.decode()


# --- progress ----------------------------------------------------------------------------------


def test_the_page_shows_progress_while_analysing_and_reloads_when_done(client, specialist, party):
    manifesto = upload(TEXT, party=party)
    Manifesto.objects.filter(pk=manifesto.pk).update(status=Manifesto.Status.ANALYSING, progress=42)
    signed_in(client, specialist)
    page = client.get(manifesto.get_absolute_url())
    progress = re.search(r'<div id="progress".*?</div>\s*</div>', page.content.decode(), re.S).group(0)
    assert "Analysing… 42%" in unescape(progress) and 'hx-trigger="every 1s"' in progress
    poll = client.get(f"{manifesto.get_absolute_url()}?poll=1", **HTMX)
    assert "42%" in poll.content.decode() and "<html" not in poll.content.decode()
    # A review while it is being analysed again is refused (its sentences are about to change).
    sentence = manifesto.sentences.filter(is_heading=False).first()
    refused = client.post(reverse("manifestos:review", args=[sentence.pk]), {"education": "yes"}, **HTMX)
    assert "being analysed again" in text_of(refused)

    Manifesto.objects.filter(pk=manifesto.pk).update(status=Manifesto.Status.READY, progress=100)
    done = client.get(f"{manifesto.get_absolute_url()}?poll=1", **HTMX)
    assert done["HX-Refresh"] == "true"


# --- reviewing ---------------------------------------------------------------------------------


def test_a_review_by_htmx_replaces_the_sentence_and_updates_the_figures(client, specialist, party):
    manifesto = upload(CODED, "coded.csv", party=party)
    signed_in(client, specialist)
    page = client.get(manifesto.get_absolute_url())
    assert share_on(page) == "30.000%"
    hospitals = manifesto.sentences.get(text="Hospitals will get new wards.")
    response = client.post(
        reverse("manifestos:review", args=[hospitals.pk]),
        {"education": "yes", "topic": "infrastructure", "next": manifesto.get_absolute_url()},
        **HTMX,
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="list-group-item px-2 sentence" id="sentence-{hospitals.pk}"')
    assert 'id="figures" class="mb-3" hx-swap-oob="true"' in html
    assert share_on(response) == "40.000%"
    assert 'id="reviewed-sentences">1<' in html
    body = words(response)
    # The automatic decision stays visible next to the reviewer's.
    assert "Automatic: not education" in body and "Reviewer: education Infrastructure" in body


def test_a_review_without_javascript_comes_back_to_the_same_list(client, specialist, party):
    manifesto = upload(CODED, "coded.csv", party=party)
    signed_in(client, specialist)
    teachers = manifesto.sentences.get(text="We will hire fifty thousand teachers.")
    back = f"{manifesto.get_absolute_url()}?show=education"
    response = client.post(
        reverse("manifestos:review", args=[teachers.pk]),
        {"education": "no", "topic": "teachers", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == f"{back}#sentence-{teachers.pk}"
    page = client.get(response["Location"].split("#")[0])
    assert share_on(page) == "20.000%"
    assert "The education share is now 20.000%" in text_of(page)
    teachers.refresh_from_db()
    assert (teachers.reviewed_education, teachers.reviewed_topic) == (False, "")
    # A link elsewhere is not followed.
    away = client.post(
        reverse("manifestos:review", args=[teachers.pk]),
        {"education": "yes", "next": "https://evil.example/"},
    )
    assert away["Location"] == f"{manifesto.get_absolute_url()}#sentence-{teachers.pk}"


def test_the_sentence_filters(client, specialist, party):
    manifesto = upload(CODED, "coded.csv", party=party)
    services.review(
        user=specialist,
        sentence=manifesto.sentences.get(text="Hospitals will get new wards."),
        education=True,
        topic="access",
    )
    signed_in(client, specialist)

    def shown(**query):
        response = client.get(manifesto.get_absolute_url(), query, HTTP_HX_TARGET="sentences", **HTMX)
        return [s.text for s in response.context["page"]]

    assert len(shown()) == 12
    assert shown(show="education") == [
        "Every child will be in school by 2023.",
        "We will hire fifty thousand teachers.",
        "Girls' secondary schools will open in every tehsil.",
        "Hospitals will get new wards.",
    ]
    assert len(shown(show="not_education")) == 6
    assert (
        "Hospitals will get new wards." not in shown(show="unreviewed") and len(shown(show="unreviewed")) == 9
    )
    assert shown(show="reviewed") == ["Hospitals will get new wards."]
    access = [
        s.text for s in manifesto.sentences.order_by("position") if s.is_education and s.topic == "access"
    ]
    assert "Hospitals will get new wards." in access
    assert shown(topic="access") == access
    assert shown(q="POLICE") == ["The police will be reformed."]
    # The HTMX answer is the list alone.
    response = client.get(
        manifesto.get_absolute_url(), {"show": "reviewed"}, HTTP_HX_TARGET="sentences", **HTMX
    )
    assert "<html" not in response.content.decode() and 'id="sentence-count"' in response.content.decode()


def test_the_sentences_are_paginated(client, specialist, party):
    rows = "\n".join(f"Sentence number {n}.,0" for n in range(120))
    manifesto = upload(f"text,cmp_code\n{rows}\n", "long.csv", party=party)
    signed_in(client, specialist)
    first = client.get(manifesto.get_absolute_url())
    assert len(first.context["page"]) == 50 and "Page 1 of 3" in text_of(first)
    last = client.get(manifesto.get_absolute_url(), {"page": 3})
    assert [s.text for s in last.context["page"]][-1] == "Sentence number 119."


# --- publishing, the file, the exports ----------------------------------------------------------


def test_publishing_and_the_file_for_the_public(client, specialist, party):
    manifesto = upload(TEXT, party=party)
    file_url = reverse("manifestos:file", args=[manifesto.pk])
    assert client.get(file_url).status_code == 302  # private until published

    signed_in(client, specialist)
    staff_copy = client.get(file_url)
    assert staff_copy.status_code == 200 and b"".join(staff_copy.streaming_content) == TEXT.encode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).count() == 1
    response = client.post(reverse("manifestos:publish", args=[manifesto.pk]), {"publish": "1"}, follow=True)
    assert "is published" in text_of(response)
    manifesto.refresh_from_db()
    assert manifesto.is_published

    client.logout()
    public = client.get(file_url)
    assert public.status_code == 200 and 'filename="manifesto.txt"' in public["Content-Disposition"]


def test_a_failed_manifesto_cannot_be_published(client, specialist, party):
    manifesto = upload(fake_docx(), "broken.docx", party=party)
    signed_in(client, specialist)
    response = client.post(reverse("manifestos:publish", args=[manifesto.pk]), {"publish": "1"}, follow=True)
    assert "Only an analysed manifesto can be published" in text_of(response)
    manifesto.refresh_from_db()
    assert not manifesto.is_published


def test_analysing_again_from_the_page_warns_and_keeps_the_reviews(client, specialist, party):
    manifesto = upload(CODED, "coded.csv", party=party)
    services.review(
        user=specialist,
        sentence=manifesto.sentences.get(text="Hospitals will get new wards."),
        education=True,
    )
    signed_in(client, specialist)
    page = client.get(manifesto.get_absolute_url())
    assert "1 sentence has a reviewer's decision" in text_of(page)
    response = client.post(reverse("manifestos:reanalyse", args=[manifesto.pk]), follow=True)
    assert "1 of 1 reviewer decision was kept" in text_of(response)
    manifesto.refresh_from_db()
    assert (manifesto.education_share, manifesto.reviewed_sentences) == (Decimal("40.000"), 1)


def test_deleting_an_upload_removes_it_with_its_sentences(
    client, specialist, party, django_capture_on_commit_callbacks
):
    manifesto = upload(TEXT, party=party)
    storage, name = manifesto.file.storage, manifesto.file.name
    signed_in(client, specialist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("manifestos:delete", args=[manifesto.pk]))
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Manifesto.objects.exists() and not manifesto.sentences.model.objects.exists()
    assert not storage.exists(name)


def test_the_list_filters_and_exports(client, specialist, party):
    other = make_party("Second Party", "SP")
    first = upload(TEXT, party=party, title="First manifesto")
    upload(CODED, "coded.csv", party=other, title="Second manifesto")
    services.publish(user=None, manifesto=first, published=True)
    signed_in(client, specialist)
    listed = client.get(LIST)
    assert {row.record.title for row in listed.context["table"].rows} == {
        "First manifesto",
        "Second manifesto",
    }
    assert "2 manifestos" in text_of(listed)
    only = client.get(LIST, {"party": other.pk})
    assert [row.record.title for row in only.context["table"].rows] == ["Second manifesto"]
    published = client.get(LIST, {"is_published": "true"})
    assert [row.record.title for row in published.context["table"].rows] == ["First manifesto"]

    export = client.get(LIST, {"party": other.pk, "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export).decode("utf-8-sig"))))
    assert [(r["Manifesto"], r["Party"], r["Education share (%)"]) for r in rows] == [
        ("Second manifesto", "Second Party", "30.000")
    ]
    xlsx = client.get(LIST, {"export": "xlsx"})
    assert xlsx.status_code == 200 and "spreadsheet" in xlsx["Content-Type"]


def test_the_sentences_export_reads_back_as_a_pre_coded_manifesto_with_the_same_share(
    client, specialist, party
):
    manifesto = upload(CODED, "coded.csv", party=party)
    services.review(
        user=specialist,
        sentence=manifesto.sentences.get(text="Hospitals will get new wards."),
        education=True,
    )
    services.review(
        user=specialist,
        sentence=manifesto.sentences.get(text="We will hire fifty thousand teachers."),
        education=False,
    )
    signed_in(client, specialist)
    response = client.get(reverse("manifestos:sentences-export", args=[manifesto.pk]))
    content = response.content
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert list(rows[0])[:2] == ["text", "cmp_code"]
    assert rows[0]["cmp_code"] == "H" and rows[0]["is_heading"] == "yes"
    hospitals = next(r for r in rows if r["text"] == "Hospitals will get new wards.")
    assert (
        hospitals["cmp_code"],
        hospitals["predicted_education"],
        hospitals["reviewed_education"],
        hospitals["original_cmp_code"],
    ) == (
        "506",
        "no",
        "yes",
        "504",
    )
    teachers = next(r for r in rows if r["text"] == "We will hire fifty thousand teachers.")
    assert teachers["cmp_code"] == "0"
    manifesto.refresh_from_db()
    assert read_coded(content, "export.csv").education_share == manifesto.education_share == Decimal("30.000")
