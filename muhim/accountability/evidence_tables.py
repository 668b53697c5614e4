"""The survey, media story and budget lists. Columns hidden on screen stay in the exports. Who
recorded a story is dropped from the table altogether for users who may not see personal data
(`PERSONAL_COLUMNS`)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import EducationBudget, MediaStory, VoterSurvey

WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}
NUMBER = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}
PERSONAL_COLUMNS = ("recorded_by",)


def _yes_no(value):
    return "yes" if value else "no"


def _day(value):
    return value.isoformat() if value else ""


def _badge(yes, yes_text, no_text):
    if yes:
        return format_html('<span class="badge text-bg-success">{}</span>', yes_text)
    return format_html('<span class="badge text-bg-light border">{}</span>', no_text)


class SurveyTable(tables.Table):
    constituency = tables.Column(
        verbose_name=_("Constituency"),
        linkify=lambda record: reverse("accountability:survey-detail", args=[record.pk]),
        order_by=("constituency__assembly", "constituency__number"),
    )
    conducted_on = tables.DateColumn(verbose_name=_("Date"), format="Y-m-d")
    education_rank = tables.Column(verbose_name=_("Education ranks"), empty_values=(), orderable=False)
    top_demand = tables.Column(
        verbose_name=_("First demand"), empty_values=(), orderable=False, attrs=WIDE_ONLY
    )
    election = tables.Column(
        verbose_name=_("Election"), attrs=WIDE_ONLY, order_by=("election__polling_date",)
    )
    conducted_by = tables.Column(
        verbose_name=_("Conducted by"), attrs=WIDE_ONLY, order_by=("conducted_by__name",)
    )
    respondents = tables.Column(verbose_name=_("Respondents"), attrs={**WIDE_ONLY, **NUMBER})
    # Exports only.
    id = tables.Column(verbose_name=_("Number"), visible=False)
    title = tables.Column(verbose_name=_("Title"), visible=False)
    demands = tables.Column(
        verbose_name=_("Demands, ranked"), empty_values=(), visible=False, orderable=False
    )
    source_url = tables.Column(verbose_name=_("Source link"), visible=False)
    is_published = tables.BooleanColumn(verbose_name=_("Published"), visible=False)

    class Meta:
        model = VoterSurvey
        fields = ()
        sequence = (
            "constituency",
            "conducted_on",
            "education_rank",
            "top_demand",
            "election",
            "conducted_by",
            "respondents",
            "...",
        )
        order_by = ("-conducted_on",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "survey-table"}

    def render_constituency(self, value):
        return str(value)

    def value_constituency(self, value):
        return value.code

    def render_education_rank(self, record):
        rank = record.education_rank
        if rank is None:
            return format_html('<span class="text-body-secondary">{}</span>', _("not named"))
        css = "text-bg-success" if rank == 1 else "text-bg-secondary"
        return format_html('<span class="badge {}">{}</span>', css, number_format(rank))

    def value_education_rank(self, record):
        return record.education_rank or ""

    def render_top_demand(self, record):
        demands = list(record.demands.all())
        return demands[0].demand if demands else "—"

    def value_top_demand(self, record):
        demands = list(record.demands.all())
        return demands[0].demand if demands else ""

    def value_demands(self, record):
        return "; ".join(
            f"{d.rank}. {d.demand}" + (f" ({d.share}%)" if d.share is not None else "")
            for d in record.demands.all()
        )

    def render_election(self, value):
        return value.display_name

    def value_election(self, value):
        return value.name

    def value_conducted_by(self, value):
        return value.name

    def value_conducted_on(self, value):
        return _day(value)

    def value_is_published(self, value):
        return _yes_no(value)


class MediaStoryTable(tables.Table):
    published_on = tables.DateColumn(verbose_name=_("Date"), format="Y-m-d")
    outlet = tables.Column(verbose_name=_("Outlet"))
    title = tables.Column(
        verbose_name=_("Title"),
        linkify=lambda record: reverse("accountability:story-detail", args=[record.pk]),
    )
    is_education = tables.Column(verbose_name=_("About education"))
    constituencies = tables.Column(
        verbose_name=_("Constituencies"), empty_values=(), orderable=False, attrs=WIDE_ONLY
    )
    parties = tables.Column(verbose_name=_("Parties"), empty_values=(), orderable=False, attrs=WIDE_ONLY)
    language = tables.Column(verbose_name=_("Language"), attrs=WIDE_ONLY)
    # Exports only.
    id = tables.Column(verbose_name=_("Number"), visible=False)
    url = tables.Column(verbose_name=_("Link"), visible=False)
    people = tables.Column(verbose_name=_("Candidates"), empty_values=(), visible=False, orderable=False)
    is_published = tables.BooleanColumn(verbose_name=_("Published"), visible=False)
    recorded_by = tables.Column(verbose_name=_("Recorded by"), visible=False)

    class Meta:
        model = MediaStory
        fields = ()
        sequence = (
            "published_on",
            "outlet",
            "title",
            "is_education",
            "constituencies",
            "parties",
            "language",
            "...",
        )
        order_by = ("-published_on",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "story-table"}

    def render_is_education(self, value):
        return _badge(value, _("education"), _("other"))

    def value_is_education(self, value):
        return _yes_no(value)

    def render_constituencies(self, record):
        return ", ".join(c.code for c in record.constituencies.all()) or "—"

    def value_constituencies(self, record):
        return "; ".join(c.code for c in record.constituencies.all())

    def render_parties(self, record):
        return ", ".join(p.short_name for p in record.parties.all()) or "—"

    def value_parties(self, record):
        return "; ".join(p.name for p in record.parties.all())

    def value_people(self, record):
        return "; ".join(p.name for p in record.people.all())

    def value_published_on(self, value):
        return _day(value)

    def value_is_published(self, value):
        return _yes_no(value)

    def value_recorded_by(self, value):
        return value.username


class BudgetTable(tables.Table):
    fiscal_year = tables.Column(verbose_name=_("Fiscal year"), attrs={"td": {"class": "text-nowrap"}})
    government = tables.Column(verbose_name=_("Government"))
    education_allocation = tables.Column(verbose_name=_("Education allocation (PKR million)"), attrs=NUMBER)
    gdp = tables.Column(verbose_name=_("GDP (PKR million)"), attrs={**WIDE_ONLY, **NUMBER})
    share_of_gdp = tables.Column(
        verbose_name=_("Share of GDP (%)"), empty_values=(), orderable=False, attrs=NUMBER
    )
    # xgettext:no-python-format
    meets_target = tables.Column(verbose_name=_("Meets 4%"), empty_values=(), orderable=False)
    edit = tables.Column(verbose_name=_("Edit"), empty_values=(), orderable=False, exclude_from_export=True)
    # Exports only.
    source_url = tables.Column(verbose_name=_("Source link"), visible=False)
    note = tables.Column(verbose_name=_("Note"), attrs=WIDE_ONLY, orderable=False)

    class Meta:
        model = EducationBudget
        fields = ()
        sequence = (
            "fiscal_year",
            "government",
            "education_allocation",
            "gdp",
            "share_of_gdp",
            "meets_target",
            "note",
            "...",
        )
        order_by = ("-fiscal_year", "government")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "budget-table"}

    def render_education_allocation(self, value):
        return number_format(value, 0, force_grouping=True)

    def render_gdp(self, value):
        return number_format(value, 0, force_grouping=True)

    def render_share_of_gdp(self, record):
        return number_format(record.share_of_gdp, 2) if record.share_of_gdp is not None else "—"

    def value_share_of_gdp(self, record):
        return record.share_of_gdp if record.share_of_gdp is not None else ""

    def render_meets_target(self, record):
        return _badge(record.meets_target, _("yes"), _("no"))

    def value_meets_target(self, record):
        return _yes_no(record.meets_target)

    def render_edit(self, record):
        return format_html(
            '<a class="btn btn-sm btn-outline-secondary" href="{}">{}</a>',
            reverse("accountability:budget-edit", args=[record.pk]),
            _("Edit"),
        )
