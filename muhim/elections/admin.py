"""Elections, parties (with their aliases), people, candidacies and results in Django's admin,
for administrators' repairs and each record's history. Lists and imports are the pages'."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Candidacy, ConstituencyResult, Election, Party, PartyAlias, Person


@admin.register(Election)
class ElectionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug", "kind", "polling_date", "delimitation_year")
    prepopulated_fields = {"slug": ("name",)}


class AliasInline(admin.TabularInline):
    model = PartyAlias
    extra = 1
    fields = ("alias",)


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "abbreviation", "symbol", "slug")
    search_fields = ("name", "name_ur", "abbreviation", "aliases__alias")
    inlines = [AliasInline]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("name", "gender")
    search_fields = ("name", "name_ur")
    readonly_fields = ("normalised",)


@admin.register(Candidacy)
class CandidacyAdmin(SimpleHistoryAdmin):
    list_display = ("person", "constituency", "election", "party_label", "votes", "is_winner")
    list_filter = ("election", "constituency__assembly", "is_winner")
    search_fields = ("person__name", "constituency__code", "party_as_written")
    raw_id_fields = ("person", "constituency", "party")
    list_select_related = ("person", "constituency", "election", "party")

    @admin.display(description=_("party"))
    def party_label(self, obj):
        return obj.party_label


@admin.register(ConstituencyResult)
class ResultAdmin(SimpleHistoryAdmin):
    list_display = ("constituency", "election", "registered_voters", "valid_votes", "turnout")
    list_filter = ("election", "constituency__assembly")
    raw_id_fields = ("constituency",)
