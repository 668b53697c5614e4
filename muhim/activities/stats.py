"""The dashboard's activity figures (`ActivityStat` by month and province, `ActivityDistrictStat`
by district), kept equal to the activities they count.

A write takes the buckets the activity was in before (`keys_of` on the stored row) and is in
after, and `refresh` recomputes exactly those from the activities table; nothing is ever
incremented or decremented, so the figures cannot drift. Bulk loads call `rebuild`."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, TruncMonth

from .models import Activity, ActivityDistrictStat, ActivityStat

FIGURES = ("women", "men", "girls", "boys")


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


@dataclass(frozen=True)
class Keys:
    month: date
    province_id: int
    district_id: int
    kind: str
    status: str


def keys_of(activity) -> set[Keys]:
    """The buckets the stored row of `activity` counts in (empty for a new activity)."""
    if activity.pk is None:
        return set()
    row = (
        Activity.objects.filter(pk=activity.pk)
        .values("start_date", "district_id", "district__province_id", "kind", "status")
        .first()
    )
    if row is None:
        return set()
    return {
        Keys(
            month_of(row["start_date"]),
            row["district__province_id"],
            row["district_id"],
            row["kind"],
            row["status"],
        )
    }


def _sums(queryset):
    return queryset.aggregate(activities=Count("pk"), **{name: Coalesce(Sum(name), 0) for name in FIGURES})


@transaction.atomic
def refresh(keys):
    """Recompute the month and district buckets of `keys` from the activities."""
    _figures_changed()
    months = {(k.month, k.province_id, k.kind, k.status) for k in keys}
    districts = {(k.district_id, k.province_id, k.kind, k.status) for k in keys}
    for month, province_id, kind, status in months:
        figures = _sums(
            Activity.objects.filter(
                start_date__gte=month,
                start_date__lt=next_month(month),
                district__province_id=province_id,
                kind=kind,
                status=status,
            )
        )
        lookup = {"month": month, "province_id": province_id, "kind": kind, "status": status}
        _store(ActivityStat, lookup, figures)
    for district_id, province_id, kind, status in districts:
        figures = _sums(Activity.objects.filter(district_id=district_id, kind=kind, status=status))
        lookup = {"district_id": district_id, "kind": kind, "status": status}
        _store(ActivityDistrictStat, {**lookup, "province_id": province_id}, figures, key=lookup)


def _store(model, values, figures, key=None):
    key = key or values
    if figures["activities"] == 0:
        model.objects.filter(**key).delete()
        return
    updated = model.objects.filter(**key).update(**figures)
    if not updated:
        model.objects.create(**values, **figures)


@transaction.atomic
def rebuild():
    """Recompute every bucket from the activities (after an import, or to check)."""
    _figures_changed()
    ActivityStat.objects.all().delete()
    ActivityDistrictStat.objects.all().delete()
    sums = {"activities": Count("pk"), **{name: Coalesce(Sum(name), 0) for name in FIGURES}}
    by_month = (
        Activity.objects.annotate(month=TruncMonth("start_date"))
        .values("month", "district__province_id", "kind", "status")
        .annotate(**sums)
        .order_by()
    )
    ActivityStat.objects.bulk_create(
        (
            ActivityStat(
                month=row["month"],
                province_id=row["district__province_id"],
                kind=row["kind"],
                status=row["status"],
                **{name: row[name] for name in ("activities", *FIGURES)},
            )
            for row in by_month
        ),
        batch_size=2000,
    )
    by_district = (
        Activity.objects.values("district_id", "district__province_id", "kind", "status")
        .annotate(**sums)
        .order_by()
    )
    ActivityDistrictStat.objects.bulk_create(
        (
            ActivityDistrictStat(
                district_id=row["district_id"],
                province_id=row["district__province_id"],
                kind=row["kind"],
                status=row["status"],
                **{name: row[name] for name in ("activities", *FIGURES)},
            )
            for row in by_district
        ),
        batch_size=2000,
    )


def _figures_changed():
    """The field dashboard computes its national page again once this write commits."""
    from muhim.activities.dashboard import schedule_warm

    schedule_warm()
