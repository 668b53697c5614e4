"""The `pledges` importer: makers found by seat and name, seat and party, or party; the
services' rules row by row with the reason; organisers only in their regions; ratings as
dated changes; and a second import of the same file that changes nothing."""

from datetime import date

import pytest

from muhim.accountability.models import Pledge, PledgeRating
from muhim.core.imports.runner import create_run, execute

from .test_pledges import make_staff, make_world

pytestmark = pytest.mark.django_db

FILE = """election,seat,candidate,party,date,source,text,education,4%,rating,rated on
ge-2018,NA-125,ali raza,,2018-07-01,Corner meeting,Two teachers for every girls' school.,yes,no,kept,2020-01-15
ge-2018,,,PTI,2018-06-01,manifesto,4% of GDP for education.,yes,yes,,
ge-2018,NA-246,,Pakistan Tehreek-e-Insaf,2018-07-10,speech,A college for Lyari.,,,in the works,
ge-2018,NA-999,,PTI,2018-07-10,speech,A college somewhere.,,,,
ge-2018,NA-125,Bilal Ahmed,PTI,2018-07-10,speech,Roads.,no,,,
ge-2018,NA-125,Ali Raza,,2999-01-01,speech,Tomorrow's pledge.,,,,
"""


@pytest.fixture
def world(gazetteer):
    return make_world()


@pytest.fixture
def staff(gazetteer, make_user):
    return make_staff(make_user)


def run_import(data, *, user=None, commit=True):
    run = create_run(
        importer_slug="pledges",
        data=data.encode("utf-8"),
        filename="pledges.csv",
        user=user,
        source="command",
    )
    execute(run, commit=commit)
    run.refresh_from_db()
    return run


def errors_by_row(run):
    return {e["row"]: " ".join(e["messages"]) for e in run.preview["errors"]}


def test_importing_pledges_twice_changes_nothing(world, staff):
    run = run_import(FILE, user=staff.office)
    assert (run.created, run.updated, run.errors) == (3, 0, 3), run.message
    errors = errors_by_row(run)
    assert "NA-999 is not a seat" in errors[5]
    assert "Bilal Ahmed stood for PML-N in NA-125" in errors[6]
    assert "cannot be in the future" in errors[7]
    ali = Pledge.objects.get(candidacy=world.ali)
    assert ali.party == world.pti and ali.rating == "kept" and ali.recorded_by == staff.office
    assert list(ali.ratings.values_list("rating", "rated_on")) == [("kept", date(2020, 1, 15))]
    national = Pledge.objects.get(candidacy=None)
    assert national.party == world.pti and national.commits_four_percent and national.constituency is None
    assert Pledge.objects.get(text="A college for Lyari.").candidacy == world.sana

    again = run_import(FILE, user=staff.office)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Pledge.objects.count() == 3 and PledgeRating.objects.count() == 2


def test_a_changed_rating_becomes_a_dated_change(world, staff):
    run_import(FILE, user=staff.office)
    changed = FILE.replace("yes,no,kept,2020-01-15", "yes,no,broken,2021-03-01")
    run = run_import(changed, user=staff.office)
    assert run.updated == 1
    ali = Pledge.objects.get(candidacy=world.ali)
    assert ali.rating == "broken"
    assert list(ali.ratings.order_by("rated_on").values_list("rating", flat=True)) == ["kept", "broken"]


def test_an_organiser_imports_only_their_regions_pledges(world, staff):
    run = run_import(FILE, user=staff.lahore)
    errors = errors_by_row(run)
    assert run.created == 1
    assert "national pledge" in errors[3]
    assert "NA-246 Karachi South-I is in Karachi South, outside your regions" in errors[4]
    assert list(Pledge.objects.values_list("candidacy", flat=True)) == [world.ali.pk]


def test_a_preview_stores_nothing(world, staff):
    run = run_import(FILE, user=staff.office, commit=False)
    assert run.preview["counts"]["create"] == 3
    assert not Pledge.objects.exists()


def test_a_blank_four_percent_is_read_from_the_words_and_a_no_is_kept(world, staff):
    rows = """election,party,date,source,text,text_ur,4%
ge-2018,PTI,2018-06-01,speech,We will spend 4% of GDP on education.,,
ge-2018,PTI,2018-06-02,speech,More schools for Thar.,تعليم پر جی ڈی پی کا پانچ فیصد,
ge-2018,PTI,2018-06-03,speech,Five per cent of GDP for health and education.,,
ge-2018,PTI,2018-06-04,speech,4% of GDP for schools.,,no
"""
    run = run_import(rows, user=staff.office)
    assert run.created == 4, run.message
    four = dict(Pledge.objects.values_list("made_on__day", "commits_four_percent"))
    # Said in English; in Urdu typed with Arabic letters; shared with health; said "no" in the file.
    assert four == {1: True, 2: True, 3: False, 4: False}
    again = run_import(rows, user=staff.office)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_a_rating_changed_on_the_page_is_not_undone_or_repeated_by_importing_the_file_again(world, staff):
    from muhim.accountability import pledge_services as services

    run_import(FILE, user=staff.office)
    ali = Pledge.objects.get(candidacy=world.ali)
    services.rate_pledge(staff.office, ali, "broken", date(2021, 1, 1))
    for _ in range(3):
        again = run_import(FILE, user=staff.office)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    ali.refresh_from_db()
    assert ali.rating == "broken"
    assert list(ali.ratings.order_by("rated_on").values_list("rating", flat=True)) == ["kept", "broken"]
