"""`manage.py rebuild_stats`: recomputes the dashboard's figures, and `--check` finds any that
differ from the activities and demands."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from muhim.activities import services
from muhim.activities.models import Activity, ActivityDistrictStat, ActivityStat, ActivityType
from muhim.activities.tests.factories import ActivityFactory, DemandFactory, district
from muhim.demands import services as demand_services
from muhim.demands.models import Category, Demand, DemandDistrictStat, DemandStat, Status

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("rebuild_stats", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def written(staff):
    """Rows written through the services, which keep the figures."""
    services.save_activity(
        activity=Activity(
            kind=ActivityType.KULI_KATCHEHRI,
            title="Kuli Katchehri",
            start_date=date(2026, 10, 3),
            district=district("pb-kasur"),
            status=Activity.Status.HELD,
            women=40,
            girls=12,
        ),
        user=staff.lahore,
    )
    demand = demand_services.record_demand(
        demand=Demand(
            title="A boundary wall",
            category=Category.BOUNDARY_WALL,
            district=district("sd-korangi"),
            authority=Demand.Authority.EDUCATION_OFFICER,
            raised_on=date(2026, 9, 1),
        ),
        user=staff.karachi,
    )
    demand_services.update_status(
        demand=demand, status=Status.RESOLVED, on=date(2026, 10, 20), user=staff.karachi
    )


def test_check_passes_when_the_services_kept_the_figures(written):
    output = run("--check")
    assert "activity figures by month: 1 rows, all right" in output
    assert "demand figures by district: 1 rows, all right" in output
    assert "equal the activities and demands" in output


def test_check_names_a_tampered_row_and_exits_non_zero(written):
    ActivityStat.objects.update(women=999)
    DemandDistrictStat.objects.all().delete()
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("rebuild_stats", "--check", stdout=out)
    assert error.value.returncode == 1
    assert "2 stored figures differ" in str(error.value)
    output = out.getvalue()
    assert "activity figures by month: 1 rows differ" in output
    assert (
        "month=2026-10-01 province=pb kind=kuli_katchehri status=held: stored activities=1, women=999, "
        "men=0, girls=12, boys=0; should be activities=1, women=40, men=0, girls=12, boys=0"
    ) in output
    assert "district=sd-korangi category=boundary_wall status=resolved: stored no row; should be" in output
    # Checking changed nothing.
    assert ActivityStat.objects.get().women == 999
    assert not DemandDistrictStat.objects.exists()


def test_rebuild_recomputes_rows_loaded_around_the_services(staff):
    # Rows that bypass the services (a restore, bulk SQL): no figures yet.
    ActivityFactory.create_batch(3, district=district("pb-lahore"), women=5)
    ActivityFactory(district=district("kp-swat"), kind=ActivityType.THEATRE, status=Activity.Status.PLANNED)
    DemandFactory.create_batch(2)
    with pytest.raises(CommandError):
        run("--check")
    output = run()
    assert "activity figures by month: 2 rows recomputed" in output
    assert "The dashboard's figures were rebuilt." in output
    assert ActivityStat.objects.get(province__code="pb").women == 15
    assert ActivityDistrictStat.objects.get(district__code="kp-swat").status == Activity.Status.PLANNED
    assert DemandStat.objects.get().raised == 2
    assert "all right" in run("--check")


def test_the_help_gives_an_example():
    from muhim.activities.management.commands.rebuild_stats import Command

    assert "manage.py rebuild_stats --check" in Command.help
