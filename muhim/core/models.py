"""Records every module shares: import runs, the audit log of exports and imports, and the
task worker's heartbeat."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        from muhim.accounts.permissions import Capability, user_can

        if user_can(user, Capability.VIEW_ALL_IMPORTS):
            return self
        if user_can(user, Capability.RUN_IMPORTS):
            return self.filter(user=user)
        return self.none()

    def active(self):
        return self.filter(status__in=ImportRun.ACTIVE_STATUSES)


class ImportRun(models.Model):
    """One file going through an importer: uploaded, previewed, then committed (or not)."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        PREVIEWING = "previewing", _("Checking rows")
        PREVIEWED = "previewed", _("Ready to import")
        COMMITTING = "committing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE_STATUSES = (Status.PREVIEWING, Status.COMMITTING)

    importer = models.CharField(max_length=80, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(
        max_length=20, default="web", help_text=_("'web' for uploads, 'command' for manage.py import.")
    )
    file = models.FileField(storage=private_storage, upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    file_size = models.PositiveBigIntegerField(default=0)
    options = models.JSONField(default=dict, blank=True)
    column_map = models.JSONField(
        default=dict, blank=True, help_text=_("Importer field → column header in the file.")
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    preview = models.JSONField(
        default=dict, blank=True, help_text=_("Counts and sample rows of the dry run.")
    )
    rejected_file = models.FileField(storage=private_storage, upload_to="imports/rejected/%Y/%m/", blank=True)
    message = models.TextField(blank=True, help_text=_("Why the run failed, in plain words."))
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the page the file was uploaded from: its notes and errors are in it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(processed_rows__lte=models.F("total_rows")) | Q(total_rows=0),
                name="import_progress_within_total",
            ),
        ]

    def __str__(self):
        return f"{self.importer} · {self.original_name} · {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("core:import-detail", kwargs={"pk": self.pk})

    @property
    def is_active(self):
        return self.status in self.ACTIVE_STATUSES

    @property
    def progress_percent(self):
        if not self.total_rows:
            return 0 if self.is_active else 100
        return min(100, round(100 * self.processed_rows / self.total_rows))

    def importer_class(self):
        from muhim.core.imports.registry import get_importer

        return get_importer(self.importer)


class AuditEvent(models.Model):
    """Something a person did that is not a change of one record: an export, an import, a
    download of personal data. Record changes are kept by django-simple-history."""

    class Action(models.TextChoices):
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        DOWNLOAD = "download", _("Download")
        LOGIN = "login", _("Sign-in")
        SECURITY = "security", _("Security setting")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action, db_index=True)
    subject = models.CharField(max_length=200, help_text=_("What it was done to, e.g. 'areas list'."))
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.subject}"


class WorkerHeartbeat(models.Model):
    """When a task worker last ran the heartbeat task, per task backend (see core.health)."""

    backend = models.CharField(max_length=50, unique=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.backend}: {self.seen_at}"
