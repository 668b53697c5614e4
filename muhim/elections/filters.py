"""Filters of the public candidate list. Searching never reads a person's address."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muhim.demands.filters import yes_no
from muhim.geography.models import Area, Constituency

from .models import Candidacy, Party

ASSEMBLIES = [
    (value, label)
    for value, label in Constituency.Assembly.choices
    if value in ("NA", "PP", "PS", "PK", "PB")
]


def _provinces(request):
    return Area.objects.provinces().light().order_by("name")


def _parties(request):
    return Party.objects.order_by("name")


class CandidacyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    assembly = django_filters.ChoiceFilter(
        label=_("Assembly"), choices=ASSEMBLIES, field_name="constituency__assembly"
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=_provinces, to_field_name="code", field_name="constituency__province"
    )
    party = django_filters.ModelChoiceFilter(
        label=_("Party"), queryset=_parties, to_field_name="slug", field_name="party"
    )
    independent = yes_no(_("Independent"), method="filter_independent")
    winner = yes_no(_("Won"), field_name="is_winner")

    class Meta:
        model = Candidacy
        fields = ["q", "assembly", "province", "party", "independent", "winner"]

    def filter_q(self, queryset, name, value):
        """A candidate's name (every word), a seat code ('NA-1') or a party's spelling."""
        condition = Q()
        for word in (value or "").split():
            condition &= (
                Q(person__name__icontains=word)
                | Q(person__name_ur__icontains=word)
                | Q(constituency__name__icontains=word)
                | Q(party_as_written__icontains=word)
            )
        text = (value or "").strip()
        if text:
            condition |= Q(constituency__code__iexact=text.replace(" ", "-"))
        return queryset.filter(condition)

    def filter_independent(self, queryset, name, value):
        independent = Q(party__isnull=True, party_as_written="")
        if value is None:
            return queryset
        return queryset.filter(independent) if value else queryset.exclude(independent)
