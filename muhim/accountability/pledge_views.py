"""The pages of pledges (under /pledges/): the staff list with its filters and exports,
recording and editing a pledge, a pledge's page with its rating history and the form to rate
it, and the private files.

Staff (VIEW_STAFF_PAGES) reach pledges through `pledge_services.visible_pledges(user)`: an
organiser's request for another region's unpublished pledge is a 403 saying why, a missing one
a 404. Every write goes through `pledge_services`; its errors are shown next to the field they
name, on the form as it was sent.

The same address of a pledge serves the public (anyone without staff pages): a published pledge
only (404 otherwise), without who recorded it and without the private files: source documents
and evidence files are served only to staff who may see the pledge (see pledge_services)."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from muhim.accounts.permissions import Capability, is_regional, user_can
from muhim.core.access import StaffListView, staff_page
from muhim.core.audit import record
from muhim.core.models import AuditEvent
from muhim.demands.forms import add_service_errors
from muhim.elections.models import Election
from muhim.geography.models import Constituency, defer_geometry

from . import pledge_services as services
from .models import Pledge, PledgeRating
from .pledge_filters import PledgeFilter
from .pledge_forms import OFFERED, PledgeForm, RatingForm, candidacy_label, search_candidacies
from .pledge_tables import PERSONAL_COLUMNS, PledgeTable, maker_of

VIEW_DENIED = gettext_lazy("Only the campaign's staff read the pledges list.")
MANAGE_DENIED = gettext_lazy(
    "Your role may read pledges but not record or rate them. Ask the region's organiser or the "
    "campaign office."
)
NOT_PUBLISHED = gettext_lazy(
    "This pledge is not published yet. Those who record and rate pledges read it before then."
)
FILES_DENIED = gettext_lazy(
    "A pledge's source document and evidence files are private: only those who record and rate "
    "pledges open them."
)
OTHER_REGION = gettext_lazy(
    "This pledge is for %(seat)s, outside your regions, and is not published. Organisers see "
    "their own regions' pledges and every published one."
)

view_pledges = staff_page(Capability.VIEW_STAFF_PAGES, VIEW_DENIED)
manage_pledges = staff_page(Capability.MANAGE_PLEDGES, MANAGE_DENIED)


def is_staff(user):
    return user_can(user, Capability.VIEW_STAFF_PAGES)


def _related(queryset):
    return defer_geometry(
        queryset.select_related(
            "election",
            "party",
            "constituency",
            "constituency__province",
            "candidacy",
            "candidacy__person",
            "candidacy__party",
            "candidacy__constituency",
            "recorded_by",
        ),
        "constituency__province",
    )


def _pledge_for(request, pk, *, edit=False):
    """The pledge, if the user may see it (`edit`: change it); 403 saying why, or 404."""
    user = request.user
    pledge = _related(services.visible_pledges(user)).filter(pk=pk).first()
    if pledge is None:
        stored = Pledge.objects.select_related("constituency").filter(pk=pk).first()
        if stored is None:
            raise Http404(_("There is no such pledge."))
        if not is_regional(user):
            raise PermissionDenied(NOT_PUBLISHED)
        raise PermissionDenied(OTHER_REGION % {"seat": stored.constituency or _("no seat")})
    if edit:
        if not user_can(user, Capability.MANAGE_PLEDGES):
            raise PermissionDenied(MANAGE_DENIED)
        problem = services.region_problem(user, pledge.constituency)
        if problem:
            raise PermissionDenied(problem)
    return pledge


# --- the list ---------------------------------------------------------------------------------


class PledgeListView(StaffListView):
    """Staff read the pledges they may see (with the unpublished ones and who recorded them);
    everyone else reads the public promise tracker: published pledges only, without who
    recorded them, with the same filters and exports."""

    model = Pledge
    table_class = PledgeTable
    filterset_class = PledgeFilter
    template_name = "accountability/pledges/pledge_list.html"
    export_name = "pledges"

    def dispatch(self, request, *args, **kwargs):
        self.public = not is_staff(request.user)
        return super().dispatch(request, *args, **kwargs)

    def count_text(self, count):
        if self.public:
            return ngettext("%(count)s published pledge", "%(count)s published pledges", count) % {
                "count": count
            }
        return ngettext("%(count)s pledge", "%(count)s pledges", count) % {"count": count}

    def get_queryset(self):
        if self.public:
            return _related(services.published_pledges())
        return _related(services.visible_pledges(self.request.user))

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        if self.public:
            filterset.filters.pop("published", None)
            filterset.form.fields.pop("published", None)
        return filterset

    def get_table_kwargs(self):
        if self.public:
            return {"exclude": (*PERSONAL_COLUMNS, "is_published")}
        if not user_can(self.request.user, Capability.VIEW_PERSONAL_DATA):
            return {"exclude": PERSONAL_COLUMNS}
        return {}

    def get_export_filename(self, export_format):
        return f"{'published-pledges' if self.public else 'pledges'}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["public"] = self.public
        context["can_manage"] = user_can(self.request.user, Capability.MANAGE_PLEDGES)
        return context


# --- recording and editing --------------------------------------------------------------------


def _seats_offered(user, election):
    seats = Constituency.objects.all()
    if election is not None:
        seats = seats.filter(delimitation_year=election.delimitation_year)
    if is_regional(user):
        seats = seats.filter(pk__in=services.seats_in_regions(user).values("pk"))
    return seats.order_by("assembly", "number").only("code", "name")


def _candidacy_seats(user):
    return services.seats_in_regions(user).values("pk") if is_regional(user) else None


def _candidacy_options(user, election, text):
    if election is None:
        return []
    if not text.strip() and not is_regional(user):
        return []  # nationally, a list is offered once something is typed
    return [candidacy_label(c) for c in search_candidacies(election, text, _candidacy_seats(user))[:OFFERED]]


def _form_page(request, form, context):
    election = form.chosen_election()
    typed = form.data.get("candidacy", "") if form.is_bound else form.initial.get("candidacy", "")
    context.update(
        form=form,
        seats=_seats_offered(request.user, election),
        candidacy_options=_candidacy_options(request.user, election, typed or ""),
        typed_again=bool(form.is_bound and form.errors),
        # A browser never sends a file again: say so, rather than let it seem kept.
        file_lost=bool(form.is_bound and form.errors and request.FILES.get("source_document")),
        options_url=reverse("accountability:pledge-candidates"),
    )
    return render(request, "accountability/pledges/pledge_form.html", context)


@manage_pledges
@require_http_methods(["GET", "POST"])
def pledge_new(request):
    user = request.user
    if request.method == "POST":
        form = PledgeForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            try:
                data = form.service_data()
                if not data["commits_four_percent"]:
                    del data["commits_four_percent"]  # unticked: the words decide
                pledge = services.save_pledge(user, data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The pledge was recorded."))
                if pledge.commits_four_percent and "commits_four_percent" not in data:
                    messages.info(
                        request,
                        # xgettext:no-python-format
                        _(
                            "Its words promise at least 4% of GDP to education, so it is marked as "
                            "committing 4%. Edit the pledge if that is wrong."
                        ),
                    )
                if "another" in request.POST:
                    return redirect(f"{reverse('accountability:pledge-new')}?election={pledge.election_id}")
                return redirect(pledge)
    else:
        initial = {}
        if request.GET.get("election", "").isdigit():
            initial["election"] = int(request.GET["election"])
        form = PledgeForm(initial=initial, user=user)
    return _form_page(request, form, {"creating": True})


@manage_pledges
@require_http_methods(["GET", "POST"])
def pledge_edit(request, pk):
    user = request.user
    pledge = _pledge_for(request, pk, edit=True)
    if request.method == "POST":
        form = PledgeForm(request.POST, request.FILES, user=user, pledge=pledge)
        if form.is_valid():
            data = form.service_data()
            if request.POST.get("remove_document") and not data["source_document"]:
                data["source_document"] = False
            try:
                services.save_pledge(user, data, pledge=pledge)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The pledge was saved."))
                return redirect(pledge)
    else:
        form = PledgeForm(user=user, pledge=pledge)
    return _form_page(request, form, {"creating": False, "pledge": pledge})


@manage_pledges
@require_GET
def candidacy_options(request):
    """The candidates matching what is typed, as the datalist's options (HTMX)."""
    value = request.GET.get("election", "")
    election = Election.objects.filter(pk=int(value)).first() if value.isdigit() else None
    options = _candidacy_options(request.user, election, request.GET.get("candidacy", ""))
    return render(request, "accountability/pledges/_candidacy_options.html", {"candidacy_options": options})


# --- a pledge's page --------------------------------------------------------------------------


def _public_page(request, pk):
    pledge = get_object_or_404(_related(services.published_pledges()), pk=pk)
    # Only what the public page shows of each change: no file, no one's name.
    history = list(
        pledge.ratings.order_by("-rated_on", "-pk").values("rating", "rated_on", "note", "evidence_url")
    )
    labels = dict(PledgeRating._meta.get_field("rating").choices)
    for step in history:
        step["label"] = labels.get(step["rating"], step["rating"])
    return render(
        request,
        "accountability/pledges/public_detail.html",
        {
            "pledge": pledge,
            "maker": maker_of(pledge),
            "history": history,
            "page_url": request.build_absolute_uri(pledge.get_absolute_url()),
        },
    )


def _staff_page(request, pledge, form=None):
    user = request.user
    can_rate = services.may_change(user, pledge)
    if can_rate and form is None:
        form = RatingForm()
    history = pledge.ratings.select_related("rated_by").order_by("-rated_on", "-pk")
    return render(
        request,
        "accountability/pledges/pledge_detail.html",
        {
            "pledge": pledge,
            "maker": maker_of(pledge),
            "history": history,
            "form": form if can_rate else None,
            "can_manage": can_rate,
            "personal": user_can(user, Capability.VIEW_PERSONAL_DATA),
            "files": services.reads_drafts(user),
            "file_lost": bool(form is not None and form.errors and request.FILES.get("rate-evidence_file")),
        },
    )


@require_GET
def pledge_detail(request, pk):
    if not is_staff(request.user):
        return _public_page(request, pk)
    return _staff_page(request, _pledge_for(request, pk))


@manage_pledges
@require_POST
def pledge_rate(request, pk):
    pledge = _pledge_for(request, pk, edit=True)
    form = RatingForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.rate_pledge(
                request.user,
                pledge,
                data["rating"],
                data["rated_on"],
                data["note"],
                data["evidence_url"],
                data["evidence_file"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            pledge.refresh_from_db()
            messages.success(
                request, _("The pledge is now rated “%(rating)s”.") % {"rating": pledge.get_rating_display()}
            )
            return redirect(f"{pledge.get_absolute_url()}#history")
    return _staff_page(request, pledge, form)


# --- private files ----------------------------------------------------------------------------


def _serve(request, field, subject, **details):
    try:
        handle = field.storage.open(field.name, "rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing from storage.")) from exc
    record(request, action=AuditEvent.Action.DOWNLOAD, subject=subject, **details)
    name = field.name.rsplit("/", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@view_pledges
@require_GET
def source_document(request, pk):
    pledge = _pledge_for(request, pk)
    if not services.reads_drafts(request.user):
        raise PermissionDenied(FILES_DENIED)
    if not pledge.source_document:
        raise Http404(_("This pledge has no source document."))
    return _serve(
        request, pledge.source_document, f"Source document of pledge #{pledge.pk}", pledge=pledge.pk
    )


@view_pledges
@require_GET
def evidence_file(request, pk):
    change = get_object_or_404(PledgeRating, pk=pk)
    _pledge_for(request, change.pledge_id)
    if not services.reads_drafts(request.user):
        raise PermissionDenied(FILES_DENIED)
    if not change.evidence_file:
        raise Http404(_("This rating has no evidence file."))
    return _serve(
        request,
        change.evidence_file,
        f"Evidence of pledge #{change.pledge_id}, rating #{change.pk}",
        pledge=change.pledge_id,
        rating=change.pk,
    )


urlpatterns = [
    path("pledges/", PledgeListView.as_view(), name="pledge-list"),
    path("pledges/new/", pledge_new, name="pledge-new"),
    path("pledges/candidates/", candidacy_options, name="pledge-candidates"),
    path("pledges/<int:pk>/", pledge_detail, name="pledge-detail"),
    path("pledges/<int:pk>/edit/", pledge_edit, name="pledge-edit"),
    path("pledges/<int:pk>/rate/", pledge_rate, name="pledge-rate"),
    path("pledges/<int:pk>/source/", source_document, name="pledge-source"),
    path("pledges/ratings/<int:pk>/evidence/", evidence_file, name="pledge-evidence"),
]
