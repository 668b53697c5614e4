"""Filters of /api/v1/demands/, /api/v1/public-demands/ and /api/v1/parental-bodies/."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muhim.activities.api.filters import in_area, in_province
from muhim.demands.models import Category, Demand, ParentalBody, Status


class _AreaFilters(django_filters.FilterSet):
    district = django_filters.CharFilter(
        label=_("Area code: a district, or a division or province (everything inside it)"),
        method="filter_district",
    )
    province = django_filters.CharFilter(label=_("Province code, e.g. pb"), method="filter_province")

    def filter_district(self, queryset, name, value):
        return in_area(queryset, value)

    def filter_province(self, queryset, name, value):
        return in_province(queryset, value)


class PublicDemandFilter(_AreaFilters):
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    q = django_filters.CharFilter(label=_("Demand or school"), method="filter_q")

    class Meta:
        model = Demand
        fields = ["category", "status", "district", "province", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(title_ur__icontains=value)
            | Q(school__icontains=value)
            | Q(school_emis__iexact=value)
        )


class DemandAPIFilter(PublicDemandFilter):
    organiser = django_filters.CharFilter(
        label=_("Organiser (username)"), field_name="organiser__username", lookup_expr="iexact"
    )
    parental_body = django_filters.NumberFilter(label=_("Parental body (id)"), field_name="parental_body_id")
    activity = django_filters.NumberFilter(label=_("Raised at the activity (id)"), field_name="activity_id")
    authority = django_filters.ChoiceFilter(
        label=_("Responsible authority"), choices=Demand.Authority.choices
    )
    raised_from = django_filters.DateFilter(
        label=_("Raised on or after"), field_name="raised_on", lookup_expr="gte"
    )
    raised_to = django_filters.DateFilter(
        label=_("Raised on or before"), field_name="raised_on", lookup_expr="lte"
    )
    open = django_filters.BooleanFilter(label=_("Open (not resolved or rejected)"), method="filter_open")
    overdue = django_filters.BooleanFilter(
        label=_("Open with its follow-up date passed"), method="filter_overdue"
    )
    is_published = django_filters.BooleanFilter(label=_("Published"))

    class Meta:
        model = Demand
        fields = [
            "category",
            "status",
            "district",
            "province",
            "organiser",
            "parental_body",
            "activity",
            "authority",
            "raised_from",
            "raised_to",
            "open",
            "overdue",
            "is_published",
            "q",
        ]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.open() if value else queryset.closed()

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Demand.objects.overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class ParentalBodyAPIFilter(_AreaFilters):
    level = django_filters.ChoiceFilter(label=_("Level"), choices=ParentalBody.Level.choices)
    partner = django_filters.CharFilter(
        label=_("Partner organisation (name or abbreviation)"), method="filter_partner"
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))
    q = django_filters.CharFilter(label=_("Name"), method="filter_q")

    class Meta:
        model = ParentalBody
        fields = ["level", "district", "province", "partner", "is_active", "q"]

    def filter_partner(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(partner_id=int(value))
        return queryset.filter(Q(partner__name__iexact=value) | Q(partner__abbreviation__iexact=value))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(name_ur__icontains=value))
