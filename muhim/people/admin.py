from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ConsentText, Interaction, Interest, Tag, Volunteer


class InteractionInline(admin.TabularInline):
    model = Interaction
    extra = 0
    fields = ("at", "kind", "text", "by")
    raw_id_fields = ("by",)
    ordering = ("-at",)


@admin.register(Volunteer)
class VolunteerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "phone", "district", "level", "organiser", "source", "created_at")
    list_filter = ("level", "source", "language", "sex", "district__province", "interests")
    search_fields = ("name", "phone", "email")
    raw_id_fields = ("district", "organiser")
    filter_horizontal = ("interests", "tags")
    readonly_fields = ("consent_text", "consent_at", "created_at", "updated_at")
    date_hierarchy = "created_at"
    list_select_related = ("district", "organiser")
    inlines = [InteractionInline]


@admin.register(Interest)
class InterestAdmin(SimpleHistoryAdmin):
    list_display = ("name", "name_ur", "code", "order")
    list_editable = ("order",)
    search_fields = ("name", "name_ur", "code")


@admin.register(ConsentText)
class ConsentTextAdmin(SimpleHistoryAdmin):
    """Wordings are versioned: volunteers' consent points at the one they saw, so a wording in
    use is never edited; publish a new version instead."""

    list_display = ("version", "is_current", "created_at")
    readonly_fields = ("created_at",)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk:
            fields += ["version", "text", "text_ur"]
        return fields


@admin.register(Tag)
class TagAdmin(SimpleHistoryAdmin):
    list_display = ("name",)
    search_fields = ("name",)
