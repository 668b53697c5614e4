from django.contrib import admin

from .models import AuditEvent, ImportRun, WorkerHeartbeat


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "importer",
        "original_name",
        "user",
        "status",
        "created",
        "updated",
        "unchanged",
        "errors",
    )
    list_filter = ("importer", "status", "source")
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "action", "subject", "ip_address")
    list_filter = ("action",)
    search_fields = ("subject", "user__username")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(WorkerHeartbeat)
