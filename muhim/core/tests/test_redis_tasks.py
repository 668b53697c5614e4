"""The Redis/RQ backend runs real tasks: enqueue through django.tasks, a real RQ worker takes
them from Redis. Skipped where no Redis server answers."""

import os

import pytest
from django.test import override_settings

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip():
    redis = pytest.importorskip("redis")
    try:
        connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        connection.ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc}")
    return connection


@pytest.fixture
def rq_settings():
    connection = redis_or_skip()
    connection.flushdb()
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
        RQ_QUEUES={"default": {"URL": REDIS_URL}},
    ):
        yield connection
    connection.flushdb()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_task_runs_through_redis(rq_settings):
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    from muhim.core.models import WorkerHeartbeat
    from muhim.core.tasks import heartbeat

    result = heartbeat.enqueue("rq-test")
    queue = django_rq.get_queue("default", job_class=Job)
    assert queue.count == 1
    assert not WorkerHeartbeat.objects.filter(backend="rq-test").exists()

    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    worker.work(burst=True)

    assert queue.count == 0
    assert WorkerHeartbeat.objects.get(backend="rq-test").seen_at is not None
    result.refresh()
    assert result.status == "SUCCESSFUL"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_an_import_preview_runs_through_redis(rq_settings, gazetteer):
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    from muhim.core.imports.runner import create_run
    from muhim.core.imports.tasks import preview_import
    from muhim.core.models import ImportRun

    run = create_run(
        importer_slug="constituencies",
        data=b"seat,district\nNA-1,Chitral\nNA-2,Atlantis\n",
        filename="seats.csv",
    )
    preview_import.enqueue(run.pk)
    queue = django_rq.get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEWED
    assert (run.created, run.errors) == (1, 1)
