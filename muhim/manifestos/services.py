"""Writes of the manifestos: an upload (the file kept privately, its analysis queued), the
analysis itself (what the background task runs), a reviewer's decision on one sentence, and
publishing. Every write keeps `Manifesto.refresh_figures()` true.

The analysis stores all of its results or none: the engine (`manifestos.analysis`) runs first,
outside any transaction, reporting its progress; its sentences and funding commitments then
replace the earlier ones in one transaction. A file the engine refuses (`ManifestoError`)
leaves the manifesto "failed" with the engine's words for the uploader and no sentences.

Analysing again keeps the reviewers' work: a decision on a sentence whose text is unchanged
(spaces aside) is carried over to the new sentence; decisions on sentences that are no longer
there are dropped, and the manifesto's `message` says how many were kept and how many dropped
(the detail page warns of this before the button is pressed). If the new analysis fails, the
earlier results stay as they were and `message` says why the new one failed."""

import hashlib
import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from muhim.core.files import OLE_MAGIC

from .analysis import ManifestoError, analyse_file, read_coded
from .analysis.extract import is_html, office_file_message
from .models import FundingCommitment, Language, Manifesto, QuasiSentence, Topic

logger = logging.getLogger(__name__)

MAX_MANIFESTO_BYTES = 25 * 1024 * 1024
ACCEPTED_SUFFIXES = (".pdf", ".docx", ".txt", ".text", ".md", ".csv")
# Below this the classifier is unsure: the review page offers these sentences first.
LOW_CONFIDENCE = 0.6
S = Manifesto.Status


class AlreadyUploaded(ValidationError):
    """The same file was already uploaded for the party and election: `manifesto` is it."""

    def __init__(self, manifesto):
        self.manifesto = manifesto
        super().__init__(
            {
                "file": _(
                    "This exact file was already uploaded for %(party)s%(election)s: “%(title)s”. "
                    "Nothing new was stored."
                )
                % {
                    "party": manifesto.party,
                    "election": f" ({manifesto.election})" if manifesto.election_id else "",
                    "title": manifesto.title,
                }
            },
            code="duplicate",
        )


# --- uploading --------------------------------------------------------------------------------


def detect_source(data: bytes, filename: str, *, coded: bool = False) -> str:
    """What kind of file this is, by its content first and its name second. A CSV (or a text
    whose first line names a cmp_code column) is a pre-coded manifesto."""
    if coded:
        return Manifesto.Source.CODED
    name = (filename or "").lower()
    if data[:5] == b"%PDF-" or name.endswith(".pdf"):
        return Manifesto.Source.PDF
    if data[:2] == b"PK" or name.endswith(".docx"):
        return Manifesto.Source.DOCX
    if name.endswith((".html", ".htm")) or is_html(
        data[:4096].decode("utf-8", errors="ignore").lstrip("\ufeff")
    ):
        return Manifesto.Source.HTML
    first_line = data[:2000].decode("utf-8", errors="ignore").lstrip("\ufeff").split("\n", 1)[0].lower()
    if name.endswith(".csv") or "cmp_code" in first_line:
        return Manifesto.Source.CODED
    return Manifesto.Source.TEXT


def check_file(file) -> bytes:
    """The upload's bytes, or a ValidationError on `file` saying what to fix."""
    if file is None:
        raise ValidationError({"file": _("Choose the manifesto's file.")}, code="required")
    size = getattr(file, "size", None)
    if size is not None and size > MAX_MANIFESTO_BYTES:
        raise ValidationError(
            {
                "file": _(
                    "This file is %(size)s; a manifesto can be at most %(limit)s. Save the PDF "
                    "without images (or as plain text) and upload that."
                )
                % {"size": filesizeformat(size), "limit": filesizeformat(MAX_MANIFESTO_BYTES)}
            },
            code="too_large",
        )
    file.seek(0)
    data = file.read()
    if not data.strip():
        raise ValidationError(
            {"file": _("This file is empty: choose the file that holds the manifesto's text.")},
            code="empty",
        )
    if len(data) > MAX_MANIFESTO_BYTES:  # a file object without a size
        raise ValidationError(
            {
                "file": _("A manifesto can be at most %(limit)s.")
                % {"limit": filesizeformat(MAX_MANIFESTO_BYTES)}
            },
            code="too_large",
        )
    # By content, not name: a ".doc" may be a web page or RTF that Word saved under that name.
    if data.startswith(OLE_MAGIC):
        raise ValidationError({"file": office_file_message(data)}, code="office_file")
    return data


@transaction.atomic
def _store_upload(*, user, data, file_bytes, filename, sha256, source):
    manifesto = Manifesto(
        party=data["party"],
        election=data.get("election"),
        title=data["title"].strip(),
        language=data.get("language") or Language.ENGLISH,
        source=source,
        original_name=filename[:255],
        file_sha256=sha256,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        status=S.PENDING,
    )
    manifesto.full_clean(exclude=["file"])
    manifesto.file.save(filename.rsplit("/", 1)[-1][:100] or "manifesto", ContentFile(file_bytes), save=False)
    try:
        manifesto.save()
    except Exception:
        manifesto.file.delete(save=False)
        raise
    return manifesto


def create_manifesto(*, user, data, file) -> Manifesto:
    """Store an uploaded manifesto and queue its analysis.

    `data`: party, election (or None), title, language, coded (the file is rows of
    text,cmp_code; a CSV or a file whose header names cmp_code is taken as such anyway).
    Raises ValidationError naming the field to fix; `AlreadyUploaded` when the same file
    (by its SHA-256) is already there for the party and election — nothing is stored then."""
    file_bytes = check_file(file)
    filename = getattr(file, "name", "") or "manifesto"
    sha256 = hashlib.sha256(file_bytes).hexdigest()
    earlier = (
        Manifesto.objects.select_related("party", "election")
        .filter(party=data["party"], election=data.get("election"), file_sha256=sha256)
        .first()
    )
    if earlier is not None:
        raise AlreadyUploaded(earlier)
    if not (data.get("title") or "").strip():
        raise ValidationError({"title": _("Give the manifesto a title, e.g. “Manifesto 2018”.")})
    source = detect_source(file_bytes, filename, coded=bool(data.get("coded")))
    manifesto = _store_upload(
        user=user, data=data, file_bytes=file_bytes, filename=filename, sha256=sha256, source=source
    )
    queue_analysis(manifesto)
    return manifesto


def queue_analysis(manifesto) -> Manifesto:
    """Queue the background analysis (with the immediate backend of tests and debugging it runs
    now). A queue that cannot be reached leaves the manifesto failed, saying so."""
    from .tasks import analyse_manifesto_task

    Manifesto.objects.filter(pk=manifesto.pk).update(status=S.PENDING, progress=0)
    try:
        result = analyse_manifesto_task.enqueue(manifesto.pk, get_language() or settings.LANGUAGE_CODE)
    except Exception as exc:  # the worker's queue is unreachable
        logger.exception("could not queue the analysis of manifesto %s", manifesto.pk)
        Manifesto.objects.filter(pk=manifesto.pk).update(
            status=S.FAILED,
            message=_("The analysis could not be started: %(error)s. Try “Analyse again” later.")
            % {"error": exc},
        )
    else:
        Manifesto.objects.filter(pk=manifesto.pk).update(task_id=str(result.id)[:64])
    manifesto.refresh_from_db()
    return manifesto


def analysis_is_running(manifesto) -> bool:
    return manifesto.status in (S.PENDING, S.ANALYSING)


# --- analysing --------------------------------------------------------------------------------


def _key(text):
    return re.sub(r"\s+", " ", text or "").strip().casefold()


def _progress_writer(manifesto_pk):
    last = {"value": -1}

    def progress(percent):
        value = max(0, min(99, int(percent)))  # 100 once stored
        if value != last["value"]:
            last["value"] = value
            Manifesto.objects.filter(pk=manifesto_pk).update(progress=value)

    return progress


def _fail(manifesto, message, *, had_results):
    """The analysis failed: first time, the manifesto is failed; again, the earlier results stay."""
    if had_results:
        manifesto.status = S.READY
        manifesto.message = _("The new analysis failed and the earlier results are kept: %(reason)s") % {
            "reason": message
        }
    else:
        manifesto.status = S.FAILED
        manifesto.message = message
    manifesto.progress = 0
    manifesto.save(update_fields=["status", "message", "progress", "updated_at"])
    return manifesto


def analyse(manifesto) -> Manifesto:
    """Analyse the manifesto's file and store the results (what the background task runs)."""
    had_results = manifesto.analysed_at is not None and manifesto.sentences.exists()
    Manifesto.objects.filter(pk=manifesto.pk).update(status=S.ANALYSING, progress=0)
    manifesto.status = S.ANALYSING
    try:
        with manifesto.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError):
        return _fail(
            manifesto,
            _("The uploaded file is missing from storage: upload it again."),
            had_results=had_results,
        )
    try:
        if manifesto.source == Manifesto.Source.CODED:
            result = read_coded(data, manifesto.original_name)
        else:
            result = analyse_file(
                data,
                manifesto.original_name,
                language=manifesto.language,
                progress=_progress_writer(manifesto.pk),
            )
    except ManifestoError as exc:
        return _fail(manifesto, str(exc), had_results=had_results)
    except Exception:
        logger.exception("the analysis of manifesto %s stopped", manifesto.pk)
        return _fail(
            manifesto,
            _("The analysis stopped on an unexpected error. The campaign's technical team has been told."),
            had_results=had_results,
        )
    if not result.quasi_sentences:
        return _fail(
            manifesto,
            _("No sentences were found in this file: check that it is the manifesto's text."),
            had_results=had_results,
        )
    try:
        return _store(manifesto, result)
    except Exception:  # nothing was written (one transaction): say so rather than hang "analysing"
        logger.exception("the results of manifesto %s could not be stored", manifesto.pk)
        return _fail(
            manifesto,
            _("The results could not be stored. The campaign's technical team has been told."),
            had_results=had_results,
        )


@transaction.atomic
def _store(manifesto, result):
    manifesto = Manifesto.objects.select_for_update().get(pk=manifesto.pk)
    decisions = {
        _key(text): (education, topic, by, at)
        for text, education, topic, by, at in manifesto.sentences.filter(reviewed_education__isnull=False)
        .order_by("position")
        .values_list("text", "reviewed_education", "reviewed_topic", "reviewed_by", "reviewed_at")
    }
    manifesto.funding_commitments.all().delete()
    manifesto.sentences.all().delete()
    topics = set(Topic.values)
    rows, carried = [], set()
    for position, sentence in enumerate(result.sentences):
        row = QuasiSentence(
            manifesto=manifesto,
            position=position,
            text=sentence.text,
            page=sentence.page,
            is_heading=sentence.is_heading,
            cmp_code=(sentence.cmp_code or "")[:10],
            predicted_education=bool(sentence.education) and not sentence.is_heading,
            predicted_topic=sentence.topic if sentence.topic in topics and sentence.education else "",
            confidence=float(sentence.confidence or 0.0),
        )
        decision = None if sentence.is_heading else decisions.get(_key(sentence.text))
        if decision is not None:
            row.reviewed_education, row.reviewed_topic, row.reviewed_by_id, row.reviewed_at = decision
            carried.add(_key(sentence.text))
        rows.append(row)
    QuasiSentence.objects.bulk_create(rows, batch_size=1000)
    ids = dict(manifesto.sentences.values_list("position", "pk"))
    FundingCommitment.objects.bulk_create(
        [
            FundingCommitment(
                manifesto=manifesto,
                sentence_id=ids.get(commitment.sentence_index),
                text=commitment.text,
                percent=commitment.percent,
                measure=commitment.measure,
                meets_target=bool(commitment.meets_target),
            )
            for commitment in result.commitments
        ]
    )
    dropped = len(decisions) - len(carried)
    messages = result.notes()
    if decisions:
        kept = ngettext(
            "%(kept)s of %(count)s reviewer decision was kept (its sentence is unchanged).",
            "%(kept)s of %(count)s reviewer decisions were kept (their sentences are unchanged).",
            len(decisions),
        ) % {"kept": len(carried), "count": len(decisions)}
        if dropped:
            kept += " " + ngettext(
                "%(n)s was on a sentence the new analysis no longer has.",
                "%(n)s were on sentences the new analysis no longer has.",
                dropped,
            ) % {"n": dropped}
        messages.append(kept)
    manifesto.message = " ".join(messages)
    manifesto.pages = result.pages
    manifesto.analysed_at = timezone.now()
    manifesto.status = S.READY
    manifesto.progress = 100
    manifesto.refresh_figures(save=False)
    manifesto.save()
    return manifesto


# --- reviewing and publishing -----------------------------------------------------------------


@transaction.atomic
def review(*, user, sentence, education, topic="") -> QuasiSentence:
    """A reviewer's decision on one sentence: `education` True or False (with a `topic` for an
    education sentence, or ""), or None to go back to the automatic decision. The manifesto's
    figures are recounted."""
    manifesto = Manifesto.objects.select_for_update().get(pk=sentence.manifesto_id)
    if analysis_is_running(manifesto):
        raise ValidationError(
            _("This manifesto is being analysed again; review its sentences once that is done.")
        )
    if sentence.is_heading:
        raise ValidationError(
            {"reviewed_education": _("This is a heading: headings are not counted and need no review.")}
        )
    topic = topic or ""
    if topic and topic not in Topic.values:
        raise ValidationError({"reviewed_topic": _("Choose one of the topics offered.")})
    if education is None:
        sentence.reviewed_education, sentence.reviewed_topic = None, ""
        sentence.reviewed_by, sentence.reviewed_at = None, None
    else:
        if not education and topic:
            raise ValidationError(
                {"reviewed_topic": _("A sentence that is not about education has no education topic.")}
            )
        sentence.reviewed_education = bool(education)
        sentence.reviewed_topic = topic if education else ""
        sentence.reviewed_by = user if getattr(user, "is_authenticated", False) else None
        sentence.reviewed_at = timezone.now()
    sentence.save(update_fields=["reviewed_education", "reviewed_topic", "reviewed_by", "reviewed_at"])
    manifesto.refresh_figures()
    sentence.manifesto = manifesto
    return sentence


def publish(*, user, manifesto, published: bool) -> Manifesto:
    """Publish (or withdraw) a manifesto's analysis: public pages and the public API show only
    published, analysed manifestos."""
    if published and manifesto.status != S.READY:
        raise ValidationError(_("Only an analysed manifesto can be published: wait for its analysis."))
    manifesto.is_published = bool(published)
    manifesto.save(update_fields=["is_published", "updated_at"])
    return manifesto


@transaction.atomic
def delete_manifesto(*, user, manifesto):
    """Remove an upload (a wrong file, the wrong party) with its analysis and its stored file."""
    name = manifesto.file.name
    storage = manifesto.file.storage
    manifesto.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- reading, for the scorecards and the dashboard --------------------------------------------


def latest_manifestos(election=None, published_only=True):
    """The latest analysed manifesto of each party (of `election` if given), with its figures
    (`quasi_sentences`, `education_sentences`, `education_share`, `reviewed_sentences`,
    `commits_four_percent`): a list ordered by party name. "Latest" is that of the most recent
    election, then the most recently analysed."""
    ready = Manifesto.objects.published() if published_only else Manifesto.objects.filter(status=S.READY)
    if election is not None:
        ready = ready.filter(election=election)
    newest = ready.filter(party=OuterRef("party")).order_by(
        F("election__polling_date").desc(nulls_last=True), F("analysed_at").desc(nulls_last=True), "-pk"
    )
    return list(
        ready.filter(pk=Subquery(newest.values("pk")[:1]))
        .select_related("party", "election")
        .order_by("party__name")
    )


def file_url(manifesto):
    return reverse("manifestos:file", kwargs={"pk": manifesto.pk})
