from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Role, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ("username", "get_full_name", "email", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email")
    filter_horizontal = ("regions", "groups", "user_permissions")
    autocomplete_fields = ()
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "preferred_language")}),
        (_("Role and regions"), {"fields": ("role", "regions", "is_active")}),
        (
            _("Django admin access"),
            {
                "fields": ("is_staff", "is_superuser"),
                "classes": ("collapse",),
                "description": _(
                    "Follows the role: giving someone the administrator role gives them this "
                    "administration; changing an administrator to another role takes it away."
                ),
            },
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined"), "classes": ("collapse",)}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2", "role", "regions")}),
    )

    def save_model(self, request, obj, form, change):
        # Administrators work in this administration, which lets in only staff and needs
        # superuser rights for every model; without this an administrator added here would be
        # offered the administration on their dashboard and then refused.
        if not change or "role" in form.changed_data:
            is_administrator = obj.role == Role.ADMINISTRATOR
            obj.is_staff = obj.is_superuser = is_administrator
        super().save_model(request, obj, form, change)
