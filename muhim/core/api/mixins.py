from muhim.core.audit import record_export

EXPORT_FORMATS = ("csv", "xlsx")


class ExportableListMixin:
    """A list endpoint whose CSV/XLSX answer holds every row that matches the filters, not one
    page, and leaves a line in the audit log."""

    export_name = "export"

    def paginate_queryset(self, queryset):
        if (
            getattr(self.request, "accepted_renderer", None)
            and self.request.accepted_renderer.format in EXPORT_FORMATS
        ):
            return None
        return super().paginate_queryset(queryset)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        fmt = request.accepted_renderer.format
        if fmt in EXPORT_FORMATS:
            rows = response.data
            count = len(rows) if isinstance(rows, list) else rows.get("count", len(rows.get("features", [])))
            record_export(
                request, subject=f"API {self.export_name}", fmt=fmt, rows=count, filters=request.GET.dict()
            )
        return response
