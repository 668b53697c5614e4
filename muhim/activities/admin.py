"""Field activities in Django's admin, for administrators' repairs and each record's history.
Saving goes through `activities.services.save_activity` and deleting recomputes the
dashboard's figures, so they stay equal to the activities; a caravan's stops (whose order the
services keep) and photos (checked by content on upload) are changed on the staff pages and
shown read-only here."""

from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services, stats
from .models import (
    Activity,
    ActivityDistrictStat,
    ActivityOfficial,
    ActivityPhoto,
    ActivityStat,
    CaravanStop,
    MediaCoverage,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OfficialInline(admin.TabularInline):
    model = ActivityOfficial
    extra = 0
    fields = ("kind", "name", "designation", "constituency")
    raw_id_fields = ("constituency",)


class CoverageInline(admin.TabularInline):
    model = MediaCoverage
    extra = 0
    fields = ("outlet", "medium", "date", "headline", "url")


class PhotoInline(ReadOnlyInline):
    model = ActivityPhoto
    fields = ("thumbnail_link", "caption", "width", "height", "uploaded_by", "created_at")
    readonly_fields = fields

    @admin.display(description=_("photo"))
    def thumbnail_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}"><img src="{}" alt="" style="max-height:80px"></a>',
            reverse("activities:photo", kwargs={"pk": obj.pk, "size": "full"}),
            reverse("activities:photo", kwargs={"pk": obj.pk, "size": "thumb"}),
        )


class StopInline(ReadOnlyInline):
    model = CaravanStop
    fk_name = "caravan"
    fields = ("sequence", "date", "district", "venue", "activity")
    readonly_fields = fields
    ordering = ("sequence",)


def _delete_with_figures(activities):
    """Delete activities (and their photos' files) and recompute the figures they counted in."""
    activities = list(activities)
    keys = set().union(*(stats.keys_of(a) for a in activities)) if activities else set()
    files = [
        name
        for photo in ActivityPhoto.objects.filter(activity__in=activities)
        for name in (photo.image.name, photo.thumbnail.name)
        if name
    ]
    storage = ActivityPhoto._meta.get_field("image").storage
    with transaction.atomic():
        for activity in activities:
            activity.delete()
        stats.refresh(keys)
        transaction.on_commit(lambda: [storage.delete(name) for name in files])


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "status", "start_date", "district", "organiser", "is_public")
    list_filter = ("kind", "status", "is_public", "attendance_count", "district__province")
    search_fields = ("title", "title_ur", "venue", "outcomes")
    date_hierarchy = "start_date"
    raw_id_fields = ("district", "place", "organiser")
    filter_horizontal = ("partners",)
    readonly_fields = ("uid", "created_by", "created_at", "updated_at")
    list_select_related = ("district", "organiser")
    inlines = [OfficialInline, CoverageInline, PhotoInline, StopInline]

    def save_model(self, request, obj, form, change):
        # Partners are saved with the rest of the form (save_related).
        services.save_activity(activity=obj, user=request.user)

    def delete_model(self, request, obj):
        _delete_with_figures([obj])

    def delete_queryset(self, request, queryset):
        _delete_with_figures(queryset)


@admin.register(CaravanStop)
class CaravanStopAdmin(SimpleHistoryAdmin):
    list_display = ("caravan", "sequence", "date", "district", "venue", "activity")
    list_select_related = ("caravan", "district", "activity")
    search_fields = ("caravan__title", "venue")
    readonly_fields = ("caravan", "sequence", "date", "district", "venue", "activity")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FiguresAdmin(admin.ModelAdmin):
    """The dashboard's figures: computed from the activities, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActivityStat)
class ActivityStatAdmin(FiguresAdmin):
    list_display = ("month", "province", "kind", "status", "activities", "women", "men", "girls", "boys")
    list_filter = ("kind", "status", "province")
    date_hierarchy = "month"


@admin.register(ActivityDistrictStat)
class ActivityDistrictStatAdmin(FiguresAdmin):
    list_display = ("district", "kind", "status", "activities", "women", "men", "girls", "boys")
    list_filter = ("kind", "status", "province")
    list_select_related = ("district",)
