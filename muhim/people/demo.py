"""Demo volunteers: 240 fictional people across the covered and vacant regions, with
interests, levels and a sign-up in their history. Their numbers (+92 333 0…) are not real.
Written directly, without notifying anyone."""

import random
from datetime import timedelta

from django.utils import timezone

from muhim.geography.models import Area
from muhim.network.models import Sex
from muhim.network.services import organiser_for

from .models import ConsentText, Interaction, Interest, Volunteer

COUNT = 240
# The demo organisers' divisions get a working region's share, so that signing in as one of
# them shows a list worth filtering.
BUSY_DIVISIONS = {"pb-lahore-division": 8, "sd-karachi-division": 6}
NAMES = [
    "Ali",
    "Sara",
    "Ahmed",
    "Zainab",
    "Hassan",
    "Mariam",
    "Omar",
    "Khadija",
    "Yasir",
    "Hafsa",
    "Danish",
    "Laiba",
    "Farhan",
    "Aiman",
    "Saad",
    "Noor",
    "Talha",
    "Eman",
    "Umair",
    "Areeba",
]


def load(*, stdout):
    if Volunteer.objects.filter(phone__startswith="+923330").exists():
        stdout.write(f"  demo volunteers already loaded ({Volunteer.objects.count()} volunteers)")
        return
    rng = random.Random(2026)
    consent = ConsentText.current()
    interests = list(Interest.objects.all())
    districts = list(
        Area.objects.districts().filter(province__code__in=["pb", "sd", "kp", "ba"]).select_related("parent")
    )
    holders = {d.pk: organiser_for(d).holder for d in districts}
    weights = [BUSY_DIVISIONS.get(d.parent.code if d.parent else "", 1) for d in districts]
    now = timezone.now()
    levels = (
        [Volunteer.Level.SUPPORTER] * 5
        + [Volunteer.Level.VOLUNTEER] * 3
        + [Volunteer.Level.ACTIVE, Volunteer.Level.LEADER]
    )
    sexes = [Sex.FEMALE, Sex.FEMALE, Sex.MALE, Sex.MALE, Sex.UNDISCLOSED]
    volunteers = []
    for i in range(COUNT):
        if i < len(districts):
            district = districts[i]
        else:
            district = rng.choices(districts, weights=weights)[0]
        volunteers.append(
            Volunteer(
                name=f"{NAMES[i % len(NAMES)]} {chr(65 + i % 26)}. (demo)",
                phone=f"+923330{i:06d}",
                district=district,
                sex=rng.choice(sexes),
                level=rng.choice(levels),
                organiser=holders[district.pk],
                language=rng.choice(["ur", "ur", "en"]),
                consent_text=consent,
                consent_at=now - timedelta(days=rng.randint(1, 300)),
                source=Volunteer.Source.WEB,
            )
        )
    created = Volunteer.objects.bulk_create(volunteers)
    # They signed up over the past months, not all at the moment the demo was loaded.
    for volunteer in created:
        volunteer.created_at = volunteer.consent_at
    Volunteer.objects.bulk_update(created, ["created_at"])
    Through = Volunteer.interests.through
    Through.objects.bulk_create(
        Through(volunteer_id=v.pk, interest_id=interest.pk)
        for v in created
        for interest in rng.sample(interests, rng.randint(1, 3))
    )
    Interaction.objects.bulk_create(
        Interaction(volunteer=v, kind=Interaction.Kind.SIGNUP, at=v.consent_at) for v in created
    )
    stdout.write(f"  {len(created)} demo volunteers created")
