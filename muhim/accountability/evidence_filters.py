"""Filters of the survey, media story and budget lists. The story counts page uses
`MediaStoryFilter` too, so every count it shows is the length of the list its link opens."""

import re
from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from muhim.demands.filters import yes_no
from muhim.elections.models import Election, Party
from muhim.geography.models import Area, Constituency

from .evidence_services import seat_code
from .models import EducationBudget, MediaStory, SurveyDemand, VoterSurvey

MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def parse_month(text):
    """'2018-07' → date(2018, 7, 1); ValidationError saying how to write it otherwise."""
    found = MONTH.match(text or "")
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ValidationError(_("Write the month as 2018-07."))
    if not 1900 <= int(found.group(1)) <= 2999:
        raise ValidationError(_("Give a month between 1900-01 and 2999-12."))
    return date(int(found.group(1)), int(found.group(2)), 1)


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2018-07", "dir": "ltr"})

    def clean(self, value):
        value = super().clean(value)
        return parse_month(value) if value else None


@extend_schema_field(OpenApiTypes.STR)
class MonthFilter(django_filters.Filter):
    field_class = MonthField


def _provinces(request=None):
    return Area.objects.provinces().light().order_by("name")


def _in_seat(queryset, path, value):
    code = seat_code(value)
    if not code:
        return queryset.none()
    return queryset.filter(**{f"{path}__code__iexact": code})


class SurveyFilter(django_filters.FilterSet):
    election = django_filters.ModelChoiceFilter(
        label=_("Election"), queryset=Election.objects.order_by("-polling_date"), to_field_name="slug"
    )
    assembly = django_filters.ChoiceFilter(
        label=_("Assembly"), choices=Constituency.Assembly.choices, field_name="constituency__assembly"
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=_provinces, to_field_name="code", field_name="constituency__province"
    )
    constituency = django_filters.CharFilter(label=_("Constituency (code)"), method="filter_constituency")
    education_first = yes_no(_("Education ranks first"), method="filter_education_first")
    published = yes_no(_("Published"), field_name="is_published")

    class Meta:
        model = VoterSurvey
        fields = ["election", "assembly", "province", "constituency", "education_first", "published"]

    def filter_constituency(self, queryset, name, value):
        return _in_seat(queryset, "constituency", value) if value.strip() else queryset

    def filter_education_first(self, queryset, name, value):
        if value is None:
            return queryset
        first = SurveyDemand.objects.filter(is_education=True, rank=1).values("survey_id")
        return queryset.filter(pk__in=first) if value else queryset.exclude(pk__in=first)


def _outlets(request=None):
    names = MediaStory.objects.order_by("outlet").values_list("outlet", flat=True).distinct()
    return [(name, name) for name in names]


class MediaStoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title"), method="filter_q")
    outlet = django_filters.ChoiceFilter(label=_("Outlet"), choices=_outlets)
    language = django_filters.ChoiceFilter(label=_("Language"), choices=MediaStory.Language.choices)
    education = yes_no(_("About education"), field_name="is_education")
    constituency = django_filters.CharFilter(label=_("Constituency (code)"), method="filter_constituency")
    party = django_filters.ModelChoiceFilter(
        label=_("Party"), queryset=Party.objects.order_by("name"), to_field_name="slug", method="filter_party"
    )
    month_from = MonthFilter(label=_("From (month)"), method="filter_month_from")
    month_to = MonthFilter(label=_("To (month)"), method="filter_month_to")

    class Meta:
        model = MediaStory
        fields = ["q", "outlet", "language", "education", "constituency", "party", "month_from", "month_to"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(outlet__icontains=value)) if value else queryset

    def filter_constituency(self, queryset, name, value):
        if not value.strip():
            return queryset
        code = seat_code(value)
        return queryset.filter(
            pk__in=MediaStory.objects.filter(constituencies__code__iexact=code or "-").values("pk")
        )

    def filter_party(self, queryset, name, value):
        return (
            queryset.filter(pk__in=MediaStory.objects.filter(parties=value).values("pk"))
            if value
            else queryset
        )

    def filter_month_from(self, queryset, name, value):
        return queryset.filter(published_on__gte=value) if value else queryset

    def filter_month_to(self, queryset, name, value):
        if not value:
            return queryset
        after = date(value.year + (value.month == 12), value.month % 12 + 1, 1)
        return queryset.filter(published_on__lt=after)


class BudgetFilter(django_filters.FilterSet):
    government = django_filters.ChoiceFilter(
        label=_("Government"), choices=EducationBudget.Government.choices
    )
    # xgettext:no-python-format
    meets_target = yes_no(_("Meets 4% of GDP"), method="filter_meets_target")

    class Meta:
        model = EducationBudget
        fields = ["government", "meets_target"]

    def filter_meets_target(self, queryset, name, value):
        if value is None:
            return queryset
        # A few rows a year: decided by the model's own rounded share, as the table shows it.
        meets = [b.pk for b in queryset if b.meets_target]
        return queryset.filter(pk__in=meets) if value else queryset.exclude(pk__in=meets)
