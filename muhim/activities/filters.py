"""Filters of the staff list of activities. Every choice offered comes from what the user may
see: districts and provinces of their regions, organisers of the activities they see."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muhim.accounts.permissions import Capability, scope_filter
from muhim.geography.models import Area

from .forms import person_name
from .models import Activity, ActivityType


def search(queryset, text):
    """Title (English or Urdu), venue, description or outcomes."""
    text = (text or "").strip()
    if not text:
        return queryset
    return queryset.filter(
        Q(title__icontains=text)
        | Q(title_ur__icontains=text)
        | Q(venue__icontains=text)
        | Q(description__icontains=text)
        | Q(outcomes__icontains=text)
    )


def _user(request):
    return getattr(request, "user", None)


def _districts(request):
    return (
        Area.objects.districts()
        .light()
        .filter(scope_filter(_user(request), Capability.VIEW_ACTIVITIES))
        .order_by("name")
    )


def _provinces(request):
    """Provinces the user's visible districts lie in."""
    return (
        Area.objects.provinces()
        .light()
        .filter(pk__in=_districts(request).values("province"))
        .order_by("name")
    )


def _organisers(request):
    visible = Activity.objects.visible_to(_user(request))
    return (
        get_user_model()
        .objects.filter(pk__in=visible.exclude(organiser=None).values("organiser"))
        .order_by("first_name", "last_name", "username")
    )


class AreaField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class AreaFilter(django_filters.ModelChoiceFilter):
    field_class = AreaField


class OrganiserField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class OrganiserFilter(django_filters.ModelChoiceFilter):
    field_class = OrganiserField


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title, venue or outcomes"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=ActivityType.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Activity.Status.choices)
    province = AreaFilter(
        label=_("Province"), queryset=_provinces, to_field_name="code", method="filter_area"
    )
    district = AreaFilter(
        label=_("District"), queryset=_districts, to_field_name="code", field_name="district"
    )
    organiser = OrganiserFilter(label=_("Organiser"), queryset=_organisers, field_name="organiser")
    date_from = django_filters.DateFilter(
        label=_("From"), method="filter_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("Until"),
        field_name="start_date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # By the day it started, as the dashboard's monthly figures count: its links use these.
    # Hidden: on the form, From/Until are what people choose.
    start_after = django_filters.DateFilter(
        label=_("Started on or after"), field_name="start_date", lookup_expr="gte", widget=forms.HiddenInput
    )
    start_before = django_filters.DateFilter(
        label=_("Started on or before"), field_name="start_date", lookup_expr="lte", widget=forms.HiddenInput
    )
    is_public = django_filters.BooleanFilter(
        label=_("On the public calendar"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Activity
        fields = [
            "q",
            "kind",
            "status",
            "province",
            "district",
            "organiser",
            "date_from",
            "date_to",
            "start_after",
            "start_before",
            "is_public",
        ]

    def filter_q(self, queryset, name, value):
        return search(queryset, value)

    def filter_area(self, queryset, name, value):
        return queryset.in_area(value) if value else queryset

    def filter_from(self, queryset, name, value):
        # Activities still going on that day count: one that ends on or after it.
        if not value:
            return queryset
        return queryset.filter(Q(end_date__gte=value) | Q(end_date__isnull=True, start_date__gte=value))
