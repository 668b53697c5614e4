"""Voter-demand surveys: what voters of a constituency asked for, ranked, and where education
stands (/surveys/).

Who sees what: the list (with its filters and exports) is a staff page (VIEW_STAFF_PAGES:
anonymous visitors are sent to sign in, organisers see the published surveys and those of their
regions' seats). A published survey's own page is public, so that scorecards and the press can
link to it; an unpublished one is for staff. Recording and editing need MANAGE_ELECTIONS (the
campaign office and specialists). Every write goes through `evidence_services.save_survey`.

The access helpers here (`staff_page`, `StaffListView`, `not_visible`) serve the media story and
budget pages too."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from muhim.accounts.permissions import Capability, user_can
from muhim.core.access import StaffListView as BaseStaffListView
from muhim.core.access import staff_page
from muhim.geography.models import Constituency, defer_geometry
from muhim.partners.services import organisation_named

from . import evidence_services as services
from .evidence_filters import SurveyFilter
from .evidence_forms import DemandFormSet, SurveyForm, add_service_errors
from .evidence_tables import SurveyTable
from .models import SurveyDemand, VoterSurvey

VIEW_DENIED = gettext_lazy("Only the campaign's staff read the lists of surveys and media stories.")
MANAGE_SURVEYS_DENIED = gettext_lazy(
    "Your role may read voter-demand surveys but not record or change them. Ask the campaign office "
    "or an election specialist."
)


# --- access ------------------------------------------------------------------------------------


class StaffListView(BaseStaffListView):
    capability = Capability.VIEW_STAFF_PAGES
    denied = VIEW_DENIED


def not_visible(request, model, pk, what):
    """The answer for a record the user may not see: sign in (it may be an unpublished one), 403
    when signed in and it exists, else 404."""
    exists = model.objects.filter(pk=pk).exists()
    if not exists:
        raise Http404(_("There is no such %(what)s.") % {"what": what})
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(
        _("This %(what)s is not published, and it is not one of your regions'.") % {"what": what}
    )


manage_surveys = staff_page(Capability.MANAGE_ELECTIONS, MANAGE_SURVEYS_DENIED)


def _surveys(user):
    return defer_geometry(
        services.visible_surveys(user)
        .select_related("constituency", "constituency__province", "election", "conducted_by")
        .prefetch_related(Prefetch("demands", queryset=SurveyDemand.objects.order_by("rank"))),
        "constituency__province",
    )


def _seat_codes():
    return list(Constituency.objects.order_by("assembly", "number").values_list("code", flat=True).distinct())


# --- the list ---------------------------------------------------------------------------------------


class SurveyListView(StaffListView):
    model = VoterSurvey
    table_class = SurveyTable
    filterset_class = SurveyFilter
    template_name = "accountability/surveys/survey_list.html"
    export_name = "voter-demand surveys"

    def count_text(self, count):
        return ngettext("%(count)s survey", "%(count)s surveys", count) % {"count": count}

    def get_queryset(self):
        return _surveys(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = user_can(self.request.user, Capability.MANAGE_ELECTIONS)
        top, surveyed = services.education_top_share()
        context["top"], context["surveyed"] = top, surveyed
        return context


# --- one survey ---------------------------------------------------------------------------------------


def survey_detail(request, pk):
    survey = _surveys(request.user).filter(pk=pk).first()
    if survey is None:
        return not_visible(request, VoterSurvey, pk, _("survey"))
    demands = list(survey.demands.all())
    return render(
        request,
        "accountability/surveys/survey_detail.html",
        {
            "survey": survey,
            "demands": demands,
            "education_rank": survey.education_rank,
            "can_manage": user_can(request.user, Capability.MANAGE_ELECTIONS),
            "is_staff": user_can(request.user, Capability.VIEW_STAFF_PAGES),
        },
    )


def _save(request, form, formset):
    """Store the survey of a valid form and formset; False (errors shown on them) otherwise."""
    survey = form.instance
    name = form.cleaned_data.get("organisation", "").strip()
    try:
        survey.conducted_by = organisation_named(name, user=request.user) if name else None
        services.save_survey(survey=survey, demands=formset.rows(), user=request.user)
    except ValidationError as exc:
        problems = exc.error_dict.pop("demands", None) if hasattr(exc, "error_dict") else None
        if problems:
            formset._non_form_errors = formset.error_class([m for e in problems for m in e.messages])
        if not hasattr(exc, "error_dict") or exc.error_dict:
            add_service_errors(form, exc)
        return False
    return True


def _form_page(request, survey=None):
    creating = survey is None
    if request.method == "POST":
        form = SurveyForm(request.POST, instance=survey or VoterSurvey())
        formset = DemandFormSet(request.POST, prefix="demands")
        if form.is_valid() and formset.is_valid():
            pk = form.instance.pk
            if _save(request, form, formset):
                messages.success(
                    request,
                    _("The survey of %(seat)s was saved.") % {"seat": form.instance.constituency.code},
                )
                return redirect("accountability:survey-detail", pk=form.instance.pk)
            form.instance.pk = pk
    else:
        form = SurveyForm(instance=survey or VoterSurvey())
        initial = DemandFormSet.initial_of(survey) if survey else []
        formset = DemandFormSet(prefix="demands", initial=initial)
    return render(
        request,
        "accountability/surveys/survey_form.html",
        {
            "form": form,
            "formset": formset,
            "survey": survey,
            "creating": creating,
            "seat_codes": _seat_codes(),
            "cancel_url": reverse("accountability:survey-detail", args=[survey.pk])
            if survey
            else reverse("accountability:survey-list"),
        },
    )


@manage_surveys
@require_http_methods(["GET", "POST"])
def survey_create(request):
    return _form_page(request)


@manage_surveys
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk):
    survey = _surveys(request.user).filter(pk=pk).first()
    if survey is None:
        raise Http404(_("There is no such survey."))
    return _form_page(request, survey)


urlpatterns = [
    path("surveys/", SurveyListView.as_view(), name="survey-list"),
    path("surveys/new/", survey_create, name="survey-create"),
    path("surveys/<int:pk>/", survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/edit/", survey_edit, name="survey-edit"),
]
