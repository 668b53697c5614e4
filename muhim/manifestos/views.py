"""The staff pages of manifestos (under /manifestos/): the list with its exports, the upload,
and a manifesto's page — its figures, the analysis's progress, its funding commitments and
the review of its sentences — with publishing, analysing again and the download of the file.

Reading needs the staff pages (VIEW_STAFF_PAGES); uploading, reviewing, publishing and
analysing again need MANAGE_MANIFESTOS (403 saying so). Every write goes through
`manifestos.services`. The original file is private: staff download it here, the public
only once the manifesto is published. Who uploaded or reviewed something is shown only to
staff who may see personal data."""

import csv
import mimetypes

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from muhim.accounts.permissions import Capability, user_can
from muhim.core.access import StaffListView, staff_page
from muhim.core.access import require as _require
from muhim.core.audit import record, record_export
from muhim.core.forms import style_form
from muhim.core.models import AuditEvent

from . import services
from .filters import ManifestoFilter, SentenceFilter
from .forms import ReviewForm, UploadForm, add_service_errors
from .models import FundingCommitment, Manifesto, QuasiSentence, Topic
from .tables import ManifestoTable

VIEW_DENIED = gettext_lazy("Only the campaign's staff read manifestos' analyses.")
MANAGE_DENIED = gettext_lazy(
    "Your role may read manifestos' analyses but not upload, review or publish them. Ask the "
    "campaign office or a specialist."
)
SENTENCES_PER_PAGE = 50


view_manifestos = staff_page(Capability.VIEW_STAFF_PAGES, VIEW_DENIED)
manage_manifestos = staff_page(Capability.MANAGE_MANIFESTOS, MANAGE_DENIED)


def _manifesto(pk):
    return get_object_or_404(Manifesto.objects.select_related("party", "election", "uploaded_by"), pk=pk)


# --- the list ---------------------------------------------------------------------------------


class ManifestoListView(StaffListView):
    model = Manifesto
    capability = Capability.VIEW_STAFF_PAGES
    denied = VIEW_DENIED
    table_class = ManifestoTable
    filterset_class = ManifestoFilter
    template_name = "manifestos/manifesto_list.html"
    export_name = "manifestos"

    def count_text(self, count):
        return ngettext("%(count)s manifesto", "%(count)s manifestos", count) % {"count": count}

    def get_queryset(self):
        return Manifesto.objects.select_related("party", "election")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = user_can(self.request.user, Capability.MANAGE_MANIFESTOS)
        return context


# --- uploading --------------------------------------------------------------------------------


@manage_manifestos
@require_http_methods(["GET", "POST"])
def upload(request):
    duplicate = None
    file_lost = False
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                manifesto = services.create_manifesto(
                    user=request.user, data=form.cleaned_data, file=form.cleaned_data["file"]
                )
            except services.AlreadyUploaded as exc:
                duplicate = exc.manifesto
                add_service_errors(form, exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if manifesto.status == Manifesto.Status.FAILED:
                    messages.error(request, _("The manifesto was stored but could not be analysed."))
                else:
                    messages.success(
                        request,
                        _("“%(title)s” was uploaded; its analysis is under way.") % {"title": manifesto},
                    )
                return redirect(manifesto)
        # A browser never sends a file again: say so, rather than let it seem kept.
        file_lost = bool(request.FILES.get("file"))
    else:
        initial = {key: request.GET[key] for key in ("party", "election", "language") if request.GET.get(key)}
        form = UploadForm(initial=initial)
    return render(
        request,
        "manifestos/upload.html",
        {"form": form, "duplicate": duplicate, "file_lost": file_lost and bool(form.errors)},
    )


# --- a manifesto's page -----------------------------------------------------------------------


def _sentences(request, manifesto):
    queryset = manifesto.sentences.select_related("reviewed_by").prefetch_related("funding_commitments")
    filterset = SentenceFilter(request.GET or None, queryset=queryset, request=request)
    style_form(filterset.form, small=True)
    page = Paginator(filterset.qs.order_by("position"), SENTENCES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    for key in ("page", "poll"):
        query.pop(key, None)
    return filterset, page, query.urlencode()


def _context(request, manifesto, **extra):
    user = request.user
    filterset, page, query = _sentences(request, manifesto)
    context = {
        "manifesto": manifesto,
        "can_manage": user_can(user, Capability.MANAGE_MANIFESTOS),
        "personal": user_can(user, Capability.VIEW_PERSONAL_DATA),
        "running": services.analysis_is_running(manifesto),
        "filter": filterset,
        "page": page,
        "query": query,
        "topics": Topic.choices,
        "low_confidence": services.LOW_CONFIDENCE,
        "next_url": request.get_full_path(),
    }
    context.update(extra)
    return context


@view_manifestos
@require_GET
def detail(request, pk):
    manifesto = _manifesto(pk)
    if request.htmx and request.GET.get("poll"):
        if not services.analysis_is_running(manifesto):
            response = HttpResponse()
            response["HX-Refresh"] = "true"
            return response
        return render(request, "manifestos/detail.html#progress", {"manifesto": manifesto, "running": True})
    template = "manifestos/detail.html"
    if request.htmx and not request.htmx.boosted and request.htmx.target == "sentences":
        template += "#sentences"  # the filters changed: the sentences alone
    commitments = FundingCommitment.objects.filter(manifesto=manifesto).select_related("sentence")
    return render(
        request,
        template,
        _context(request, manifesto, commitments=commitments),
    )


def _back(request, manifesto, sentence=None):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = manifesto.get_absolute_url()
    if sentence is not None:
        target = f"{target.split('#', 1)[0]}#sentence-{sentence.pk}"
    return redirect(target)


@manage_manifestos
@require_POST
def review(request, pk):
    sentence = get_object_or_404(QuasiSentence.objects.select_related("manifesto"), pk=pk)
    manifesto = sentence.manifesto
    form = ReviewForm(request.POST)
    error = ""
    if form.is_valid():
        education = form.decision()
        try:
            sentence = services.review(
                user=request.user, sentence=sentence, education=education, topic=form.topic_for(education)
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        manifesto.refresh_from_db()
    else:
        error = " ".join(" ".join(errors) for errors in form.errors.values())
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(
                request, _("Saved. The education share is now %(share)s%%.") % {"share": _share(manifesto)}
            )
        return _back(request, manifesto, sentence)
    sentence = (
        QuasiSentence.objects.select_related("reviewed_by").prefetch_related("funding_commitments").get(pk=pk)
    )
    return render(
        request,
        "manifestos/_reviewed.html",
        {
            "manifesto": manifesto,
            "sentence": sentence,
            "error": error,
            "can_manage": True,
            "personal": user_can(request.user, Capability.VIEW_PERSONAL_DATA),
            "topics": Topic.choices,
            "low_confidence": services.LOW_CONFIDENCE,
            "next_url": request.POST.get("next", ""),
        },
    )


def _share(manifesto):
    return number_format(manifesto.education_share, 3) if manifesto.education_share is not None else "—"


@manage_manifestos
@require_POST
def publish(request, pk):
    manifesto = _manifesto(pk)
    published = request.POST.get("publish") == "1"
    try:
        services.publish(user=request.user, manifesto=manifesto, published=published)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if published:
            messages.success(request, _("The manifesto's analysis is published: the public can see it."))
        else:
            messages.success(request, _("The manifesto's analysis is no longer public."))
    return redirect(manifesto)


@manage_manifestos
@require_POST
def reanalyse(request, pk):
    manifesto = _manifesto(pk)
    if services.analysis_is_running(manifesto):
        messages.info(request, _("This manifesto is already being analysed."))
        return redirect(manifesto)
    manifesto = services.queue_analysis(manifesto)
    if manifesto.status == Manifesto.Status.FAILED:
        messages.error(request, _("The analysis failed; the reason is shown below."))
    elif manifesto.message:
        messages.info(request, manifesto.message)
    else:
        messages.success(request, _("The manifesto is being analysed again."))
    return redirect(manifesto)


@manage_manifestos
@require_POST
def delete(request, pk):
    manifesto = _manifesto(pk)
    title = str(manifesto)
    services.delete_manifesto(user=request.user, manifesto=manifesto)
    messages.success(request, _("“%(title)s” and its analysis were deleted.") % {"title": title})
    return redirect("manifestos:list")


@require_GET
def download(request, pk):
    """The original file: for anyone once the manifesto is published, else for staff."""
    manifesto = _manifesto(pk)
    if not manifesto.is_published or manifesto.status != Manifesto.Status.READY:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        _require(request.user, Capability.VIEW_STAFF_PAGES, VIEW_DENIED)
        record(
            request,
            action=AuditEvent.Action.DOWNLOAD,
            subject=f"File of manifesto #{manifesto.pk}",
            manifesto=manifesto.pk,
        )
    if not manifesto.file:
        raise Http404(_("This manifesto has no file."))
    try:
        handle = manifesto.file.storage.open(manifesto.file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404(_("The manifesto's file is missing from storage.")) from exc
    name = manifesto.original_name or manifesto.file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store" if not manifesto.is_published else "public, max-age=3600"
    return response


def cmp_code_of(sentence):
    """The Manifesto Project code the sentence carries as decided now: 'H' for a heading, 506
    for education expansion, else its pre-coded code (or '0', uncoded). Importing the export as
    a pre-coded manifesto gives the same education share."""
    if sentence.is_heading:
        return "H"
    if sentence.is_education:
        return sentence.cmp_code if sentence.cmp_code.startswith("506") else "506"
    code = sentence.cmp_code
    return code if code and not code.startswith("506") and code.upper() != "H" else "0"


SENTENCE_COLUMNS = [
    "text",
    "cmp_code",
    "position",
    "page",
    "is_heading",
    "education",
    "topic",
    "predicted_education",
    "predicted_topic",
    "confidence",
    "reviewed_education",
    "reviewed_topic",
    "original_cmp_code",
]


def _flag(value):
    return "" if value is None else ("yes" if value else "no")


@view_manifestos
@require_GET
def sentences_export(request, pk):
    """The manifesto's sentences as CSV: text,cmp_code (as decided now), then ours."""
    manifesto = _manifesto(pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(f"{manifesto.party.abbreviation or manifesto.party.name} {manifesto.title}") or "manifesto"
    response["Content-Disposition"] = f'attachment; filename="{name}-sentences.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(SENTENCE_COLUMNS)
    count = 0
    for sentence in manifesto.sentences.order_by("position").iterator(chunk_size=2000):
        count += 1
        writer.writerow(
            [
                sentence.text,
                cmp_code_of(sentence),
                sentence.position,
                sentence.page or "",
                _flag(sentence.is_heading),
                "" if sentence.is_heading else _flag(sentence.is_education),
                "" if sentence.is_heading or not sentence.is_education else sentence.topic,
                _flag(sentence.predicted_education),
                sentence.predicted_topic,
                f"{sentence.confidence:.3f}",
                _flag(sentence.reviewed_education),
                sentence.reviewed_topic,
                sentence.cmp_code,
            ]
        )
    record_export(
        request, subject=f"sentences of manifesto #{manifesto.pk}", fmt="csv", rows=count, filters={}
    )
    return response


urlpatterns = [
    path("manifestos/", ManifestoListView.as_view(), name="list"),
    path("manifestos/upload/", upload, name="upload"),
    path("manifestos/<int:pk>/", detail, name="detail"),
    path("manifestos/<int:pk>/publish/", publish, name="publish"),
    path("manifestos/<int:pk>/analyse/", reanalyse, name="reanalyse"),
    path("manifestos/<int:pk>/delete/", delete, name="delete"),
    path("manifestos/<int:pk>/file/", download, name="file"),
    path("manifestos/<int:pk>/sentences.csv", sentences_export, name="sentences-export"),
    path("manifestos/sentences/<int:pk>/review/", review, name="review"),
]
