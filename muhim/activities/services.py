"""Writes to activities, caravans and photos. Each checks the user's region, validates the
rows it stores and recomputes the dashboard's figures for what it changed. `user=None` is the
system itself (the demo, an import that has checked regions row by row)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from muhim.accounts.permissions import Capability, user_can, user_regions
from muhim.core.images import read_photo
from muhim.geography.models import Area

from . import stats
from .models import Activity, ActivityOfficial, ActivityPhoto, ActivityType, CaravanStop, MediaCoverage


def outside_region_message(district, user):
    regions = ", ".join(r.display_name for r in user_regions(user)) or _("none")
    return _("%(district)s is outside your regions (%(regions)s).") % {
        "district": district.display_name,
        "regions": regions,
    }


def outside_region(district, user, field="district"):
    return ValidationError({field: outside_region_message(district, user)}, code="outside_region")


def check_region(user, capability, district, field="district"):
    """ValidationError unless `user` may use `capability` in `district` (None: the system)."""
    if user is None:
        return
    if not user_can(user, capability):
        raise ValidationError(_("Your role does not allow this."), code="not_allowed")
    if not user_can(user, capability, district):
        raise outside_region(district, user, field)


def check_place(district, place, field="place"):
    if place is None:
        return
    if place.level not in (Area.Level.TEHSIL, Area.Level.UNION_COUNCIL) or not district.contains(place):
        raise ValidationError(
            {
                field: _("%(place)s is not a tehsil or union council of %(district)s.")
                % {"place": place.display_name, "district": district.display_name}
            },
            code="place_outside_district",
        )


@transaction.atomic
def save_activity(*, activity: Activity, user=None, partners=None) -> Activity:
    """Create or change an activity (and, if given, its partner organisations)."""
    if activity.district_id is None:
        raise ValidationError({"district": _("Choose the district.")})
    if activity.pk:
        stored = Activity.objects.select_related("district").filter(pk=activity.pk).first()
        if stored is not None and stored.district_id != activity.district_id:
            # Moving an activity needs the right to both its old and its new district.
            check_region(user, Capability.MANAGE_ACTIVITIES, stored.district)
    check_region(user, Capability.MANAGE_ACTIVITIES, activity.district)
    check_place(activity.district, activity.place)
    activity.full_clean()
    before = stats.keys_of(activity)
    if activity.pk is None and user is not None:
        activity.created_by = user
    activity._history_user = user
    activity.save()
    if partners is not None:
        activity.partners.set(partners)
    stats.refresh(before | stats.keys_of(activity))
    return activity


@transaction.atomic
def set_status(*, activity: Activity, status: str, user=None) -> Activity:
    activity.status = status
    return save_activity(activity=activity, user=user)


@transaction.atomic
def add_official(*, activity: Activity, user=None, **fields) -> ActivityOfficial:
    check_region(user, Capability.MANAGE_ACTIVITIES, activity.district)
    official = ActivityOfficial(activity=activity, **fields)
    official.full_clean()
    official.save()
    return official


@transaction.atomic
def add_coverage(*, activity: Activity, user=None, **fields) -> MediaCoverage:
    check_region(user, Capability.MANAGE_ACTIVITIES, activity.district)
    coverage = MediaCoverage(activity=activity, **fields)
    coverage.full_clean()
    coverage.save()
    return coverage


@transaction.atomic
def add_photo(*, activity: Activity, uploaded, caption="", user=None) -> ActivityPhoto:
    """Check `uploaded` by its content, re-encode it with a thumbnail, and keep it."""
    check_region(user, Capability.MANAGE_ACTIVITIES, activity.district)
    photo = read_photo(uploaded)
    record = ActivityPhoto(
        activity=activity, caption=caption.strip(), width=photo.width, height=photo.height, uploaded_by=user
    )
    record.image.save(photo.image.name, photo.image, save=False)
    record.thumbnail.save(photo.thumbnail.name, photo.thumbnail, save=False)
    record.save()
    return record


@transaction.atomic
def delete_photo(*, photo: ActivityPhoto, user=None) -> None:
    check_region(user, Capability.MANAGE_ACTIVITIES, photo.activity.district)
    names = [photo.image.name, photo.thumbnail.name]
    storage = photo.image.storage
    photo.delete()
    transaction.on_commit(lambda: [storage.delete(n) for n in names if n])


# --- caravans ---------------------------------------------------------------------------------


def _check_caravan(caravan):
    if caravan.kind != ActivityType.CARAVAN:
        raise ValidationError(_("Only a caravan has stops."), code="not_a_caravan")


def _check_stop_date(caravan, stop_date, *, sequence, exclude_pk=None):
    if stop_date < caravan.start_date or (caravan.end_date and stop_date > caravan.end_date):
        raise ValidationError(
            {
                "date": _("The caravan runs from %(start)s to %(end)s; this stop's date is outside it.")
                % {"start": caravan.start_date, "end": caravan.last_date}
            },
            code="stop_outside_caravan",
        )
    others = caravan.stops.exclude(pk=exclude_pk)
    before = others.filter(sequence__lt=sequence, date__gt=stop_date).order_by("sequence").first()
    after = others.filter(sequence__gt=sequence, date__lt=stop_date).order_by("sequence").first()
    clash = before or after
    if clash:
        raise ValidationError(
            {
                "date": _("Stop %(other)s is on %(other_date)s; stops follow each other in date order.")
                % {"other": clash.sequence, "other_date": clash.date}
            },
            code="stop_out_of_order",
        )


@transaction.atomic
def add_stop(
    *, caravan: Activity, date: date, district: Area, venue="", sequence=None, user=None
) -> CaravanStop:
    """Add a stop to the caravan's itinerary (at the end unless `sequence` is given)."""
    _check_caravan(caravan)
    check_region(user, Capability.MANAGE_ACTIVITIES, district)
    if sequence is None:
        sequence = (caravan.stops.aggregate(last=Max("sequence"))["last"] or 0) + 1
    elif caravan.stops.filter(sequence__gte=sequence).exists():
        # Make room: the stops from `sequence` on move one place down.
        for stop in caravan.stops.filter(sequence__gte=sequence).order_by("-sequence"):
            stop.sequence += 1
            stop.save(update_fields=["sequence"])
    _check_stop_date(caravan, date, sequence=sequence)
    stop = CaravanStop(caravan=caravan, sequence=sequence, date=date, district=district, venue=venue.strip())
    stop._history_user = user
    stop.full_clean()
    stop.save()
    return stop


@transaction.atomic
def update_stop(*, stop: CaravanStop, date: date, district: Area, venue="", user=None) -> CaravanStop:
    check_region(user, Capability.MANAGE_ACTIVITIES, stop.district)
    check_region(user, Capability.MANAGE_ACTIVITIES, district)
    _check_stop_date(stop.caravan, date, sequence=stop.sequence, exclude_pk=stop.pk)
    stop.date, stop.district, stop.venue = date, district, venue.strip()
    stop._history_user = user
    stop.full_clean()
    stop.save()
    return stop


@transaction.atomic
def remove_stop(*, stop: CaravanStop, user=None) -> None:
    """Take a stop off the itinerary; the later stops move up. The activity held there, if
    any, stays (it happened)."""
    check_region(user, Capability.MANAGE_ACTIVITIES, stop.district)
    caravan, sequence = stop.caravan, stop.sequence
    stop._history_user = user
    stop.delete()
    for later in caravan.stops.filter(sequence__gt=sequence).order_by("sequence"):
        later.sequence -= 1
        later.save(update_fields=["sequence"])


@transaction.atomic
def log_stop_activity(*, stop: CaravanStop, activity: Activity, user=None, partners=None) -> Activity:
    """Store what was held at `stop` (its date, district and venue unless given) and link it."""
    if stop.activity_id:
        raise ValidationError(_("Stop %(n)s already has its activity.") % {"n": stop.sequence})
    activity.district = activity.district if activity.district_id else stop.district
    activity.start_date = activity.start_date or stop.date
    activity.venue = activity.venue or stop.venue
    activity.organiser = activity.organiser or stop.caravan.organiser
    activity = save_activity(activity=activity, user=user, partners=partners)
    stop.activity = activity
    stop._history_user = user
    stop.save(update_fields=["activity"])
    return activity


@dataclass
class CaravanProgress:
    stops: int
    held: int
    districts: int
    days: int
    women: int
    men: int
    girls: int
    boys: int

    @property
    def attendance(self):
        return self.women + self.men + self.girls + self.boys


def caravan_progress(caravan: Activity) -> CaravanProgress:
    """Stops held of planned, districts and days covered, and attendance summed over the
    activities held at the stops ("15 districts in 15 days")."""
    return progress_of(list(caravan.stops.select_related("activity")))


def progress_of(stops) -> CaravanProgress:
    """`caravan_progress` over stops already loaded with their activities (a page of
    caravans then needs no query per caravan)."""
    held = [s for s in stops if s.is_held]
    totals = {
        name: sum(getattr(s.activity, name) or 0 for s in held) for name in ("women", "men", "girls", "boys")
    }
    return CaravanProgress(
        stops=len(stops),
        held=len(held),
        districts=len({s.district_id for s in stops}),
        days=len({s.date for s in stops}),
        **totals,
    )
