import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Volunteer

# Columns a phone leaves out (they stay in the exports and on the volunteer's page).
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


def _names(items):
    return "; ".join(str(item) for item in items)


class VolunteerTable(tables.Table):
    """The list on screen; exports add the columns hidden here (e-mail, sex, organiser, tags,
    language, consent) so that the file is enough to contact people and prove they agreed."""

    name = tables.Column(verbose_name=_("Name"), linkify=True)
    phone = tables.Column(verbose_name=_("Mobile"), order_by=("phone",))
    district = tables.Column(verbose_name=_("District"), order_by=("district__name",))
    level = tables.Column(verbose_name=_("Level"))
    interests = tables.Column(verbose_name=_("Interests"), orderable=False, empty_values=(), attrs=WIDE_ONLY)
    created_at = tables.DateColumn(verbose_name=_("Signed up"), format="Y-m-d")
    email = tables.Column(verbose_name=_("E-mail"), visible=False)
    sex = tables.Column(verbose_name=_("Sex"), visible=False)
    organiser = tables.Column(verbose_name=_("Organiser"), visible=False, accessor="organiser")
    tags = tables.Column(verbose_name=_("Tags"), visible=False, orderable=False, empty_values=())
    language = tables.Column(verbose_name=_("Language"), visible=False)
    source = tables.Column(verbose_name=_("Source"), visible=False)
    consent_version = tables.Column(
        verbose_name=_("Consent wording"), visible=False, accessor="consent_text__version"
    )
    consent_at = tables.Column(verbose_name=_("Consent given"), visible=False)

    class Meta:
        model = Volunteer
        fields = (
            "name",
            "phone",
            "district",
            "level",
            "interests",
            "created_at",
            "email",
            "sex",
            "organiser",
            "tags",
            "language",
            "source",
            "consent_version",
            "consent_at",
        )
        order_by = ("-created_at",)
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_phone(self, value):
        return format_html('<a href="tel:{}" dir="ltr">{}</a>', value.as_e164, value.as_national)

    def value_phone(self, value):
        return value.as_e164

    def render_district(self, value):
        return value.display_name

    def value_district(self, value):
        return value.name

    def render_interests(self, record):
        return ", ".join(str(i) for i in record.interests.all()) or "—"

    def value_interests(self, record):
        return _names(i.code for i in record.interests.all())

    def render_tags(self, record):
        return _names(record.tags.all())

    def value_tags(self, record):
        return _names(record.tags.all())

    def render_organiser(self, value):
        return value.get_full_name() or value.get_username()

    def value_organiser(self, value):
        return value.get_full_name() or value.get_username()

    def value_created_at(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    def value_consent_at(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
