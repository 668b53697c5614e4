"""The rules every way of writing activities shares (pages, API, imports go through these)."""

import io
import random
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, TruncMonth
from PIL import Image

from muhim.activities import services, stats
from muhim.activities.models import Activity, ActivityDistrictStat, ActivityStat, ActivityType
from muhim.activities.tests.factories import district, sub_area
from muhim.geography.models import Area

pytestmark = pytest.mark.django_db


def new_activity(**fields):
    values = {
        "kind": ActivityType.KULI_KATCHEHRI,
        "title": "Kuli Katchehri with the DEO",
        "start_date": date(2026, 11, 12),
        "district": district("pb-kasur"),
        "status": Activity.Status.HELD,
    }
    values.update(fields)
    return Activity(**values)


def photo_file(fmt="JPEG", name="photo.jpg", size=(1200, 800)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_an_organiser_logs_an_activity_in_their_region(staff):
    activity = services.save_activity(activity=new_activity(women=40, men=25), user=staff.lahore)
    assert activity.created_by == staff.lahore
    assert activity.attendance == 65


def test_an_organiser_cannot_log_one_outside_their_region(staff):
    with pytest.raises(ValidationError) as error:
        services.save_activity(
            activity=new_activity(district=district("sd-karachi-south")), user=staff.lahore
        )
    assert "Karachi South is outside your regions (Lahore)" in str(error.value)
    assert not Activity.objects.exists()


def test_an_organiser_cannot_move_another_regions_activity_into_theirs(staff):
    activity = services.save_activity(
        activity=new_activity(district=district("sd-karachi-south")), user=staff.office
    )
    activity.district = district("pb-kasur")
    with pytest.raises(ValidationError, match="outside your regions"):
        services.save_activity(activity=activity, user=staff.lahore)


def test_an_activity_cannot_end_before_it_starts(staff):
    with pytest.raises(ValidationError) as error:
        services.save_activity(
            activity=new_activity(start_date=date(2026, 11, 12), end_date=date(2026, 11, 10)),
            user=staff.lahore,
        )
    assert "cannot end before it starts" in str(error.value)


def test_attendance_cannot_be_negative(staff):
    with pytest.raises(ValidationError) as error:
        services.save_activity(activity=new_activity(women=-3), user=staff.lahore)
    assert "women" in error.value.message_dict


def test_the_place_must_lie_in_the_district(staff):
    tehsil = sub_area("sd-karachi-south-saddar", Area.Level.TEHSIL, "Saddar", district("sd-karachi-south"))
    with pytest.raises(ValidationError, match="not a tehsil or union council of Kasur"):
        services.save_activity(activity=new_activity(place=tehsil), user=staff.lahore)


def test_a_partner_or_a_role_without_the_right_cannot_log_activities(staff):
    with pytest.raises(ValidationError, match="does not allow"):
        services.save_activity(activity=new_activity(), user=staff.partner)


def test_a_photo_is_checked_by_content_reencoded_and_thumbnailed(staff):
    activity = services.save_activity(activity=new_activity(), user=staff.lahore)
    photo = services.add_photo(activity=activity, uploaded=photo_file("PNG", "stage.png"), user=staff.lahore)
    assert (photo.width, photo.height) == (1200, 800)
    with photo.thumbnail.open() as thumb, Image.open(thumb) as image:
        assert max(image.size) <= 360
    assert photo.image.storage.exists(photo.image.name)


@pytest.mark.parametrize(
    "content, name",
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "photo.jpg"),  # an executable renamed
        (b"%PDF-1.4 not a photo", "photo.png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 50, "cut.jpg"),  # a JPEG's first bytes and nothing more
        (b"", "empty.jpg"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused(staff, content, name):
    activity = services.save_activity(activity=new_activity(), user=staff.lahore)
    with pytest.raises(ValidationError):
        services.add_photo(activity=activity, uploaded=SimpleUploadedFile(name, content), user=staff.lahore)
    assert not activity.photos.exists()


def test_a_caravan_of_fifteen_stops_in_date_order(staff):
    start = date(2026, 2, 1)
    caravan = services.save_activity(
        activity=new_activity(
            kind=ActivityType.CARAVAN,
            title="Taleemi Caravan, Islamabad to Bahawalpur",
            start_date=start,
            end_date=start + timedelta(days=14),
            district=district("is-islamabad"),
            status=Activity.Status.PLANNED,
        ),
        user=staff.office,
    )
    codes = ["is-islamabad", "pb-rawalpindi", "pb-jhelum", "pb-gujrat", "pb-gujranwala", "pb-lahore", "pb-kasur",
             "pb-okara", "pb-sahiwal", "pb-khanewal", "pb-multan", "pb-lodhran", "pb-bahawalnagar", "pb-vehari",
             "pb-bahawalpur"]  # fmt: skip
    for day, code in enumerate(codes):
        services.add_stop(
            caravan=caravan, date=start + timedelta(days=day), district=district(code), user=staff.office
        )
    for stop in caravan.stops.all()[:3]:
        services.log_stop_activity(
            stop=stop,
            activity=Activity(
                kind=ActivityType.THEATRE,
                title="Puppet show",
                status=Activity.Status.HELD,
                women=10,
                girls=30,
            ),
            user=staff.office,
        )
    progress = services.caravan_progress(caravan)
    assert (progress.stops, progress.held, progress.districts, progress.days) == (15, 3, 15, 15)
    assert (progress.women, progress.girls, progress.attendance) == (30, 90, 120)
    assert [s.district.code for s in caravan.stops.order_by("sequence")] == codes

    with pytest.raises(ValidationError, match="outside it"):
        services.add_stop(caravan=caravan, date=start + timedelta(days=20), district=district("pb-lahore"))
    with pytest.raises(ValidationError, match="date order"):
        services.add_stop(caravan=caravan, date=start, district=district("pb-lahore"), sequence=5)

    services.remove_stop(stop=caravan.stops.get(sequence=2), user=staff.office)
    assert list(caravan.stops.values_list("sequence", flat=True)) == list(range(1, 15))


def test_an_organiser_cannot_add_a_stop_outside_their_region(staff):
    caravan = services.save_activity(
        activity=new_activity(kind=ActivityType.CARAVAN, end_date=date(2026, 11, 20)), user=staff.lahore
    )
    with pytest.raises(ValidationError, match="outside your regions"):
        services.add_stop(
            caravan=caravan, date=date(2026, 11, 13), district=district("pb-multan"), user=staff.lahore
        )


def raw_figures():
    sums = {"activities": Count("pk"), **{n: Coalesce(Sum(n), 0) for n in stats.FIGURES}}
    by_month = {
        (r["month"], r["district__province_id"], r["kind"], r["status"]): tuple(
            r[n] for n in ("activities", *stats.FIGURES)
        )
        for r in Activity.objects.annotate(month=TruncMonth("start_date"))
        .values("month", "district__province_id", "kind", "status")
        .annotate(**sums)
        .order_by()
    }
    by_district = {
        (r["district_id"], r["kind"], r["status"]): tuple(r[n] for n in ("activities", *stats.FIGURES))
        for r in Activity.objects.values("district_id", "kind", "status").annotate(**sums).order_by()
    }
    return by_month, by_district


def stored_figures():
    names = ("activities", *stats.FIGURES)
    by_month = {
        (s.month, s.province_id, s.kind, s.status): tuple(getattr(s, n) for n in names)
        for s in ActivityStat.objects.all()
    }
    by_district = {
        (s.district_id, s.kind, s.status): tuple(getattr(s, n) for n in names)
        for s in ActivityDistrictStat.objects.all()
    }
    return by_month, by_district


def test_the_figures_equal_the_activities_after_any_sequence_of_changes(staff):
    rng = random.Random(4)
    districts = list(
        Area.objects.districts().filter(code__in=["pb-lahore", "pb-kasur", "sd-karachi-south", "kp-swat"])
    )
    activities = []
    for step in range(60):
        action = rng.random()
        if action < 0.5 or not activities:
            activity = new_activity(
                kind=rng.choice(ActivityType.values),
                start_date=date(2026, rng.randint(1, 12), rng.randint(1, 28)),
                district=rng.choice(districts),
                status=rng.choice(Activity.Status.values),
                women=rng.choice([None, rng.randint(0, 50)]),
                boys=rng.randint(0, 20),
            )
            activities.append(services.save_activity(activity=activity, user=staff.office))
        else:
            activity = rng.choice(activities)
            activity.refresh_from_db()
            activity.district = rng.choice(districts)
            activity.status = rng.choice(Activity.Status.values)
            activity.start_date = date(2026, rng.randint(1, 12), 5)
            activity.women = rng.randint(0, 99)
            services.save_activity(activity=activity, user=staff.office)
        if step % 15 == 0:
            assert stored_figures() == raw_figures()
    assert stored_figures() == raw_figures()
    expected = stored_figures()
    stats.rebuild()
    assert stored_figures() == expected
