import django_filters
from django.utils.translation import gettext_lazy as _

from muhim.geography.models import Area
from muhim.people.filters import search
from muhim.people.models import Volunteer


class VolunteerAPIFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, phone or e-mail"), method="filter_q")
    district = django_filters.CharFilter(
        label=_("Area code (a district, or a division or province: everyone inside it)"),
        method="filter_district",
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Volunteer.Level.choices)
    interest = django_filters.CharFilter(label=_("Interest code"), field_name="interests__code")
    tag = django_filters.CharFilter(label=_("Tag"), field_name="tags__name", lookup_expr="iexact")

    class Meta:
        model = Volunteer
        fields = ["q", "district", "level", "interest", "tag"]

    def filter_q(self, queryset, name, value):
        return search(queryset, value)

    def filter_district(self, queryset, name, value):
        area = Area.objects.filter(code=value.strip().lower()).first()
        if area is None:
            return queryset.none()
        return queryset.in_area(area)
