"""Background work of the field pages."""

from django.tasks import task


@task
def warm_field_dashboard():
    """Compute the national field dashboard after a write, ahead of its next view."""
    from .dashboard import warm_national

    warm_national()
