"""Filters of the organisers' volunteer list. Every choice offered comes from what the user may
see: districts in their regions, tags and organisers of their own volunteers."""

import contextlib
import re

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muhim.accounts.permissions import Capability, scope_filter
from muhim.geography.models import Area

from .forms import SEX_CHOICES
from .models import Interest, Tag, Volunteer
from .services import mobile_number

UNDISCLOSED = "undisclosed"  # stored as "", which a filter cannot ask for


def search(queryset, text):
    """Name, e-mail or mobile number; a number matches however it is typed ('0300-1234567',
    '+92 300 1234567') and by any run of four or more of its digits."""
    text = (text or "").strip()
    if not text:
        return queryset
    condition = Q(name__icontains=text) | Q(email__icontains=text)
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 4:
        with contextlib.suppress(ValidationError):
            condition |= Q(phone=mobile_number(text).as_e164)
        # "0300…" is stored as "+92300…": a leading 0 is the national prefix.
        condition |= Q(phone__contains=digits.lstrip("0") or digits)
    return queryset.filter(condition)


def _visible(request):
    user = getattr(request, "user", None)
    return Volunteer.objects.visible_to(user) if user is not None else Volunteer.objects.none()


def _districts(request):
    user = getattr(request, "user", None)
    return Area.objects.districts().filter(scope_filter(user, Capability.MANAGE_VOLUNTEERS)).order_by("name")


def _tags(request):
    return Tag.objects.filter(volunteers__in=_visible(request)).distinct().order_by("name")


def _organisers(request):
    return (
        get_user_model()
        .objects.filter(volunteers__in=_visible(request))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class OrganiserField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class OrganiserChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = OrganiserField


class VolunteerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, phone or e-mail"), method="filter_q")
    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=_districts, to_field_name="code", field_name="district"
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Volunteer.Level.choices)
    interest = django_filters.ModelChoiceFilter(
        label=_("Interest"), queryset=Interest.objects.all(), to_field_name="code", field_name="interests"
    )
    tag = django_filters.ModelChoiceFilter(label=_("Tag"), queryset=_tags, field_name="tags")
    sex = django_filters.ChoiceFilter(
        label=_("Sex"),
        choices=[(value or UNDISCLOSED, label) for value, label in SEX_CHOICES],
        method="filter_sex",
    )
    organiser = OrganiserChoiceFilter(label=_("Organiser"), queryset=_organisers, field_name="organiser")
    signed_up_from = django_filters.DateFilter(
        label=_("Signed up from"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    signed_up_to = django_filters.DateFilter(
        label=_("Signed up until"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Volunteer
        fields = [
            "q",
            "district",
            "level",
            "interest",
            "tag",
            "sex",
            "organiser",
            "signed_up_from",
            "signed_up_to",
        ]

    def filter_q(self, queryset, name, value):
        return search(queryset, value)

    def filter_sex(self, queryset, name, value):
        return queryset.filter(sex="" if value == UNDISCLOSED else value)
