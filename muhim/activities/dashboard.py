"""The field dashboard (/field/): activities by type, by province (an organiser: by district)
and by month; attendance by sex; demands raised and resolved per month, where open demands
stand, how many were resolved on the spot and how long resolution takes; overdue follow-ups;
and a map per district (/field/map.geojson). Every number links to the list it counts, filtered
to exactly those rows.

Where the figures come from. National roles read the pre-computed tables (`ActivityStat`,
`DemandStat` by month and province; `ActivityDistrictStat`, `DemandDistrictStat` by district),
which the services keep equal to the rows they count: the page costs the same with 300
activities or 300,000. An organiser's region is small, and a division is not a province: its
month figures are summed from its own activities and demands, its current figures (where
demands stand, the map) from the district tables filtered to its districts. Both paths yield
rows of the same shape, summed by the same code below. Overdue follow-ups are counted from the
demands (they change with the date).

Summing a page of figures costs a few times a plain page; a page keeps what it computed, for
the same scope, period and language, until the data changes (`computed`), so that a repeat view
costs about one. After a write a task computes the national page again in the background
(`schedule_warm`, `warm_national`), so that the campaign office's next view finds it ready;
until it has run, a view computes what it needs itself, so a figure is never stale. The links
go to the activity and demand lists with their own filter names."""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format, number_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, override
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from muhim.accounts.permissions import Capability, is_regional, scope_filter, user_can, user_regions
from muhim.core.forms import style_form
from muhim.demands.models import OPEN_STATUSES, Category, Demand, DemandDistrictStat, DemandStat
from muhim.demands.models import Status as DemandStatus
from muhim.geography.models import Area

from .models import Activity, ActivityDistrictStat, ActivityStat, ActivityType
from .stats import FIGURES, month_of

HELD, PLANNED, CANCELLED = Activity.Status.HELD, Activity.Status.PLANNED, Activity.Status.CANCELLED
RECENT, ALL = "recent", "all"
ACTIVITIES, DEMANDS = "activities", "demands"
TOP_DISTRICTS = 10
OVERDUE_SHOWN = 20

# The list pages' filter names (activities/filters.py, demands/filters.py): one place, so that
# each link asks its list for exactly the rows the number counts. Dates are inclusive bounds.
ACTIVITY_START_FROM, ACTIVITY_START_TO = "start_after", "start_before"
DEMAND_RAISED_FROM, DEMAND_RAISED_TO = "raised_after", "raised_before"
DEMAND_RESOLVED_FROM, DEMAND_RESOLVED_TO = "resolved_after", "resolved_before"


# --- periods ----------------------------------------------------------------------------------


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole months: from `start` (a first of the month) up to, not including, `end`; None is
    open-ended."""

    key: str
    label: str
    start: date | None
    end: date | None

    def months(self, first: date | None, last: date | None) -> list[date]:
        """The months to list: the period's, or (open-ended) those between the data's first and
        last month."""
        start = self.start or first
        end = self.end or (add_months(last, 1) if last else None)
        if start is None or end is None:
            return []
        months, month = [], start
        while month < end:
            months.append(month)
            month = add_months(month, 1)
        return months


def recent_period(today: date) -> Period:
    this_month = month_of(today)
    return Period(
        RECENT, _("The last 12 months and the next 3"), add_months(this_month, -11), add_months(this_month, 3)
    )


def period_for(key: str, today: date) -> Period:
    if key == ALL:
        return Period(ALL, _("All time"), None, None)
    if key.isdigit() and len(key) == 4:
        year = int(key)
        return Period(key, key, date(year, 1, 1), date(year + 1, 1, 1))
    return recent_period(today)


def data_years(today: date) -> list[int]:
    """Years with figures, newest first (and the current year in any case). Only the period
    menu uses them: they are kept for ten minutes."""
    key = f"field-dashboard-years-{today.year}"
    years = cache.get(key)
    if years is None:
        years = _data_years(today)
        cache.set(key, years, 600)
    return years


def _data_years(today):
    bounds = [
        ActivityStat.objects.aggregate(first=Min("month"), last=Max("month")),
        DemandStat.objects.aggregate(first=Min("month"), last=Max("month")),
    ]
    first = min([b["first"].year for b in bounds if b["first"]] + [today.year])
    last = max([b["last"].year for b in bounds if b["last"]] + [today.year])
    return list(range(last, first - 1, -1))


class DashboardFilters(forms.Form):
    province = forms.ChoiceField(label=gettext_lazy("Province"), required=False)
    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)

    def __init__(self, data, *, provinces, years, today):
        super().__init__(data)
        self.provinces = {p.code: p for p in provinces}
        self.fields["province"].choices = [("", _("All provinces"))] + [
            (p.code, p.display_name) for p in provinces
        ]
        self.fields["period"].choices = [
            (RECENT, recent_period(today).label),
            *((str(y), str(y)) for y in years),
            (ALL, _("All time")),
        ]
        style_form(self, small=True)

    def value(self, name):
        """The valid value of `name`, or its default when it is missing or wrong (the form shows
        the error next to the field)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data[name]
        if self.is_bound and name not in self.errors:
            return self.data.get(name, "")
        return ""


# --- who sees what ------------------------------------------------------------------------------


@dataclass
class Scope:
    user: object
    national: bool
    provinces: list[Area]  # those the user may choose from
    province: Area | None
    period: Period
    today: date
    demands: bool  # may see demand figures (VIEW_DEMANDS)
    _districts: dict = field(default_factory=dict)

    def districts(self, capability) -> list[int]:
        """The ids of the districts the figures cover: the user's (for `capability`) in the
        chosen province. Rows are narrowed by `district_id IN (…)`, which the indexes on
        district serve, rather than by a join to every row's area."""
        if capability not in self._districts:
            districts = Area.objects.districts().filter(scope_filter(self.user, capability))
            if self.province is not None:
                districts = districts.filter(province=self.province)
            self._districts[capability] = list(districts.values_list("pk", flat=True))
        return self._districts[capability]


def require_dashboard(user):
    if user_can(user, Capability.VIEW_ACTIVITIES):
        return
    if is_regional(user):
        raise PermissionDenied(
            _("Your account has no regions yet. Ask an administrator to add the regions you cover.")
        )
    raise PermissionDenied(_("Your role does not include the field pages."))


def visible_provinces(user):
    provinces = Area.objects.provinces().defer("boundary", "bbox").order_by("name")
    if not is_regional(user):
        return list(provinces)
    return list(provinces.filter(pk__in={r.province_id for r in user_regions(user)}))


def visible_districts(user, province=None):
    districts = Area.objects.districts().filter(scope_filter(user, Capability.VIEW_ACTIVITIES))
    if province is not None:
        districts = districts.filter(province=province)
    return districts


# --- links to the lists -----------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A number and the list of exactly the rows it counts."""

    value: int
    url: str

    @property
    def text(self):
        """The number as the page shows it: 12,345 (grouped as the language groups them)."""
        return number_format(self.value, force_grouping=True)


def query(params) -> str:
    """A query string. The values are codes, choices and ISO dates, safe in a URL as they are;
    building ~250 links a page this way instead of with `urlencode` keeps the page fast."""
    parts = []
    for name, value in params.items():
        if value in (None, ""):
            continue
        values = value if isinstance(value, list | tuple) else [value]
        parts.extend(f"{name}={v}" for v in values)
    return "&".join(parts)


class Links:
    def __init__(self, scope: Scope):
        self.activity_list = reverse("activities:activity-list")
        self.demand_list = reverse("demands:demand-list")
        self.area = {"province": scope.province.code} if scope.province else {}
        self.period = scope.period

    @staticmethod
    def _url(base, params):
        text = query(params)
        return f"{base}?{text}" if text else base

    @staticmethod
    def _dates(start, end, names):
        bounds = {}
        if start:
            bounds[names[0]] = start.isoformat()
        if end:
            bounds[names[1]] = (end - timedelta(days=1)).isoformat()
        return bounds

    def _within(self, month, names):
        if month is not None:
            return self._dates(month, add_months(month, 1), names)
        return self._dates(self.period.start, self.period.end, names)

    def activities(self, *, month=None, **params):
        dates = self._within(month, (ACTIVITY_START_FROM, ACTIVITY_START_TO))
        return self._url(self.activity_list, {**self.area, **params, **dates})

    def demands_raised(self, *, month=None, **params):
        dates = self._within(month, (DEMAND_RAISED_FROM, DEMAND_RAISED_TO))
        return self._url(self.demand_list, {**self.area, **params, **dates})

    def demands_resolved(self, *, month=None, **params):
        dates = self._within(month, (DEMAND_RESOLVED_FROM, DEMAND_RESOLVED_TO))
        return self._url(self.demand_list, {**self.area, "status": DemandStatus.RESOLVED, **params, **dates})

    def demands_now(self, **params):
        """Demands as they stand today (not limited to the period)."""
        return self._url(self.demand_list, {**self.area, **params})

    def activities_all_time(self, **params):
        return self._url(self.activity_list, {**self.area, **params})


# --- activities -------------------------------------------------------------------------------


def activity_base(scope: Scope):
    """(rows, count, area field, date field): for national roles the month table
    `ActivityStat` (areas are provinces, dates are months), for an organiser their own
    activities (areas are districts, dates are start dates, folded into months by `_by`:
    grouping by a column, not by a function of it, lets SQLite use the index), narrowed to
    the province and period."""
    if scope.national:
        rows = ActivityStat.objects.all()
        if scope.province:
            rows = rows.filter(province=scope.province)
        if scope.period.start:
            rows = rows.filter(month__gte=scope.period.start)
        if scope.period.end:
            rows = rows.filter(month__lt=scope.period.end)
        return rows.order_by(), Sum("activities"), "province_id", "month"
    rows = Activity.objects.filter(district_id__in=scope.districts(Capability.VIEW_ACTIVITIES))
    if scope.period.start:
        rows = rows.filter(start_date__gte=scope.period.start)
    if scope.period.end:
        rows = rows.filter(start_date__lt=scope.period.end)
    return rows.order_by(), Count("pk"), "district_id", "start_date"


@dataclass
class Row:
    label: str
    figures: list[Figure]
    widths: list[int] = field(default_factory=list)  # the bars: each figure as a share of the largest, in %
    key: str = ""


def with_bars(rows: list[Row]) -> list[Row]:
    top = max((f.value for row in rows for f in row.figures), default=0)
    for row in rows:
        row.widths = [round(100 * f.value / top) if top else 0 for f in row.figures]
    return rows


def _by(rows, count, group, fold=None):
    """{value of `group`: {status: n}}, summed by the database; `fold` maps each value to
    the key to sum it under (a day to its month)."""
    result = defaultdict(lambda: defaultdict(int))
    for value, status, n in rows.values_list(group, "status").annotate(n=count).order_by():
        result[fold(value) if fold else value][status] += n or 0
    return result


def activity_section(scope: Scope, links: Links, areas: list[Area]):
    rows, count, area_field, month = activity_base(scope)
    # By type and area in one query, with the attendance; by month in another.
    by_kind, by_area = defaultdict(lambda: defaultdict(int)), defaultdict(lambda: defaultdict(int))
    totals, attendance = defaultdict(int), dict.fromkeys(FIGURES, 0)
    people = {name: Coalesce(Sum(name), 0) for name in FIGURES}
    for kind, area, status, n, *sums in (
        rows.values_list("kind", area_field, "status")
        .annotate(n=count, **people)
        .order_by()
        .values_list("kind", area_field, "status", "n", *FIGURES)
    ):
        by_kind[kind][status] += n
        by_area[area][status] += n
        totals[status] += n
        if status == HELD:
            for name, value in zip(FIGURES, sums, strict=True):
                attendance[name] += value
    by_month = _by(rows, count, month, fold=None if scope.national else month_of)

    def pair(counts, **params):
        return [
            Figure(counts.get(HELD, 0), links.activities(status=HELD, **params)),
            Figure(counts.get(PLANNED, 0), links.activities(status=PLANNED, **params)),
        ]

    kind_rows = [
        Row(str(label), pair(by_kind.get(kind, {}), kind=kind), key=kind)
        for kind, label in ActivityType.choices
    ]
    kind_rows.sort(key=lambda row: (-row.figures[0].value, -row.figures[1].value))
    area_param = "province" if scope.national else "district"
    area_rows = [
        Row(a.display_name, pair(by_area.get(a.pk, {}), **{area_param: a.code}), key=a.code) for a in areas
    ]
    months = scope.period.months(min(by_month, default=None), max(by_month, default=None))
    month_rows = [
        Row(date_format(m, "M Y"), pair(by_month.get(m, {}), month=m), key=m.isoformat()) for m in months
    ]
    held_url = links.activities(status=HELD)
    everyone = sum(attendance.values())
    labels = {"women": _("Women"), "men": _("Men"), "girls": _("Girls"), "boys": _("Boys")}
    return {
        "held": Figure(totals.get(HELD, 0), held_url),
        "planned": Figure(totals.get(PLANNED, 0), links.activities(status=PLANNED)),
        "cancelled": Figure(totals.get(CANCELLED, 0), links.activities(status=CANCELLED)),
        "by_kind": with_bars(kind_rows),
        "by_area": with_bars(area_rows),
        "by_month": with_bars(month_rows),
        "attendance": with_bars(
            [Row(labels[name], [Figure(attendance[name], held_url)], key=name) for name in FIGURES]
        ),
        "attendance_total": Figure(everyone, held_url),
        "women_and_girls_share": (
            round(100 * (attendance["women"] + attendance["girls"]) / everyone) if everyone else None
        ),
    }


# --- demands ----------------------------------------------------------------------------------


def demand_month_rows(scope: Scope):
    """Rows of {month, raised, resolved, resolved_on_the_spot, days_to_resolution} (several rows
    may share a month)."""
    if scope.national:
        rows = DemandStat.objects.all()
        if scope.province:
            rows = rows.filter(province=scope.province)
        if scope.period.start:
            rows = rows.filter(month__gte=scope.period.start)
        if scope.period.end:
            rows = rows.filter(month__lt=scope.period.end)
        return (
            rows.values("month")
            .annotate(
                raised=Sum("raised"),
                resolved=Sum("resolved"),
                resolved_on_the_spot=Sum("resolved_on_the_spot"),
                days_to_resolution=Sum("days_to_resolution"),
            )
            .order_by()
        )
    demands = Demand.objects.filter(district_id__in=scope.districts(Capability.VIEW_DEMANDS))
    buckets = defaultdict(lambda: dict.fromkeys(("raised", "resolved", "resolved_on_the_spot", "days"), 0))
    raised = demands
    if scope.period.start:
        raised = raised.filter(raised_on__gte=scope.period.start)
    if scope.period.end:
        raised = raised.filter(raised_on__lt=scope.period.end)
    for day, n in raised.values_list("raised_on").annotate(n=Count("pk")).order_by():
        buckets[month_of(day)]["raised"] += n
    # Like demands.stats: resolved means resolved now, counted in the month it was resolved.
    resolved = demands.filter(status=DemandStatus.RESOLVED, resolved_on__isnull=False)
    if scope.period.start:
        resolved = resolved.filter(resolved_on__gte=scope.period.start)
    if scope.period.end:
        resolved = resolved.filter(resolved_on__lt=scope.period.end)
    for raised_on, resolved_on, on_the_spot in resolved.values_list(
        "raised_on", "resolved_on", "resolved_on_the_spot"
    ):
        bucket = buckets[month_of(resolved_on)]
        bucket["resolved"] += 1
        bucket["resolved_on_the_spot"] += bool(on_the_spot)
        bucket["days"] += (resolved_on - raised_on).days
    return [
        {
            "month": month,
            "raised": b["raised"],
            "resolved": b["resolved"],
            "resolved_on_the_spot": b["resolved_on_the_spot"],
            "days_to_resolution": b["days"],
        }
        for month, b in buckets.items()
    ]


def district_stat_scope(queryset, scope: Scope, capability):
    if scope.province:
        queryset = queryset.filter(province=scope.province)
    if not scope.national:
        queryset = queryset.filter(district_id__in=scope.districts(capability))
    return queryset


def overdue_demands(scope: Scope):
    """Open demands past their follow-up date. No stored figure can hold this (it changes with
    the date, not only with writes): the demands are counted, through the index on status and
    follow-up date, which reads only the overdue ones."""
    demands = Demand.objects.overdue(scope.today)
    if scope.national and not scope.province:
        return demands
    return demands.filter(district_id__in=scope.districts(Capability.VIEW_DEMANDS))


def demand_section(scope: Scope, links: Links):
    by_month = defaultdict(lambda: [0, 0])
    totals = dict.fromkeys(("raised", "resolved", "resolved_on_the_spot", "days_to_resolution"), 0)
    for row in demand_month_rows(scope):
        by_month[row["month"]][0] += row["raised"]
        by_month[row["month"]][1] += row["resolved"]
        for name in totals:
            totals[name] += row[name]
    # Demands are raised and resolved up to today: the month table stops at this month.
    this_month = month_of(scope.today)
    months = [
        m
        for m in scope.period.months(min(by_month, default=None), max(by_month, default=None))
        if m <= this_month
    ]
    month_rows = with_bars(
        [
            Row(
                date_format(month, "M Y"),
                [
                    Figure(by_month[month][0], links.demands_raised(month=month)),
                    Figure(by_month[month][1], links.demands_resolved(month=month)),
                ],
                key=month.isoformat(),
            )
            for month in months
        ]
    )
    now = district_stat_scope(DemandDistrictStat.objects.all(), scope, Capability.VIEW_DEMANDS)
    by_status, by_category = defaultdict(int), defaultdict(int)
    for status, category, count in (
        now.values_list("status", "category").annotate(n=Sum("demands")).order_by()
    ):
        by_status[status] += count
        if status in OPEN_STATUSES:
            by_category[category] += count
    status_rows = with_bars(
        [
            Row(str(DemandStatus(s).label), [Figure(by_status.get(s, 0), links.demands_now(status=s))], key=s)
            for s in OPEN_STATUSES
        ]
    )
    category_rows = with_bars(
        [
            Row(
                str(label),
                [Figure(by_category.get(c, 0), links.demands_now(category=c, state="open"))],
                key=c,
            )
            for c, label in Category.choices
        ]
    )
    category_rows.sort(key=lambda row: -row.figures[0].value)
    overdue = overdue_demands(scope)
    resolved = totals["resolved"]
    section = {
        "raised": Figure(totals["raised"], links.demands_raised()),
        "resolved": Figure(resolved, links.demands_resolved()),
        "on_the_spot": Figure(totals["resolved_on_the_spot"], links.demands_resolved(on_the_spot="true")),
        "on_the_spot_share": round(100 * totals["resolved_on_the_spot"] / resolved) if resolved else None,
        "average_days": round(totals["days_to_resolution"] / resolved, 1) if resolved else None,
        "open": Figure(sum(by_status.get(s, 0) for s in OPEN_STATUSES), links.demands_now(state="open")),
        "closed": [
            Figure(by_status.get(s, 0), links.demands_now(status=s))
            for s in (DemandStatus.RESOLVED, DemandStatus.REJECTED)
        ],
        "overdue": Figure(overdue.count(), links.demands_now(overdue=1)),
        "by_month": month_rows,
        "by_status": status_rows,
        "by_category": category_rows,
    }
    if not scope.national:
        section["overdue_list"] = list(
            overdue.select_related("district").order_by("follow_up_on", "pk")[:OVERDUE_SHOWN]
        )
    return section


# --- districts: the map and its list ---------------------------------------------------------


@dataclass
class DistrictFigure:
    district: Area
    value: int
    detail: str
    url: str

    @property
    def text(self):
        return number_format(self.value, force_grouping=True)


def district_values(scope: Scope, layer: str):
    """Per district, all time (the district tables have no months), summed by the database:
    {district_id, value, first, second} with `value` the activities held (`first` = held,
    `second` = planned), or the demands recorded (`first` = open, `second` = resolved)."""
    if layer == DEMANDS:
        rows = district_stat_scope(DemandDistrictStat.objects.all(), scope, Capability.VIEW_DEMANDS)
        return (
            rows.values("district_id")
            .annotate(
                value=Sum("demands"),
                first=Sum("demands", filter=Q(status__in=OPEN_STATUSES)),
                second=Sum("demands", filter=Q(status=DemandStatus.RESOLVED)),
            )
            .order_by()
        )
    rows = district_stat_scope(ActivityDistrictStat.objects.all(), scope, Capability.VIEW_ACTIVITIES)
    return (
        rows.filter(status__in=[HELD, PLANNED])
        .values("district_id")
        .annotate(
            value=Sum("activities", filter=Q(status=HELD)),
            first=Sum("activities", filter=Q(status=HELD)),
            second=Sum("activities", filter=Q(status=PLANNED)),
        )
        .order_by()
    )


def grouped(number):
    return number_format(number, force_grouping=True)


def district_figure(district, row: dict | None, layer: str, links: Links) -> DistrictFigure:
    row = row or {}
    value, first, second = (row.get(name) or 0 for name in ("value", "first", "second"))
    if layer == DEMANDS:
        detail = _("%(open)s open · %(resolved)s resolved") % {
            "open": grouped(first),
            "resolved": grouped(second),
        }
        return DistrictFigure(district, value, detail, links.demands_now(district=district.code))
    detail = _("%(held)s held · %(planned)s planned") % {"held": grouped(first), "planned": grouped(second)}
    return DistrictFigure(
        district, value, detail, links.activities_all_time(district=district.code, status=HELD)
    )


def top_districts(scope: Scope, layer: str, links: Links, limit=TOP_DISTRICTS) -> list[DistrictFigure]:
    """The districts with the most, ranked by the database."""
    rows = list(district_values(scope, layer).filter(value__gt=0).order_by("-value", "district_id")[:limit])
    districts = Area.objects.only("code", "name", "name_ur").in_bulk([row["district_id"] for row in rows])
    return [district_figure(districts[row["district_id"]], row, layer, links) for row in rows]


# --- tables -----------------------------------------------------------------------------------


ZERO = '<span class="text-body-secondary">0</span>'
BAR_COLOURS = ["bg-success", "bg-secondary"]


def figure_html(figure: Figure) -> str:
    if not figure.value:
        return ZERO
    return f'<a class="fw-semibold" href="{escape(figure.url)}">{figure.text}</a>'


def bar_table(rows: list[Row], *, table_id: str, heading: str, columns: list[str]):
    """A breakdown as a small table with a CSS bar per row: no chart library, light on slow
    phones, mirrored by Bootstrap's RTL build in Urdu. Built here rather than in a template
    loop, every text escaped: the dashboard holds some 250 linked numbers, which the template
    engine would take longer to render than all the rest of the page."""
    # With two columns, a bar each, coloured like the swatch by its heading.
    colours = BAR_COLOURS[: len(columns)] if len(columns) > 1 else BAR_COLOURS[:1]
    swatch = '<span class="d-inline-block rounded-1 {} me-1" style="width: .6em; height: .6em;"></span>'
    head = "".join(
        f'<th scope="col" class="text-end text-nowrap">{swatch.format(colour) if len(columns) > 1 else ""}'
        f"{escape(c)}</th>"
        for c, colour in zip(columns, colours, strict=False)
    )
    body = "".join(
        f'<tr data-key="{escape(row.key)}"><th scope="row" class="fw-normal">{escape(row.label)}'
        + "".join(
            f'<div class="progress mt-1" role="presentation" style="height: .3rem;">'
            f'<div class="progress-bar {colour}" style="width: {int(width)}%"></div></div>'
            for width, colour in zip(row.widths, colours, strict=False)
        )
        + "</th>"
        + "".join(f'<td class="text-end">{figure_html(f)}</td>' for f in row.figures)
        + "</tr>"
        for row in rows
    )
    if not rows:
        nothing = _("Nothing in this period.")
        body = f'<tr><td colspan="{len(columns) + 1}" class="text-body-secondary">{escape(nothing)}</td></tr>'
    return mark_safe(  # noqa: S308 (every text above is escaped)
        f'<table class="table table-sm align-middle dashboard-table mb-0" id="{escape(table_id)}">'
        f'<caption class="caption-top fw-semibold text-body">{escape(heading)}</caption>'
        f'<thead><tr><th scope="col" class="w-100"><span class="visually-hidden">{escape(heading)}</span></th>'
        f"{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def activity_tables(activities, scope):
    held, planned = _("Held"), _("Planned")
    return {
        "activities_by_kind": bar_table(
            activities["by_kind"],
            table_id="activities-by-kind",
            heading=_("By type"),
            columns=[held, planned],
        ),
        "activities_by_area": bar_table(
            activities["by_area"],
            table_id="activities-by-area",
            heading=_("By province") if scope.national else _("By district"),
            columns=[held, planned],
        ),
        "activities_by_month": bar_table(
            activities["by_month"],
            table_id="activities-by-month",
            heading=_("By month"),
            columns=[held, planned],
        ),
        "attendance": bar_table(
            activities["attendance"],
            table_id="attendance",
            heading=_("Attendance at activities held, by sex"),
            columns=[_("People")],
        ),
    }


def demand_tables(demands):
    return {
        "demands_by_month": bar_table(
            demands["by_month"],
            table_id="demands-by-month",
            heading=_("Raised and resolved, by month"),
            columns=[_("Raised"), _("Resolved")],
        ),
        "demands_by_status": bar_table(
            demands["by_status"],
            table_id="demands-by-status",
            heading=_("Open demands by status (today)"),
            columns=[_("Demands")],
        ),
        "demands_by_category": bar_table(
            demands["by_category"],
            table_id="demands-by-category",
            heading=_("Open demands by category (today)"),
            columns=[_("Demands")],
        ),
    }


# --- keeping computed figures ----------------------------------------------------------------

CACHE_SECONDS = 600


def figures_versions() -> dict:
    """Fingerprints of what the figures are computed from, read in one query of index
    look-ups: for activities and for demands, the last change-history row (every write through
    the services adds one, and recomputes the figures it touches in the same transaction) and
    the last row of each figures table (`stats.rebuild` recreates them all). When one changes,
    that part of the page is computed afresh."""
    quote = connection.ops.quote_name
    sources = {
        ACTIVITIES: [
            (Activity.history.model, "history_id"),
            (ActivityStat, "id"),
            (ActivityDistrictStat, "id"),
        ],
        DEMANDS: [(Demand.history.model, "history_id"), (DemandStat, "id"), (DemandDistrictStat, "id")],
    }
    columns = [
        f"(SELECT MAX({quote(column)}) FROM {quote(model._meta.db_table)})"
        for part in sources.values()
        for model, column in part
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns))
        values = cursor.fetchone()
    return {ACTIVITIES: tuple(values[:3]), DEMANDS: tuple(values[3:])}


def computed(scope: Scope, part: str, version: tuple, compute, *extra):
    """`compute()`, or what it returned for the same data, scope, period and language. The
    key holds the fingerprint of the part's data (read before computing, so a write landing
    meanwhile only leaves the stored result unused) and today's date (overdue follow-ups and
    the default period move with it); entries expire after ten minutes in any case. Figures
    summed from the stored tables are cheap, but a page of them costs a few times a plain page;
    a repeat view costs about one."""
    signature = (
        part,
        version,
        scope.today.isoformat(),
        get_language(),
        scope.national,
        tuple(scope.districts(Capability.VIEW_ACTIVITIES)) if not scope.national else (),
        scope.province.code if scope.province else "",
        scope.period.key,
        *extra,
    )
    key = "field-dashboard:" + hashlib.sha256(repr(signature).encode()).hexdigest()
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, CACHE_SECONDS)
    return result


def page_figures(scope: Scope, layer: str, areas, versions=None) -> dict:
    """The page's figures, tables and top districts: the activities' part and the demands'
    part kept apart, so that a change to one leaves the other as it was."""
    links = Links(scope)
    versions = versions or figures_versions()

    def activity_part():
        activities = activity_section(scope, links, areas())
        part = {"activities": activities, "tables": activity_tables(activities, scope)}
        if layer == ACTIVITIES:
            part["top_districts"] = top_districts(scope, layer, links)
        return part

    def demand_part():
        demands = demand_section(scope, links)
        part = {"demands": demands, "tables": demand_tables(demands)}
        if layer == DEMANDS:
            part["top_districts"] = top_districts(scope, layer, links)
        return part

    figures = dict(computed(scope, ACTIVITIES, versions[ACTIVITIES], activity_part, layer))
    figures["demands"] = None
    if scope.demands:
        demands = computed(scope, DEMANDS, versions[DEMANDS], demand_part, layer)
        figures = {**figures, **demands, "tables": {**figures["tables"], **demands["tables"]}}
    return figures


# --- computing the national page ahead of its next view -------------------------------------------

WARM_PENDING = "field-dashboard:warm-pending"


def warming_helps() -> bool:
    """Whether a task's computed figures reach the web processes: through a shared cache
    (Redis), or when tasks run in the web process itself."""
    if not settings.MUHIM_WARM_FIELD_DASHBOARD:
        return False
    backend = caches["default"]
    if isinstance(backend, DummyCache):
        return False
    if isinstance(backend, LocMemCache):
        from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
        from django.tasks.backends.immediate import ImmediateBackend

        return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)
    return True


def schedule_warm():
    """Once the current transaction commits, queue `warm_field_dashboard` unless one is already
    waiting (a burst of writes queues one)."""
    if not warming_helps():
        return

    def enqueue():
        if cache.add(WARM_PENDING, 1, CACHE_SECONDS):
            from .tasks import warm_field_dashboard

            warm_field_dashboard.enqueue()

    transaction.on_commit(enqueue)


def warm_national(today=None):
    """Compute the page the campaign office opens first (the whole country, the default period,
    the activities map) in every language, into the same cache entries its view reads."""
    cache.delete(WARM_PENDING)
    today = today or timezone.localdate()
    provinces = list(Area.objects.provinces().defer("boundary", "bbox").order_by("name"))
    versions = figures_versions()
    for code, _name in settings.LANGUAGES:
        with override(code):
            scope = Scope(
                user=None,
                national=True,
                provinces=provinces,
                province=None,
                period=period_for(RECENT, today),
                today=today,
                demands=True,
            )
            page_figures(scope, ACTIVITIES, lambda scope=scope: scope.provinces, versions)
            latest_rows(scope, versions)


# --- the pages --------------------------------------------------------------------------------


def _scope(request, form_data=None):
    """The user's scope and the filter form from the request."""
    user = request.user
    require_dashboard(user)
    today = timezone.localdate()
    provinces = visible_provinces(user)
    form = DashboardFilters(form_data, provinces=provinces, years=data_years(today), today=today)
    scope = Scope(
        user=user,
        national=not is_regional(user),
        provinces=provinces,
        province=form.provinces.get(form.value("province") or ""),
        period=period_for(form.value("period") or RECENT, today),
        today=today,
        demands=user_can(user, Capability.VIEW_DEMANDS),
    )
    return scope, form


def _layer(request, scope):
    layer = request.GET.get("layer", ACTIVITIES)
    return DEMANDS if layer == DEMANDS and scope.demands else ACTIVITIES


LATEST_SHOWN = 5


def latest(scope: Scope):
    """What was logged last, in the user's scope and the chosen province (a few rows by primary
    key). The view keeps them with the figures' fingerprints (`computed`): a demand recorded a
    moment ago wrote a history row, so it is on the next view."""
    # Without the districts' boundaries (large where they were imported) and long texts.
    heavy = ("district__boundary", "district__bbox", "description")
    # National roles see every row (what visible_to gives them), also without a user (the task).
    activities = Activity.objects.all() if scope.national else Activity.objects.visible_to(scope.user)
    demands = Demand.objects.all() if scope.national else Demand.objects.visible_to(scope.user)
    activities = activities.select_related("district").defer(*heavy, "outcomes")
    demands = (
        demands.select_related("district", "activity").defer(
            *heavy, "activity__description", "activity__outcomes", "activity__follow_up"
        )
        if scope.demands
        else None
    )
    if scope.province is not None:
        activities = activities.filter(district__province=scope.province)
        demands = demands.filter(district__province=scope.province) if demands is not None else None
    return {
        "activities": list(activities.order_by("-pk")[:LATEST_SHOWN]),
        "demands": list(demands.order_by("-pk")[:LATEST_SHOWN]) if demands is not None else None,
    }


def latest_rows(scope: Scope, versions):
    """`latest(scope)`, kept with the fingerprints of both parts (and whether the user sees
    demands: a partner's page has none)."""
    fingerprint = (versions[ACTIVITIES], versions[DEMANDS])
    return computed(scope, "latest", fingerprint, lambda: latest(scope), scope.demands)


@login_required
@require_GET
def dashboard(request):
    scope, form = _scope(request, request.GET or None)
    layer = _layer(request, scope)

    def areas():
        if scope.national:
            return [scope.province] if scope.province else scope.provinces
        return list(
            visible_districts(request.user, scope.province).defer("boundary", "bbox").order_by("name")
        )

    map_query = {"layer": layer, **({"province": scope.province.code} if scope.province else {})}
    versions = figures_versions()
    context = {
        "form": form,
        "scope": scope,
        "regions": user_regions(request.user) if not scope.national else [],
        "layer": layer,
        "map_query": urlencode(map_query),
        "other_layer_query": urlencode(
            {**request.GET.dict(), "layer": DEMANDS if layer == ACTIVITIES else ACTIVITIES}
        ),
        "latest": latest_rows(scope, versions),
        **page_figures(scope, layer, areas, versions),
    }
    return render(request, "activities/dashboard.html", context)


@login_required
@require_GET
def dashboard_map(request):
    """A GeoJSON FeatureCollection: one feature per district in the user's scope (its boundary,
    or a point at its centre), with {label, value, url, detail} for static/js/field-map.js."""
    scope, _form = _scope(request, request.GET or None)
    if request.GET.get("layer") == DEMANDS and not scope.demands:
        raise PermissionDenied(_("Your role does not include demands."))
    layer = _layer(request, scope)
    links = Links(scope)
    values = {row["district_id"]: row for row in district_values(scope, layer)}
    features = []
    for district in visible_districts(request.user, scope.province).order_by("name"):
        geometry = district.geometry()
        if geometry is None:
            continue
        figure = district_figure(district, values.get(district.pk), layer, links)
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "code": district.code,
                    "label": district.display_name,
                    "value": figure.value,
                    "url": figure.url,
                    "detail": figure.detail,
                },
            }
        )
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/geo+json")
    patch_cache_control(response, private=True, no_cache=True)
    return response


urlpatterns = [
    path("field/", dashboard, name="dashboard"),
    path("field/map.geojson", dashboard_map, name="dashboard-map"),
]
