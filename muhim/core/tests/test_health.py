"""/healthz tells a load balancer and an operator whether the database answers and whether a
task worker is taking tasks, through the real queue."""

import pytest
from django.db import DatabaseError
from django.test import override_settings

from muhim.core import health
from muhim.core.models import WorkerHeartbeat

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


@pytest.fixture
def no_waiting(monkeypatch):
    monkeypatch.setattr(health, "WAIT_FOR_FRESH_HEARTBEAT", 0)


@pytest.mark.django_db
def test_healthy_with_inline_tasks(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["tasks"]["worker"] == "inline"


@pytest.mark.django_db
def test_database_down_is_an_error(client, monkeypatch):
    def broken():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken)
    response = health.healthz(type("R", (), {"method": "GET", "META": {}})())
    assert response.status_code == 503
    assert b'"status": "error"' in response.content
    assert b"connection refused" in response.content


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_worker_state_follows_a_real_database_worker(client, no_waiting):
    from django.core.management import call_command

    first = client.get("/healthz").json()
    assert first["status"] == "degraded"
    assert first["tasks"]["worker"] == "not seen"
    assert first["tasks"]["queued"] == 1  # the heartbeat it asked for is waiting

    # A worker takes the waiting heartbeat; health now says so.
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
    second = client.get("/healthz").json()
    assert second["status"] == "ok"
    assert second["tasks"]["worker"] == "alive"
    assert second["tasks"]["queued"] == 0
    assert WorkerHeartbeat.objects.get().worker


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_heartbeat_is_requested_at_most_every_interval(client, no_waiting):
    from django_tasks_db.models import DBTaskResult

    client.get("/healthz")
    client.get("/healthz")
    client.get("/healthz")
    assert DBTaskResult.objects.count() == 1
