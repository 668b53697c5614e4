"""The rules every way of writing demands shares (pages, API and imports go through these)."""

import random
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from muhim.activities import services as activity_services
from muhim.activities.models import Activity, ActivityType
from muhim.activities.tests.factories import district, sub_area
from muhim.demands import services, stats
from muhim.demands.models import Category, Demand, DemandDistrictStat, DemandStat, ParentalBody, Status
from muhim.geography.models import Area

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def new_demand(**fields):
    values = {
        "title": "A girls' middle school for Chak 12",
        "category": Category.GIRLS_SCHOOL,
        "district": district("pb-kasur"),
        "authority": Demand.Authority.EDUCATION_OFFICER,
        "authority_name": "District Education Officer (Female), Kasur",
        "raised_on": TODAY - timedelta(days=30),
        "raised_by_name": "Shamim Bibi",
    }
    values.update(fields)
    return Demand(**values)


def katchehri(staff, day=None):
    return activity_services.save_activity(
        activity=Activity(
            kind=ActivityType.KULI_KATCHEHRI,
            title="Kuli Katchehri, Kasur",
            start_date=day or TODAY - timedelta(days=30),
            district=district("pb-kasur"),
            status=Activity.Status.HELD,
        ),
        user=staff.lahore,
    )


def test_a_demand_starts_its_history_when_it_is_raised(staff):
    demand = services.record_demand(demand=new_demand(), user=staff.lahore, note="Raised by mothers")
    assert demand.status == Status.RAISED
    assert [(u.status, u.date, u.note) for u in demand.updates.all()] == [
        (Status.RAISED, demand.raised_on, "Raised by mothers")
    ]
    assert demand.organiser == staff.lahore


def test_a_demand_resolved_on_the_spot_is_resolved_the_day_it_was_raised(staff):
    activity = katchehri(staff)
    demand = services.record_demand(
        demand=new_demand(activity=activity, raised_on=activity.start_date),
        user=staff.lahore,
        resolved_on_the_spot=True,
    )
    assert (demand.status, demand.resolved_on, demand.days_to_resolution) == (
        Status.RESOLVED,
        activity.start_date,
        0,
    )
    assert list(demand.updates.values_list("status", flat=True)) == [Status.RAISED, Status.RESOLVED]


def test_on_the_spot_needs_the_activity(staff):
    with pytest.raises(ValidationError, match="resolved at an activity"):
        services.record_demand(demand=new_demand(), user=staff.lahore, resolved_on_the_spot=True)


def test_an_organiser_cannot_record_a_demand_outside_their_region(staff):
    with pytest.raises(ValidationError) as error:
        services.record_demand(demand=new_demand(district=district("sd-karachi-south")), user=staff.lahore)
    assert "Karachi South is outside your regions (Lahore)" in str(error.value)
    assert not Demand.objects.exists()


def test_a_specialist_may_read_demands_but_not_record_them(staff):
    with pytest.raises(ValidationError, match="does not allow"):
        services.record_demand(demand=new_demand(), user=staff.specialist)


def test_the_status_moves_on_with_dated_updates_until_resolved(staff):
    demand = services.record_demand(demand=new_demand(), user=staff.lahore)
    services.update_status(
        demand=demand, status=Status.SUBMITTED, on=TODAY - timedelta(days=20), user=staff.lahore
    )
    services.update_status(
        demand=demand,
        status=Status.IN_PROGRESS,
        on=TODAY - timedelta(days=10),
        note="Work ordered",
        user=staff.lahore,
    )
    services.update_status(demand=demand, status=Status.RESOLVED, on=TODAY, user=staff.lahore)
    demand.refresh_from_db()
    assert demand.status == Status.RESOLVED
    assert demand.days_to_resolution == 30
    assert list(demand.updates.values_list("status", flat=True)) == [
        Status.RAISED,
        Status.SUBMITTED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
    ]


@pytest.mark.parametrize(
    "status, on, message",
    [
        (Status.RAISED, None, "already"),
        ("done", None, "not a status"),
        (Status.SUBMITTED, TODAY + timedelta(days=1), "future"),
        (Status.SUBMITTED, TODAY - timedelta(days=40), "cannot be earlier"),
    ],
)
def test_a_bad_update_is_refused_and_changes_nothing(staff, status, on, message):
    demand = services.record_demand(demand=new_demand(), user=staff.lahore)
    with pytest.raises(ValidationError, match=message):
        services.update_status(demand=demand, status=status, on=on, user=staff.lahore)
    demand.refresh_from_db()
    assert demand.status == Status.RAISED
    assert demand.updates.count() == 1


def test_a_resolved_demand_can_be_raised_again_and_is_open_once_more(staff):
    demand = services.record_demand(demand=new_demand(), user=staff.lahore)
    services.update_status(
        demand=demand, status=Status.RESOLVED, on=TODAY - timedelta(days=5), user=staff.lahore
    )
    with pytest.raises(ValidationError, match="cannot become"):
        services.update_status(demand=demand, status=Status.IN_PROGRESS, user=staff.lahore)
    services.update_status(demand=demand, status=Status.RAISED, user=staff.lahore)
    demand.refresh_from_db()
    assert demand.is_open and demand.resolved_on is None


def test_evidence_must_be_a_pdf_or_a_photo(staff):
    demand = services.record_demand(demand=new_demand(), user=staff.lahore)
    with pytest.raises(ValidationError, match="neither"):
        services.update_status(
            demand=demand,
            status=Status.SUBMITTED,
            evidence=SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf"),
            user=staff.lahore,
        )
    assert demand.updates.count() == 1


def test_overdue_demands_are_open_with_a_passed_follow_up_date(staff):
    late = services.record_demand(
        demand=new_demand(follow_up_on=TODAY - timedelta(days=1)), user=staff.lahore
    )
    services.record_demand(demand=new_demand(follow_up_on=TODAY + timedelta(days=3)), user=staff.lahore)
    done = services.record_demand(
        demand=new_demand(follow_up_on=TODAY - timedelta(days=2)), user=staff.lahore
    )
    services.update_status(demand=done, status=Status.RESOLVED, user=staff.lahore)
    assert list(Demand.objects.overdue()) == [late]


def test_a_union_council_body_needs_a_union_council_in_its_district(staff):
    body = ParentalBody(
        name="UC 12 parents", level=ParentalBody.Level.UNION_COUNCIL, district=district("pb-kasur")
    )
    with pytest.raises(ValidationError, match="needs its union council"):
        services.save_body(body=body, user=staff.lahore)
    tehsil = sub_area("pb-kasur-kasur", Area.Level.TEHSIL, "Kasur", district("pb-kasur"))
    uc = sub_area("pb-kasur-kasur-uc-12", Area.Level.UNION_COUNCIL, "UC 12", tehsil)
    body.union_council = uc
    assert services.save_body(body=body, user=staff.lahore).pk


def raw():
    months, districts = {}, {}
    for d in Demand.objects.select_related("district"):
        key = (d.raised_on.replace(day=1), d.district.province_id, d.category)
        months.setdefault(key, [0, 0, 0, 0])[0] += 1
        if d.status == Status.RESOLVED:
            figures = months.setdefault(
                (d.resolved_on.replace(day=1), d.district.province_id, d.category), [0, 0, 0, 0]
            )
            figures[1] += 1
            figures[2] += d.resolved_on_the_spot
            figures[3] += d.days_to_resolution
        districts[(d.district_id, d.category, d.status)] = (
            districts.get((d.district_id, d.category, d.status), 0) + 1
        )
    return {k: tuple(v) for k, v in months.items()}, districts


def stored():
    months = {
        (s.month, s.province_id, s.category): (
            s.raised,
            s.resolved,
            s.resolved_on_the_spot,
            s.days_to_resolution,
        )
        for s in DemandStat.objects.all()
    }
    districts = {(s.district_id, s.category, s.status): s.demands for s in DemandDistrictStat.objects.all()}
    return months, districts


def test_the_figures_equal_the_demands_after_any_sequence_of_changes(staff):
    rng = random.Random(7)
    places = list(Area.objects.districts().filter(code__in=["pb-lahore", "pb-kasur", "sd-karachi-south"]))
    activity = katchehri(staff, TODAY - timedelta(days=200))
    demands = []
    for step in range(60):
        if rng.random() < 0.5 or not demands:
            on_the_spot = rng.random() < 0.2
            demand = new_demand(
                category=rng.choice(Category.values),
                district=district("pb-kasur") if on_the_spot else rng.choice(places),
                raised_on=activity.start_date
                if on_the_spot
                else TODAY - timedelta(days=rng.randint(20, 200)),
                activity=activity if on_the_spot else None,
            )
            demands.append(
                services.record_demand(demand=demand, user=staff.office, resolved_on_the_spot=on_the_spot)
            )
        else:
            demand = rng.choice(demands)
            demand.refresh_from_db()
            if rng.random() < 0.3:
                demand.district = rng.choice(places)
                demand.category = rng.choice(Category.values)
                services.save_demand(demand=demand, user=staff.office)
            elif demand.next_statuses():
                last = demand.updates.order_by("-date").first().date
                on = last + timedelta(days=rng.randint(0, max(0, (TODAY - last).days)))
                services.update_status(
                    demand=demand, status=rng.choice(demand.next_statuses()), on=on, user=staff.office
                )
        if step % 20 == 0:
            assert stored() == raw()
    assert stored() == raw()
    expected = stored()
    stats.rebuild()
    assert stored() == expected
