"""Filters of /api/v1/elections/, /parties/, /people/, /candidacies/ and /results/."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muhim.elections.models import Candidacy, ConstituencyResult, Election, Party, Person, normalise_name
from muhim.geography.models import Constituency


def party_q(value, prefix=""):
    """A party given by slug, abbreviation, name or alias (any spelling the matching knows)."""
    value = value.strip()
    normalised = normalise_name(value)
    return (
        Q(**{f"{prefix}slug__iexact": value})
        | Q(**{f"{prefix}abbreviation__iexact": value})
        | Q(**{f"{prefix}name__iexact": value})
        | Q(**{f"{prefix}aliases__normalised": normalised})
    )


class _SeatFilters(django_filters.FilterSet):
    election = django_filters.CharFilter(
        label=_("Election (slug), e.g. ge-2018"), field_name="election__slug"
    )
    assembly = django_filters.ChoiceFilter(
        label=_("Assembly"), field_name="constituency__assembly", choices=Constituency.Assembly.choices
    )
    constituency = django_filters.CharFilter(
        label=_("Seat code, e.g. NA-1 or PP-147"), field_name="constituency__code", lookup_expr="iexact"
    )
    province = django_filters.CharFilter(
        label=_("Province code of the seat, e.g. pb"), field_name="constituency__province__code"
    )


class ElectionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Election.Kind.choices)
    year = django_filters.NumberFilter(label=_("Year of polling day"), field_name="polling_date__year")

    class Meta:
        model = Election
        fields = ["kind", "year"]


class PartyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, Urdu name, abbreviation or alias"), method="filter_q")
    election = django_filters.CharFilter(
        label=_("Fielded a candidate in the election (slug)"), method="filter_election"
    )

    class Meta:
        model = Party
        fields = ["q", "election"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_election(self, queryset, name, value):
        return queryset.filter(
            pk__in=Candidacy.objects.filter(election__slug=value.strip()).values("party_id")
        )


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name (English or Urdu)"), method="filter_q")
    election = django_filters.CharFilter(label=_("Stood in the election (slug)"), method="filter_election")
    party = django_filters.CharFilter(
        label=_("Stood for the party (slug or abbreviation)"), method="filter_party"
    )
    constituency = django_filters.CharFilter(
        label=_("Stood for the seat (code)"), method="filter_constituency"
    )

    class Meta:
        model = Person
        fields = ["q", "election", "party", "constituency"]

    def _stood(self, queryset, condition):
        return queryset.filter(pk__in=Candidacy.objects.filter(condition).values("person_id"))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(name_ur__icontains=value)
            | Q(normalised__contains=normalise_name(value))
        )

    def filter_election(self, queryset, name, value):
        return self._stood(queryset, Q(election__slug=value.strip()))

    def filter_party(self, queryset, name, value):
        return self._stood(queryset, party_q(value, "party__"))

    def filter_constituency(self, queryset, name, value):
        return self._stood(queryset, Q(constituency__code__iexact=value.strip()))


class CandidacyFilter(_SeatFilters):
    party = django_filters.CharFilter(
        label=_("Party (slug, abbreviation, name or alias)"), method="filter_party"
    )
    independent = django_filters.BooleanFilter(
        label=_("Independent candidates (no party, and none written)"), method="filter_independent"
    )
    winner = django_filters.BooleanFilter(label=_("Won the seat"), field_name="is_winner")
    withdrew = django_filters.BooleanFilter(label=_("Withdrew"))
    person = django_filters.NumberFilter(label=_("Person (id)"), field_name="person_id")
    q = django_filters.CharFilter(label=_("Candidate's name"), method="filter_q")

    class Meta:
        model = Candidacy
        fields = [
            "election",
            "assembly",
            "constituency",
            "province",
            "party",
            "independent",
            "winner",
            "withdrew",
            "person",
            "q",
        ]

    def filter_party(self, queryset, name, value):
        parties = Party.objects.filter(party_q(value)).values("pk")
        return queryset.filter(party__in=parties)

    def filter_independent(self, queryset, name, value):
        if value is None:
            return queryset
        independent = Q(party__isnull=True, party_as_written="")
        return queryset.filter(independent) if value else queryset.exclude(independent)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(person__name__icontains=value) | Q(person__name_ur__icontains=value))


class ResultFilter(_SeatFilters):
    class Meta:
        model = ConstituencyResult
        fields = ["election", "assembly", "constituency", "province"]
