"""The import pages: upload → match columns → check rows (preview) → import → result."""

import csv
import io

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from muhim.accounts.permissions import Capability, user_can
from muhim.core.audit import record
from muhim.core.lists import FilteredListView
from muhim.core.models import AuditEvent, ImportRun

from .forms import MappingForm, UploadForm
from .readers import FileProblem
from .registry import all_importers, get_importer
from .runner import create_run, earlier_runs_of_same_file
from .tasks import commit_import, preview_import


def _require_importer_access(user):
    if not user_can(user, Capability.RUN_IMPORTS):
        raise PermissionDenied(_("Your role does not allow importing files."))


def _visible_run(request, pk):
    run = get_object_or_404(ImportRun, pk=pk)
    if not ImportRun.objects.visible_to(request.user).filter(pk=run.pk).exists():
        raise PermissionDenied(_("This import was made by someone else."))
    return run


class ImportRunTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Started"), linkify=True, format="Y-m-d H:i")
    importer = tables.Column(verbose_name=gettext_lazy("Importer"))
    original_name = tables.Column(verbose_name=gettext_lazy("File"))
    user = tables.Column(verbose_name=gettext_lazy("By"), default="manage.py")
    status = tables.Column(verbose_name=gettext_lazy("Status"))
    created = tables.Column(verbose_name=gettext_lazy("Created"))
    updated = tables.Column(verbose_name=gettext_lazy("Updated"))
    unchanged = tables.Column(verbose_name=gettext_lazy("Unchanged"))
    errors = tables.Column(verbose_name=gettext_lazy("Rejected"))
    file_sha256 = tables.Column(verbose_name="SHA-256", visible=False)  # in exports, not on screen

    class Meta:
        model = ImportRun
        fields = (
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

    def value_created_at(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")

    def render_importer(self, value):
        cls = get_importer(value)
        return cls.label if cls else value


class ImportRunFilter(django_filters.FilterSet):
    importer = django_filters.ChoiceFilter(
        label=gettext_lazy("Importer"), choices=lambda: [(c.slug, c.label) for c in all_importers()]
    )
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=ImportRun.Status.choices)

    class Meta:
        model = ImportRun
        fields = ["importer", "status"]


class ImportRunListView(FilteredListView):
    table_class = ImportRunTable
    filterset_class = ImportRunFilter
    template_name = "core/import_list.html"
    export_name = "import-runs"

    def count_text(self, count):
        return ngettext("%(count)s import", "%(count)s imports", count) % {"count": count}

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request)
        _require_importer_access(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return ImportRun.objects.visible_to(self.request.user).select_related("user")


def redirect_to_login(request):
    from django.contrib.auth.views import redirect_to_login as to_login

    return to_login(request.get_full_path())


@login_required
def import_new(request):
    _require_importer_access(request.user)
    initial = {"importer": request.GET.get("importer")}
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = create_run(
                importer_slug=form.cleaned_data["importer"],
                data=upload.read(),
                filename=upload.name,
                user=request.user,
                options=form.importer_options(),
            )
        except FileProblem as exc:
            form.add_error("file", str(exc))
        else:
            return redirect(run)
    return render(request, "core/import_new.html", {"form": form, "importers": form.importers.values()})


def _enqueue(request, run, task, status):
    previous = run.status
    run.status = status
    run.processed_rows = 0
    run.message = ""
    run.save(update_fields=["status", "processed_rows", "message"])
    try:
        task.enqueue(run.pk)
    except Exception as exc:  # the queue is unreachable: say so and leave the run as it was
        run.status = previous
        run.save(update_fields=["status"])
        messages.error(request, _("The background worker could not be reached: %(error)s") % {"error": exc})


@login_required
def import_detail(request, pk):
    _require_importer_access(request.user)
    run = _visible_run(request, pk)
    importer_cls = run.importer_class()
    if importer_cls is None:
        raise Http404(_("This importer no longer exists."))
    headers = run.preview.get("headers", [])
    mapping_form = MappingForm(
        request.POST if request.POST.get("action") == "check" else None,
        importer_cls=importer_cls,
        headers=headers,
        initial_map=run.column_map,
    )
    if request.method == "POST":
        if request.user != run.user and not user_can(request.user, Capability.VIEW_ALL_IMPORTS):
            raise PermissionDenied
        action = request.POST.get("action")
        if run.is_active:
            messages.info(request, _("This import is already running."))
        elif action == "check" and run.status in (
            ImportRun.Status.UPLOADED,
            ImportRun.Status.PREVIEWED,
            ImportRun.Status.FAILED,
        ):
            if mapping_form.is_valid():
                run.column_map = mapping_form.column_map()
                run.save(update_fields=["column_map"])
                _enqueue(request, run, preview_import, ImportRun.Status.PREVIEWING)
                return redirect(run)
        elif action == "commit" and run.status == ImportRun.Status.PREVIEWED:
            _enqueue(request, run, commit_import, ImportRun.Status.COMMITTING)
            return redirect(run)
        elif action == "cancel" and run.status not in (ImportRun.Status.DONE,):
            run.status = ImportRun.Status.CANCELLED
            run.save(update_fields=["status"])
            messages.info(request, _("The import was cancelled; nothing was stored."))
            return redirect("core:import-list")
    if getattr(request, "htmx", False) and request.GET.get("poll"):
        if not run.is_active:
            response = HttpResponse()
            response["HX-Refresh"] = "true"
            return response
        return render(request, "core/import_detail.html#progress", {"run": run})
    preview = run.preview or {}
    context = {
        "run": run,
        "importer": importer_cls,
        "mapping_form": mapping_form,
        "counts": preview.get("counts", {}),
        "samples": preview.get("samples", {}),
        "errors": preview.get("errors", []),
        "notes": preview.get("notes", []),
        "summary_lines": preview.get("summary", []),
        "failed_chunks": preview.get("failed_chunks", []),
        "earlier_runs": earlier_runs_of_same_file(run).select_related("user")[:5],
        "can_act": request.user == run.user or user_can(request.user, Capability.VIEW_ALL_IMPORTS),
    }
    return render(request, "core/import_detail.html", context)


@login_required
def import_rejected(request, pk):
    _require_importer_access(request.user)
    run = _visible_run(request, pk)
    if not run.rejected_file:
        raise Http404(_("This import has no rejected rows."))
    record(
        request, action=AuditEvent.Action.DOWNLOAD, subject=f"rejected rows of import #{run.pk}", run=run.pk
    )
    return FileResponse(
        run.rejected_file.open("rb"),
        as_attachment=True,
        filename=f"rejected-rows-{run.pk}.csv",
        content_type="text/csv",
    )


@login_required
def import_template(request, slug):
    _require_importer_access(request.user)
    cls = get_importer(slug)
    if cls is None or not user_can(request.user, cls.capability):
        raise Http404
    buffer = io.StringIO()
    csv.writer(buffer).writerow([f.name for f in cls.fields])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-template.csv"'
    return response
