"""Photos of activities: uploaded on the activity's page (one or several, checked by their
content), shown as thumbnails linking to the full size, deleted; and served from private
storage only to those who may see them."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from muhim.activities import services
from muhim.activities.models import Activity, ActivityPhoto, ActivityType
from muhim.activities.tests.factories import district

pytestmark = pytest.mark.django_db


def image_bytes(fmt="JPEG", size=(1200, 800), colour=(30, 120, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


def jpeg(name="stage.jpg", **kwargs):
    return SimpleUploadedFile(name, image_bytes("JPEG", **kwargs), content_type="image/jpeg")


def png(name="banner.png"):
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def webp(name="crowd.webp"):
    return SimpleUploadedFile(name, image_bytes("WEBP"), content_type="image/webp")


EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + b"\x00" * 400
    + b"This program cannot be run in DOS mode"
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def activity_in(code="pb-kasur", **fields):
    values = {
        "kind": ActivityType.THEATRE,
        "title": "Theatre in Pattoki",
        "start_date": date(2026, 11, 12),
        "district": district(code),
        "status": Activity.Status.HELD,
    }
    values.update(fields)
    return services.save_activity(activity=Activity(**values))


def upload(client, activity, *files, caption="", htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        f"/field/activities/{activity.pk}/",
        {"action": "photos", "photo-photos": list(files), "photo-caption": caption},
        headers=headers,
    )


def test_photos_are_uploaded_and_shown_as_thumbnails_linking_to_the_full_size(client, staff):
    activity = activity_in()
    client.force_login(staff.lahore)
    response = upload(client, activity, jpeg(), png(), webp(), caption="The puppet show", htmx=True)
    assert response.status_code == 200
    assert "3 photos were added." in response.content.decode()
    photos = list(activity.photos.all())
    assert len(photos) == 3 and {p.caption for p in photos} == {"The puppet show"}
    page = client.get(f"/field/activities/{activity.pk}/").content.decode()
    for photo in photos:
        assert f'<a href="/field/photos/{photo.pk}/full/"><img src="/field/photos/{photo.pk}/thumb/"' in page
    full = client.get(f"/field/photos/{photos[0].pk}/full/")
    thumb = client.get(f"/field/photos/{photos[0].pk}/thumb/")
    assert full["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(full.streaming_content))) as image:
        assert image.size == (1200, 800)
    with Image.open(io.BytesIO(b"".join(thumb.streaming_content))) as image:
        assert max(image.size) <= 360


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            SimpleUploadedFile("holiday.jpg", EXECUTABLE, content_type="image/jpeg"),
            "This file is not a photo",
        ),
        (SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf"), "This file is not a photo"),
        (SimpleUploadedFile("letter.png", PDF, content_type="image/png"), "This file is not a photo"),
        (SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg"), "empty"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_by_its_content(client, staff, file, message):
    activity = activity_in()
    client.force_login(staff.lahore)
    response = upload(client, activity, file)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert "Choose the photos again" in text
    assert not ActivityPhoto.objects.exists()


def test_a_huge_file_is_refused_saying_how_large_a_photo_may_be(client, staff):
    activity = activity_in()
    client.force_login(staff.lahore)
    huge = SimpleUploadedFile(
        "huge.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * (16 * 1024 * 1024), content_type="image/jpeg"
    )
    response = upload(client, activity, huge)
    assert "a photo can be at most 15.0\xa0MB" in response.content.decode()
    assert not ActivityPhoto.objects.exists()


def test_of_several_photos_the_good_ones_are_kept_and_the_bad_one_named(client, staff):
    activity = activity_in()
    client.force_login(staff.lahore)
    response = upload(
        client,
        activity,
        jpeg("one.jpg"),
        SimpleUploadedFile("virus.jpg", EXECUTABLE),
        jpeg("two.jpg"),
        htmx=True,
    )
    text = response.content.decode()
    assert "virus.jpg: This file is not a photo" in text
    assert "2 photos were added." in text
    assert activity.photos.count() == 2


def test_no_photo_chosen_is_asked_for(client, staff):
    activity = activity_in()
    client.force_login(staff.lahore)
    response = upload(client, activity)
    assert "Choose at least one photo." in response.content.decode()


def test_a_bad_photo_on_the_new_activity_form_undoes_the_whole_submission(client, staff, settings):
    from muhim.activities.tests.test_pages import form_data

    client.force_login(staff.lahore)
    response = client.post(
        "/field/activities/new/",
        {**form_data(), "photos": [jpeg("good.jpg"), SimpleUploadedFile("bad.jpg", EXECUTABLE)]},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "bad.jpg: This file is not a photo" in text
    assert "choose the photos again" in text
    assert 'value="Government Girls High School, Pattoki"' in text
    assert not Activity.objects.exists() and not ActivityPhoto.objects.exists()
    # The good photo written before the bad one was refused is gone from storage too.
    stored = (
        [p for p in (settings.PRIVATE_MEDIA_ROOT / "activities").rglob("*") if p.is_file()]
        if (settings.PRIVATE_MEDIA_ROOT / "activities").exists()
        else []
    )
    assert stored == []
    good = client.post("/field/activities/new/", {**form_data(), "photos": [jpeg("good.jpg"), png()]})
    assert good.status_code == 302
    assert Activity.objects.get().photos.count() == 2


def test_a_photo_is_deleted_with_its_files(client, staff, django_capture_on_commit_callbacks):
    activity = activity_in()
    photo = services.add_photo(activity=activity, uploaded=jpeg())
    storage, names = photo.image.storage, [photo.image.name, photo.thumbnail.name]
    client.force_login(staff.lahore)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/field/activities/{activity.pk}/", {"action": "delete-photo", "photo": photo.pk}
        )
    assert response.status_code == 302 and response["Location"].endswith("#photos")
    assert not activity.photos.exists()
    assert not any(storage.exists(n) for n in names)
    assert client.get(f"/field/photos/{photo.pk}/full/").status_code == 404


def test_another_region_cannot_upload_or_delete(client, staff):
    activity = activity_in()
    photo = services.add_photo(activity=activity, uploaded=jpeg())
    client.force_login(staff.karachi)
    assert upload(client, activity, jpeg()).status_code == 403
    assert (
        client.post(
            f"/field/activities/{activity.pk}/", {"action": "delete-photo", "photo": photo.pk}
        ).status_code
        == 403
    )
    assert activity.photos.count() == 1


# --- who may see a photo ----------------------------------------------------------------------


@pytest.fixture
def photos(staff):
    public = activity_in(title="Public mela", is_public=True)
    private = activity_in(title="Internal training")
    cancelled = activity_in(title="Cancelled show", is_public=True, status=Activity.Status.CANCELLED)
    return {
        name: services.add_photo(activity=a, uploaded=jpeg())
        for name, a in (("public", public), ("private", private), ("cancelled", cancelled))
    }


def test_a_public_activitys_photo_is_served_to_anyone_and_cached_publicly(client, photos):
    for size in ("full", "thumb"):
        response = client.get(f"/field/photos/{photos['public'].pk}/{size}/")
        assert response.status_code == 200
        assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
        assert response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize("who", [None, "karachi"])
def test_other_photos_are_not_found_by_those_who_may_not_see_the_activity(client, staff, photos, who):
    if who:
        client.force_login(getattr(staff, who))
    for name in ("private", "cancelled"):
        assert client.get(f"/field/photos/{photos[name].pk}/full/").status_code == 404
        assert client.get(f"/field/photos/{photos[name].pk}/thumb/").status_code == 404


@pytest.mark.parametrize("who", ["lahore", "office", "partner"])
def test_staff_who_may_see_the_activity_get_its_photos_cached_privately(client, staff, photos, who):
    client.force_login(getattr(staff, who))
    response = client.get(f"/field/photos/{photos['private'].pk}/full/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_a_photo_not_changed_since_is_answered_304(client, photos):
    url = f"/field/photos/{photos['public'].pk}/thumb/"
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_unknown_photos_and_sizes_are_not_found(client, photos):
    assert client.get(f"/field/photos/{photos['public'].pk}/huge/").status_code == 404
    assert client.get("/field/photos/999999/full/").status_code == 404
