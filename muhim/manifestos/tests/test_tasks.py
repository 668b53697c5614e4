"""The analysis task: it analyses a waiting manifesto, does nothing for one that is no longer
waiting (queued twice) or gone, and a queue that cannot be reached leaves the manifesto failed
saying so."""

import pytest
from django.tasks.backends.immediate import ImmediateBackend

from muhim.manifestos import services
from muhim.manifestos.models import Manifesto
from muhim.manifestos.tasks import analyse_manifesto_task

from .test_services import CODED, TEXT, upload

pytestmark = pytest.mark.django_db


def test_the_task_analyses_a_waiting_manifesto():
    manifesto = upload(TEXT)
    manifesto.sentences.all().delete()
    Manifesto.objects.filter(pk=manifesto.pk).update(status=Manifesto.Status.PENDING)
    result = analyse_manifesto_task.enqueue(manifesto.pk)
    assert result.return_value == "ready"
    assert manifesto.sentences.count() == 6


def test_a_second_run_of_the_task_changes_nothing(monkeypatch):
    manifesto = upload(CODED, "coded.csv")
    calls = []
    monkeypatch.setattr(services, "analyse", lambda m: calls.append(m))
    assert analyse_manifesto_task.enqueue(manifesto.pk).return_value is None
    assert analyse_manifesto_task.enqueue(manifesto.pk + 1000).return_value is None
    assert calls == []


def test_an_unreachable_queue_leaves_the_manifesto_failed_saying_so(monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(ImmediateBackend, "enqueue", unreachable)
    manifesto = upload(TEXT)
    assert manifesto.status == Manifesto.Status.FAILED
    assert "could not be started: Redis is down" in manifesto.message
    assert not manifesto.sentences.exists()
