"""The network in Django's admin, for administrators' repairs and each record's history. Who
holds a post and which areas it covers are changed on the office's pages (or the API), where
the network's rules are checked; here they are shown read-only."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Application, ApplicationEvent, Assignment, OrganiserProfile, Post, PostArea, Vacancy


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PostAreaInline(ReadOnlyInline):
    model = PostArea
    fields = ("area",)
    readonly_fields = ("area",)


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ("holder", "start_date", "end_date", "note")
    readonly_fields = fields


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ("title", "code", "kind", "province", "specialism", "is_active")
    list_filter = ("kind", "is_active", "province", "specialism")
    search_fields = ("code", "title", "title_ur")
    # Kind, province and activity decide what a post covers: changed through the services.
    readonly_fields = ("code", "kind", "province", "specialism", "is_active", "created_at", "updated_at")
    inlines = [PostAreaInline, AssignmentInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("post", "holder", "start_date", "end_date")
    list_filter = ("post__kind", "post__province")
    search_fields = (
        "post__code",
        "post__title",
        "holder__username",
        "holder__first_name",
        "holder__last_name",
    )
    readonly_fields = ("post", "holder", "start_date", "end_date", "created_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrganiserProfile)
class OrganiserProfileAdmin(SimpleHistoryAdmin):
    list_display = ("public_name", "user", "publish_phone", "publish_whatsapp", "publish_email")
    search_fields = ("public_name", "public_name_ur", "user__username")
    raw_id_fields = ("user",)


@admin.register(Vacancy)
class VacancyAdmin(SimpleHistoryAdmin):
    list_display = ("post", "opens_on", "closes_on", "status")
    list_filter = ("status",)
    search_fields = ("post__code", "post__title")
    readonly_fields = ("post", "status", "created_at")

    def has_add_permission(self, request):
        return False


class ApplicationEventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ("status", "date", "note", "by")
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "vacancy", "sex", "status", "created_at")
    list_filter = ("status", "sex")
    search_fields = ("full_name", "email")
    # The CV is in private storage, which has no URL: it is downloaded through the checked view.
    exclude = ("cv",)
    readonly_fields = (
        "vacancy",
        "cv_link",
        "cv_name",
        "cv_kind",
        "cv_sha256",
        "consent_at",
        "status",
        "created_at",
    )
    inlines = [ApplicationEventInline]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("CV"))
    def cv_link(self, obj):
        if not obj.pk or not obj.cv:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("network:application-cv", kwargs={"pk": obj.pk}),
            _("Download the CV"),
        )
