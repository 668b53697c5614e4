"""The staff pages of field activities: the list (filters, CSV/XLSX export), logging and
editing an activity, an activity's page (officials, media coverage, photos, the demands raised
there, a quick status change) and, for a caravan, its itinerary, progress and route map; and
the view that serves photos from private storage.

Every page needs VIEW_ACTIVITIES and reaches activities through `Activity.objects.visible_to`
(another region's activity is refused with a 403 saying why, a missing one is a 404); changes
need MANAGE_ACTIVITIES and go through `activities.services`, whose ValidationErrors are shown
on the form that was sent, with what was typed. The small forms of an activity's page work by
HTMX (the section is re-rendered alone) and as plain POSTs without JavaScript.

URL names (namespace `activities`): activity-list, activity-create, activity-detail,
activity-edit, caravan-route, stop-edit, stop-log, photo."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from muhim.accounts.permissions import Capability, user_can
from muhim.core.lists import FilteredListView
from muhim.core.models import private_storage
from muhim.geography.models import defer_geometry

from . import services
from .filters import ActivityFilter
from .forms import (
    ActivityForm,
    CoverageForm,
    OfficialForm,
    PhotoForm,
    StopForm,
    add_service_errors,
    can_manage,
)
from .models import Activity, ActivityPhoto, ActivityType, CaravanStop
from .tables import ActivityTable

VIEW_DENIED = gettext_lazy("Field activities are for the campaign's staff; your role does not include them.")
MANAGE_DENIED = gettext_lazy("Your role can read activities but not log or change them.")
PHOTO_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
# Kinds of activity where parents raise demands; on these the page offers to record one.
DEMAND_KINDS = {ActivityType.KULI_KATCHEHRI, ActivityType.JIRGA, ActivityType.PARENTAL_BODY_MEETING}


# --- access -----------------------------------------------------------------------------------


def staff_only(capability, message):
    """Signed in (else to the sign-in page) and holding `capability` (else 403 saying why).
    A regional role passes when it has the capability somewhere: the view scopes the rest."""

    def decorate(view):
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_can(request.user, capability):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorate


def activity_or_403(request, pk, *, for_change=False):
    """The activity if the user may see it (or change it, with `for_change`); 403 with the
    reason if it is another region's, 404 if there is none."""
    user = request.user
    queryset = Activity.objects.editable_by(user) if for_change else Activity.objects.visible_to(user)
    activity = (
        defer_geometry(
            queryset.select_related("district", "district__province", "place", "organiser", "created_by"),
            "district",
            "district__province",
            "place",
        )
        .filter(pk=pk)
        .first()
    )
    if activity is not None:
        return activity
    # Only whether the record exists is asked of the whole table, to answer 403 or 404.
    other = Activity.objects.select_related("district").filter(pk=pk).first()
    if other is None:
        raise Http404(_("There is no such activity."))
    raise PermissionDenied(
        _(
            "This activity is in %(district)s, outside your regions. Organisers see and change "
            "only their own regions' activities."
        )
        % {"district": other.district.display_name}
    )


# --- the list ---------------------------------------------------------------------------------


class ActivityListView(FilteredListView):
    table_class = ActivityTable
    filterset_class = ActivityFilter
    template_name = "activities/activity_list.html"
    export_name = "activities"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_can(request.user, Capability.VIEW_ACTIVITIES):
            raise PermissionDenied(VIEW_DENIED)
        return super().dispatch(request, *args, **kwargs)

    def count_text(self, count):
        return ngettext("%(count)s activity", "%(count)s activities", count) % {"count": count}

    def get_queryset(self):
        return defer_geometry(
            Activity.objects.visible_to(self.request.user)
            .select_related("district", "district__province", "place", "organiser")
            .prefetch_related("partners"),
            "district",
            "district__province",
            "place",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = user_can(self.request.user, Capability.MANAGE_ACTIVITIES)
        return context


# --- logging and editing ----------------------------------------------------------------------


def _delete_files(names):
    storage = private_storage()
    for name in names:
        if name:
            storage.delete(name)


def _save_with_photos(request, form, save):
    """Save the form's activity through `save(activity, partners)` and store the photos
    chosen on it, all or nothing: a photo that is not one undoes the whole submission, which
    comes back with what was typed and the reason next to the photos. The activity, or None."""
    activity = form.instance
    was_new = activity.pk is None
    stored_files = []
    try:
        with transaction.atomic():
            try:
                partners = form.partners_to_save()
            except ValidationError as exc:
                raise ValidationError({"new_partners": exc.messages}) from exc
            activity = save(activity, partners)
            problems = []
            for upload in form.cleaned_data.get("photos") or []:
                try:
                    photo = services.add_photo(activity=activity, uploaded=upload, user=request.user)
                except ValidationError as exc:
                    problems.append(f"{upload.name}: {' '.join(exc.messages)}")
                else:
                    stored_files += [photo.image.name, photo.thumbnail.name]
            if problems:
                raise ValidationError({"photos": problems})
    except ValidationError as exc:
        _delete_files(stored_files)  # written to storage before the database said no
        if was_new:
            form.instance.pk = None
            form.instance._state.adding = True
        add_service_errors(form, exc)
        return None
    return activity


def _form_page(request, form, *, heading, cancel_url, context=None):
    # Choosing the district offers its tehsils and union councils (without JavaScript, the
    # ones of the district chosen when the page was made).
    form.fields["district"].widget.attrs.update(
        {"hx-get": request.path, "hx-target": "#place-field", "hx-swap": "outerHTML", "hx-trigger": "change"}
    )
    photos_chosen = bool(request.FILES.getlist(form.add_prefix("photos")))
    return render(
        request,
        "activities/activity_form.html",
        {
            "form": form,
            "heading": heading,
            "cancel_url": cancel_url,
            # Browsers never keep chosen files after a failed submission: say so.
            "files_lost": form.is_bound and bool(form.errors) and photos_chosen,
            **(context or {}),
        },
    )


def _place_field(request, form):
    """The tehsil/UC choices of the district just chosen (HTMX swaps them in)."""
    return render(request, "activities/activity_form.html#place-field", {"form": form})


@staff_only(Capability.MANAGE_ACTIVITIES, MANAGE_DENIED)
def activity_create(request):
    user = request.user
    if request.htmx and request.method == "GET" and "district" in request.GET:
        return _place_field(request, ActivityForm(request.GET, user=user))
    initial = {}
    if request.GET.get("kind") in ActivityType.values:
        initial["kind"] = request.GET["kind"]
    if request.GET.get("district"):
        initial["district"] = request.GET["district"]
    body = _parental_body(request)
    if body is not None:
        # "Log a new meeting" on a parental body's page: the meeting is recorded on the body.
        initial.update(
            kind=ActivityType.PARENTAL_BODY_MEETING,
            district=body.district.code,
            title=_("Meeting of %(body)s") % {"body": body.name},
        )

    def save(activity, partners):
        activity = services.save_activity(activity=activity, user=user, partners=partners)
        if body is not None:
            from muhim.demands.services import add_meeting

            add_meeting(body=body, activity=activity, user=user)
        return activity

    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, user=user, initial=initial)
        if form.is_valid():
            activity = _save_with_photos(request, form, save)
            if activity is not None:
                messages.success(request, _("The activity was logged."))
                return redirect(activity)
    else:
        form = ActivityForm(user=user, initial=initial)
    return _form_page(
        request,
        form,
        heading=_("Log an activity"),
        cancel_url=body.get_absolute_url() if body else reverse("activities:activity-list"),
        context={"parental_body": body},
    )


def _parental_body(request):
    """The parental body named by ?body= among those the user may see, or None."""
    from muhim.demands.models import ParentalBody

    pk = request.GET.get("body", "")
    if not pk.isdigit():
        return None
    return ParentalBody.objects.visible_to(request.user).select_related("district").filter(pk=pk).first()


@staff_only(Capability.MANAGE_ACTIVITIES, MANAGE_DENIED)
def activity_edit(request, pk):
    user = request.user
    activity = activity_or_403(request, pk, for_change=True)
    # The form edits its own copy: a refused change must not show in the page's heading.
    editing = Activity.objects.get(pk=activity.pk)
    if request.htmx and request.method == "GET" and "district" in request.GET:
        return _place_field(
            request, ActivityForm(request.GET, user=user, instance=editing, with_photos=False)
        )
    if request.method == "POST":
        form = ActivityForm(request.POST, user=user, instance=editing, with_photos=False)
        if form.is_valid():
            saved = _save_with_photos(
                request,
                form,
                lambda activity, partners: services.save_activity(
                    activity=activity, user=user, partners=partners
                ),
            )
            if saved is not None:
                messages.success(request, _("The activity was saved."))
                return redirect(saved)
    else:
        form = ActivityForm(user=user, instance=editing, with_photos=False)
    return _form_page(
        request,
        form,
        heading=_("Edit %(title)s") % {"title": activity.display_title},
        cancel_url=activity.get_absolute_url(),
        context={"activity": activity},
    )


# --- an activity's page -----------------------------------------------------------------------


def _caravan_context(request, caravan):
    stops = list(caravan.stops.select_related("district", "activity").order_by("sequence"))
    progress = services.caravan_progress(caravan)
    visible = set(
        Activity.objects.visible_to(request.user)
        .filter(pk__in=[s.activity_id for s in stops if s.activity_id])
        .values_list("pk", flat=True)
    )
    for stop in stops:
        stop.activity_visible = stop.activity_id in visible
    districts = ngettext("%(count)s district", "%(count)s districts", progress.districts) % {
        "count": progress.districts
    }
    days = ngettext("%(count)s day", "%(count)s days", progress.days) % {"count": progress.days}
    return {
        "stops": stops,
        "progress": progress,
        "held_text": ngettext(
            "%(held)s of %(count)s stop held", "%(held)s of %(count)s stops held", progress.stops
        )
        % {"held": progress.held, "count": progress.stops},
        "reach_text": _("%(districts)s in %(days)s") % {"districts": districts, "days": days},
    }


def _detail_context(request, activity, forms):
    user = request.user
    context = {
        "activity": activity,
        "can_edit": can_manage(user, activity),
        "partners": activity.partners.all(),
        "officials": activity.officials.select_related("constituency"),
        "coverage": activity.coverage.all(),
        "photos": activity.photos.all(),
        "statuses": [s for s in Activity.Status if s != activity.status],
        "is_kuli_katchehri": activity.kind == ActivityType.KULI_KATCHEHRI,
        "demand_kind": activity.kind in DEMAND_KINDS,
        **forms,
    }
    if user_can(user, Capability.VIEW_DEMANDS):
        from muhim.demands.models import Demand, ParentalBody

        context["show_demands"] = True
        context["demands"] = (
            Demand.objects.visible_to(user).filter(activity=activity).order_by("raised_on", "pk")
        )
        context["bodies"] = ParentalBody.objects.visible_to(user).filter(meetings=activity)
        context["can_record_demand"] = user_can(user, Capability.MANAGE_DEMANDS, activity.district)
    stop = CaravanStop.objects.select_related("caravan").filter(activity=activity).first()
    if stop is not None and Activity.objects.visible_to(user).filter(pk=stop.caravan_id).exists():
        context["caravan_stop"] = stop
    if activity.kind == ActivityType.CARAVAN:
        context.update(_caravan_context(request, activity))
    return context


def _blank_forms(request, activity):
    return {
        "official_form": OfficialForm(activity=activity),
        "coverage_form": CoverageForm(activity=activity),
        "photo_form": PhotoForm(),
        "stop_form": StopForm(user=request.user, with_sequence=True),
    }


# The section of the page (template partial and anchor) each small form lives in.
SECTIONS = {
    "official": "officials",
    "coverage": "coverage",
    "photos": "photos",
    "delete-photo": "photos",
    "add-stop": "itinerary",
    "remove-stop": "itinerary",
}


def _run_action(request, activity, action, forms):
    """Do what the form sent asks. The notice to show, or None when the bound form (now in
    `forms`) has errors."""
    user, data = request.user, request.POST
    if action == "official":
        form = forms["official_form"] = OfficialForm(data, activity=activity)
        if form.is_valid():
            try:
                official = services.add_official(activity=activity, user=user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return _("%(name)s was added to the officials present.") % {"name": official.name}
    elif action == "coverage":
        form = forms["coverage_form"] = CoverageForm(data, activity=activity)
        if form.is_valid():
            try:
                item = services.add_coverage(activity=activity, user=user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return _("The coverage in %(outlet)s was added.") % {"outlet": item.outlet}
    elif action == "photos":
        form = forms["photo_form"] = PhotoForm(data, request.FILES)
        if form.is_valid():
            added, problems = 0, []
            for upload in form.cleaned_data["photos"]:
                try:
                    services.add_photo(
                        activity=activity, uploaded=upload, caption=form.cleaned_data["caption"], user=user
                    )
                except ValidationError as exc:
                    problems.append(f"{upload.name}: {' '.join(exc.messages)}")
                else:
                    added += 1
            done = ngettext("%(count)s photo was added.", "%(count)s photos were added.", added) % {
                "count": added
            }
            if problems:
                # The good ones are kept; the others are named with the reason.
                form.add_error("photos", problems)
                if added:
                    forms["notice"] = done
                return None
            return done
    elif action == "delete-photo":
        photo = activity.photos.filter(pk=_int(data.get("photo"))).first()
        if photo is None:
            raise Http404(_("There is no such photo."))
        services.delete_photo(photo=photo, user=user)
        return _("The photo was deleted.")
    elif action == "add-stop":
        form = forms["stop_form"] = StopForm(data, user=user, with_sequence=True)
        if form.is_valid():
            try:
                stop = services.add_stop(caravan=activity, user=user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return _("Stop %(n)s, %(district)s, was added.") % {
                    "n": stop.sequence,
                    "district": stop.district.display_name,
                }
    elif action == "remove-stop":
        stop = activity.stops.select_related("district").filter(pk=_int(data.get("stop"))).first()
        if stop is None:
            raise Http404(_("There is no such stop."))
        services.remove_stop(stop=stop, user=user)
        return _("Stop %(n)s, %(district)s, was taken off the itinerary.") % {
            "n": stop.sequence,
            "district": stop.district.display_name,
        }
    return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_http_methods(["GET", "POST"])
@staff_only(Capability.VIEW_ACTIVITIES, VIEW_DENIED)
def activity_detail(request, pk):
    activity = activity_or_403(request, pk)
    forms = _blank_forms(request, activity)
    if request.method == "POST":
        if not can_manage(request.user, activity):
            raise PermissionDenied(MANAGE_DENIED)
        action = request.POST.get("action")
        if action == "status":
            return _change_status(request, activity)
        if action not in SECTIONS:
            raise Http404(_("Unknown action."))
        errors = []
        try:
            notice = _run_action(request, activity, action, forms)
        except ValidationError as exc:  # a service refused a removal or a deletion
            notice, errors = None, exc.messages
        section = SECTIONS[action]
        if notice is not None:
            if not request.htmx:
                messages.success(request, notice)
                return redirect(f"{activity.get_absolute_url()}#{section}")
            forms = _blank_forms(request, activity) | {"notice": notice}
        forms.update(section=section, action_errors=errors)
        context = _detail_context(request, activity, forms)
        template = "activities/activity_detail.html"
        response = render(request, f"{template}#{section}" if request.htmx else template, context)
        if request.htmx and section == "itinerary" and notice is not None:
            # The route map redraws itself on this event (static/js/field-map.js).
            response["HX-Trigger"] = "muhim:route-changed"
        return response
    return render(request, "activities/activity_detail.html", _detail_context(request, activity, forms))


def _change_status(request, activity):
    status = request.POST.get("status")
    if status not in Activity.Status.values:
        raise Http404(_("Unknown status."))
    try:
        services.set_status(activity=activity, status=status, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if status == Activity.Status.HELD:
            messages.success(
                request, _("Marked as held. Add the attendance and outcomes when you have them.")
            )
        else:
            messages.success(
                request,
                _("The activity is now %(status)s.") % {"status": activity.get_status_display().lower()},
            )
    return redirect(activity)


# --- caravans ---------------------------------------------------------------------------------


def _stop_or_404(caravan, stop_pk):
    stop = caravan.stops.select_related("district", "activity", "caravan").filter(pk=stop_pk).first()
    if stop is None:
        raise Http404(_("There is no such stop."))
    return stop


@staff_only(Capability.MANAGE_ACTIVITIES, MANAGE_DENIED)
def stop_edit(request, pk, stop):
    caravan = activity_or_403(request, pk)
    stop = _stop_or_404(caravan, stop)
    itinerary = f"{caravan.get_absolute_url()}#itinerary"
    form = StopForm(user=request.user, stop=stop)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            try:
                services.remove_stop(stop=stop, user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Stop %(n)s, %(district)s, was taken off the itinerary.")
                    % {"n": stop.sequence, "district": stop.district.display_name},
                )
                return redirect(itinerary)
        else:
            form = StopForm(request.POST, user=request.user, stop=stop)
            if form.is_valid():
                try:
                    services.update_stop(stop=stop, user=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    stop.refresh_from_db()
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Stop %(n)s was saved.") % {"n": stop.sequence})
                    return redirect(itinerary)
    return render(request, "activities/stop_form.html", {"caravan": caravan, "stop": stop, "form": form})


@staff_only(Capability.MANAGE_ACTIVITIES, MANAGE_DENIED)
def stop_log(request, pk, stop):
    """Log what happened at a stop: an activity of its own (a theatre show, a rally …) on the
    stop's date, in its district, linked from the itinerary."""
    user = request.user
    caravan = activity_or_403(request, pk)
    stop = _stop_or_404(caravan, stop)
    if stop.activity_id:
        messages.info(request, _("Stop %(n)s already has its activity.") % {"n": stop.sequence})
        return redirect(stop.activity)
    template = Activity(
        title=_("%(caravan)s: stop %(n)s, %(district)s")
        % {"caravan": caravan.title, "n": stop.sequence, "district": stop.district.name},
        district=stop.district,
        start_date=stop.date,
        venue=stop.venue,
        organiser=caravan.organiser,
        status=Activity.Status.HELD,
        is_public=caravan.is_public,
    )
    if request.htmx and request.method == "GET" and "district" in request.GET:
        return _place_field(request, ActivityForm(request.GET, user=user, instance=template))
    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, user=user, instance=template)
        if form.is_valid():
            activity = _save_with_photos(
                request,
                form,
                lambda activity, partners: services.log_stop_activity(
                    stop=stop, activity=activity, user=user, partners=partners
                ),
            )
            if activity is not None:
                messages.success(request, _("What happened at stop %(n)s was logged.") % {"n": stop.sequence})
                return redirect(f"{caravan.get_absolute_url()}#itinerary")
            stop.activity = None  # the link was undone with the rest
    else:
        form = ActivityForm(user=user, instance=template)
    return _form_page(
        request,
        form,
        heading=_("Stop %(n)s: what happened in %(district)s")
        % {"n": stop.sequence, "district": stop.district.display_name},
        cancel_url=f"{caravan.get_absolute_url()}#itinerary",
        context={"caravan": caravan, "stop": stop},
    )


def route_geojson(caravan, *, staff):
    """The caravan's stops as numbered points at their districts' centroids, in stop order,
    and the route joining them. Staff get links to the stops' activities; the public (for a
    public caravan) only to the public pages of public ones."""
    stops = caravan.stops.select_related("district", "activity").order_by("sequence")
    features, line = [], []
    for stop in stops:
        district = stop.district
        if not district.has_centroid:
            continue
        point = [float(district.centroid_lon), float(district.centroid_lat)]
        line.append(point)
        url = None
        if stop.activity_id:
            if staff:
                url = stop.activity.get_absolute_url()
            elif stop.activity.is_public and stop.activity.status != Activity.Status.CANCELLED:
                url = _public_url(stop.activity)
        label = f"{stop.sequence}. {district.display_name}" + (f", {stop.venue}" if stop.venue else "")
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": point},
                "properties": {
                    "sequence": stop.sequence,
                    "date": stop.date.isoformat(),
                    "label": label,
                    "district": district.code,
                    "held": stop.is_held,
                    "url": url,
                },
            }
        )
    if len(line) >= 2:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {"kind": "route"},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _public_url(activity):
    try:
        return activity.get_public_url()
    except NoReverseMatch:  # the public calendar's pages are not installed
        return None


@require_safe
def caravan_route(request, pk):
    caravan = Activity.objects.filter(pk=pk, kind=ActivityType.CARAVAN).first()
    if caravan is None:
        raise Http404(_("There is no such caravan."))
    staff = request.user.is_authenticated and Activity.objects.visible_to(request.user).filter(pk=pk).exists()
    if not staff and not Activity.objects.public().filter(pk=pk).exists():
        raise Http404(_("There is no such caravan."))
    response = JsonResponse(route_geojson(caravan, staff=staff), content_type="application/geo+json")
    if staff:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=300)
    return response


# --- photos -----------------------------------------------------------------------------------


@require_safe
def photo(request, pk, size):
    """A photo from private storage: a public activity's to anyone, another's only to staff
    who may see the activity; 404 for everyone else (not even whether it exists)."""
    if size not in ("full", "thumb"):
        raise Http404(_("There is no such photo size."))
    record = ActivityPhoto.objects.select_related("activity").filter(pk=pk).first()
    if record is None:
        raise Http404(_("There is no such photo."))
    is_public = Activity.objects.public().filter(pk=record.activity_id).exists()
    if not is_public and not (
        request.user.is_authenticated
        and Activity.objects.visible_to(request.user).filter(pk=record.activity_id).exists()
    ):
        raise Http404(_("There is no such photo."))
    file = record.image if size == "full" else record.thumbnail
    if not file:
        raise Http404(_("There is no such photo."))
    # Files are never changed once stored (a new upload gets a new name): the name is the ETag.
    etag = f'"{record.pk}-{size}-{file.name.rsplit("/", 1)[-1]}"'
    last_modified = record.created_at.timestamp()
    cached = get_conditional_response(request, etag=etag, last_modified=int(last_modified))
    if cached is None:
        try:
            handle = file.storage.open(file.name, "rb")
        except FileNotFoundError as exc:
            raise Http404(_("The photo file is missing from storage.")) from exc
        extension = file.name.rsplit(".", 1)[-1].lower()
        response = FileResponse(handle, content_type=PHOTO_TYPES.get(extension, "application/octet-stream"))
    else:
        response = cached
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    if is_public:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, max_age=3600)
        response["Vary"] = "Cookie"
    return response


urlpatterns = [
    path("field/activities/", ActivityListView.as_view(), name="activity-list"),
    path("field/activities/new/", activity_create, name="activity-create"),
    path("field/activities/<int:pk>/", activity_detail, name="activity-detail"),
    path("field/activities/<int:pk>/edit/", activity_edit, name="activity-edit"),
    path("field/activities/<int:pk>/route.geojson", caravan_route, name="caravan-route"),
    path("field/activities/<int:pk>/stops/<int:stop>/edit/", stop_edit, name="stop-edit"),
    path("field/activities/<int:pk>/stops/<int:stop>/log/", stop_log, name="stop-log"),
    path("field/photos/<int:pk>/<str:size>/", photo, name="photo"),
]
