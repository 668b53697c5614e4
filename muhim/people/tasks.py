"""Telling organisers about new volunteers happens in the background, so that the sign-up form
answers at once on a slow connection."""

from django.tasks import task

from .notifications import tell_organiser


@task
def notify_sign_up(volunteer_id: int, created: bool):
    from .models import Volunteer

    volunteer = Volunteer.objects.select_related("district", "organiser").filter(pk=volunteer_id).first()
    if volunteer is not None:
        return tell_organiser(volunteer, created=created)
    return 0
