"""The staff pages of community demands and parental bodies (under /field/), the demand
statistics, and the public pages of published demands (under /demands/).

Staff reach demands and bodies only through `visible_to(user)` (their regions; everything for
national roles): another region's record is refused with a 403 saying why, a missing one is a
404. Who raised a demand and members' phones are shown only to staff who may see personal data
in its district. Every write goes through `demands.services`; their errors are shown next to
the field they name, on the form as it was sent.

The public pages read `Demand.objects.published()` only, and their templates are given nothing
personal: no name or phone of who raised it, no internal notes, no evidence files."""

import mimetypes
import statistics
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from muhim.accounts.permissions import Capability, user_can
from muhim.activities.models import Activity, ActivityOfficial
from muhim.core.access import StaffListView, staff_page
from muhim.core.audit import record
from muhim.core.forms import style_form
from muhim.core.models import AuditEvent
from muhim.geography.models import defer_geometry
from muhim.partners.services import organisation_named

from . import services
from .filters import DemandFilter, ParentalBodyFilter, PublicDemandFilter
from .forms import (
    BodyForm,
    DemandForm,
    DemandUpdateForm,
    MeetingForm,
    MemberForm,
    add_service_errors,
    partner_names,
)
from .models import Category, Demand, DemandUpdate, ParentalBody, ParentalBodyMember, Status
from .tables import PERSONAL_COLUMNS, DemandTable, ParentalBodyTable

VIEW_DENIED = gettext_lazy(
    "Only the campaign office, regional organisers and specialists read community demands and "
    "parental bodies."
)
MANAGE_DENIED = gettext_lazy(
    "Your role may read demands and parental bodies but not record or change them. Ask the "
    "region's organiser or the campaign office."
)
PUBLIC_PAGE_SIZE = 25
# The authority offices offered as one types (from the region's earlier demands).
AUTHORITY_SUGGESTIONS = 200


# --- access -----------------------------------------------------------------------------------


view_demands = staff_page(Capability.VIEW_DEMANDS, VIEW_DENIED)
manage_demands = staff_page(Capability.MANAGE_DEMANDS, MANAGE_DENIED)


class _StaffListView(StaffListView):
    capability = Capability.VIEW_DEMANDS
    denied = VIEW_DENIED


OUTSIDE = {
    "demand": gettext_lazy(
        "This demand is in %(district)s, outside your regions. Organisers see and change only "
        "their own regions' demands."
    ),
    "body": gettext_lazy(
        "This parental body is in %(district)s, outside your regions. Organisers see and change "
        "only their own regions' parental bodies."
    ),
}


def _outside(what, district):
    return PermissionDenied(OUTSIDE[what] % {"district": district.display_name})


def _demand_for(request, pk, *, edit=False):
    """The demand, if the user may see it (`edit`: change it); 403 saying why, or 404."""
    user = request.user
    queryset = Demand.objects.editable_by(user) if edit else Demand.objects.visible_to(user)
    demand = (
        defer_geometry(
            queryset.select_related(
                "district", "district__province", "place", "parental_body", "activity", "organiser"
            ),
            "district",
            "district__province",
            "place",
        )
        .filter(pk=pk)
        .first()
    )
    if demand is not None:
        return demand
    # Only whether it exists, and where, is asked of the whole table: to answer 403 or 404.
    stored = Demand.objects.select_related("district").filter(pk=pk).first()
    if stored is None:
        raise Http404(_("There is no such demand."))
    if edit and Demand.objects.visible_to(user).filter(pk=pk).exists():
        raise PermissionDenied(MANAGE_DENIED)
    raise _outside("demand", stored.district)


def _body_for(request, pk, *, edit=False):
    user = request.user
    body = (
        ParentalBody.objects.visible_to(user)
        .select_related("district", "district__province", "union_council", "partner")
        .filter(pk=pk)
        .first()
    )
    if body is None:
        stored = ParentalBody.objects.select_related("district").filter(pk=pk).first()
        if stored is None:
            raise Http404(_("There is no such parental body."))
        raise _outside("body", stored.district)
    if edit and not user_can(user, Capability.MANAGE_DEMANDS, body.district):
        raise PermissionDenied(MANAGE_DENIED)
    return body


def _activity_from(request, value):
    """The activity `value` names, if the user may see it (a link from an activity's page)."""
    if not value or not str(value).isdigit():
        return None
    return (
        Activity.objects.visible_to(request.user)
        .select_related("district", "district__province")
        .filter(pk=int(value))
        .first()
    )


# --- the demand list --------------------------------------------------------------------------


class DemandListView(_StaffListView):
    model = Demand
    table_class = DemandTable
    filterset_class = DemandFilter
    template_name = "demands/demand_list.html"
    export_name = "demands"

    def count_text(self, count):
        return ngettext("%(count)s demand", "%(count)s demands", count) % {"count": count}

    def get_queryset(self):
        return defer_geometry(
            Demand.objects.visible_to(self.request.user).select_related(
                "district", "district__province", "place", "parental_body", "activity"
            ),
            "district",
            "district__province",
            "place",
        )

    def get_table_kwargs(self):
        # Who raised a demand and their number are personal data: not even an empty column
        # for those who may not see them (on screen or in an export).
        if not user_can(self.request.user, Capability.VIEW_PERSONAL_DATA):
            return {"exclude": PERSONAL_COLUMNS}
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = user_can(self.request.user, Capability.MANAGE_DEMANDS)
        context["activity"] = _activity_from(self.request, self.request.GET.get("activity"))
        return context


# --- recording and editing a demand ------------------------------------------------------------


def _initial_for_new(request, activity):
    """What a new demand's form starts with: today, and what the link says (?activity=,
    ?district=, ?parental_body=). Raised at an activity: its district and day, and the
    authority of the demand recorded there last (a Kuli Katchehri has one officer for many)."""
    get = request.GET
    initial = {"raised_on": timezone.localdate()}
    for key in ("district", "parental_body", "place"):
        if get.get(key):
            initial[key] = get[key]
    if activity is not None:
        initial.update(
            activity=activity.pk,
            district=activity.district.code,
            place=activity.place_id or initial.get("place"),
            raised_by=Demand.RaisedBy.ACTIVITY,
            raised_on=min(activity.start_date, timezone.localdate()),
        )
        previous = activity.demands.order_by("-pk").first()
        if previous is not None:
            initial.update(authority=previous.authority, authority_name=previous.authority_name)
    return initial


def _district_choices_only(request):
    """An HTMX request sent when the district changes: only the district's choices."""
    return request.htmx and request.method == "GET" and "district" in request.GET


def _authority_names(user, activity=None):
    """Offices to offer as one types the authority: the officials present at the activity, and
    the authorities of the region's earlier demands."""
    names = []
    if activity is not None:
        names += list(
            ActivityOfficial.objects.filter(activity=activity).values_list("designation", flat=True)
        )
    names += list(
        Demand.objects.visible_to(user)
        .exclude(authority_name="")
        .order_by()
        .values_list("authority_name", flat=True)
        .distinct()[:AUTHORITY_SUGGESTIONS]
    )
    return sorted(set(names))


def _on_district_change(form, url, dependent):
    """Choosing the district fetches its choices for the `dependent` fields (HTMX); without
    JavaScript they are offered once the form comes back, and the service checks them anyway."""
    form.fields["district"].widget.attrs.update(
        {"hx-get": url, "hx-include": ", ".join(f"#id_{name}" for name in dependent), "hx-swap": "none"}
    )


DEPENDENT = ("district", "place", "parental_body", "activity")


def _district_fields(request, **form_kwargs):
    """The district's choices alone, for the form as it stands (the HTMX request sends the
    district and the dependent fields' current values)."""
    initial = {key: request.GET.get(key, "") for key in DEPENDENT}
    form = DemandForm(initial=initial, user=request.user, **form_kwargs)
    return render(request, "demands/_district_fields.html", {"form": form})


def _form_page(request, template, context):
    form = context["form"]
    _on_district_change(form, context["choices_url"], DEPENDENT[1:])
    context.setdefault("typed_again", bool(form.is_bound and form.errors))
    return render(request, template, context)


@manage_demands
@require_http_methods(["GET", "POST"])
def demand_create(request):
    user = request.user
    if _district_choices_only(request):
        return _district_fields(request)
    activity = _activity_from(request, request.GET.get("activity"))
    if request.GET.get("activity") and activity is None:
        messages.warning(
            request, _("The activity in the link is not one of your regions' activities; choose it below.")
        )
    if request.method == "POST":
        form = DemandForm(request.POST, user=user)
        if form.is_valid():
            demand = form.instance
            data = form.cleaned_data
            try:
                services.record_demand(
                    demand=demand,
                    user=user,
                    note=data.get("note", ""),
                    resolved_on_the_spot=data.get("resolved_on_the_spot", False),
                    on_the_spot_note=data.get("on_the_spot_note", ""),
                )
            except ValidationError as exc:
                demand.pk = None
                add_service_errors(form, exc)
            else:
                if demand.resolved_on_the_spot:
                    text = _("“%(title)s” was recorded, resolved on the spot.")
                else:
                    text = _("“%(title)s” was recorded.")
                messages.success(request, text % {"title": demand.display_title})
                if "another" in request.POST:
                    query = (
                        {"activity": demand.activity_id}
                        if demand.activity_id
                        else {"district": demand.district.code}
                    )
                    return redirect(f"{reverse('demands:demand-create')}?{urlencode(query)}")
                return redirect(demand)
    else:
        form = DemandForm(initial=_initial_for_new(request, activity), user=user)
    recorded_here = (
        Demand.objects.visible_to(user).filter(activity=activity).order_by("pk") if activity else None
    )
    return _form_page(
        request,
        "demands/demand_form.html",
        {
            "form": form,
            "creating": True,
            "activity": activity,
            "recorded_here": recorded_here,
            "authority_names": _authority_names(user, activity),
            "choices_url": reverse("demands:demand-create"),
        },
    )


@manage_demands
@require_http_methods(["GET", "POST"])
def demand_edit(request, pk):
    user = request.user
    demand = _demand_for(request, pk, edit=True)
    if _district_choices_only(request):
        return _district_fields(request, instance=demand, creating=False)
    if request.method == "POST":
        form = DemandForm(request.POST, instance=demand, user=user, creating=False)
        if form.is_valid():
            try:
                services.save_demand(demand=form.instance, user=user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The demand was saved."))
                return redirect(demand)
    else:
        form = DemandForm(instance=demand, user=user, creating=False)
    return _form_page(
        request,
        "demands/demand_form.html",
        {
            "form": form,
            "creating": False,
            "demand": demand,
            "activity": demand.activity,
            "authority_names": _authority_names(user, demand.activity),
            "choices_url": reverse("demands:demand-edit", args=[demand.pk]),
        },
    )


# --- a demand's page: its history, a new update, publishing ---------------------------------------


@view_demands
@require_http_methods(["GET", "POST"])
def demand_detail(request, pk):
    user = request.user
    demand = _demand_for(request, pk)
    can_manage = user_can(user, Capability.MANAGE_DEMANDS, demand.district)
    form = DemandUpdateForm(demand=demand) if can_manage else None
    file_lost = False
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(MANAGE_DENIED)
        form = DemandUpdateForm(request.POST, request.FILES, demand=demand)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_status(
                    demand=demand,
                    status=data["status"],
                    on=data["on"],
                    note=data["note"],
                    internal_note=data["internal_note"],
                    evidence=data["evidence"] or None,
                    evidence_url=data["evidence_url"],
                    user=user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                demand.refresh_from_db()
                messages.success(
                    request,
                    _("The demand is now “%(status)s”.") % {"status": demand.get_status_display()},
                )
                return redirect(f"{demand.get_absolute_url()}#history")
        # A browser never sends a file again: say so, rather than let it seem kept.
        file_lost = bool(form.errors and request.FILES.get(form.add_prefix("evidence")))
    updates = demand.updates.select_related("by").order_by("date", "pk")
    return render(
        request,
        "demands/demand_detail.html",
        {
            "demand": demand,
            "updates": updates,
            "form": form,
            "file_lost": file_lost,
            "can_manage": can_manage,
            "personal": user_can(user, Capability.VIEW_PERSONAL_DATA, demand.district),
        },
    )


@manage_demands
@require_POST
def demand_publish(request, pk):
    demand = _demand_for(request, pk, edit=True)
    publish = request.POST.get("publish") == "1"
    demand.is_published = publish
    try:
        services.save_demand(demand=demand, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if publish:
            messages.success(request, _("The demand is published: its public page shows its status history."))
        else:
            messages.success(request, _("The demand is no longer public."))
    return redirect(demand)


@view_demands
@require_GET
def evidence(request, pk):
    """A private evidence file, for staff who may see its demand; the download is audited."""
    update = get_object_or_404(DemandUpdate.objects.select_related("demand"), pk=pk)
    _demand_for(request, update.demand_id)
    if not update.evidence:
        raise Http404(_("This update has no evidence file."))
    try:
        handle = update.evidence.storage.open(update.evidence.name, "rb")
    except FileNotFoundError as exc:
        raise Http404(_("The evidence file is missing from storage.")) from exc
    record(
        request,
        action=AuditEvent.Action.DOWNLOAD,
        subject=f"Evidence of demand #{update.demand_id}, update #{update.pk}",
        demand=update.demand_id,
        update=update.pk,
    )
    name = update.evidence.name.rsplit("/", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- statistics -------------------------------------------------------------------------------


def _list_link(base, **override):
    query = base.copy()
    for key, value in override.items():
        query[key] = value
    return f"{reverse('demands:demand-list')}?{query.urlencode()}"


@view_demands
@require_GET
def demand_statistics(request):
    """Counts of the user's demands (as filtered), each linking to the list of exactly the
    demands it counts. Computed from the demands themselves: an organiser's regions are small.
    A figure of 0 links nowhere (its link could only add a filter that contradicts one in use)."""
    visible = Demand.objects.visible_to(request.user)
    filterset = DemandFilter(request.GET or None, queryset=visible, request=request)
    style_form(filterset.form, small=True)
    demands = filterset.qs.order_by()
    base = request.GET.copy()
    for key in ("page", "export", "sort"):
        base.pop(key, None)

    def figure(n, **override):
        return {"n": n, "url": _list_link(base, **override) if n else ""}

    categories = dict(Category.choices)
    by_category = [
        {
            "label": categories.get(row["category"], row["category"]),
            **figure(row["n"], category=row["category"]),
        }
        for row in demands.values("category").annotate(n=Count("pk")).order_by("-n", "category")
    ]
    counted = dict(demands.values_list("status").annotate(n=Count("pk")).order_by())
    by_status = [
        {"label": status.label, **figure(counted[status.value], status=status.value)}
        for status in Status
        if counted.get(status.value)
    ]
    urdu = get_language() == "ur"
    by_district = [
        {
            "label": (
                row["district__name_ur"] if urdu and row["district__name_ur"] else row["district__name"]
            ),
            **figure(row["n"], district=row["district__code"]),
        }
        for row in demands.values("district__code", "district__name", "district__name_ur")
        .annotate(n=Count("pk"))
        .order_by("-n", "district__name")
    ]
    resolved = demands.filter(status=Status.RESOLVED)
    days = [
        (resolved_on - raised_on).days
        for raised_on, resolved_on in resolved.exclude(resolved_on=None).values_list(
            "raised_on", "resolved_on"
        )
    ]
    resolved_count = resolved.count()
    on_the_spot = resolved.filter(resolved_on_the_spot=True).count()
    template = "demands/statistics.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"  # the filters changed: the figures alone
    return render(
        request,
        template,
        {
            "filter": filterset,
            "total": figure(demands.count()),
            "open": figure(demands.open().count(), state="open"),
            "overdue": figure(demands.overdue().count(), overdue="true"),
            "by_category": by_category,
            "by_status": by_status,
            "by_district": by_district,
            "resolved": figure(resolved_count, status=Status.RESOLVED),
            "on_the_spot": figure(on_the_spot, status=Status.RESOLVED, on_the_spot="true"),
            "on_the_spot_share": round(100 * on_the_spot / resolved_count) if resolved_count else None,
            "average_days": round(statistics.fmean(days), 1) if days else None,
            "median_days": statistics.median(days) if days else None,
            "list_url": _list_link(base),
        },
    )


# --- parental bodies --------------------------------------------------------------------------


def _count(model, field, **extra):
    rows = model.objects.filter(**{field: OuterRef("pk")}, **extra).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0)


class ParentalBodyListView(_StaffListView):
    model = ParentalBody
    table_class = ParentalBodyTable
    filterset_class = ParentalBodyFilter
    template_name = "demands/body_list.html"
    export_name = "parental bodies"

    def count_text(self, count):
        return ngettext("%(count)s parental body", "%(count)s parental bodies", count) % {"count": count}

    def get_queryset(self):
        meetings = ParentalBody.meetings.through.objects.filter(parentalbody=OuterRef("pk")).order_by()
        return (
            ParentalBody.objects.visible_to(self.request.user)
            .select_related("district", "union_council", "partner")
            .annotate(
                member_count=_count(ParentalBodyMember, "body", left_on__isnull=True),
                demand_count=_count(Demand, "parental_body"),
                meeting_count=Coalesce(
                    Subquery(
                        meetings.values("parentalbody").annotate(n=Count("pk")).values("n")[:1],
                        output_field=IntegerField(),
                    ),
                    0,
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = user_can(self.request.user, Capability.MANAGE_DEMANDS)
        return context


def _save_body(form, user):
    """Save the body with its partner (a new partner name is added to the partners): all of it,
    or nothing when the body is refused."""
    body = form.instance
    name = form.cleaned_data.get("partner_name")
    with transaction.atomic():
        body.partner = organisation_named(name, user=user) if name else None
        return services.save_body(body=body, user=user)


def _body_form_page(request, context):
    _on_district_change(context["form"], context["choices_url"], ("union_council",))
    if _district_choices_only(request):
        return render(request, "demands/_uc_field.html", context)
    form = context["form"]
    context.update(typed_again=bool(form.is_bound and form.errors), partner_names=partner_names())
    return render(request, "demands/body_form.html", context)


@manage_demands
@require_http_methods(["GET", "POST"])
def body_create(request):
    user = request.user
    if request.method == "POST":
        form = BodyForm(request.POST, user=user)
        if form.is_valid():
            form.instance.organiser = user
            try:
                body = _save_body(form, user)
            except ValidationError as exc:
                form.instance.pk = None
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("The parental body %(name)s was added.") % {"name": body.display_name}
                )
                return redirect(body)
    else:
        initial = {"is_active": True}
        initial.update(
            {k: request.GET[k] for k in ("district", "union_council", "level") if request.GET.get(k)}
        )
        form = BodyForm(initial=initial, user=user)
    return _body_form_page(request, {"form": form, "choices_url": reverse("demands:body-create")})


@manage_demands
@require_http_methods(["GET", "POST"])
def body_edit(request, pk):
    user = request.user
    body = _body_for(request, pk, edit=True)
    if request.method == "POST":
        form = BodyForm(request.POST, instance=body, user=user)
        if form.is_valid():
            try:
                _save_body(form, user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(body)
    else:
        initial = {}
        if _district_choices_only(request):
            initial = {k: request.GET.get(k, "") for k in ("district", "union_council")}
        form = BodyForm(instance=body, initial=initial, user=user)
    return _body_form_page(
        request, {"form": form, "body": body, "choices_url": reverse("demands:body-edit", args=[body.pk])}
    )


def _log_meeting_url(body):
    query = urlencode({"kind": "parental_body_meeting", "district": body.district.code, "body": body.pk})
    return f"{reverse('activities:activity-create')}?{query}"


@view_demands
@require_http_methods(["GET", "POST"])
def body_detail(request, pk):
    user = request.user
    body = _body_for(request, pk)
    can_manage = user_can(user, Capability.MANAGE_DEMANDS, body.district)
    personal = user_can(user, Capability.VIEW_PERSONAL_DATA, body.district)
    member_form = MemberForm(personal=personal) if can_manage else None
    meeting_form = MeetingForm(body=body, user=user) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(MANAGE_DENIED)
        action = request.POST.get("action")
        if action == "member":
            member_form = MemberForm(request.POST, personal=personal, instance=ParentalBodyMember(body=body))
            if member_form.is_valid():
                try:
                    member = services.save_member(member=member_form.instance, user=user)
                except ValidationError as exc:
                    member_form.instance.pk = None
                    add_service_errors(member_form, exc)
                else:
                    messages.success(request, _("%(name)s was added to the members.") % {"name": member.name})
                    return redirect(f"{body.get_absolute_url()}#members")
        elif action == "leave":
            member = get_object_or_404(body.members, pk=request.POST.get("member") or 0, left_on__isnull=True)
            member.left_on = timezone.localdate()
            try:
                services.save_member(member=member, user=user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("%(name)s has left the body today.") % {"name": member.name})
            return redirect(f"{body.get_absolute_url()}#members")
        elif action == "meeting":
            meeting_form = MeetingForm(request.POST, body=body, user=user)
            if meeting_form.is_valid():
                activity = meeting_form.cleaned_data["activity"]
                try:
                    services.add_meeting(body=body, activity=activity, user=user)
                except ValidationError as exc:
                    add_service_errors(meeting_form, exc)
                else:
                    messages.success(
                        request,
                        _("%(meeting)s was added to the meetings.") % {"meeting": activity.display_title},
                    )
                    return redirect(f"{body.get_absolute_url()}#meetings")
    members = sorted(body.members.all(), key=lambda m: (m.left_on is not None, m.role != "chair", m.name))
    demands = Demand.objects.visible_to(user).filter(parental_body=body)
    return render(
        request,
        "demands/body_detail.html",
        {
            "body": body,
            "members": members,
            "meetings": body.meetings.select_related("district").order_by("-start_date", "-pk"),
            "demand_count": demands.count(),
            "open_count": demands.open().count(),
            "latest_demands": demands.select_related("district").order_by("-raised_on", "-pk")[:10],
            "demands_url": f"{reverse('demands:demand-list')}?{urlencode({'parental_body': body.pk})}",
            "new_demand_url": f"{reverse('demands:demand-create')}?"
            + urlencode({"district": body.district.code, "parental_body": body.pk}),
            "log_meeting_url": _log_meeting_url(body),
            "member_form": member_form,
            "meeting_form": meeting_form,
            "can_manage": can_manage,
            "personal": personal,
        },
    )


@manage_demands
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = get_object_or_404(ParentalBodyMember.objects.select_related("body"), pk=pk)
    body = _body_for(request, member.body_id, edit=True)
    personal = user_can(request.user, Capability.VIEW_PERSONAL_DATA, body.district)
    if request.method == "POST":
        form = MemberForm(request.POST, instance=member, personal=personal)
        if form.is_valid():
            try:
                services.save_member(member=form.instance, user=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{body.get_absolute_url()}#members")
    else:
        form = MemberForm(instance=member, personal=personal)
    return render(
        request,
        "demands/member_form.html",
        {"form": form, "member": member, "body": body, "typed_again": bool(form.is_bound and form.errors)},
    )


# --- public pages -----------------------------------------------------------------------------


@require_GET
def public_demand_list(request):
    published = Demand.objects.published().select_related("district", "district__province")
    filterset = PublicDemandFilter(request.GET or None, queryset=published, request=request)
    style_form(filterset.form, small=True)
    page = Paginator(filterset.qs.order_by("-status_on", "-pk"), PUBLIC_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    template = "demands/public_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(
        request,
        template,
        {"filter": filterset, "page": page, "query": query.urlencode(), "count": page.paginator.count},
    )


@require_GET
def public_demand(request, pk):
    demand = get_object_or_404(
        Demand.objects.published().select_related("district", "district__province", "place"), pk=pk
    )
    # Only what the public page shows: the date, status and public note of each step.
    history = list(demand.updates.order_by("date", "pk").values("date", "status", "note"))
    labels = dict(Status.choices)
    for step in history:
        step["label"] = labels.get(step["status"], step["status"])
    return render(
        request,
        "demands/public_detail.html",
        {
            "demand": demand,
            "history": history,
            "page_url": request.build_absolute_uri(demand.get_public_url()),
        },
    )


urlpatterns = [
    path("field/demands/", DemandListView.as_view(), name="demand-list"),
    path("field/demands/new/", demand_create, name="demand-create"),
    path("field/demands/statistics/", demand_statistics, name="demand-statistics"),
    path("field/demands/<int:pk>/", demand_detail, name="demand-detail"),
    path("field/demands/<int:pk>/edit/", demand_edit, name="demand-edit"),
    path("field/demands/<int:pk>/publish/", demand_publish, name="demand-publish"),
    path("field/demands/updates/<int:pk>/evidence/", evidence, name="evidence"),
    path("field/parental-bodies/", ParentalBodyListView.as_view(), name="body-list"),
    path("field/parental-bodies/new/", body_create, name="body-create"),
    path("field/parental-bodies/<int:pk>/", body_detail, name="body-detail"),
    path("field/parental-bodies/<int:pk>/edit/", body_edit, name="body-edit"),
    path("field/parental-bodies/members/<int:pk>/edit/", member_edit, name="member-edit"),
    path("demands/", public_demand_list, name="public-demand-list"),
    path("demands/<int:pk>/", public_demand, name="public-demand"),
]
