"""The manifestos' services: an upload stored and analysed, duplicates and bad files refused or
failed with the engine's words, a reviewer's decision changing the share exactly, analysing
again keeping reviewers' work, publishing, and the latest manifesto of each party."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from muhim.elections.models import Election, Party
from muhim.manifestos import services
from muhim.manifestos.analysis import Analysis, ManifestoError, Sentence, analyse_file
from muhim.manifestos.models import FundingCommitment, Manifesto, QuasiSentence

pytestmark = pytest.mark.django_db

TEXT = """Education for every child

We will build two thousand new primary schools in rural districts.
We will raise public spending on education to 4% of GDP within five years.

A stronger economy

We will reduce the fiscal deficit by broadening the tax base.
New motorways will connect every provincial capital.
"""

# Ten quasi-sentences, three of them coded 506 (education expansion), and two headings.
CODED = """text,cmp_code
Our programme,H
Every child will be in school by 2023.,506
We will hire fifty thousand teachers.,506
Girls' secondary schools will open in every tehsil.,506
The tax base will be broadened.,402
Exports will be supported.,410
Farmers will get cheaper fertiliser.,703
The police will be reformed.,605
Hospitals will get new wards.,504
Electricity losses will be cut.,411
Local governments will be elected.,301
Governance,H
"""


def make_party(name="Pakistan Progress Party", abbreviation="PPP-D"):
    return Party.objects.create(name=name, abbreviation=abbreviation)


def make_election(year=2018):
    return Election.objects.create(
        name=f"General election {year}",
        slug=f"ge-{year}",
        polling_date=date(year, 7, 25),
        delimitation_year=2018,
    )


def upload(content, name="manifesto.txt", *, party=None, election=None, title="Manifesto 2018", **data):
    party = party or Party.objects.first() or make_party()
    if isinstance(content, str):
        content = content.encode("utf-8")
    return services.create_manifesto(
        user=None,
        data={"party": party, "election": election, "title": title, "language": "en", **data},
        file=SimpleUploadedFile(name, content),
    )


def fake_docx():
    """A ZIP named .docx that holds no Word document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a word document")
    return buffer.getvalue()


def pdf_without_text():
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return buffer.getvalue()


def test_a_text_manifesto_is_stored_analysed_and_its_figures_equal_its_sentences():
    manifesto = upload(TEXT)
    assert manifesto.status == Manifesto.Status.READY
    assert manifesto.source == Manifesto.Source.TEXT
    assert manifesto.file_sha256 and manifesto.file.storage.exists(manifesto.file.name)
    sentences = list(manifesto.sentences.order_by("position"))
    assert [s.position for s in sentences] == list(range(len(sentences)))
    headings = [s.text for s in sentences if s.is_heading]
    assert headings == ["Education for every child", "A stronger economy"]
    counted = [s for s in sentences if not s.is_heading]
    assert manifesto.quasi_sentences == len(counted) == 4
    assert manifesto.education_sentences == sum(s.predicted_education for s in counted)
    assert manifesto.education_share == Decimal(100) * manifesto.education_sentences / 4
    assert manifesto.analysed_at is not None and manifesto.progress == 100
    # The funding commitment is linked to the sentence it was found in.
    commitment = FundingCommitment.objects.get(manifesto=manifesto)
    assert commitment.sentence.text.startswith("We will raise public spending on education to 4% of GDP")
    assert commitment.meets_target and manifesto.commits_four_percent


def test_a_pre_coded_manifesto_counts_its_506_sentences_and_leaves_headings_out():
    manifesto = upload(CODED, "coded.csv")
    assert manifesto.source == Manifesto.Source.CODED
    assert (manifesto.quasi_sentences, manifesto.education_sentences) == (10, 3)
    assert manifesto.education_share == Decimal("30.000")
    assert manifesto.sentences.filter(is_heading=True).count() == 2
    assert set(manifesto.sentences.filter(is_heading=False).values_list("cmp_code", flat=True)) >= {
        "506",
        "402",
    }


def test_a_reviewer_decision_changes_the_share_exactly_and_can_be_undone(make_user):
    reviewer = make_user("specialist")
    manifesto = upload(CODED, "coded.csv")
    hospitals = manifesto.sentences.get(text="Hospitals will get new wards.")
    services.review(user=reviewer, sentence=hospitals, education=True, topic="infrastructure")
    manifesto.refresh_from_db()
    assert (manifesto.education_sentences, manifesto.quasi_sentences) == (4, 10)
    assert manifesto.education_share == Decimal("40.000")
    assert manifesto.reviewed_sentences == 1
    hospitals.refresh_from_db()
    assert (hospitals.reviewed_by, hospitals.reviewed_topic, hospitals.is_education) == (
        reviewer,
        "infrastructure",
        True,
    )

    # Confirming an automatic decision counts as reviewed but changes no figure.
    teachers = manifesto.sentences.get(text="We will hire fifty thousand teachers.")
    services.review(user=reviewer, sentence=teachers, education=True, topic="teachers")
    manifesto.refresh_from_db()
    assert (manifesto.education_share, manifesto.reviewed_sentences) == (Decimal("40.000"), 2)

    services.review(user=reviewer, sentence=hospitals, education=None)
    manifesto.refresh_from_db()
    assert (manifesto.education_share, manifesto.reviewed_sentences) == (Decimal("30.000"), 1)


def test_a_four_percent_commitment_whose_sentence_is_reviewed_as_not_education_is_set_aside(
    client, make_user
):
    reviewer = make_user("specialist")
    manifesto = upload(
        b"UNESCO says every country should spend 4% of GDP on education, and we will do it.\n\n"
        b"We will build roads.\n"
    )
    assert manifesto.commits_four_percent
    sentence = manifesto.funding_commitments.get().sentence
    services.review(user=reviewer, sentence=sentence, education=False)
    manifesto.refresh_from_db()
    assert not manifesto.commits_four_percent
    client.force_login(reviewer)
    page = client.get(manifesto.get_absolute_url()).content.decode()
    assert "set aside: its sentence was reviewed as not education" in page
    api = client.get(f"/api/v1/manifestos/{manifesto.pk}/").json()
    assert [c["set_aside"] for c in api["funding_commitments"]] == [True]
    # Undoing the decision counts it again.
    services.review(user=reviewer, sentence=sentence, education=None)
    manifesto.refresh_from_db()
    assert manifesto.commits_four_percent


def test_a_review_is_refused_for_a_heading_and_for_a_topic_on_a_non_education_sentence(make_user):
    reviewer = make_user("specialist")
    manifesto = upload(CODED, "coded.csv")
    heading = manifesto.sentences.filter(is_heading=True).first()
    with pytest.raises(ValidationError, match="heading"):
        services.review(user=reviewer, sentence=heading, education=True)
    taxes = manifesto.sentences.get(text="The tax base will be broadened.")
    with pytest.raises(ValidationError, match="not about education has no education topic"):
        services.review(user=reviewer, sentence=taxes, education=False, topic="funding")
    manifesto.refresh_from_db()
    assert (manifesto.reviewed_sentences, manifesto.education_share) == (0, Decimal("30.000"))


def test_the_same_file_for_the_same_party_and_election_is_refused_and_nothing_is_stored():
    election = make_election()
    first = upload(TEXT, election=election)
    with pytest.raises(services.AlreadyUploaded) as refused:
        upload(TEXT, "copy.txt", election=election, title="Another title")
    assert refused.value.manifesto == first
    assert "already uploaded" in " ".join(refused.value.messages)
    assert Manifesto.objects.count() == 1
    # For another party the same file is a manifesto of its own.
    upload(TEXT, party=make_party("Other Party", "OP"), election=election)
    assert Manifesto.objects.count() == 2


@pytest.mark.parametrize("content", [b"", b"   \n\n  "])
def test_an_empty_file_is_refused_at_the_upload(content):
    with pytest.raises(ValidationError) as refused:
        upload(content)
    assert "empty" in refused.value.message_dict["file"][0]
    assert not Manifesto.objects.exists()


def test_a_file_over_the_size_limit_is_refused_saying_the_limit(monkeypatch):
    monkeypatch.setattr(services, "MAX_MANIFESTO_BYTES", 100)
    with pytest.raises(ValidationError) as refused:
        upload("x" * 500)
    message = refused.value.message_dict["file"][0]
    assert "at most 100" in message
    assert not Manifesto.objects.exists()


def pdf_with_unknown_glyphs():
    from muhim.manifestos.tests.test_analysis_extract import pdf_bytes

    return pdf_bytes([["\x00\x00m \x00\x00r \x00\x00\x00la \x00\x00\x00\x00n \x00\x00o\x00r\x00\x00i"] * 6])


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (fake_docx(), "manifesto.docx"),
        (pdf_without_text(), "manifesto.pdf"),
        (pdf_with_unknown_glyphs(), "nastaliq.pdf"),
    ],
)
def test_a_file_the_engine_cannot_read_fails_with_its_message_and_no_sentences(content, name):
    with pytest.raises(ManifestoError) as engine:
        analyse_file(content, name, language="en")
    manifesto = upload(content, name)
    assert manifesto.status == Manifesto.Status.FAILED
    assert manifesto.message == str(engine.value)
    assert not manifesto.sentences.exists() and manifesto.education_share is None
    # The file is kept, to be analysed again once the engine can read it.
    assert manifesto.file.storage.exists(manifesto.file.name)


def test_a_partly_scanned_pdf_is_analysed_and_the_uploader_told_which_pages_were_not_read(client, make_user):
    from muhim.manifestos.tests.test_analysis_extract import MANIFESTO_PAGES, pdf_bytes

    manifesto = upload(pdf_bytes([MANIFESTO_PAGES[0], None, MANIFESTO_PAGES[1]]), "manifesto.pdf")
    assert manifesto.status == Manifesto.Status.READY
    assert manifesto.quasi_sentences == 4
    assert manifesto.message.startswith("Page 2 has no text that can be read")

    client.force_login(make_user("specialist"))
    page = client.get(f"/manifestos/{manifesto.pk}/").content.decode()
    assert "Page 2 has no text that can be read" in page


def test_progress_is_written_while_the_engine_works(monkeypatch):
    seen = []

    def engine(data, filename, *, language=None, progress=None):
        for percent in (10, 55):
            progress(percent)
            stored = Manifesto.objects.values("status", "progress").get()
            seen.append((stored["status"], stored["progress"]))
        return Analysis(sentences=[Sentence(text="We will build schools.", education=True, topic="access")])

    monkeypatch.setattr(services, "analyse_file", engine)
    manifesto = upload(TEXT)
    assert seen == [("analysing", 10), ("analysing", 55)]
    assert (manifesto.status, manifesto.progress, manifesto.education_share) == (
        "ready",
        100,
        Decimal("100.000"),
    )


def test_a_failure_while_storing_leaves_no_partial_sentences(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(FundingCommitment.objects, "bulk_create", broken)
    manifesto = upload(TEXT)
    assert manifesto.status == Manifesto.Status.FAILED
    assert "could not be stored" in manifesto.message
    assert not QuasiSentence.objects.exists()


def test_analysing_again_keeps_decisions_on_unchanged_sentences_and_says_how_many_were_dropped(
    make_user, monkeypatch
):
    reviewer = make_user("specialist")
    manifesto = upload(CODED, "coded.csv")
    hospitals = manifesto.sentences.get(text="Hospitals will get new wards.")
    police = manifesto.sentences.get(text="The police will be reformed.")
    services.review(user=reviewer, sentence=hospitals, education=True, topic="infrastructure")
    services.review(user=reviewer, sentence=police, education=True, topic="")

    # The new analysis splits the police sentence differently, and adds a sentence at the start.
    def engine(data, filename=""):
        sentences = [Sentence(text="A new first sentence.", cmp_code="0")]
        for row in data.decode().splitlines()[1:]:
            text, code = row.rsplit(",", 1)
            if text == "The police will be reformed.":
                text = "The police will be reformed and trained."
            sentences.append(
                Sentence(text=text, cmp_code=code, is_heading=code == "H", education=code == "506")
            )
        return Analysis(sentences=sentences)

    monkeypatch.setattr(services, "read_coded", engine)
    manifesto = services.queue_analysis(manifesto)
    assert manifesto.status == Manifesto.Status.READY
    kept = manifesto.sentences.get(text="Hospitals will get new wards.")
    assert (kept.reviewed_education, kept.reviewed_topic, kept.reviewed_by, kept.position) == (
        True,
        "infrastructure",
        reviewer,
        hospitals.position + 1,
    )
    assert not manifesto.sentences.get(text__startswith="The police").is_reviewed
    assert manifesto.reviewed_sentences == 1
    # 11 counted now, 3 coded 506 and the hospitals sentence reviewed as education.
    assert manifesto.education_share == Decimal("36.364")
    assert "1 of 2 reviewer decisions were kept" in manifesto.message
    assert "1 was on a sentence the new analysis no longer has" in manifesto.message


def test_a_failed_second_analysis_keeps_the_earlier_results(make_user, monkeypatch):
    manifesto = upload(CODED, "coded.csv")
    services.review(
        user=make_user("specialist"),
        sentence=manifesto.sentences.get(text="Hospitals will get new wards."),
        education=True,
    )

    def engine(data, filename=""):
        raise ManifestoError("The engine cannot read this today.")

    monkeypatch.setattr(services, "read_coded", engine)
    manifesto = services.queue_analysis(manifesto)
    assert manifesto.status == Manifesto.Status.READY
    assert "The engine cannot read this today." in manifesto.message
    assert (manifesto.sentences.count(), manifesto.education_share, manifesto.reviewed_sentences) == (
        12,
        Decimal("40.000"),
        1,
    )


def test_publishing_shows_only_an_analysed_manifesto():
    manifesto = upload(TEXT)
    assert not Manifesto.objects.published().exists()
    services.publish(user=None, manifesto=manifesto, published=True)
    assert list(Manifesto.objects.published()) == [manifesto]
    services.publish(user=None, manifesto=manifesto, published=False)
    assert not Manifesto.objects.published().exists()

    failed = upload(fake_docx(), "broken.docx")
    with pytest.raises(ValidationError, match="Only an analysed manifesto"):
        services.publish(user=None, manifesto=failed, published=True)
    failed.refresh_from_db()
    assert not failed.is_published


def test_latest_manifestos_gives_each_partys_most_recent_analysed_one():
    old, new = make_election(2013), make_election(2018)
    first, second = make_party(), make_party("Second Party", "SP")
    then = upload(TEXT, party=first, election=old, title="2013")
    now = upload(CODED, "coded.csv", party=first, election=new, title="2018")
    other = upload(TEXT, party=second, election=old, title="Second 2013")
    upload(fake_docx(), "broken.docx", party=second, election=new, title="Failed")
    assert services.latest_manifestos() == []
    for manifesto in (then, now, other):
        services.publish(user=None, manifesto=manifesto, published=True)
    assert services.latest_manifestos() == [now, other]  # by party name
    assert services.latest_manifestos(election=old) == [then, other]
    services.publish(user=None, manifesto=now, published=False)
    assert services.latest_manifestos() == [then, other]
    assert services.latest_manifestos(published_only=False) == [now, other]
    assert services.latest_manifestos()[0].education_share == then.education_share


def test_the_demo_adds_two_analysed_manifestos_once_and_nothing_without_parties():
    from muhim.manifestos import demo

    demo.load()
    assert not Manifesto.objects.exists()
    make_party("Pakistan Tehreek-e-Insaf", "PTI")
    make_party("Pakistan Muslim League (N)", "PML-N")
    make_party("Another Party", "AP")
    demo.load()
    demo.load()
    manifestos = list(Manifesto.objects.select_related("party").order_by("pk"))
    assert [m.party.abbreviation for m in manifestos] == ["PTI", "PML-N"]
    assert all(m.status == "ready" and m.quasi_sentences > 10 for m in manifestos)
    assert [m.is_published for m in manifestos] == [True, False]
    assert manifestos[0].commits_four_percent and not manifestos[1].commits_four_percent
