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


def test_the_analysis_leaves_its_messages_in_the_uploaders_language(monkeypatch):
    from django.utils import translation

    from .test_analysis_extract import MANIFESTO_PAGES, pdf_bytes

    queued = []
    enqueue = ImmediateBackend.enqueue

    def recording(self, task, args, kwargs):
        queued.append(args)
        return enqueue(self, task, args, kwargs)

    monkeypatch.setattr(ImmediateBackend, "enqueue", recording)
    with translation.override("ur"):
        manifesto = upload(pdf_bytes([MANIFESTO_PAGES[0], None]), "part-scanned.pdf")
    assert queued[-1][1] == "ur"
    assert manifesto.message.startswith("صفحہ 2")

    # A worker has no language of its own: the one passed with the task is used.
    Manifesto.objects.filter(pk=manifesto.pk).update(status=Manifesto.Status.PENDING)
    assert translation.get_language() != "ur"
    analyse_manifesto_task.enqueue(manifesto.pk, "ur")
    manifesto.refresh_from_db()
    assert manifesto.message.startswith("صفحہ 2")
    Manifesto.objects.filter(pk=manifesto.pk).update(status=Manifesto.Status.PENDING)
    analyse_manifesto_task.enqueue(manifesto.pk, "en")
    manifesto.refresh_from_db()
    assert manifesto.message.startswith("Page 2 has no text")
