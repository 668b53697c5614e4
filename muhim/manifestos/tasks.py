"""A manifesto is analysed as a background task, so that a 100-page PDF never ties up a web
request; its page shows the progress from Manifesto.progress."""

from django.conf import settings
from django.tasks import task
from django.utils import translation

from .models import Manifesto


@task
def analyse_manifesto_task(manifesto_id: int, language: str = ""):
    """`language`: the one the manifesto was uploaded in, for the messages the analysis leaves
    (a worker has no request and no language of its own)."""
    # A task that finds the manifesto gone, or no longer waiting (a second click queued it
    # twice and the first already ran), does nothing.
    manifesto = Manifesto.objects.filter(pk=manifesto_id).first()
    if manifesto is None or manifesto.status not in (Manifesto.Status.PENDING, Manifesto.Status.ANALYSING):
        return None
    from . import services

    with translation.override(language or settings.LANGUAGE_CODE):
        return services.analyse(manifesto).status
