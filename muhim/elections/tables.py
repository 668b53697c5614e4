"""The candidate list. The address column exists only for users who may see personal data
(`PERSONAL_COLUMNS`, excluded by the view otherwise: not even an empty column)."""

import django_tables2 as tables
from django.urls import NoReverseMatch
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Candidacy

WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}
PERSONAL_COLUMNS = ("address",)


def party_url(party):
    """The party's page, or '' while the scorecard pages are not installed."""
    try:
        return party.get_absolute_url()
    except NoReverseMatch:
        return ""


class CandidacyTable(tables.Table):
    seat = tables.Column(
        verbose_name=_("Seat"),
        accessor="constituency__code",
        order_by=("constituency__assembly", "constituency__number"),
    )
    name = tables.Column(verbose_name=_("Candidate"), accessor="person__name", order_by=("person__name",))
    party = tables.Column(
        verbose_name=_("Party"), empty_values=(), order_by=("party__name", "party_as_written")
    )
    symbol = tables.Column(verbose_name=_("Symbol"), attrs=WIDE_ONLY)
    votes = tables.Column(
        verbose_name=_("Votes"), attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}}
    )
    is_winner = tables.BooleanColumn(verbose_name=_("Won"), yesno=("✓", ""))
    # Exports only.
    election = tables.Column(verbose_name=_("Election"), accessor="election__name", visible=False)
    assembly = tables.Column(verbose_name=_("Assembly"), accessor="constituency__assembly", visible=False)
    seat_name = tables.Column(verbose_name=_("Seat name"), accessor="constituency__name", visible=False)
    party_as_written = tables.Column(verbose_name=_("Party as written"), visible=False)
    added_from_results = tables.BooleanColumn(verbose_name=_("Added from the results"), visible=False)
    address = tables.Column(verbose_name=_("Address"), accessor="person__address", visible=False)

    class Meta:
        model = Candidacy
        fields = ()
        sequence = ("seat", "name", "party", "symbol", "votes", "is_winner", "...")
        order_by = ("seat", "-votes")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "candidate-table"}

    def _address(self, record):
        # (`address_visible` is annotated for a regional role: their regions' seats only.)
        return record.person.address if getattr(record, "address_visible", True) else ""

    def render_address(self, record):
        return self._address(record)

    def value_address(self, record):
        return self._address(record)

    def render_name(self, record):
        if record.added_from_results:
            return format_html(
                '{} <span class="badge text-bg-light border" title="{}">{}</span>',
                record.person.display_name,
                _("Not on the published candidate list: the results named this candidate."),
                _("from the results"),
            )
        return record.person.display_name

    def value_name(self, record):
        return record.person.display_name

    def render_party(self, record):
        if record.party_id:
            url = party_url(record.party)
            if url:
                return format_html('<a href="{}">{}</a>', url, record.party.short_name)
            return record.party.short_name
        if record.party_as_written:
            return format_html('<span class="text-body-secondary">{}</span>', record.party_as_written)
        return _("Independent")

    def value_party(self, record):
        return record.party.name if record.party_id else str(record.party_label)

    def render_votes(self, value):
        from django.utils.formats import number_format

        return number_format(value, force_grouping=True)

    def value_votes(self, value):
        return value  # a number in the exports, for sums in a spreadsheet

    def value_is_winner(self, value):
        return "yes" if value else ""

    def value_added_from_results(self, value):
        return "yes" if value else ""
