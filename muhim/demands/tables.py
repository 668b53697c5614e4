"""The demand and parental body lists. Columns hidden on screen stay in the exports; the
personal columns (who raised a demand, their number) are dropped from the table altogether
for users who may not see personal data (`PERSONAL_COLUMNS`, see the list view)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Demand, ParentalBody

# Columns a phone leaves out (they stay in the exports and on the demand's page).
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}
PERSONAL_COLUMNS = ("raised_by_name", "raised_by_phone")
STATUS_BADGES = {
    "raised": "text-bg-secondary",
    "submitted": "text-bg-info",
    "acknowledged": "text-bg-info",
    "in_progress": "text-bg-primary",
    "resolved": "text-bg-success",
    "rejected": "text-bg-dark",
    "stalled": "text-bg-warning",
}


def _day(value):
    return value.isoformat() if value else ""


def status_badge(record):
    return format_html(
        '<span class="badge {}">{}</span>',
        STATUS_BADGES.get(record.status, "text-bg-light"),
        record.get_status_display(),
    )


class DemandTable(tables.Table):
    title = tables.Column(verbose_name=_("Demand"), linkify=True, order_by=("title",))
    district = tables.Column(verbose_name=_("District"), order_by=("district__name",))
    category = tables.Column(verbose_name=_("Category"), attrs=WIDE_ONLY)
    status = tables.Column(verbose_name=_("Status"))
    status_on = tables.DateColumn(verbose_name=_("Since"), format="Y-m-d", attrs=WIDE_ONLY)
    follow_up_on = tables.DateColumn(verbose_name=_("Follow up by"), format="Y-m-d")
    authority = tables.Column(verbose_name=_("Authority"), attrs=WIDE_ONLY)
    raised_on = tables.DateColumn(verbose_name=_("Raised on"), format="Y-m-d", attrs=WIDE_ONLY)
    # Exports only.
    id = tables.Column(verbose_name=_("Number"), visible=False)
    title_ur = tables.Column(verbose_name=_("Demand (Urdu)"), visible=False)
    description = tables.Column(verbose_name=_("Details"), visible=False)
    school = tables.Column(verbose_name=_("School or place"), visible=False)
    school_emis = tables.Column(verbose_name=_("EMIS code"), visible=False)
    province = tables.Column(verbose_name=_("Province"), accessor="district__province", visible=False)
    place = tables.Column(verbose_name=_("Tehsil or union council"), visible=False)
    authority_name = tables.Column(verbose_name=_("Authority's office"), visible=False)
    raised_by = tables.Column(verbose_name=_("Raised by"), visible=False)
    raised_by_name = tables.Column(verbose_name=_("Name of who raised it"), visible=False)
    raised_by_phone = tables.Column(verbose_name=_("Their mobile number"), visible=False)
    parental_body = tables.Column(verbose_name=_("Parental body"), visible=False)
    activity = tables.Column(verbose_name=_("Raised at"), visible=False)
    resolved_on = tables.Column(verbose_name=_("Resolved on"), visible=False)
    resolved_on_the_spot = tables.BooleanColumn(verbose_name=_("Resolved on the spot"), visible=False)
    is_published = tables.BooleanColumn(verbose_name=_("Published"), visible=False)
    public_url = tables.Column(verbose_name=_("Public page"), visible=False, empty_values=(), orderable=False)

    class Meta:
        model = Demand
        fields = ()
        sequence = (
            "title",
            "district",
            "category",
            "status",
            "status_on",
            "follow_up_on",
            "authority",
            "raised_on",
            "...",
        )
        order_by = ("-raised_on",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "demand-table"}
        row_attrs = {"data-demand": lambda record: record.pk}

    def render_title(self, record):
        return record.display_title

    def render_district(self, value):
        return value.display_name

    def value_district(self, value):
        return value.name

    def render_status(self, record):
        return status_badge(record)

    def render_follow_up_on(self, record, value):
        if value is None:
            return "—"
        if record.is_overdue:
            return format_html(
                '<span class="text-danger fw-semibold">{} <span class="badge text-bg-danger">{}</span></span>',
                value.isoformat(),
                _("overdue"),
            )
        return value.isoformat()

    def value_follow_up_on(self, value):
        return _day(value)

    def value_status_on(self, value):
        return _day(value)

    def value_raised_on(self, value):
        return _day(value)

    def value_resolved_on(self, value):
        return _day(value)

    def value_province(self, value):
        return value.name

    def value_place(self, value):
        return value.name

    def value_raised_by_phone(self, value):
        return value.as_e164 if value else ""

    def value_parental_body(self, value):
        return value.name

    def value_activity(self, value):
        return f"{value.pk}: {value.start_date.isoformat()} {value.title}"

    def value_resolved_on_the_spot(self, value):
        return "yes" if value else "no"

    def value_is_published(self, value):
        return "yes" if value else "no"

    def render_public_url(self, record):
        return record.get_public_url() if record.is_published else ""

    def value_public_url(self, record):
        if not record.is_published:
            return ""
        url = record.get_public_url()
        request = getattr(self, "request", None)
        return request.build_absolute_uri(url) if request is not None else url


class ParentalBodyTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    level = tables.Column(verbose_name=_("Level"))
    district = tables.Column(verbose_name=_("District"), order_by=("district__name",))
    union_council = tables.Column(verbose_name=_("Union council"), attrs=WIDE_ONLY)
    partner = tables.Column(verbose_name=_("Partner"), attrs=WIDE_ONLY, order_by=("partner__name",))
    member_count = tables.Column(verbose_name=_("Members"))
    demand_count = tables.Column(verbose_name=_("Demands"), attrs=WIDE_ONLY)
    is_active = tables.BooleanColumn(verbose_name=_("Active"), attrs=WIDE_ONLY)
    # Exports only.
    id = tables.Column(verbose_name=_("Number"), visible=False)
    name_ur = tables.Column(verbose_name=_("Name (Urdu)"), visible=False)
    formed_on = tables.Column(verbose_name=_("Formed on"), visible=False)
    meeting_count = tables.Column(verbose_name=_("Meetings"), visible=False)

    class Meta:
        model = ParentalBody
        fields = ()
        sequence = (
            "name",
            "level",
            "district",
            "union_council",
            "partner",
            "member_count",
            "demand_count",
            "is_active",
            "...",
        )
        order_by = ("district", "name")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "body-table"}

    def render_name(self, record):
        return record.display_name

    def render_district(self, value):
        return value.display_name

    def value_district(self, value):
        return value.name

    def render_union_council(self, value):
        return value.display_name

    def value_union_council(self, value):
        return value.name

    def render_partner(self, value):
        return value.display_name

    def value_partner(self, value):
        return value.name

    def render_demand_count(self, record, value):
        url = reverse("demands:demand-list")
        return format_html('<a href="{}?parental_body={}">{}</a>', url, record.pk, value)

    def value_demand_count(self, value):
        return value

    def value_is_active(self, value):
        return "yes" if value else "no"

    def value_formed_on(self, value):
        return _day(value)
