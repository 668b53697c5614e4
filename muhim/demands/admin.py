"""Demands and parental bodies in Django's admin, for administrators' repairs and each record's
history. Saving goes through `demands.services` (region checks, the history's first step, the
dashboard's figures); deleting recomputes the figures. A demand is recorded on the staff pages
(its history starts there) and its status changes by adding an update there, so the admin shows
the history and the status read-only."""

from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services, stats
from .models import Demand, DemandDistrictStat, DemandStat, DemandUpdate, ParentalBody, ParentalBodyMember


class UpdateInline(admin.TabularInline):
    model = DemandUpdate
    extra = 0
    can_delete = False
    fields = ("date", "status", "note", "internal_note", "evidence_link", "evidence_url", "by")
    readonly_fields = fields
    ordering = ("date", "pk")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("evidence (file)"))
    def evidence_link(self, obj):
        if not obj.pk or not obj.evidence:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("demands:evidence", kwargs={"pk": obj.pk}), _("download")
        )


def _delete_with_figures(demands):
    demands = list(demands)
    keys = set().union(*(stats.keys_of(d) for d in demands)) if demands else set()
    names = [
        u.evidence.name
        for u in DemandUpdate.objects.filter(demand__in=demands).exclude(evidence="")
        if u.evidence
    ]
    storage = DemandUpdate._meta.get_field("evidence").storage
    with transaction.atomic():
        for demand in demands:
            demand.delete()
        stats.refresh(keys)
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


@admin.register(Demand)
class DemandAdmin(SimpleHistoryAdmin):
    list_display = ("title", "category", "status", "district", "raised_on", "follow_up_on", "is_published")
    list_filter = ("category", "status", "authority", "raised_by", "is_published", "district__province")
    search_fields = ("title", "title_ur", "school", "school_emis", "authority_name")
    date_hierarchy = "raised_on"
    raw_id_fields = ("district", "place", "parental_body", "activity", "organiser")
    readonly_fields = (
        "status",
        "status_on",
        "resolved_on",
        "resolved_on_the_spot",
        "created_by",
        "created_at",
        "updated_at",
    )
    list_select_related = ("district",)
    inlines = [UpdateInline]

    def has_add_permission(self, request):
        return False  # recorded on the staff pages, where its history starts

    def save_model(self, request, obj, form, change):
        services.save_demand(demand=obj, user=request.user)

    def delete_model(self, request, obj):
        _delete_with_figures([obj])

    def delete_queryset(self, request, queryset):
        _delete_with_figures(queryset)


class MemberInline(admin.TabularInline):
    model = ParentalBodyMember
    extra = 0
    fields = ("name", "role", "sex", "phone", "joined_on", "left_on")


@admin.register(ParentalBody)
class ParentalBodyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "level", "district", "union_council", "partner", "is_active")
    list_filter = ("level", "is_active", "district__province")
    search_fields = ("name", "name_ur")
    raw_id_fields = ("district", "union_council", "partner", "organiser")
    filter_horizontal = ("meetings",)
    list_select_related = ("district", "union_council", "partner")
    inlines = [MemberInline]

    def save_model(self, request, obj, form, change):
        services.save_body(body=obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ParentalBodyMember:
            return super().save_formset(request, form, formset, change)
        for member in formset.save(commit=False):
            services.save_member(member=member, user=request.user)
        for member in formset.deleted_objects:
            member.delete()
        return None


class FiguresAdmin(admin.ModelAdmin):
    """The dashboard's figures: computed from the demands, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DemandStat)
class DemandStatAdmin(FiguresAdmin):
    list_display = ("month", "province", "category", "raised", "resolved", "resolved_on_the_spot")
    list_filter = ("category", "province")
    date_hierarchy = "month"


@admin.register(DemandDistrictStat)
class DemandDistrictStatAdmin(FiguresAdmin):
    list_display = ("district", "category", "status", "demands")
    list_filter = ("category", "status", "province")
    list_select_related = ("district",)
