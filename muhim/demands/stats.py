"""The dashboard's demand figures (`DemandStat` by month, province and category;
`DemandDistrictStat` by district, category and status), kept equal to the demands they count.

Like `activities.stats`: a write recomputes, from the demands table, exactly the buckets the
demand was in before and is in after; `rebuild` recomputes everything after a bulk load."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count

from muhim.activities.stats import month_of, next_month

from .models import Demand, DemandDistrictStat, DemandStat, Status


@dataclass(frozen=True)
class MonthKey:
    month: date
    province_id: int
    category: str


@dataclass(frozen=True)
class DistrictKey:
    district_id: int
    province_id: int
    category: str
    status: str


FIELDS = ("raised_on", "resolved_on", "district_id", "district__province_id", "category", "status")


def _keys_of_row(row):
    province = row["district__province_id"]
    keys = {
        MonthKey(month_of(row["raised_on"]), province, row["category"]),
        DistrictKey(row["district_id"], province, row["category"], row["status"]),
    }
    if row["resolved_on"]:
        keys.add(MonthKey(month_of(row["resolved_on"]), province, row["category"]))
    return keys


def keys_of(demand) -> set:
    """The buckets the stored row of `demand` counts in (empty for a new demand)."""
    if demand.pk is None:
        return set()
    row = Demand.objects.filter(pk=demand.pk).values(*FIELDS).first()
    return _keys_of_row(row) if row else set()


def _month_figures(rows_raised, rows_resolved):
    figures = {"raised": rows_raised, "resolved": 0, "resolved_on_the_spot": 0, "days_to_resolution": 0}
    for raised_on, resolved_on, on_the_spot in rows_resolved:
        figures["resolved"] += 1
        figures["resolved_on_the_spot"] += bool(on_the_spot)
        figures["days_to_resolution"] += (resolved_on - raised_on).days
    return figures


def _resolved(queryset):
    return queryset.filter(status=Status.RESOLVED, resolved_on__isnull=False)


@transaction.atomic
def refresh(keys):
    for key in {k for k in keys if isinstance(k, MonthKey)}:
        start, end = key.month, next_month(key.month)
        base = Demand.objects.filter(district__province_id=key.province_id, category=key.category)
        raised = base.filter(raised_on__gte=start, raised_on__lt=end).count()
        resolved = _resolved(base).filter(resolved_on__gte=start, resolved_on__lt=end)
        figures = _month_figures(
            raised, resolved.values_list("raised_on", "resolved_on", "resolved_on_the_spot")
        )
        lookup = {"month": key.month, "province_id": key.province_id, "category": key.category}
        if figures["raised"] == 0 and figures["resolved"] == 0:
            DemandStat.objects.filter(**lookup).delete()
        elif not DemandStat.objects.filter(**lookup).update(**figures):
            DemandStat.objects.create(**lookup, **figures)
    for key in {k for k in keys if isinstance(k, DistrictKey)}:
        lookup = {"district_id": key.district_id, "category": key.category, "status": key.status}
        count = Demand.objects.filter(**lookup).count()
        if count == 0:
            DemandDistrictStat.objects.filter(**lookup).delete()
        elif not DemandDistrictStat.objects.filter(**lookup).update(demands=count):
            DemandDistrictStat.objects.create(**lookup, province_id=key.province_id, demands=count)


@transaction.atomic
def rebuild():
    """Recompute every bucket from the demands (after an import, or to check)."""
    _figures_changed()
    _figures_changed()
    DemandStat.objects.all().delete()
    DemandDistrictStat.objects.all().delete()
    months = {}

    def bucket(month, province, category):
        return months.setdefault(
            (month, province, category),
            {"raised": 0, "resolved": 0, "resolved_on_the_spot": 0, "days_to_resolution": 0},
        )

    rows = Demand.objects.values_list(
        "raised_on", "resolved_on", "resolved_on_the_spot", "status", "district__province_id", "category"
    ).iterator(chunk_size=5000)
    for raised_on, resolved_on, on_the_spot, status, province, category in rows:
        bucket(month_of(raised_on), province, category)["raised"] += 1
        if status == Status.RESOLVED and resolved_on:
            figures = bucket(month_of(resolved_on), province, category)
            figures["resolved"] += 1
            figures["resolved_on_the_spot"] += bool(on_the_spot)
            figures["days_to_resolution"] += (resolved_on - raised_on).days
    DemandStat.objects.bulk_create(
        (
            DemandStat(month=month, province_id=province, category=category, **figures)
            for (month, province, category), figures in months.items()
        ),
        batch_size=2000,
    )
    by_district = (
        Demand.objects.values("district_id", "district__province_id", "category", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    DemandDistrictStat.objects.bulk_create(
        (
            DemandDistrictStat(
                district_id=row["district_id"],
                province_id=row["district__province_id"],
                category=row["category"],
                status=row["status"],
                demands=row["n"],
            )
            for row in by_district
        ),
        batch_size=2000,
    )


def _figures_changed():
    """The field dashboard computes its national page again once this write commits."""
    from muhim.activities.dashboard import schedule_warm

    schedule_warm()
