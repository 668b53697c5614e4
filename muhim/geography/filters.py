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
    editable = django_filters.BooleanFilter(label=_("I can edit"), method="filter_editable")

    class Meta:
        model = Area
        fields = ["q", "level", "province", "parent", "has_boundary", "editable"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from muhim.accounts.permissions import Capability, user_can

        # Only offered to people who can edit somewhere.
        if not user_can(getattr(self.request, "user", None), Capability.EDIT_GAZETTEER):
            del self.filters["editable"]

    def filter_editable(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return queryset
        editable = queryset.editable_by(user)
        return editable if value else queryset.exclude(pk__in=editable.values("pk"))

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
