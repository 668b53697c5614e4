"""/healthz: is the database answering, and is a task worker taking tasks?

The worker check goes through the real queue: at most every HEARTBEAT_EVERY seconds this view
enqueues core.tasks.heartbeat, and reports how long ago a worker last ran it. That works the
same for the database and the Redis backend, and catches a worker that runs but cannot reach
the queue."""

import time
from datetime import timedelta

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.tasks import task_backends
from django.utils import timezone
from django.views.decorators.cache import never_cache

from .models import WorkerHeartbeat
from .tasks import heartbeat

HEARTBEAT_EVERY = timedelta(seconds=30)
WORKER_STALE_AFTER = timedelta(seconds=90)
WAIT_FOR_FRESH_HEARTBEAT = 2.0  # seconds this request waits when it has just asked for one


def _database():
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "vendor": connection.vendor, "error": str(exc)}
    return {
        "ok": True,
        "vendor": connection.vendor,
        "latency_ms": round((time.monotonic() - started) * 1000, 1),
    }


def _queue_depth(backend_path):
    if backend_path.startswith("django_tasks_db."):
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(status="READY").order_by("enqueued_at")
        oldest = waiting.values_list("enqueued_at", flat=True).first()
        return {
            "queued": waiting.count(),
            "oldest_queued_seconds": round((timezone.now() - oldest).total_seconds()) if oldest else 0,
        }
    if backend_path.startswith("django_tasks_rq."):
        import django_rq
        from rq import Worker

        queue = django_rq.get_queue("default")
        return {"queued": queue.count, "workers": Worker.count(connection=queue.connection)}
    return {}


def _tasks():
    backend = task_backends["default"]
    backend_path = f"{type(backend).__module__}.{type(backend).__name__}"
    info = {"backend": backend_path}
    if backend_path.startswith("django.tasks.backends."):
        # Immediate/dummy backends run tasks inline (tests, debugging): there is no worker.
        info.update(ok=True, worker="inline")
        return info
    try:
        beat, _created = WorkerHeartbeat.objects.get_or_create(backend=backend_path)
        now = timezone.now()
        asked = False
        if beat.requested_at is None or now - beat.requested_at > HEARTBEAT_EVERY:
            heartbeat.enqueue(backend_path)
            WorkerHeartbeat.objects.filter(pk=beat.pk).update(requested_at=now)
            beat.requested_at, asked = now, True
        if asked and (beat.seen_at is None or now - beat.seen_at > WORKER_STALE_AFTER):
            deadline = time.monotonic() + WAIT_FOR_FRESH_HEARTBEAT
            while time.monotonic() < deadline:
                time.sleep(0.25)
                beat.refresh_from_db()
                if beat.seen_at and beat.seen_at >= now:
                    break
        info.update(_queue_depth(backend_path))
    except Exception as exc:  # the queue itself is unreachable (e.g. Redis down)
        info.update(ok=False, worker="unreachable", error=str(exc))
        return info
    now = timezone.now()
    if beat.seen_at and now - beat.seen_at <= WORKER_STALE_AFTER:
        info.update(ok=True, worker="alive", last_seen_seconds=round((now - beat.seen_at).total_seconds()))
    else:
        info.update(
            ok=False,
            worker="not seen",
            last_seen_seconds=round((now - beat.seen_at).total_seconds()) if beat.seen_at else None,
            hint="Start a worker: manage.py db_worker (or rqworker with TASK_BACKEND=rq).",
        )
    return info


@never_cache
def healthz(request):
    database = _database()
    tasks = _tasks() if database["ok"] else {"ok": False, "worker": "unknown"}
    if not database["ok"]:
        status, code = "error", 503
    elif not tasks["ok"]:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "database": database, "tasks": tasks}, status=code)
