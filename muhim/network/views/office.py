"""The campaign office's pages of the organiser network: posts and who holds them, vacancies,
applications and the hiring pipeline, the recruitment report; and every organiser's own
public profile. Each view checks the capability itself (403 otherwise); the network's rules
are the services', and their errors are shown on the form that was sent, with what was typed."""

import csv
import io
import mimetypes
from itertools import pairwise

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from muhim.accounts.permissions import Capability, user_can
from muhim.core.audit import record, record_export
from muhim.core.lists import FilteredListView
from muhim.core.models import AuditEvent
from muhim.geography.models import Area

from .. import services
from ..filters import ApplicationFilter, PostFilter
from ..forms_office import (
    AssignForm,
    MakeVacantForm,
    MoveApplicationForm,
    PostForm,
    ProfileForm,
    VacancyForm,
    add_service_errors,
)
from ..models import (
    Application,
    ApplicationEvent,
    Assignment,
    OrganiserProfile,
    Post,
    PostArea,
    Sex,
    Vacancy,
)
from ..tables import ApplicationTable, PostTable, holder_name

NETWORK_DENIED = gettext_lazy("Only the campaign office manages the organiser network.")
RECRUITMENT_DENIED = gettext_lazy("Only the campaign office handles applications and CVs.")
CV_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _require(user, capability, message):
    if not user_can(user, capability):
        raise PermissionDenied(message)


class _CapabilityRequired(LoginRequiredMixin):
    capability: Capability
    denied_message = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require(request.user, self.capability, self.denied_message)
        return super().dispatch(request, *args, **kwargs)


# --- posts ------------------------------------------------------------------------------------


def posts_with_state():
    """Posts with what the lists show: covered today, since when held or vacant, the holder."""
    held = Assignment.objects.active().filter(post=OuterRef("pk"))
    ended = Assignment.objects.filter(post=OuterRef("pk"), end_date__isnull=False).order_by("-end_date")
    return (
        Post.objects.with_cover()
        .select_related("province")
        .annotate(
            held_since=Subquery(held.order_by("-start_date").values("start_date")[:1]),
            vacant_since=Subquery(ended.values("end_date")[:1]),
        )
        .prefetch_related(
            "areas",
            Prefetch(
                "assignments",
                queryset=Assignment.objects.active().select_related("holder", "holder__organiser_profile"),
                to_attr="current",
            ),
        )
    )


class PostListView(_CapabilityRequired, FilteredListView):
    capability = Capability.MANAGE_NETWORK
    denied_message = NETWORK_DENIED
    table_class = PostTable
    filterset_class = PostFilter
    template_name = "network/office/post_list.html"
    export_name = "posts"

    def count_text(self, count):
        return ngettext("%(count)s post", "%(count)s posts", count) % {"count": count}

    def get_queryset(self):
        return posts_with_state()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["coverage"] = services.coverage_by_province()
        context["specialists"] = Post.objects.current().specialist().covered().count()
        context["specialist_posts"] = Post.objects.current().specialist().count()
        return context


def _areas_of(form):
    return list(form.cleaned_data.get("areas") or []) if form.instance.kind == Post.Kind.REGIONAL else None


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request):
    _require(request.user, Capability.MANAGE_NETWORK, NETWORK_DENIED)
    if request.method == "POST":
        form = PostForm(request.POST)
        if form.is_valid():
            try:
                post = services.save_post(post=form.instance, areas=_areas_of(form), user=request.user)
            except ValidationError as exc:
                form.instance.pk = None
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The post %(title)s was created.") % {"title": post.title})
                return redirect("network:post-manage", code=post.code)
    else:
        # ?province=pb (sent by the province select) offers that province's areas.
        form = PostForm(initial={k: request.GET[k] for k in ("kind", "province") if request.GET.get(k)})
    # Choosing the province replaces the list of areas with that province's (without JavaScript
    # every province's areas are listed, grouped, and the service refuses the wrong ones).
    form.fields["province"].widget.attrs.update(
        {
            "hx-get": reverse("network:post-create"),
            "hx-include": "#id_kind",
            "hx-target": "#areas-field",
            "hx-swap": "outerHTML",
        }
    )
    if request.htmx and request.method == "GET":
        return render(request, "network/office/post_form.html#areas-field", {"form": form})
    return render(request, "network/office/post_form.html", {"form": form})


def _history_entries(post):
    """The post's record changes, with who made them, newest first: the post itself, its
    covered areas, its assignments and its vacancies."""
    entries = []
    records = list(post.history.select_related("history_user").order_by("history_date"))
    for older, newer in pairwise([None, *records]):
        changes = (
            [f"{c.field}: {c.old or '—'} → {c.new or '—'}" for c in newer.diff_against(older).changes]
            if older is not None
            else []
        )
        entries.append(
            {
                "when": newer.history_date,
                "who": newer.history_user,
                "what": _("Post"),
                "type": newer.get_history_type_display(),
                "details": "; ".join(changes),
            }
        )
    area_history = list(PostArea.history.filter(post_id=post.pk).select_related("history_user"))
    area_names = dict(
        Area.objects.filter(pk__in={item.area_id for item in area_history}).values_list("pk", "name")
    )
    for item in area_history:
        entries.append(
            {
                "when": item.history_date,
                "who": item.history_user,
                "what": _("Covered area"),
                "type": item.get_history_type_display(),
                "details": area_names.get(item.area_id, item.area_id),
            }
        )
    for item in Assignment.history.filter(post_id=post.pk).select_related("history_user", "holder"):
        entries.append(
            {
                "when": item.history_date,
                "who": item.history_user,
                "what": _("Assignment"),
                "type": item.get_history_type_display(),
                "details": f"{holder_name(item.holder)}: {item.start_date} – {item.end_date or '…'}",
            }
        )
    for item in Vacancy.history.filter(post_id=post.pk).select_related("history_user"):
        entries.append(
            {
                "when": item.history_date,
                "who": item.history_user,
                "what": _("Vacancy"),
                "type": item.get_history_type_display(),
                "details": f"{item.get_status_display()}, {_('closes')} {item.closes_on}",
            }
        )
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries


POST_ACTIONS = ("edit", "assign", "vacate", "open-vacancy", "close-vacancy", "retire")


@login_required
@require_http_methods(["GET", "POST"])
def post_manage(request, code):
    _require(request.user, Capability.MANAGE_NETWORK, NETWORK_DENIED)
    post = get_object_or_404(Post.objects.select_related("province"), code=code)
    action = request.POST.get("action") if request.method == "POST" else None
    if request.method == "POST" and action not in POST_ACTIONS:
        return HttpResponse(_("Unknown action."), status=400)
    data = request.POST if request.method == "POST" else None

    def bound(name):
        return data if action == name else None

    # The form edits its own copy: a refused change must not show in the page's heading.
    post_form = PostForm(bound("edit"), instance=Post.objects.get(pk=post.pk), prefix="post")
    assign_form = AssignForm(bound("assign"), prefix="assign")
    vacant_form = MakeVacantForm(bound("vacate"), prefix="vacate")
    vacancy_form = VacancyForm(bound("open-vacancy"), prefix="vacancy")
    user = request.user

    if action == "edit" and post.is_active and post_form.is_valid():
        try:
            services.save_post(post=post_form.instance, areas=_areas_of(post_form), user=user)
        except ValidationError as exc:
            add_service_errors(post_form, exc)
        else:
            messages.success(request, _("The post was saved."))
            return redirect("network:post-manage", code=post.code)
    elif action == "assign" and assign_form.is_valid():
        cleaned = assign_form.cleaned_data
        try:
            with transaction.atomic():
                holder = cleaned["holder"] or services.create_holder_account(
                    full_name=cleaned["full_name"],
                    email=cleaned["email"],
                    username=cleaned["username"],
                    user=user,
                )
                services.assign(
                    post=post,
                    holder=holder,
                    start_date=cleaned["start_date"],
                    note=cleaned["note"],
                    user=user,
                )
        except ValidationError as exc:
            add_service_errors(assign_form, exc)
        else:
            messages.success(
                request,
                _("%(name)s holds the post from %(date)s.")
                % {"name": holder_name(holder), "date": cleaned["start_date"]},
            )
            if not cleaned["holder"]:
                messages.info(request, _("An e-mail with a link to choose a password is on its way to them."))
            return redirect("network:post-manage", code=post.code)
    elif action == "vacate" and vacant_form.is_valid():
        cleaned = vacant_form.cleaned_data
        try:
            with transaction.atomic():
                services.make_vacant(post=post, end_date=cleaned["end_date"], note=cleaned["note"], user=user)
                if cleaned["open_vacancy"]:
                    services.open_vacancy(post=post, closes_on=cleaned["closes_on"], user=user)
        except ValidationError as exc:
            add_service_errors(vacant_form, exc)
        else:
            messages.success(request, _("The post is vacant from %(date)s.") % {"date": cleaned["end_date"]})
            return redirect("network:post-manage", code=post.code)
    elif action == "open-vacancy" and vacancy_form.is_valid():
        try:
            services.open_vacancy(post=post, user=user, **vacancy_form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(vacancy_form, exc)
        else:
            messages.success(request, _("The vacancy is open for applications."))
            return redirect("network:post-manage", code=post.code)
    elif action in ("close-vacancy", "retire"):
        try:
            if action == "retire":
                services.retire_post(post=post, user=user)
                messages.success(request, _("The post is retired; its history is kept."))
            else:
                vacancy = get_object_or_404(post.vacancies, pk=request.POST.get("vacancy"))
                services.close_vacancy(vacancy=vacancy, user=user)
                messages.success(request, _("The vacancy is closed."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("network:post-manage", code=post.code)

    current = (
        post.assignments.filter(end_date__isnull=True)
        .select_related("holder", "holder__organiser_profile")
        .first()
    )
    assignments = post.assignments.select_related("holder", "holder__organiser_profile").order_by(
        "-start_date"
    )
    vacancies = post.vacancies.annotate(applications_count=Count("applications")).order_by("-opens_on", "-pk")
    can_see_history = user_can(user, Capability.VIEW_AUDIT)
    context = {
        "post": post,
        "covered_areas": post.areas.order_by("path"),
        "current": current,
        "current_name": holder_name(current.holder) if current else "",
        "current_starts_later": bool(current and current.start_date > timezone.localdate()),
        "is_covered": post.assignments.active().exists(),
        "assignments": assignments,
        "vacancies": vacancies,
        "post_form": post_form,
        "assign_form": assign_form,
        "vacant_form": vacant_form,
        "vacancy_form": vacancy_form,
        "action": action,
        "can_see_history": can_see_history,
        "history": _history_entries(post) if can_see_history else [],
        "can_recruit": user_can(user, Capability.MANAGE_RECRUITMENT),
    }
    return render(request, "network/office/post_manage.html", context)


# --- applications -----------------------------------------------------------------------------


class ApplicationListView(_CapabilityRequired, FilteredListView):
    capability = Capability.MANAGE_RECRUITMENT
    denied_message = RECRUITMENT_DENIED
    table_class = ApplicationTable
    filterset_class = ApplicationFilter
    template_name = "network/office/application_list.html"
    export_name = "applications"

    def count_text(self, count):
        return ngettext("%(count)s application", "%(count)s applications", count) % {"count": count}

    def get_queryset(self):
        return Application.objects.select_related("vacancy__post__province", "district")


def _hired_assignment(application):
    """The assignment hiring this applicant made: their post, from the day they were hired."""
    hired = application.events.filter(status=Application.Status.HIRED).first()
    if hired is None:
        return None
    return (
        Assignment.objects.filter(
            post=application.vacancy.post, holder__email__iexact=application.email, start_date=hired.date
        )
        .select_related("holder", "post")
        .first()
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request, pk):
    _require(request.user, Capability.MANAGE_RECRUITMENT, RECRUITMENT_DENIED)
    application = get_object_or_404(
        Application.objects.select_related("vacancy__post__province", "district"), pk=pk
    )
    form = MoveApplicationForm(request.POST or None, application=application)
    if request.method == "POST" and application.next_statuses() and form.is_valid():
        try:
            services.move_application(
                application=application,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                on=form.cleaned_data["date"],
                user=request.user,
            )
        except ValidationError as exc:
            application.refresh_from_db()
            add_service_errors(form, exc)
        else:
            application.refresh_from_db()
            messages.success(
                request,
                _("%(name)s's application is now %(status)s.")
                % {"name": application.full_name, "status": application.get_status_display().lower()},
            )
            return redirect(application)
    events = application.events.select_related("by").order_by("date", "created_at")
    return render(
        request,
        "network/office/application_detail.html",
        {
            "application": application,
            "events": events,
            "form": form,
            "assignment": _hired_assignment(application),
            "can_manage_network": user_can(request.user, Capability.MANAGE_NETWORK),
        },
    )


def cv_download_name(application):
    """A name safe in any browser and file system: the applicant's name in Latin letters."""
    base = slugify(application.full_name)[:60] or "applicant"
    kind = application.cv_kind if application.cv_kind in CV_TYPES else "bin"
    return f"cv-{application.pk}-{base}.{kind}"


@login_required
@require_http_methods(["GET"])
def application_cv(request, pk):
    _require(request.user, Capability.MANAGE_RECRUITMENT, RECRUITMENT_DENIED)
    application = get_object_or_404(Application, pk=pk)
    if not application.cv:
        raise Http404(_("This application has no CV."))
    try:
        handle = application.cv.storage.open(application.cv.name, "rb")
    except FileNotFoundError as exc:
        raise Http404(_("The CV file is missing from storage.")) from exc
    content_type = CV_TYPES.get(application.cv_kind) or mimetypes.guess_type(application.cv.name)[0]
    record(
        request,
        action=AuditEvent.Action.DOWNLOAD,
        subject=f"CV of application #{application.pk}",
        application=application.pk,
        sha256=application.cv_sha256,
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=cv_download_name(application),
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- the recruitment report -------------------------------------------------------------------

REACHED = [
    Application.Status.RECEIVED,
    Application.Status.SHORTLISTED,
    Application.Status.INTERVIEWED,
    Application.Status.OFFERED,
    Application.Status.HIRED,
    Application.Status.NOT_SELECTED,
]
SEXES = [Sex.FEMALE, Sex.MALE, Sex.OTHER, Sex.UNDISCLOSED]
SEX_HEADINGS = [
    ("female", gettext_lazy("Female")),
    ("male", gettext_lazy("Male")),
    ("other", gettext_lazy("Other")),
    ("not_said", gettext_lazy("Not said")),
]


def recruitment_counts():
    """[(vacancy or None for the total, [(stage, [female, male, other, not said], all)])]: how
    many applications reached each stage, i.e. have a step of that stage, by sex."""
    counts = {}
    rows = (
        ApplicationEvent.objects.values("application__vacancy", "status", "application__sex")
        .annotate(n=Count("application", distinct=True))
        .order_by()
    )
    for row in rows:
        counts[(row["application__vacancy"], row["status"], row["application__sex"] or "")] = row["n"]
    vacancies = list(
        Vacancy.objects.select_related("post", "post__province").order_by("post__title", "-closes_on")
    )

    def stages(vacancy_ids):
        result = []
        for stage in REACHED:
            by_sex = [sum(counts.get((v, stage, str(sex)), 0) for v in vacancy_ids) for sex in SEXES]
            result.append((stage, by_sex, sum(by_sex)))
        return result

    report = [(vacancy, stages([vacancy.pk])) for vacancy in vacancies]
    report.append((None, stages([v.pk for v in vacancies])))
    return report


@login_required
def recruitment_report(request):
    _require(request.user, Capability.MANAGE_RECRUITMENT, RECRUITMENT_DENIED)
    report = recruitment_counts()
    if request.GET.get("export") == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            [
                _("vacancy"),
                _("post"),
                _("closes on"),
                _("stage"),
                *[str(h) for _k, h in SEX_HEADINGS],
                _("all"),
            ]
        )
        for vacancy, stages in report:
            for stage, by_sex, total in stages:
                writer.writerow(
                    [
                        vacancy.pk if vacancy else _("all vacancies"),
                        vacancy.post.code if vacancy else "",
                        vacancy.closes_on.isoformat() if vacancy else "",
                        stage,
                        *by_sex,
                        total,
                    ]
                )
        record_export(request, subject="recruitment report", fmt="csv", rows=len(report) * len(REACHED))
        response = HttpResponse(
            ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="recruitment-report.csv"'
        return response
    return render(
        request,
        "network/office/recruitment_report.html",
        {
            "report": report,
            "sex_headings": [label for _key, label in SEX_HEADINGS],
            "stage_labels": {s: Application.Status(s).label for s in REACHED},
        },
    )


# --- the organiser's own public profile -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def my_profile(request):
    user = request.user
    if not (user_can(user, Capability.VIEW_STAFF_PAGES) or user.assignments.exists()):
        raise PermissionDenied(_("This page is for the organisers of the network."))
    profile = OrganiserProfile.objects.filter(user=user).first() or OrganiserProfile(
        user=user, public_name=user.get_full_name(), email=user.email
    )
    old_photo = profile.photo.name if profile.pk and profile.photo else ""
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile = form.save(commit=False)
        profile._history_user = user
        profile.save()
        if old_photo and profile.photo.name != old_photo:
            profile.photo.storage.delete(old_photo)
        messages.success(request, _("Your public profile was saved."))
        return redirect("network:my-profile")
    posts = (
        Post.objects.filter(Exists(Assignment.objects.active().filter(post=OuterRef("pk"), holder=user)))
        .select_related("province")
        .order_by("title")
    )
    return render(
        request, "network/office/profile_form.html", {"form": form, "profile": profile, "posts": posts}
    )


urlpatterns = [
    path("network/manage/posts/", PostListView.as_view(), name="manage-posts"),
    path("network/manage/posts/new/", post_create, name="post-create"),
    path("network/manage/posts/<slug:code>/", post_manage, name="post-manage"),
    path("network/manage/applications/", ApplicationListView.as_view(), name="application-list"),
    path("network/manage/applications/<int:pk>/", application_detail, name="application-detail"),
    path("network/manage/applications/<int:pk>/cv/", application_cv, name="application-cv"),
    path("network/manage/recruitment/", recruitment_report, name="recruitment-report"),
    path("network/profile/", my_profile, name="my-profile"),
]
