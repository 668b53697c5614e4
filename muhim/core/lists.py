"""The one way a list page works: a django-filter FilterSet, a django-tables2 table, HTMX
updating the table as filters change, and CSV/XLSX export of exactly the filtered rows
(recorded in the audit log)."""

from django.utils.translation import ngettext
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export.views import ExportMixin

from .audit import record_export
from .forms import style_form


class FilteredListView(ExportMixin, SingleTableMixin, FilterView):
    """Subclasses set model/queryset, table_class, filterset_class, template_name and
    export_name. The template defines a `results` partial, which HTMX requests get alone."""

    paginate_by = 50
    export_formats = ("csv", "xlsx")
    export_trigger_param = "export"
    strict = False  # an invalid filter shows the form's error, not an empty page

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return ["components/list_page.html#results"]
        return super().get_template_names()

    def count_text(self, count):
        """'12 areas': subclasses name their rows."""
        return ngettext("%(count)s row", "%(count)s rows", count) % {"count": count}

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        style_form(filterset.form, small=True)
        return filterset

    def create_export(self, export_format):
        response = super().create_export(export_format)
        table = self.get_table(**self.get_table_kwargs())
        filters = {k: v for k, v in self.request.GET.items() if k != self.export_trigger_param}
        record_export(
            self.request,
            subject=self.export_name,
            fmt=export_format,
            rows=len(table.rows),
            filters=filters,
        )
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop(self.export_trigger_param, None)
        query.pop("page", None)
        context["export_query"] = query.urlencode()
        context["export_formats"] = self.export_formats
        table = context["table"]
        count = table.paginator.count if getattr(table, "paginator", None) else len(table.rows)
        context["count_text"] = self.count_text(count)
        return context
