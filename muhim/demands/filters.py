"""Filters of the demand and parental body lists (staff), and of the public list of published
demands. Every choice a staff filter offers comes from what the user may see; the statistics
page links to the list with these same filters, so that a number and its list always agree."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from muhim.accounts.permissions import Capability, scope_filter
from muhim.activities.models import Activity
from muhim.geography.models import Area
from muhim.partners.models import Organisation

from .forms import ActivityField, BodyField
from .models import CLOSED_STATUSES, OPEN_STATUSES, Category, Demand, ParentalBody, Status

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Raised-at activities offered in the filter's list (any other is still accepted by its number,
# e.g. from the link on an activity's page).
ACTIVITY_CHOICES = 80


class YesNo(BooleanWidget):
    """Yes, no or either: `true`/`false` in the address (`1`/`0` too, as other pages' links
    send them)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", "—"), ("true", _("Yes")), ("false", _("No"))]


def yes_no(label, **kwargs):
    return django_filters.BooleanFilter(label=label, widget=YesNo, **kwargs)


def _user(request):
    return getattr(request, "user", None)


def _districts(request):
    return (
        Area.objects.districts()
        .light()
        .filter(scope_filter(_user(request), Capability.VIEW_DEMANDS))
        .order_by("name")
    )


def _provinces(request):
    user = _user(request)
    return (
        Area.objects.provinces()
        .light()
        .filter(
            pk__in=Area.objects.districts()
            .filter(scope_filter(user, Capability.VIEW_DEMANDS))
            .values("province")
        )
        .order_by("name")
    )


def _bodies(request):
    return ParentalBody.objects.visible_to(_user(request)).order_by("name")


def _activities(request):
    return Activity.objects.visible_to(_user(request))


def search(queryset, text):
    """What a demand is about and where: never who raised it (that is personal data)."""
    text = (text or "").strip()
    if not text:
        return queryset
    condition = Q()
    for word in text.split():
        condition &= (
            Q(title__icontains=word)
            | Q(title_ur__icontains=word)
            | Q(description__icontains=word)
            | Q(school__icontains=word)
            | Q(school_emis__iexact=word)
            | Q(authority_name__icontains=word)
        )
    if text.isdigit():
        condition |= Q(pk=int(text))
    return queryset.filter(condition)


class ActivityChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ActivityField


class BodyChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = BodyField


class DemandFilter(django_filters.FilterSet):
    """The names are also the dashboard's links' (`?status=…&status=…`, `overdue=1`,
    `on_the_spot=true`, `raised_after`/`raised_before`, `resolved_after`/`resolved_before` as
    inclusive bounds): keep them, or its numbers stop matching their lists."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, widget=forms.SelectMultiple(attrs={"size": 3})
    )
    state = django_filters.ChoiceFilter(
        label=_("Open or closed"),
        choices=[("open", _("Open")), ("closed", _("Closed (resolved or rejected)"))],
        method="filter_state",
    )
    overdue = yes_no(_("Follow-up overdue"), method="filter_overdue")
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=_provinces, to_field_name="code", field_name="district__province"
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=_districts, to_field_name="code", field_name="district"
    )
    authority = django_filters.ChoiceFilter(
        label=_("Responsible authority"), choices=Demand.Authority.choices
    )
    activity = ActivityChoiceFilter(label=_("Raised at"), queryset=_activities, field_name="activity")
    parental_body = BodyChoiceFilter(label=_("Parental body"), queryset=_bodies, field_name="parental_body")
    on_the_spot = yes_no(_("Resolved on the spot"), field_name="resolved_on_the_spot")
    published = yes_no(_("Published"), field_name="is_published")
    raised_after = django_filters.DateFilter(
        label=_("Raised from"), field_name="raised_on", lookup_expr="gte", widget=DATE
    )
    raised_before = django_filters.DateFilter(
        label=_("Raised until"), field_name="raised_on", lookup_expr="lte", widget=DATE
    )
    resolved_after = django_filters.DateFilter(
        label=_("Resolved from"), field_name="resolved_on", lookup_expr="gte", widget=DATE
    )
    resolved_before = django_filters.DateFilter(
        label=_("Resolved until"), field_name="resolved_on", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = Demand
        fields = [
            "q",
            "category",
            "status",
            "state",
            "overdue",
            "province",
            "district",
            "authority",
            "activity",
            "parental_body",
            "on_the_spot",
            "published",
            "raised_after",
            "raised_before",
            "resolved_after",
            "resolved_before",
        ]

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            self._offer_activities(form.fields["activity"])
        return self._form

    def _offer_activities(self, field):
        """The activities demands were raised at (the latest ones), and the one asked for."""
        user = _user(self.request)
        visible = Demand.objects.visible_to(user) if user is not None else Demand.objects.none()
        offered = list(
            field.queryset.filter(pk__in=visible.filter(activity__isnull=False).values("activity")).order_by(
                "-start_date", "-pk"
            )[:ACTIVITY_CHOICES]
        )
        value = self.data.get("activity") if self.data else None
        if value and str(value).isdigit() and all(str(a.pk) != str(value) for a in offered):
            chosen = field.queryset.filter(pk=int(value)).first()
            if chosen is not None:
                offered.insert(0, chosen)
        field.widget.choices = [("", "---------")] + [(a.pk, field.label_from_instance(a)) for a in offered]

    def filter_q(self, queryset, name, value):
        return search(queryset, value)

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == "closed":
            return queryset.filter(status__in=CLOSED_STATUSES)
        return queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(status__in=OPEN_STATUSES, follow_up_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


# --- parental bodies --------------------------------------------------------------------------


def _body_partners(request):
    return Organisation.objects.filter(
        pk__in=ParentalBody.objects.visible_to(_user(request)).values("partner")
    ).order_by("name")


class ParentalBodyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_q")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=ParentalBody.Level.choices)
    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=_districts, to_field_name="code", field_name="district"
    )
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner organisation"), queryset=_body_partners, field_name="partner"
    )
    active = yes_no(_("Active"), field_name="is_active")

    class Meta:
        model = ParentalBody
        fields = ["q", "level", "district", "partner", "active"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(name_ur__icontains=value))


# --- the public list --------------------------------------------------------------------------


def _public_districts(request=None):
    return Area.objects.districts().light().filter(demands__is_published=True).distinct().order_by("name")


def _public_provinces(request=None):
    return (
        Area.objects.provinces()
        .light()
        .filter(pk__in=_public_districts().values("province"))
        .order_by("name")
    )


class PublicDemandFilter(django_filters.FilterSet):
    """The public list: only published demands reach it (the view's queryset), and it can only
    be narrowed by what the public pages show."""

    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=_public_provinces, to_field_name="code", field_name="district__province"
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=_public_districts, to_field_name="code", field_name="district"
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)

    class Meta:
        model = Demand
        fields = ["province", "district", "category", "status"]
