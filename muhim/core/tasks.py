"""Tasks every deployment needs, whatever modules are installed."""

import os
import socket

from django.tasks import task
from django.utils import timezone

from .models import WorkerHeartbeat


@task
def heartbeat(backend: str):
    """Proves a worker is taking tasks from the queue: /healthz enqueues this now and then and
    reports how long ago a worker last ran it."""
    WorkerHeartbeat.objects.update_or_create(
        backend=backend,
        defaults={"seen_at": timezone.now(), "worker": f"{socket.gethostname()}:{os.getpid()}"},
    )
