"""Writes to demands, their status history and parental bodies. Each checks the user's region,
validates what it stores and recomputes the dashboard's figures for what it changed.
`user=None` is the system itself (the demo, an import that checked regions row by row)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from muhim.accounts.permissions import Capability
from muhim.activities.services import check_place, check_region
from muhim.core.files import check_evidence

from . import stats
from .models import Demand, DemandUpdate, ParentalBody, ParentalBodyMember, Status


def _check_links(demand):
    if demand.parental_body_id and demand.parental_body.district_id != demand.district_id:
        raise ValidationError(
            {
                "parental_body": _("This parental body is in %(district)s, not in the demand's district.")
                % {"district": demand.parental_body.district.display_name}
            },
            code="body_elsewhere",
        )


def _check_day(day, field, what):
    if day > timezone.localdate():
        raise ValidationError({field: _("%(what)s cannot be in the future.") % {"what": what}}, code="future")


@transaction.atomic
def record_demand(
    *, demand: Demand, user=None, note="", resolved_on_the_spot=False, on_the_spot_note=""
) -> Demand:
    """Store a new demand with the first step of its history ("raised" on `raised_on`). A
    demand settled where it was raised (at a Kuli Katchehri) is resolved on the same day."""
    if demand.pk is not None:
        raise ValidationError(_("This demand is already recorded."))
    if demand.district_id is None:
        raise ValidationError({"district": _("Choose the district.")})
    check_region(user, Capability.MANAGE_DEMANDS, demand.district)
    check_place(demand.district, demand.place)
    _check_links(demand)
    _check_day(demand.raised_on, "raised_on", _("The day it was raised"))
    if resolved_on_the_spot and demand.activity_id is None:
        raise ValidationError(
            {"activity": _("A demand resolved on the spot was resolved at an activity: choose it.")},
            code="on_the_spot_without_activity",
        )
    demand.status = Status.RESOLVED if resolved_on_the_spot else Status.RAISED
    demand.status_on = demand.raised_on
    demand.resolved_on = demand.raised_on if resolved_on_the_spot else None
    demand.resolved_on_the_spot = resolved_on_the_spot
    if user is not None:
        demand.created_by = user
        demand.organiser = demand.organiser or user
    demand._history_user = user
    demand.full_clean()
    demand.save()
    DemandUpdate.objects.create(
        demand=demand, status=Status.RAISED, date=demand.raised_on, note=note, by=user
    )
    if resolved_on_the_spot:
        DemandUpdate.objects.create(
            demand=demand,
            status=Status.RESOLVED,
            date=demand.raised_on,
            note=on_the_spot_note or _("Resolved on the spot."),
            by=user,
        )
    stats.refresh(stats.keys_of(demand))
    return demand


@transaction.atomic
def save_demand(*, demand: Demand, user=None) -> Demand:
    """Change what a demand is about (not its status: that is `update_status`)."""
    stored = Demand.objects.select_related("district").get(pk=demand.pk)
    if stored.status != demand.status or stored.resolved_on != demand.resolved_on:
        raise ValidationError(_("Change the status by adding an update."), code="status_by_update")
    check_region(user, Capability.MANAGE_DEMANDS, stored.district)
    check_region(user, Capability.MANAGE_DEMANDS, demand.district)
    check_place(demand.district, demand.place)
    _check_links(demand)
    first = demand.updates.order_by("date", "pk").first()
    if first and demand.raised_on != first.date:
        later = demand.updates.exclude(pk=first.pk).order_by("date").first()
        if later and demand.raised_on > later.date:
            raise ValidationError(
                {
                    "raised_on": _("The history has a step on %(date)s; it cannot have been raised after it.")
                    % {"date": later.date}
                }
            )
        first.date = demand.raised_on
        first.save(update_fields=["date"])
    before = stats.keys_of(demand)
    demand._history_user = user
    demand.full_clean()
    demand.save()
    stats.refresh(before | stats.keys_of(demand))
    return demand


@transaction.atomic
def update_status(
    *,
    demand: Demand,
    status: str,
    on: date | None = None,
    note="",
    internal_note="",
    evidence=None,
    evidence_url="",
    user=None,
) -> DemandUpdate:
    """Move the demand to `status` from the day `on` (today), with what happened."""
    demand = Demand.objects.select_for_update().select_related("district").get(pk=demand.pk)
    check_region(user, Capability.MANAGE_DEMANDS, demand.district)
    on = on or timezone.localdate()
    if status not in Status.values:
        raise ValidationError({"status": _("%(status)r is not a status of a demand.") % {"status": status}})
    if status == demand.status:
        raise ValidationError(
            {"status": _("The demand is already “%(status)s”.") % {"status": demand.get_status_display()}},
            code="same_status",
        )
    if status not in demand.next_statuses():
        raise ValidationError(
            {
                "status": _("A demand that is “%(current)s” cannot become “%(next)s”.")
                % {"current": demand.get_status_display(), "next": Status(status).label}
            },
            code="bad_transition",
        )
    _check_day(on, "on", _("The date of an update"))
    last = demand.updates.order_by("-date", "-pk").values_list("date", flat=True).first()
    if last and on < last:
        raise ValidationError(
            {"on": _("The last update is dated %(date)s; a new one cannot be earlier.") % {"date": last}},
            code="before_last",
        )
    if evidence:
        check_evidence(evidence)
    update = DemandUpdate(
        demand=demand,
        status=status,
        date=on,
        note=note.strip(),
        internal_note=internal_note.strip(),
        evidence_url=evidence_url.strip(),
        by=user,
    )
    update.full_clean(exclude=["evidence"])
    if evidence:
        update.evidence.save(evidence.name, evidence, save=False)
    update.save()
    before = stats.keys_of(demand)
    demand.status, demand.status_on = status, on
    if status == Status.RESOLVED:
        demand.resolved_on = on
    else:
        demand.resolved_on = None
        demand.resolved_on_the_spot = False
    demand._history_user = user
    demand.save()
    stats.refresh(before | stats.keys_of(demand))
    return update


# --- parental bodies --------------------------------------------------------------------------


@transaction.atomic
def save_body(*, body: ParentalBody, user=None) -> ParentalBody:
    if body.district_id is None:
        raise ValidationError({"district": _("Choose the district.")})
    if body.pk:
        stored = ParentalBody.objects.select_related("district").get(pk=body.pk)
        check_region(user, Capability.MANAGE_DEMANDS, stored.district)
    check_region(user, Capability.MANAGE_DEMANDS, body.district)
    if body.level == ParentalBody.Level.UNION_COUNCIL:
        if body.union_council is None:
            raise ValidationError({"union_council": _("A union-council body needs its union council.")})
        check_place(body.district, body.union_council, field="union_council")
        if body.union_council.level != body.union_council.Level.UNION_COUNCIL:
            raise ValidationError({"union_council": _("Choose a union council, not a tehsil.")})
    else:
        body.union_council = None
    body._history_user = user
    body.full_clean()
    body.save()
    return body


@transaction.atomic
def save_member(*, member: ParentalBodyMember, user=None) -> ParentalBodyMember:
    check_region(user, Capability.MANAGE_DEMANDS, member.body.district)
    member._history_user = user
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def add_meeting(*, body: ParentalBody, activity, user=None) -> None:
    """Record `activity` (a parental body meeting) as a meeting of `body`."""
    check_region(user, Capability.MANAGE_DEMANDS, body.district)
    body.meetings.add(activity)
