import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .forms import person_name
from .models import Activity

# Columns a phone leaves out (they stay in the exports and on the activity's page).
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}
STATUS_BADGES = {
    Activity.Status.PLANNED: "text-bg-light border",
    Activity.Status.HELD: "text-bg-success",
    Activity.Status.CANCELLED: "text-bg-secondary",
}


def _names(items):
    return "; ".join(str(item) for item in items)


class ActivityTable(tables.Table):
    """The list on screen; exports add the columns hidden here (times, place, venue, partners,
    attendance by sex, outcomes, follow-up, public or not) so that the file is a full record."""

    start_date = tables.DateColumn(
        verbose_name=_("Date"), format="Y-m-d", attrs={"td": {"class": "text-nowrap"}}
    )
    title = tables.Column(verbose_name=_("Activity"), linkify=True, order_by=("title",))
    kind = tables.Column(verbose_name=_("Type"), attrs=WIDE_ONLY)
    district = tables.Column(verbose_name=_("District"), order_by=("district__name",))
    status = tables.Column(verbose_name=_("Status"))
    attendance = tables.Column(
        verbose_name=_("Attendance"), orderable=False, empty_values=(), attrs=WIDE_ONLY
    )
    organiser = tables.Column(
        verbose_name=_("Organiser"), attrs=WIDE_ONLY, order_by=("organiser__first_name",)
    )
    end_date = tables.DateColumn(verbose_name=_("Ends on"), format="Y-m-d", visible=False)
    start_time = tables.Column(verbose_name=_("Starts at"), visible=False)
    end_time = tables.Column(verbose_name=_("Ends at"), visible=False)
    title_ur = tables.Column(verbose_name=_("Title (Urdu)"), visible=False)
    province = tables.Column(verbose_name=_("Province"), accessor="district__province", visible=False)
    place = tables.Column(verbose_name=_("Tehsil or union council"), visible=False)
    venue = tables.Column(verbose_name=_("Venue"), visible=False)
    partners = tables.Column(verbose_name=_("Partner organisations"), visible=False, empty_values=())
    women = tables.Column(verbose_name=_("Women"), visible=False)
    men = tables.Column(verbose_name=_("Men"), visible=False)
    girls = tables.Column(verbose_name=_("Girls"), visible=False)
    boys = tables.Column(verbose_name=_("Boys"), visible=False)
    attendance_count = tables.Column(verbose_name=_("Attendance was"), visible=False)
    outcomes = tables.Column(verbose_name=_("Outcomes"), visible=False)
    follow_up = tables.Column(verbose_name=_("Follow-up"), visible=False)
    follow_up_on = tables.DateColumn(verbose_name=_("Follow up by"), format="Y-m-d", visible=False)
    is_public = tables.BooleanColumn(verbose_name=_("On the public calendar"), visible=False)
    uid = tables.Column(verbose_name=_("Identifier"), visible=False)

    class Meta:
        model = Activity
        fields = (
            "start_date",
            "title",
            "kind",
            "district",
            "status",
            "attendance",
            "organiser",
            "end_date",
            "start_time",
            "end_time",
            "title_ur",
            "province",
            "place",
            "venue",
            "partners",
            "women",
            "men",
            "girls",
            "boys",
            "attendance_count",
            "outcomes",
            "follow_up",
            "follow_up_on",
            "is_public",
            "uid",
        )
        order_by = ("-start_date",)
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_title(self, record):
        return record.display_title

    def value_title(self, record):
        return record.title

    def render_status(self, record):
        return format_html(
            '<span class="badge {}">{}</span>',
            STATUS_BADGES.get(record.status, ""),
            record.get_status_display(),
        )

    def value_status(self, record):
        return record.status

    def value_kind(self, record):
        return record.kind

    def render_district(self, value):
        return value.display_name

    def value_district(self, value):
        return value.name

    def value_province(self, value):
        return value.name

    def value_place(self, value):
        return value.name

    def render_attendance(self, record):
        return "—" if record.attendance is None else record.attendance

    def value_attendance(self, record):
        return "" if record.attendance is None else record.attendance

    def render_organiser(self, value):
        return person_name(value)

    def value_organiser(self, value):
        return person_name(value)

    def render_partners(self, record):
        return _names(p.display_name for p in record.partners.all())

    def value_partners(self, record):
        return _names(p.name for p in record.partners.all())

    def value_attendance_count(self, record):
        return record.attendance_count

    def value_is_public(self, value):
        return "yes" if value else "no"

    def value_uid(self, value):
        return str(value)
