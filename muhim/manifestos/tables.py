"""The manifesto list. Columns hidden on screen stay in the exports."""

import django_tables2 as tables
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Manifesto

WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}
STATUS_BADGES = {
    "pending": "text-bg-secondary",
    "analysing": "text-bg-info",
    "ready": "text-bg-success",
    "failed": "text-bg-danger",
}


def status_badge(manifesto):
    return format_html(
        '<span class="badge {}">{}</span>',
        STATUS_BADGES.get(manifesto.status, "text-bg-light"),
        manifesto.get_status_display(),
    )


def _yes_no(value):
    return "yes" if value else "no"


class ManifestoTable(tables.Table):
    title = tables.Column(verbose_name=_("Manifesto"), linkify=True)
    party = tables.Column(verbose_name=_("Party"), order_by=("party__name",))
    election = tables.Column(
        verbose_name=_("Election"), order_by=("election__polling_date",), attrs=WIDE_ONLY
    )
    status = tables.Column(verbose_name=_("Status"))
    education_share = tables.Column(verbose_name=_("Education share (%)"))
    education_sentences = tables.Column(verbose_name=_("Education sentences"), attrs=WIDE_ONLY)
    quasi_sentences = tables.Column(verbose_name=_("Quasi-sentences"), attrs=WIDE_ONLY)
    reviewed_sentences = tables.Column(verbose_name=_("Reviewed"), attrs=WIDE_ONLY)
    # xgettext:no-python-format
    commits_four_percent = tables.BooleanColumn(verbose_name=_("4% of GDP"), attrs=WIDE_ONLY)
    is_published = tables.BooleanColumn(verbose_name=_("Published"))
    # Exports only.
    id = tables.Column(verbose_name=_("Number"), visible=False)
    language = tables.Column(verbose_name=_("Language"), visible=False)
    source = tables.Column(verbose_name=_("Kind of file"), visible=False)
    original_name = tables.Column(verbose_name=_("File"), visible=False)
    file_sha256 = tables.Column(verbose_name="SHA-256", visible=False)
    pages = tables.Column(verbose_name=_("Pages"), visible=False)
    analysed_at = tables.DateTimeColumn(verbose_name=_("Analysed at"), visible=False)

    class Meta:
        model = Manifesto
        fields = ()
        sequence = (
            "title",
            "party",
            "election",
            "status",
            "education_share",
            "education_sentences",
            "quasi_sentences",
            "reviewed_sentences",
            "commits_four_percent",
            "is_published",
            "...",
        )
        order_by = ("-created_at",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "manifesto-table"}
        row_attrs = {"data-manifesto": lambda record: record.pk}

    def render_status(self, record):
        return status_badge(record)

    def render_education_share(self, value):
        return number_format(value, 3)

    def value_education_share(self, value):
        return f"{value:.3f}" if value is not None else ""

    def value_party(self, value):
        return value.name

    def value_election(self, value):
        return value.name

    def value_status(self, record):
        return record.status

    def value_commits_four_percent(self, value):
        return _yes_no(value)

    def value_is_published(self, value):
        return _yes_no(value)

    def value_analysed_at(self, value):
        return value.isoformat() if value else ""
