"""Messages to organisers about their volunteers, by e-mail and SMS (both pluggable backends)."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from muhim.accounts.models import Role
from muhim.core.sms import send_sms

logger = logging.getLogger(__name__)


def _recipients(volunteer):
    """The organiser the volunteer was routed to; without one, the campaign office."""
    if volunteer.organiser_id and volunteer.organiser.is_active:
        return [volunteer.organiser]
    return list(get_user_model().objects.filter(role=Role.CAMPAIGN_OFFICE, is_active=True))


def tell_organiser(volunteer, *, created):
    """Send the notice; returns how many people were told."""
    link = settings.SITE_URL.rstrip("/") + reverse("people:volunteer-detail", kwargs={"pk": volunteer.pk})
    told = 0
    for person in _recipients(volunteer):
        with translation.override(person.preferred_language):
            if created:
                subject = _("New volunteer in %(district)s: %(name)s") % {
                    "district": volunteer.district.name,
                    "name": volunteer.name,
                }
            else:
                subject = _("%(name)s signed up again (%(district)s)") % {
                    "district": volunteer.district.name,
                    "name": volunteer.name,
                }
            body = _("%(subject)s\nMobile: %(phone)s\nSee and contact them: %(link)s") % {
                "subject": subject,
                "phone": volunteer.phone.as_national,
                "link": link,
            }
            # One unreachable mail server or SMS gateway must not keep the others from being told.
            if person.email:
                try:
                    send_mail(subject, body, None, [person.email])
                except Exception:
                    logger.exception("Could not e-mail %s about volunteer %s", person.pk, volunteer.pk)
            phone = getattr(getattr(person, "organiser_profile", None), "phone", None)
            if phone:
                try:
                    send_sms(phone.as_e164, f"{subject}. {link}")
                except Exception:
                    logger.exception(
                        "Could not send an SMS to %s about volunteer %s", person.pk, volunteer.pk
                    )
        told += 1
    return told
