"""Writing to the audit log. Record changes are kept by django-simple-history; what people do
besides changing records (exports, downloads, imports) is kept here."""

from .models import AuditEvent


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def record_export(request, *, subject, fmt, rows, filters=None):
    user = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        user=user,
        action=AuditEvent.Action.EXPORT,
        subject=subject[:200],
        details={"format": fmt, "rows": rows, "filters": filters or {}},
        ip_address=client_ip(request),
    )


def record(request, *, action, subject, **details):
    user = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        user=user, action=action, subject=subject[:200], details=details, ip_address=client_ip(request)
    )
