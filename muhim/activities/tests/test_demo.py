"""The demo data of `make run`: realistic, right figures, and loaded once however often it runs."""

import io

import pytest
from django.core.management import call_command

from muhim.accounts import demo as accounts_demo
from muhim.activities import demo as activities_demo
from muhim.activities.models import Activity, ActivityType, CaravanStop
from muhim.activities.services import caravan_progress
from muhim.demands import demo as demands_demo
from muhim.demands.models import Demand, DemandUpdate, ParentalBody, ParentalBodyMember, Status
from muhim.network import demo as network_demo

pytestmark = pytest.mark.django_db


def load_all():
    out = io.StringIO()
    accounts_demo.load(stdout=out)
    network_demo.load_network(stdout=out)
    activities_demo.load(stdout=out)
    demands_demo.load(stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Activity, CaravanStop, Demand, DemandUpdate, ParentalBody, ParentalBodyMember)
    }


def test_the_demo_loads_once_with_the_caravan_and_right_figures(gazetteer):
    output = load_all()
    first = counts()
    assert first["Activity"] > 300
    assert 140 <= first["Demand"] <= 200
    assert "15-stop caravan" in output

    caravan = Activity.objects.get(title=activities_demo.CARAVAN_TITLE)
    progress = caravan_progress(caravan)
    assert (progress.stops, progress.districts, progress.days) == (15, 15, 15)
    stops = list(caravan.stops.select_related("district").order_by("sequence"))
    assert stops[0].district.code == "is-islamabad" and stops[-1].district.code == "pb-bahawalpur"
    assert 0 < progress.held < 15  # partly held: the caravan is under way

    # The parts of the field the pages need something to show.
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert {
        ActivityType.SEMINAR,
        ActivityType.KULI_KATCHEHRI,
        ActivityType.THEATRE,
        ActivityType.SCHOOL_VISIT,
        ActivityType.SCIENCE_MELA,
        ActivityType.PRESS_BRIEFING,
        ActivityType.PARENTAL_BODY_MEETING,
    } <= kinds
    assert Activity.objects.public().upcoming().count() >= 5
    assert Activity.objects.filter(kind=ActivityType.KULI_KATCHEHRI, officials__isnull=False).exists()
    assert Demand.objects.filter(
        resolved_on_the_spot=True, activity__kind=ActivityType.KULI_KATCHEHRI
    ).exists()
    assert Demand.objects.overdue().count() >= 5
    assert Demand.objects.published().count() >= 10
    assert set(Demand.objects.values_list("status", flat=True)) >= {
        Status.RAISED,
        Status.SUBMITTED,
        Status.RESOLVED,
        Status.REJECTED,
        Status.STALLED,
    }
    # Every demand's history starts with "raised" and ends at its status.
    for demand in Demand.objects.prefetch_related("updates")[:50]:
        steps = sorted(demand.updates.all(), key=lambda u: (u.date, u.pk))
        assert steps[0].status == Status.RAISED and steps[-1].status == demand.status
    lahore = Activity.objects.filter(district__path__startswith="pb/pb-lahore-division/")
    assert lahore.filter(organiser__username="organiser-lahore").count() > 30
    levels = set(ParentalBody.objects.values_list("level", flat=True))
    assert levels == {ParentalBody.Level.UNION_COUNCIL, ParentalBody.Level.DISTRICT}
    assert ParentalBody.objects.filter(partner__name="Rural Support Programmes Network (demo)").exists()
    assert ParentalBody.objects.filter(meetings__isnull=False).distinct().count() == len(demands_demo.BODIES)
    assert all(name.endswith("(demo)") for name in ParentalBodyMember.objects.values_list("name", flat=True))
    assert all(
        str(phone).startswith("+923339")
        for phone in Demand.objects.exclude(raised_by_phone="").values_list("raised_by_phone", flat=True)
    )

    # The services kept the dashboard's figures equal to the rows.
    call_command("rebuild_stats", "--check", stdout=io.StringIO())

    again = load_all()
    assert counts() == first
    assert "already loaded" in again
