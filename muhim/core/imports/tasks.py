"""Imports run as background tasks so that a 100,000-row file never ties up a web request;
the run's page shows progress from ImportRun.processed_rows."""

from django.tasks import task

from muhim.core.models import ImportRun

from .runner import execute


@task
def preview_import(run_id: int):
    run = ImportRun.objects.get(pk=run_id)
    execute(run, commit=False)
    return run.status


@task
def commit_import(run_id: int):
    run = ImportRun.objects.get(pk=run_id)
    execute(run, commit=True)
    return run.status
