"""The filters of the manifesto list and of a manifesto's sentences (the review list)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muhim.elections.models import Election, Party

from .models import Language, Manifesto, QuasiSentence, Topic
from .services import LOW_CONFIDENCE


class ManifestoFilter(django_filters.FilterSet):
    party = django_filters.ModelChoiceFilter(label=_("Party"), queryset=Party.objects.order_by("name"))
    election = django_filters.ModelChoiceFilter(
        label=_("Election"), queryset=Election.objects.order_by("-polling_date")
    )
    language = django_filters.ChoiceFilter(label=_("Language"), choices=Language.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Manifesto.Status.choices)
    is_published = django_filters.BooleanFilter(label=_("Published"))
    q = django_filters.CharFilter(label=_("Title or file"), method="filter_q")

    class Meta:
        model = Manifesto
        fields = ["party", "election", "language", "status", "is_published", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(original_name__icontains=value))


EDUCATION = Q(reviewed_education=True) | Q(reviewed_education__isnull=True, predicted_education=True)


class SentenceFilter(django_filters.FilterSet):
    SHOW = (
        ("education", _("Education only")),
        ("not_education", _("Not education")),
        ("unreviewed", _("Not reviewed yet")),
        ("reviewed", _("Reviewed")),
        ("low_confidence", _("Low confidence (unsure)")),
        ("commitments", _("With a funding commitment")),
    )
    show = django_filters.ChoiceFilter(
        label=_("Show"), choices=SHOW, method="filter_show", empty_label=_("All")
    )
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), choices=Topic.choices, method="filter_topic", empty_label=_("All topics")
    )
    q = django_filters.CharFilter(label=_("Text"), method="filter_q")

    class Meta:
        model = QuasiSentence
        fields = ["show", "topic", "q"]

    def filter_show(self, queryset, name, value):
        counted = queryset.filter(is_heading=False)
        if value == "education":
            return counted.filter(EDUCATION)
        if value == "not_education":
            return counted.exclude(EDUCATION)
        if value == "unreviewed":
            return counted.filter(reviewed_education__isnull=True)
        if value == "reviewed":
            return counted.filter(reviewed_education__isnull=False)
        if value == "low_confidence":
            return counted.filter(reviewed_education__isnull=True, confidence__lt=LOW_CONFIDENCE)
        if value == "commitments":
            return counted.filter(funding_commitments__isnull=False).distinct()
        return queryset

    def filter_topic(self, queryset, name, value):
        return queryset.filter(
            Q(reviewed_education=True, reviewed_topic=value)
            | Q(reviewed_education__isnull=True, predicted_education=True, predicted_topic=value)
        )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(text__icontains=value) if value else queryset
