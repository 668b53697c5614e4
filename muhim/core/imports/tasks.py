"""Imports run as background tasks so that a 100,000-row file never ties up a web request;
the run's page shows progress from ImportRun.processed_rows."""

from django.tasks import task

from muhim.core.models import ImportRun

from .runner import execute

S = ImportRun.Status
# A task that finds its run in another state does nothing: the run was cancelled, or a second
# click queued it twice and the first already ran (a second commit would replace the result
# with "all unchanged", a preview after the import would offer to import it again).
MAY_PREVIEW = (S.UPLOADED, S.PREVIEWING, S.PREVIEWED, S.FAILED)
MAY_COMMIT = (S.PREVIEWED, S.COMMITTING)


def _run_if(run_id, statuses, *, commit):
    run = ImportRun.objects.get(pk=run_id)
    if run.status in statuses:
        execute(run, commit=commit)
    return run.status


@task
def preview_import(run_id: int):
    return _run_if(run_id, MAY_PREVIEW, commit=False)


@task
def commit_import(run_id: int):
    return _run_if(run_id, MAY_COMMIT, commit=True)
