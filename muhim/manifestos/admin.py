"""Manifestos in Django's admin, for administrators' repairs and each manifesto's history.
Uploading, analysing and reviewing happen on the staff pages (/manifestos/), which keep the
figures equal to the sentences; here the figures and the analysis are read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FundingCommitment, Manifesto, QuasiSentence


class CommitmentInline(admin.TabularInline):
    model = FundingCommitment
    extra = 0
    can_delete = False
    fields = ("text", "percent", "measure", "meets_target")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Manifesto)
class ManifestoAdmin(SimpleHistoryAdmin):
    list_display = (
        "title",
        "party",
        "election",
        "status",
        "education_share",
        "reviewed_sentences",
        "is_published",
    )
    list_filter = ("status", "is_published", "language", "election")
    search_fields = ("title", "party__name", "party__abbreviation", "original_name")
    list_select_related = ("party", "election")
    readonly_fields = (
        "source",
        "file",
        "original_name",
        "file_sha256",
        "status",
        "progress",
        "message",
        "task_id",
        "pages",
        "quasi_sentences",
        "education_sentences",
        "education_share",
        "reviewed_sentences",
        "commits_four_percent",
        "uploaded_by",
        "analysed_at",
        "created_at",
        "updated_at",
    )
    inlines = [CommitmentInline]


@admin.register(QuasiSentence)
class QuasiSentenceAdmin(admin.ModelAdmin):
    list_display = (
        "manifesto",
        "position",
        "text",
        "is_heading",
        "predicted_education",
        "reviewed_education",
    )
    list_filter = ("is_heading", "predicted_education", "reviewed_education")
    search_fields = ("text",)
    list_select_related = ("manifesto",)
    readonly_fields = (
        "manifesto",
        "position",
        "text",
        "page",
        "is_heading",
        "cmp_code",
        "predicted_education",
        "predicted_topic",
        "confidence",
        "reviewed_education",
        "reviewed_topic",
        "reviewed_by",
        "reviewed_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
