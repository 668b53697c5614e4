"""E-mail to someone who has just been hired: how to set their password and sign in."""

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def send_welcome(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    if not user.email:
        return False
    with translation.override(user.preferred_language):
        # The link opens the page in the holder's language too (/ur/… for Urdu).
        link = settings.SITE_URL.rstrip("/") + reverse(
            "accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token}
        )
        subject = _("Welcome to the campaign: set your password")
        body = _(
            "You have been appointed to the campaign's organiser network.\n"
            "Your username is %(username)s. Choose your password here (the link works once):\n%(link)s"
        ) % {"username": user.username, "link": link}
    # The hiring is already saved; a mail server that is down must not undo it, and the new
    # holder can ask for the link again with the sign-in page's "Forgotten your password?".
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:
        logger.exception("Could not send the welcome e-mail to user %s", user.pk)
        return False
    return True
