"""How the public reaches people of the network: an organiser's published contacts and the
campaign office's, as ready-made links (click-to-call, WhatsApp, e-mail)."""

import re

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber

# Used when settings.MUHIM_OFFICE_CONTACT is missing or lacks a key.
DEFAULT_OFFICE_CONTACT = {"name": "", "phone": "", "email": "", "whatsapp": ""}


def _e164(text):
    """'+92 51 0000000' or '051 0000000' → '+92510000000'; '' when it is not a number."""
    text = str(text or "").strip()
    if not text:
        return ""
    try:
        number = PhoneNumber.from_string(text, region="PK")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and number.is_valid():
        return number.as_e164
    digits = re.sub(r"\D", "", text)
    return f"+{digits}" if digits and text.startswith("+") else digits


def office_contact():
    """The campaign office's public contact, from settings.MUHIM_OFFICE_CONTACT
    ({"name", "phone", "email", "whatsapp"}), with links ready for the templates."""
    raw = {**DEFAULT_OFFICE_CONTACT, **(getattr(settings, "MUHIM_OFFICE_CONTACT", None) or {})}
    phone, whatsapp = _e164(raw["phone"]), _e164(raw["whatsapp"])
    return {
        "name": raw["name"],
        "phone": raw["phone"],
        "tel": f"tel:{phone}" if phone else "",
        "email": raw["email"],
        "whatsapp": raw["whatsapp"],
        "wa": f"https://wa.me/{whatsapp.lstrip('+')}" if whatsapp else "",
    }


def contact_links(profile):
    """Links for only the contact details the organiser chose to publish."""
    if profile is None:
        return []
    published = profile.published_contacts()
    links = []
    if "phone" in published:
        links.append(
            {
                "kind": "phone",
                "href": f"tel:{published['phone']}",
                "label": _("Call"),
                "text": profile.phone.as_national,
                "icon": "telephone",
            }
        )
    if "whatsapp" in published:
        links.append(
            {
                "kind": "whatsapp",
                "href": f"https://wa.me/{published['whatsapp']}",
                "label": _("WhatsApp"),
                "text": profile.whatsapp.as_national,
                "icon": "whatsapp",
            }
        )
    if "email" in published:
        links.append(
            {
                "kind": "email",
                "href": f"mailto:{published['email']}",
                "label": _("E-mail"),
                "text": published["email"],
                "icon": "envelope",
            }
        )
    return links
