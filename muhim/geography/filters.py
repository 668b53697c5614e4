"""Filters shared by the list pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Area, Constituency


def _provinces(request=None):
    return Area.objects.provinces().order_by("name")


class AreaFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_q")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Area.Level.choices)
    province = django_filters.ModelChoiceFilter(
        label=_("Province or territory"), queryset=_provinces, to_field_name="code", field_name="province"
    )
    parent = django_filters.CharFilter(label=_("Parent (code)"), field_name="parent__code")
    has_boundary = django_filters.BooleanFilter(
        label=_("Has a boundary"), field_name="boundary", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Area
        fields = ["q", "level", "province", "parent", "has_boundary"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)


class ConstituencyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Seat or name"), method="filter_q")
    assembly = django_filters.ChoiceFilter(label=_("Assembly"), choices=Constituency.Assembly.choices)
    delimitation_year = django_filters.NumberFilter(label=_("Delimitation year"))
    province = django_filters.ModelChoiceFilter(
        label=_("Province or territory"), queryset=_provinces, to_field_name="code", field_name="province"
    )
    district = django_filters.CharFilter(label=_("District (code)"), method="filter_district")

    class Meta:
        model = Constituency
        fields = ["q", "assembly", "delimitation_year", "province", "district"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(code__iexact=value) | Q(name__icontains=value) | Q(code__istartswith=value))

    def filter_district(self, queryset, name, value):
        return queryset.filter(areas__code=value.strip()).distinct()
