"""Volunteers signing up (or up again), being routed to their region's organiser, and what
organisers record about them."""

from dataclasses import dataclass, field

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber

from muhim.network.services import organiser_for

from .models import ConsentText, Interaction, Volunteer

MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def mobile_number(text) -> PhoneNumber:
    """A mobile number in any usual form ('0300-1234567', '+92 300 1234567', '3001234567'),
    or ValidationError saying what a good one looks like."""
    message = _("Enter a mobile number like 0300 1234567 (or with a country code, like +92 300 1234567).")
    if isinstance(text, PhoneNumber):
        number = text
    else:
        try:
            number = PhoneNumber.from_string(str(text or "").strip(), region="PK")
        except phonenumbers.NumberParseException as exc:
            raise ValidationError(message, code="invalid") from exc
    if not number.is_valid():
        raise ValidationError(message, code="invalid")
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ValidationError(
            _("%(number)s is a landline; give a mobile number so that the organiser can send SMS.")
            % {"number": number.as_national},
            code="landline",
        )
    return number


@dataclass
class SignUp:
    volunteer: Volunteer
    created: bool
    changes: list[str] = field(default_factory=list)


@transaction.atomic
def sign_up(
    *,
    name,
    phone,
    district,
    consent_text: ConsentText,
    email="",
    interests=(),
    sex="",
    language="ur",
    source=Volunteer.Source.WEB,
    user=None,
) -> SignUp:
    """Record a sign-up. The mobile number identifies the person: signing up again updates the
    same record (new details replace old ones, interests add up, consent is renewed) instead of
    creating a twin. The organiser covering the district is told after the transaction."""
    phone = mobile_number(phone)
    now = timezone.now()
    volunteer = Volunteer.objects.select_for_update().filter(phone=phone).first()
    changes = []
    if volunteer is None:
        volunteer = Volunteer(phone=phone, source=source)
        created = True
    else:
        created = False
    updates = {
        "name": name.strip(),
        "email": email.strip(),
        "district": district,
        "sex": sex,
        "language": language,
    }
    for attr, value in updates.items():
        if value in ("", None):
            continue  # an empty answer never erases what was known
        # A new volunteer has no district yet to compare with (reading it would raise).
        if created or getattr(volunteer, attr) != value:
            if not created:
                changes.append(attr)
            setattr(volunteer, attr, value)
    volunteer.consent_text = consent_text
    volunteer.consent_at = now
    if created or "district" in changes:
        volunteer.organiser = organiser_for(district).holder
    volunteer._history_user = user
    volunteer.full_clean(exclude=["phone"])
    try:
        with transaction.atomic():
            volunteer.save()
    except IntegrityError:
        if not created or not Volunteer.objects.filter(phone=phone).exists():
            raise
        # The same number was signed up at the same moment (a double tap on a slow
        # connection): that record now exists, and this sign-up updates it.
        return sign_up(
            name=name,
            phone=phone,
            district=district,
            consent_text=consent_text,
            email=email,
            interests=interests,
            sex=sex,
            language=language,
            source=source,
            user=user,
        )
    before = set(volunteer.interests.values_list("pk", flat=True))
    volunteer.interests.add(*interests)
    if not created and {i.pk for i in interests} - before:
        changes.append("interests")
    Interaction.objects.create(
        volunteer=volunteer,
        kind=Interaction.Kind.SIGNUP if created else Interaction.Kind.SIGNUP_AGAIN,
        text=", ".join(changes),
        at=now,
        by=user,
    )
    from .tasks import notify_sign_up

    transaction.on_commit(lambda: notify_sign_up.enqueue(volunteer.pk, created))
    return SignUp(volunteer=volunteer, created=created, changes=changes)


@transaction.atomic
def record_interaction(*, volunteer: Volunteer, kind: str, text="", at=None, user=None) -> Interaction:
    interaction = Interaction(volunteer=volunteer, kind=kind, text=text, at=at or timezone.now(), by=user)
    interaction.full_clean()
    interaction.save()
    return interaction


@transaction.atomic
def update_volunteer(*, volunteer: Volunteer, user, level=None, notes=None, tags=None) -> Volunteer:
    """What an organiser changes: level of involvement, notes, tags. A level change is kept in
    the volunteer's history of interactions."""
    if level is not None and level != volunteer.level:
        old = volunteer.get_level_display()
        volunteer.level = level
        Interaction.objects.create(
            volunteer=volunteer,
            kind=Interaction.Kind.LEVEL,
            text=f"{old} → {volunteer.get_level_display()}",
            at=timezone.now(),
            by=user,
        )
    if notes is not None:
        volunteer.notes = notes
    volunteer._history_user = user
    volunteer.save()
    if tags is not None:
        volunteer.tags.set(tags)
    return volunteer
