"""Filters of /api/v1/activities/ (and, through the helpers, of the demands' lists). Areas are
narrowed to the ids of the districts they hold (`district_id IN (…)`), which the index on
district and date serves: a filtered count of 100,000 activities takes milliseconds, where a
join to the areas' paths reads every row."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muhim.accounts.permissions import is_regional, scope_filter
from muhim.activities.models import Activity, ActivityType
from muhim.geography.models import Area


def area_by_code(value):
    return Area.objects.filter(code=(value or "").strip().lower()).first()


def in_area(queryset, value, field="district"):
    """Rows whose `field` is the area with code `value` or lies inside it (a division or a
    province holds its districts); none for an unknown code."""
    area = area_by_code(value)
    if area is None:
        return queryset.none()
    inside = Area.objects.filter(Q(pk=area.pk) | Q(path__startswith=f"{area.path}/")).values("pk")
    return queryset.filter(**{f"{field}_id__in": inside})


def in_province(queryset, value, field="district"):
    inside = Area.objects.filter(province__code=(value or "").strip().lower()).values("pk")
    return queryset.filter(**{f"{field}_id__in": inside})


def narrowed_to_regions(queryset, user, capability, field="district"):
    """`queryset` (already `visible_to(user)`) with the same rows named by district ids, so
    that a regional user's count uses the index instead of reading every row's area."""
    if not is_regional(user):
        return queryset
    return queryset.filter(
        **{f"{field}_id__in": Area.objects.filter(scope_filter(user, capability)).values("pk")}
    )


class ActivityAPIFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=ActivityType.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Activity.Status.choices)
    province = django_filters.CharFilter(label=_("Province code, e.g. pb"), method="filter_province")
    district = django_filters.CharFilter(
        label=_("Area code: a district, or a division or province (everything inside it)"),
        method="filter_district",
    )
    organiser = django_filters.CharFilter(
        label=_("Organiser (username)"), field_name="organiser__username", lookup_expr="iexact"
    )
    date_from = django_filters.DateFilter(
        label=_("On or after this day (activities still running on it count)"), method="filter_from"
    )
    date_to = django_filters.DateFilter(label=_("Starting on or before this day"), method="filter_to")
    is_public = django_filters.BooleanFilter(label=_("On the public calendar"))
    q = django_filters.CharFilter(label=_("Title or venue"), method="filter_q")

    class Meta:
        model = Activity
        fields = ["kind", "status", "province", "district", "organiser", "is_public", "q"]

    def filter_district(self, queryset, name, value):
        return in_area(queryset, value)

    def filter_province(self, queryset, name, value):
        return in_province(queryset, value)

    def filter_from(self, queryset, name, value):
        return queryset.filter(Q(end_date__gte=value) | Q(end_date__isnull=True, start_date__gte=value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(start_date__lte=value)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(title_ur__icontains=value) | Q(venue__icontains=value)
        )


# `from` and `to` are the parameters' names; `from` cannot be an attribute name in Python.
ActivityAPIFilter.base_filters["from"] = ActivityAPIFilter.base_filters.pop("date_from")
ActivityAPIFilter.base_filters["to"] = ActivityAPIFilter.base_filters.pop("date_to")
