"""Filters of /api/v1/manifestos/ and of a manifesto's sentences."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muhim.manifestos.filters import EDUCATION
from muhim.manifestos.models import Language, Manifesto, QuasiSentence, Topic


class ManifestoAPIFilter(django_filters.FilterSet):
    party = django_filters.CharFilter(label=_("Party (id, slug or abbreviation)"), method="filter_party")
    election = django_filters.CharFilter(label=_("Election (id or slug)"), method="filter_election")
    language = django_filters.ChoiceFilter(label=_("Language"), choices=Language.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Manifesto.Status.choices)
    is_published = django_filters.BooleanFilter(label=_("Published"))

    class Meta:
        model = Manifesto
        fields = ["party", "election", "language", "status", "is_published"]

    def filter_party(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(party_id=int(value))
        return queryset.filter(Q(party__slug=value) | Q(party__abbreviation__iexact=value))

    def filter_election(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(election_id=int(value))
            if value.isdigit()
            else queryset.filter(election__slug=value)
        )


class SentenceAPIFilter(django_filters.FilterSet):
    education = django_filters.BooleanFilter(
        label=_("About education (as decided now)"), method="filter_education"
    )
    reviewed = django_filters.BooleanFilter(label=_("Reviewed"), method="filter_reviewed")
    is_heading = django_filters.BooleanFilter(label=_("Heading"))
    topic = django_filters.ChoiceFilter(
        label=_("Topic (as decided now)"), choices=Topic.choices, method="filter_topic"
    )

    class Meta:
        model = QuasiSentence
        fields = ["education", "reviewed", "is_heading", "topic"]

    def filter_education(self, queryset, name, value):
        if value is None:
            return queryset
        counted = queryset.filter(is_heading=False)
        return counted.filter(EDUCATION) if value else counted.exclude(EDUCATION)

    def filter_reviewed(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(reviewed_education__isnull=not value)

    def filter_topic(self, queryset, name, value):
        return queryset.filter(
            Q(reviewed_education=True, reviewed_topic=value)
            | Q(reviewed_education__isnull=True, predicted_education=True, predicted_topic=value)
        )
