"""The staff list of pledges. Columns hidden on screen stay in the exports; who recorded a
pledge is personal data and is dropped altogether for users who may not see it
(`PERSONAL_COLUMNS`, see the list view)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Pledge

WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}
PERSONAL_COLUMNS = ("recorded_by",)
RATING_BADGES = {
    "not_rated": "text-bg-light border",
    "in_the_works": "text-bg-info",
    "stalled": "text-bg-warning",
    "kept": "text-bg-success",
    "compromise": "text-bg-primary",
    "broken": "text-bg-danger",
}


def rating_badge(value, label):
    return format_html('<span class="badge {}">{}</span>', RATING_BADGES.get(value, "text-bg-light"), label)


def maker_of(pledge):
    if pledge.candidacy_id:
        return f"{pledge.candidacy.person.display_name} ({pledge.candidacy.party_label})"
    return pledge.party.short_name if pledge.party_id else ""


def _yes(value):
    return "yes" if value else "no"


class PledgeTable(tables.Table):
    text = tables.Column(verbose_name=_("Pledge"), linkify=True, order_by=("text",))
    maker = tables.Column(
        verbose_name=_("By"), accessor="pk", order_by=("candidacy__person__name", "party__name")
    )
    constituency = tables.Column(
        verbose_name=_("Seat"), order_by=("constituency__assembly", "constituency__number")
    )
    made_on = tables.DateColumn(verbose_name=_("Date"), format="Y-m-d", attrs=WIDE_ONLY)
    source_type = tables.Column(verbose_name=_("Source"), attrs=WIDE_ONLY)
    topic = tables.Column(verbose_name=_("Topic"), attrs=WIDE_ONLY)
    # xgettext:no-python-format
    commits_four_percent = tables.BooleanColumn(verbose_name=_("4% of GDP"), attrs=WIDE_ONLY)
    rating = tables.Column(verbose_name=_("Rating"))
    is_published = tables.BooleanColumn(verbose_name=_("Published"), attrs=WIDE_ONLY)
    # Exports only.
    id = tables.Column(verbose_name=_("Number"), visible=False)
    election = tables.Column(verbose_name=_("Election"), visible=False)
    candidate = tables.Column(
        verbose_name=_("Candidate"), accessor="candidacy__person__name", visible=False, default=""
    )
    party = tables.Column(verbose_name=_("Party"), visible=False)
    province = tables.Column(verbose_name=_("Province"), accessor="constituency__province", visible=False)
    text_ur = tables.Column(verbose_name=_("Pledge (Urdu)"), visible=False)
    is_education = tables.BooleanColumn(verbose_name=_("About education"), visible=False)
    source_url = tables.Column(verbose_name=_("Source link"), visible=False)
    recorded_by = tables.Column(verbose_name=_("Recorded by"), visible=False)

    class Meta:
        model = Pledge
        fields = ()
        sequence = (
            "text",
            "maker",
            "constituency",
            "made_on",
            "source_type",
            "topic",
            "commits_four_percent",
            "rating",
            "is_published",
            "...",
        )
        order_by = ("-made_on",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "pledge-table"}
        row_attrs = {"data-pledge": lambda record: record.pk}

    def render_text(self, record, value):
        # The Urdu wording where there is one for an Urdu reader; either way in its own direction.
        shown = record.text_ur if get_language() == "ur" and record.text_ur else value
        shown = shown if len(shown) <= 90 else f"{shown[:88]}…"
        return format_html('<span dir="auto">{}</span>', shown)

    def value_text(self, value):
        return value

    def render_made_on(self, value):
        return format_html('<span class="text-nowrap" dir="ltr">{}</span>', value.isoformat())

    def render_maker(self, record):
        return maker_of(record) or "—"

    def value_maker(self, record):
        return maker_of(record)

    def render_constituency(self, value):
        return value.code

    def value_constituency(self, value):
        return value.code

    def render_rating(self, record):
        return rating_badge(record.rating, record.get_rating_display())

    def value_rating(self, record):
        return record.rating

    def value_source_type(self, record):
        return record.source_type

    def value_topic(self, record):
        return record.topic

    def value_made_on(self, value):
        return value.isoformat()

    def value_election(self, value):
        return value.slug

    def value_party(self, value):
        return value.short_name

    def value_province(self, value):
        return value.name

    def value_is_education(self, value):
        return _yes(value)

    def value_commits_four_percent(self, value):
        return _yes(value)

    def value_is_published(self, value):
        return _yes(value)

    def value_recorded_by(self, value):
        return value.username
