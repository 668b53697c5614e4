"""The calendar of field activities and its iCalendar feeds.

- `/calendar/` (public): a month view and a list view (upcoming, then past) of
  `Activity.objects.public()`, filtered by province and type.
- `/field/calendar/` (staff with VIEW_ACTIVITIES): the same views over
  `Activity.objects.visible_to(user)`, so planned and private activities of the user's regions
  too, filtered also by status, each linking to the staff page of the activity.
- `/events/<pk>/`: the public page of one public event (anything else is a 404), and
  `/events/<pk>.ics` the event alone, to add to a phone's calendar.
- `/calendar.ics` and `/calendar/<province code>.ics`: iCalendar feeds (RFC 5545, written with
  the `icalendar` library) of the public events of the last twelve months and all future ones.

The feeds answer conditional requests (ETag and Last-Modified), so a phone that subscribed
downloads the feed again only when it changed."""

import calendar as pycalendar
import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from muhim.accounts.permissions import Capability, is_regional, user_can, user_regions
from muhim.core.forms import style_form
from muhim.geography.models import Area

from .models import Activity, ActivityType, CaravanStop

# Events listed per page in the list view (each of upcoming and past).
PER_PAGE = 30
# Events named in one day's cell of the month grid; the rest are "+ N more", a link to the day.
MAX_IN_CELL = 4
# Years a month may be asked for: wide enough for any campaign, narrow enough that no date
# arithmetic overflows.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# How far back a feed reaches: past events stay in subscribers' calendars for a year.
FEED_MONTHS_BACK = 12

MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
DAY_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def local_tz():
    return ZoneInfo(settings.TIME_ZONE)


# --- what the visitor asks for -----------------------------------------------------------------


class CalendarFilterForm(forms.Form):
    """The calendar's parameters, from the query string. Every one is optional; a bad one gets
    a message saying what to write instead, and the calendar is drawn without it."""

    VIEWS = [("list", gettext_lazy("List")), ("month", gettext_lazy("Month"))]

    view = forms.ChoiceField(
        required=False,
        choices=VIEWS,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": gettext_lazy("Choose the list or the month view.")},
    )
    day = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)
    month = forms.CharField(
        label=gettext_lazy("Month"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM", "inputmode": "numeric"}),
    )
    province = forms.ChoiceField(
        label=gettext_lazy("Province or territory"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "“%(value)s” is not a province or territory we know. Choose one from the list."
            )
        },
    )
    type = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=[("", gettext_lazy("All types")), *ActivityType.choices],
        error_messages={
            "invalid_choice": gettext_lazy("“%(value)s” is not a type of activity. Choose one from the list.")
        },
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any status")), *Activity.Status.choices],
        error_messages={
            "invalid_choice": gettext_lazy("“%(value)s” is not a status. Choose one from the list.")
        },
    )

    def __init__(self, data, *, provinces, staff, regions=(), region_names=""):
        """`provinces`: every province and territory; `regions`, for an organiser: the
        provinces their regions lie in, the only ones offered; `region_names` names their
        regions for the message."""
        super().__init__(data)
        self.provinces = {p.code: p for p in provinces}
        self.offered = {p.code for p in regions} if regions else set(self.provinces)
        self.region_names = region_names
        field = self.fields["province"]
        field.choices = [("", _("All provinces")), *((p.code, p.display_name) for p in provinces)]
        field.widget.choices = [c for c in field.choices if not c[0] or c[0] in self.offered]
        if not staff:
            # The public calendar only holds planned and held events, never cancelled ones.
            del self.fields["status"]
        style_form(self, small=True)

    @staticmethod
    def _example_month():
        return f"{timezone.localdate():%Y-%m}"

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        match = MONTH_RE.match(value)
        if match:
            year, month = int(match[1]), int(match[2])
            if 1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR:
                return year, month
        raise ValidationError(
            _("“%(value)s” is not a month. Write it as YYYY-MM, for example %(example)s.")
            % {"value": value, "example": self._example_month()},
            code="invalid_month",
        )

    def clean_day(self):
        value = self.cleaned_data["day"].strip()
        if not value:
            return None
        match = DAY_RE.match(value)
        if match:
            try:
                day = date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                day = None
            if day is not None and FIRST_YEAR <= day.year <= LAST_YEAR:
                return day
        raise ValidationError(
            _("“%(value)s” is not a day. Write it as YYYY-MM-DD, for example %(example)s.")
            % {"value": value, "example": f"{timezone.localdate():%Y-%m-%d}"},
            code="invalid_day",
        )

    def clean_province(self):
        code = self.cleaned_data["province"]
        if not code:
            return None
        if code not in self.offered:
            raise ValidationError(
                _("%(province)s is outside your regions (%(regions)s).")
                % {
                    "province": self.provinces[code].display_name,
                    "regions": self.region_names,
                },
                code="outside_region",
            )
        return self.provinces[code]

    def hidden_errors(self):
        """Messages for the parameters that have no visible field (view, day)."""
        return [error for name in ("view", "day") for error in self.errors.get(name, [])]


def filter_activities(queryset, data):
    """`queryset` narrowed by the valid parameters in `data` (a form's cleaned_data)."""
    if data.get("province"):
        queryset = queryset.in_area(data["province"])
    if data.get("type"):
        queryset = queryset.filter(kind=data["type"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    return queryset


def on_day(queryset, day):
    """Activities taking place on `day` (a multi-day one on each of its days)."""
    return queryset.filter(start_date__lte=day).filter(
        Q(end_date__gte=day) | Q(end_date__isnull=True, start_date=day)
    )


def past(queryset, today):
    """Activities whose last day is before `today` (the complement of `.upcoming(today)`)."""
    return queryset.filter(Q(end_date__lt=today) | Q(end_date__isnull=True, start_date__lt=today))


def shift_month(year, month, by):
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


# --- the month grid (no database) --------------------------------------------------------------


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    events: list = field(default_factory=list)

    @property
    def shown(self):
        return self.events[:MAX_IN_CELL]

    @property
    def more(self):
        return max(len(self.events) - MAX_IN_CELL, 0)


def month_grid(year, month, activities, *, today):
    """The weeks (Monday first) of a month, each a list of seven `Day`s; every activity is
    placed on each of its days that falls in the month. Days of the neighbouring months that
    fill the first and last weeks carry no events: the month's query does not hold theirs."""
    weeks = pycalendar.Calendar(firstweekday=pycalendar.MONDAY).monthdatescalendar(year, month)
    days = {d: Day(date=d, in_month=d.month == month, is_today=d == today) for week in weeks for d in week}
    first = date(year, month, 1)
    last = date(year, month, pycalendar.monthrange(year, month)[1])
    for activity in activities:
        day = max(activity.start_date, first)
        end = min(activity.last_date, last)
        while day <= end:
            days[day].events.append(activity)
            day += timedelta(days=1)
    for day in days.values():
        # All-day events first, then by starting time; the query's order otherwise.
        day.events.sort(key=lambda a: (a.start_time is not None, a.start_time or time(0)))
    return [[days[d] for d in week] for week in weeks]


# --- the calendar pages ------------------------------------------------------------------------


def _provinces_for(user, staff):
    """Every province, and those an organiser's regions lie in (empty for national roles)."""
    provinces = list(Area.objects.provinces().order_by("name"))
    if not (staff and is_regional(user)):
        return provinces, []
    theirs = {r.province_id or r.pk for r in user_regions(user)}
    return provinces, [p for p in provinces if p.pk in theirs]


def _ordered_upcoming(queryset):
    return queryset.order_by("start_date", F("start_time").asc(nulls_first=True), "pk")


def _ordered_past(queryset):
    return queryset.order_by("-start_date", F("start_time").desc(nulls_last=True), "-pk")


def _calendar(request, base, *, staff):
    today = timezone.localdate()
    provinces, regions = _provinces_for(request.user, staff)
    query = request.GET.copy()
    if query.get("view") == "month" and not query.get("month", "").strip() and not query.get("day"):
        # The month field shows the month on screen, so that a filter changed next keeps it.
        query["month"] = f"{today:%Y-%m}"
    form = CalendarFilterForm(
        query,
        provinces=provinces,
        regions=regions,
        region_names=", ".join(r.display_name for r in user_regions(request.user)) if regions else "",
        staff=staff,
    )
    valid = form.is_valid()
    data = form.cleaned_data
    for name in form.errors:
        widget = form.fields[name].widget
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
    activities = filter_activities(base.select_related("district", "district__province", "place"), data)

    day = data.get("day")
    view = "list" if day else data.get("view") or "list"
    year, month = (day.year, day.month) if day else data.get("month") or (today.year, today.month)

    # The valid parameters, for links that change one of them (bad ones are left out).
    params = request.GET.copy()
    for name in ("page", "past", *form.errors):
        params.pop(name, None)

    context = {
        "form": form,
        "staff": staff,
        "view": view,
        "day": day,
        "today": today,
        "month_start": date(year, month, 1),
        "month_value": f"{year:04d}-{month:02d}",
        "prev_month": "{:04d}-{:02d}".format(*shift_month(year, month, -1)),
        "next_month": "{:04d}-{:02d}".format(*shift_month(year, month, 1)),
        "this_month": f"{today:%Y-%m}",
        "params": params,
        "province": data.get("province"),
        # Which filters narrow what is shown (the view and the month do not hide events).
        "filtered": any(data.get(name) for name in ("province", "type", "status")),
        "link_name": "activities:activity-detail" if staff else "activities:event-detail",
    }
    if view == "month":
        in_month = list(_ordered_upcoming(activities.in_month(year, month)))
        weeks = month_grid(year, month, in_month, today=today)
        context.update(
            weeks=weeks,
            weekdays=[(WEEKDAYS_ABBR[i], WEEKDAYS[i]) for i in range(7)],
            busy_days=[d for week in weeks for d in week if d.in_month and d.events],
            month_count=len(in_month),
        )
    else:
        if day:
            scope = on_day(activities, day)
        elif data.get("month"):
            scope = activities.in_month(year, month)
        else:
            scope = activities
        context.update(
            month_given=bool(data.get("month")) and not day,
            upcoming=Paginator(_ordered_upcoming(scope.upcoming(today)), PER_PAGE).get_page(
                request.GET.get("page")
            ),
            past_events=Paginator(_ordered_past(past(scope, today)), PER_PAGE).get_page(
                request.GET.get("past")
            ),
        )
    template = "activities/calendar.html"
    htmx = getattr(request, "htmx", False) and not request.htmx.boosted
    if htmx:
        template += "#results"
    # A bad parameter in an address answers 400, with the message on the page. HTMX does not
    # swap in an error response, so its requests get 200 and the message in the results.
    return render(request, template, context, status=200 if valid or htmx else 400)


@require_safe
def public_calendar(request):
    return _calendar(request, Activity.objects.public(), staff=False)


def staff_calendar(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user_can(request.user, Capability.VIEW_ACTIVITIES):
        raise PermissionDenied(
            _("Only campaign staff with access to field activities can see the field calendar.")
        )
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    return _calendar(request, Activity.objects.visible_to(request.user), staff=True)


# --- the public page of an event ---------------------------------------------------------------


def _public_event(pk):
    return get_object_or_404(
        Activity.objects.public().select_related("district", "district__province", "place"), pk=pk
    )


@require_safe
def event_detail(request, pk):
    """Only what may be public: never the follow-up, who created it, or anything internal."""
    from muhim.demands.models import Demand

    activity = _public_event(pk)
    held = activity.status == Activity.Status.HELD
    stops = []
    if activity.kind == ActivityType.CARAVAN:
        for stop in activity.stops.select_related("district", "activity").order_by("sequence"):
            shown = stop.activity
            public = shown is not None and shown.is_public and shown.status != Activity.Status.CANCELLED
            stops.append({"stop": stop, "public_activity": shown if public else None})
    part_of = (
        CaravanStop.objects.filter(activity=activity, caravan__in=Activity.objects.public())
        .select_related("caravan")
        .first()
    )
    # Served by the photo view, which shows a public activity's photos to everyone.
    photos = [
        {
            "photo": photo,
            "thumb": reverse("activities:photo", args=[photo.pk, "thumb"]),
            "full": reverse("activities:photo", args=[photo.pk, "full"]),
        }
        for photo in activity.photos.all()
    ]
    context = {
        "activity": activity,
        "held": held,
        "partners": list(activity.partners.all()),
        "officials": list(activity.officials.all()),
        "coverage": list(activity.coverage.all()),
        "photos": photos,
        "stops": stops,
        "part_of": part_of,
        "demands": list(Demand.objects.published().filter(activity=activity).order_by("pk")),
        "staff_link": user_can(request.user, Capability.VIEW_ACTIVITIES, activity.district),
    }
    return render(request, "activities/event_detail.html", context)


# --- iCalendar ---------------------------------------------------------------------------------


def event_times(activity, tz):
    """DTSTART and DTEND of the activity's VEVENT. Without a starting time it is an all-day
    event: dates, the end being the day after the last day (RFC 5545's DTEND is exclusive).
    With one, times in `tz`; a timed activity with no known end has no DTEND (it ends when it
    starts, says the RFC) unless it runs over several days, when it lasts until the end of its
    last day."""
    last = activity.last_date
    if activity.start_time is None:
        return activity.start_date, last + timedelta(days=1)
    start = datetime.combine(activity.start_date, activity.start_time, tzinfo=tz)
    if activity.end_time is not None:
        end = datetime.combine(last, activity.end_time, tzinfo=tz)
        if end > start:
            return start, end
    if last > activity.start_date:
        return start, datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    return start, None


def event_location(activity):
    separator = "، " if get_language() == "ur" else ", "
    parts = [activity.venue.strip()]
    for area in (activity.place, activity.district, activity.district.province):
        if area is not None:
            parts.append(area.display_name)
    unique = []
    for part in parts:
        if part and part not in unique:
            unique.append(part)
    return separator.join(unique)


def event_description(activity, url):
    parts = [activity.description.strip()]
    if not parts[0]:
        parts[0] = _("%(type)s in %(district)s") % {
            "type": activity.get_kind_display(),
            "district": activity.district.display_name,
        }
    if activity.status == Activity.Status.HELD and activity.outcomes.strip():
        parts.append(_("Outcomes: %(outcomes)s") % {"outcomes": activity.outcomes.strip()})
    parts.append(url)
    return "\n\n".join(parts)


def activity_event(activity, *, url, tz):
    """The VEVENT of one public activity. UID and DTSTAMP come from the activity itself, so the
    same activity gives the same event in every download (and the feed's ETag holds)."""
    start, end = event_times(activity, tz)
    return icalendar.Event.new(
        uid=f"{activity.uid}@muhim",
        stamp=activity.updated_at,
        created=activity.created_at,
        last_modified=activity.updated_at,
        summary=activity.display_title,
        description=event_description(activity, url),
        location=event_location(activity),
        url=url,
        start=start,
        end=end,
        categories=[str(activity.get_kind_display())],
        status="CONFIRMED" if activity.status == Activity.Status.HELD else "TENTATIVE",
    )


def build_calendar(activities, *, name, key, url_for):
    """A VCALENDAR holding a VEVENT per activity, with the VTIMEZONE its times need. `key`
    names the feed (its UID is derived from it, to stay the same); `url_for(activity)` gives
    the absolute address of an activity's public page."""
    tz = local_tz()
    cal = icalendar.Calendar.new(
        prodid="-//Muhim//Field activities calendar//EN",
        calscale="GREGORIAN",
        name=name,
        description=_(
            "Public events of the education campaign: caravans, Kuli Katchehris, seminars and more."
        ),
        uid=uuid.uuid5(uuid.NAMESPACE_URL, f"muhim:calendar:{key}:{get_language()}"),
        refresh_interval=timedelta(hours=6),
    )
    cal.add("X-WR-TIMEZONE", settings.TIME_ZONE)
    cal.add("X-PUBLISHED-TTL", icalendar.vDuration(timedelta(hours=6)))
    for activity in activities:
        cal.add_component(activity_event(activity, url=url_for(activity), tz=tz))
    cal.add_missing_timezones()
    return cal


def feed_start(today):
    """The first day a feed's events may last until: twelve months before `today`."""
    year, month = shift_month(today.year, today.month, -FEED_MONTHS_BACK)
    return date(year, month, min(today.day, pycalendar.monthrange(year, month)[1]))


def feed_activities(queryset, today=None):
    """The public events a feed holds: those of the last twelve months and all future ones."""
    today = today or timezone.localdate()
    return (
        queryset.public()
        .upcoming(on=feed_start(today))
        .select_related("district", "district__province", "place")
        .order_by("start_date", F("start_time").asc(nulls_first=True), "pk")
    )


def _last_change():
    """When anything a feed shows last changed: any activity created, changed or deleted (its
    history), any area renamed; and today's start, since the feed's window moves each day.
    Only clients that send If-Modified-Since without an ETag rely on it."""
    midnight = datetime.combine(timezone.localdate(), time(0), tzinfo=local_tz())
    stamps = [
        midnight,
        Activity.history.aggregate(last=Max("history_date"))["last"],
        Area.history.aggregate(last=Max("history_date"))["last"],
    ]
    return max(s for s in stamps if s is not None)


def ics_response(request, cal, *, filename=None):
    """The calendar as text/calendar, answering If-None-Match (the ETag is the body's hash)
    and If-Modified-Since with 304 Not Modified."""
    body = cal.to_ical()
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    last_modified = int(_last_change().timestamp())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, no_cache=True)
    return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)


def _absolute(request):
    return lambda activity: request.build_absolute_uri(activity.get_public_url())


@require_safe
def feed(request):
    cal = build_calendar(
        feed_activities(Activity.objects.all()),
        name=_("Muhim: campaign events"),
        key="all",
        url_for=_absolute(request),
    )
    return ics_response(request, cal)


@require_safe
def province_feed(request, province):
    area = Area.objects.provinces().filter(code=province).first()
    if area is None:
        raise Http404(_("There is no province or territory with the code “%(code)s”.") % {"code": province})
    cal = build_calendar(
        feed_activities(Activity.objects.in_area(area)),
        name=_("Muhim: campaign events in %(province)s") % {"province": area.display_name},
        key=area.code,
        url_for=_absolute(request),
    )
    return ics_response(request, cal)


@require_safe
def event_ics(request, pk):
    activity = _public_event(pk)
    cal = build_calendar(
        [activity], name=activity.display_title, key=f"event-{activity.pk}", url_for=_absolute(request)
    )
    return ics_response(request, cal, filename=f"muhim-event-{activity.pk}.ics")


urlpatterns = [
    path("calendar/", public_calendar, name="calendar"),
    path("calendar.ics", feed, name="feed"),
    path("calendar/<slug:province>.ics", province_feed, name="province-feed"),
    path("events/<int:pk>/", event_detail, name="event-detail"),
    path("events/<int:pk>.ics", event_ics, name="event-ics"),
    path("field/calendar/", staff_calendar, name="staff-calendar"),
]
