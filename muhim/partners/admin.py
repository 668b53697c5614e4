from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "abbreviation", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name", "name_ur", "abbreviation"]
