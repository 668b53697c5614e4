"""Writes to the list of partner organisations."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Organisation


@transaction.atomic
def organisation_named(name: str, *, user=None, kind=Organisation.Kind.NGO) -> Organisation:
    """The organisation called `name` (by name or abbreviation, ignoring case), created when
    the campaign has not worked with it before. Whoever logs an activity may add its partners."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Give the organisation's name."))
    found = (
        Organisation.objects.filter(name__iexact=name).first()
        or Organisation.objects.filter(abbreviation__iexact=name).first()
    )
    if found:
        return found
    organisation = Organisation(name=name, kind=kind)
    organisation._history_user = user
    organisation.full_clean()
    organisation.save()
    return organisation
