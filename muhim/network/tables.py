"""Tables of the office's network lists (also what their CSV/XLSX exports hold)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Application, Post


def holder_name(user):
    """How the network names a holder: their public name, else their account's name."""
    if user is None:
        return ""
    profile = getattr(user, "organiser_profile", None)
    if profile is not None and profile.public_name:
        return profile.public_name
    return user.get_full_name() or user.username


class PostTable(tables.Table):
    """Rows are posts annotated by the view with `is_covered`, `held_since`, `vacant_since`
    and the prefetched `current` (today's assignments)."""

    title = tables.Column(
        verbose_name=_("Post"),
        linkify=lambda record: reverse("network:post-manage", kwargs={"code": record.code}),
    )
    code = tables.Column(verbose_name=_("Code"))
    kind = tables.Column(verbose_name=_("Kind"))
    where = tables.Column(
        verbose_name=_("Province or specialism"),
        accessor="province__name",
        order_by=("province__name", "specialism"),
        empty_values=(),
    )
    areas = tables.Column(verbose_name=_("Covers"), orderable=False, empty_values=())
    holder = tables.Column(verbose_name=_("Holder"), orderable=False, empty_values=())
    since = tables.Column(verbose_name=_("Since"), orderable=False, empty_values=())
    status = tables.Column(verbose_name=_("Status"), orderable=False, empty_values=())

    class Meta:
        model = Post
        fields = ("title", "code", "kind", "where", "areas", "holder", "since", "status")
        order_by = ("kind", "where", "title")

    @staticmethod
    def _holder(record):
        current = getattr(record, "current", None)
        return current[0].holder if current else None

    def render_where(self, record):
        return record.province.name if record.province_id else record.get_specialism_display()

    def value_where(self, record):
        return self.render_where(record)

    def render_areas(self, record):
        return ", ".join(a.name for a in record.areas.all()) or "—"

    def value_areas(self, record):
        return "; ".join(a.code for a in record.areas.all())

    def render_holder(self, record):
        return holder_name(self._holder(record)) or "—"

    def value_holder(self, record):
        return holder_name(self._holder(record))

    def value_since(self, record):
        since = record.held_since if record.is_covered else record.vacant_since
        return since.isoformat() if since else ""

    def render_since(self, record):
        return self.value_since(record) or "—"

    def value_status(self, record):
        if not record.is_active:
            return "retired"
        return "covered" if record.is_covered else "vacant"

    def render_status(self, record):
        status = self.value_status(record)
        label = {"retired": _("Retired"), "covered": _("Covered"), "vacant": _("Vacant")}[status]
        css = {"retired": "secondary", "covered": "success", "vacant": "warning"}[status]
        return format_html('<span class="badge text-bg-{}">{}</span>', css, label)


class ApplicationTable(tables.Table):
    full_name = tables.Column(verbose_name=_("Applicant"), linkify=True)
    post = tables.Column(verbose_name=_("Post"), accessor="vacancy__post__title")
    province = tables.Column(
        verbose_name=_("Province"), accessor="vacancy__post__province__name", default="—"
    )
    district = tables.Column(verbose_name=_("From"), accessor="district__name", default="—")
    sex = tables.Column(verbose_name=_("Sex"))
    status = tables.Column(verbose_name=_("Stage"))
    created_at = tables.DateColumn(verbose_name=_("Received"), format="Y-m-d")
    # In exports only: the people who download the list need to reach the applicants.
    email = tables.Column(verbose_name=_("E-mail"), visible=False)
    phone = tables.Column(verbose_name=_("Mobile number"), visible=False)
    vacancy_closes = tables.Column(
        verbose_name=_("Vacancy closes"), accessor="vacancy__closes_on", visible=False
    )

    class Meta:
        model = Application
        fields = ("full_name", "post", "province", "district", "sex", "status", "created_at")
        sequence = ("full_name", "post", "province", "district", "sex", "status", "created_at", "...")
        order_by = ("-created_at",)

    def render_sex(self, record):
        return record.get_sex_display()

    def value_phone(self, record):
        return record.phone.as_e164 if record.phone else ""
