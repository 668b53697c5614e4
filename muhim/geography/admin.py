from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Area, AreaAlias, Constituency, ConstituencyArea


class AreaAliasInline(admin.TabularInline):
    model = AreaAlias
    extra = 0


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ("name", "name_ur", "level", "code", "parent")
    list_filter = ("level", "province")
    search_fields = ("name", "name_ur", "code", "aliases__name")
    readonly_fields = ("path", "boundary", "bbox", "boundary_source")
    raw_id_fields = ("parent", "province")
    inlines = [AreaAliasInline]


class ConstituencyAreaInline(admin.TabularInline):
    model = ConstituencyArea
    extra = 0
    raw_id_fields = ("area",)


@admin.register(Constituency)
class ConstituencyAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "assembly", "delimitation_year", "province")
    list_filter = ("assembly", "delimitation_year", "province")
    search_fields = ("code", "name")
    inlines = [ConstituencyAreaInline]
