"""The network's rules, as the services enforce them: what covers which district, who holds a
post and when, and the hiring pipeline. After every change the coverage counts (what the public
map shows) are checked against the posts themselves."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from muhim.accounts.models import Role
from muhim.network import services
from muhim.network.models import Application, Assignment, OrganiserProfile, Post, Vacancy

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
TODAY = timezone.localdate


def regional(gazetteer, code, province, areas, title=None):
    post = Post(code=code, kind=Post.Kind.REGIONAL, title=title or code, province=gazetteer(province))
    return services.save_post(post=post, areas=[gazetteer(a) for a in areas])


def specialist(code="specialist-data"):
    return services.save_post(
        post=Post(code=code, kind=Post.Kind.SPECIALIST, specialism="data", title="Data analysis specialist")
    )


def apply_to(vacancy, name="Ayesha Khan", email="ayesha@example.org", sex="female"):
    return services.apply(
        vacancy=vacancy,
        cv=SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf"),
        cv_kind="pdf",
        full_name=name,
        email=email,
        phone="+923001234567",
        sex=sex,
    )


def assert_counts_are_the_posts_state():
    """coverage_by_province() (the map's numbers) against the posts, counted one by one."""
    summary = {
        province.code: (posts, covered) for province, posts, covered in services.coverage_by_province()
    }
    expected = {}
    for post in Post.objects.filter(is_active=True, kind=Post.Kind.REGIONAL).select_related("province"):
        held = any(a.is_active for a in post.assignments.all())
        posts, covered = expected.get(post.province.code, (0, 0))
        expected[post.province.code] = (posts + 1, covered + int(held))
    assert summary == expected
    return summary


def message(exc_info):
    return " ".join(exc_info.value.messages)


# --- what covers which district -------------------------------------------------------------


def test_a_district_inside_a_covered_division_cannot_be_given_to_another_post(gazetteer):
    regional(gazetteer, "rco-pb-lahore", "pb", ["pb-lahore-division"])
    post = Post(code="rco-kasur", kind=Post.Kind.REGIONAL, title="Kasur", province=gazetteer("pb"))
    with pytest.raises(ValidationError) as exc:
        services.save_post(post=post, areas=[gazetteer("pb-kasur"), gazetteer("pb-okara")])
    assert message(exc) == (
        "Kasur is already covered by rco-pb-lahore (rco-pb-lahore). A district is covered by one post at a time."
    )
    assert not Post.objects.filter(code="rco-kasur").exists()


def test_a_division_cannot_take_a_district_another_post_covers(gazetteer):
    regional(gazetteer, "rco-kasur", "pb", ["pb-kasur"], title="Regional Campaign Organiser, Kasur")
    post = Post(code="rco-lahore", kind=Post.Kind.REGIONAL, title="Lahore", province=gazetteer("pb"))
    with pytest.raises(ValidationError) as exc:
        services.save_post(post=post, areas=[gazetteer("pb-lahore-division")])
    assert "Kasur is already covered by rco-kasur (Regional Campaign Organiser, Kasur)." in message(exc)


def test_a_post_may_change_its_own_areas_and_a_retired_post_frees_them(gazetteer):
    lahore = regional(gazetteer, "rco-lahore", "pb", ["pb-lahore", "pb-kasur"])
    services.save_post(post=lahore, areas=[gazetteer("pb-lahore-division")])
    assert [a.code for a in lahore.areas.all()] == ["pb-lahore-division"]
    services.retire_post(post=lahore)
    assert lahore.areas.count() == 0
    regional(gazetteer, "rco-kasur", "pb", ["pb-kasur"])  # free again
    assert_counts_are_the_posts_state()


def test_areas_must_lie_in_the_posts_province_and_be_divisions_or_districts(gazetteer):
    post = Post(code="rco-x", kind=Post.Kind.REGIONAL, title="X", province=gazetteer("pb"))
    with pytest.raises(ValidationError) as exc:
        services.save_post(post=post, areas=[gazetteer("sd-karachi-division")])
    assert message(exc) == "Karachi is not in Punjab, the post's province."
    with pytest.raises(ValidationError) as exc:
        services.save_post(post=post, areas=[gazetteer("pb")])
    assert "Punjab is a Province or territory; a regional post covers divisions or districts." in message(exc)
    with pytest.raises(ValidationError) as exc:
        services.save_post(post=post, areas=[])
    assert message(exc) == "A regional post covers at least one division or district."


def test_kind_and_fields_must_agree(gazetteer):
    with pytest.raises(ValidationError) as exc:
        services.save_post(post=Post(code="s", kind=Post.Kind.SPECIALIST, title="S"))
    assert "a specialist post a specialism and no province" in message(exc)


# --- who holds a post -------------------------------------------------------------------------


def test_a_post_has_one_holder_at_a_time(gazetteer, make_user):
    post = regional(gazetteer, "rco-lahore", "pb", ["pb-lahore-division"], title="RCO Lahore")
    first = make_user(first_name="Sadia", last_name="Malik")
    services.assign(post=post, holder=first, start_date=date(2024, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.assign(post=post, holder=make_user(), start_date=date(2024, 2, 1))
    assert message(exc) == "RCO Lahore is held by Sadia Malik since 2024-01-01. Mark it vacant first."
    assert post.assignments.count() == 1


def test_a_new_holder_starts_after_the_previous_one_left(gazetteer, make_user):
    post = regional(gazetteer, "rco-lahore", "pb", ["pb-lahore-division"])
    services.assign(post=post, holder=make_user(), start_date=date(2024, 1, 1))
    services.make_vacant(post=post, end_date=date(2024, 6, 30))
    second = make_user()
    with pytest.raises(ValidationError) as exc:
        services.assign(post=post, holder=second, start_date=date(2024, 6, 30))
    assert message(exc) == (
        "The previous holder held the post until 2024-06-30; the new assignment must start after that."
    )
    services.assign(post=post, holder=second, start_date=date(2024, 7, 1))
    assert [(a.start_date, a.end_date) for a in post.assignments.order_by("start_date")] == [
        (date(2024, 1, 1), date(2024, 6, 30)),
        (date(2024, 7, 1), None),
    ]


def test_a_post_cannot_become_vacant_before_its_holder_started_or_twice(gazetteer, make_user):
    post = regional(gazetteer, "rco-lahore", "pb", ["pb-lahore-division"])
    services.assign(post=post, holder=make_user(), start_date=date(2024, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.make_vacant(post=post, end_date=date(2024, 2, 1))
    assert "started on 2024-03-01" in message(exc)
    services.make_vacant(post=post, end_date=date(2024, 4, 1))
    with pytest.raises(ValidationError, match="already vacant"):
        services.make_vacant(post=post)


def test_holding_a_post_gives_its_areas_and_leaving_takes_only_those(gazetteer, make_user):
    lahore = regional(gazetteer, "rco-lahore", "pb", ["pb-lahore-division"])
    gujranwala = regional(gazetteer, "rco-gujranwala", "pb", ["pb-gujranwala", "pb-sialkot"])
    holder = make_user()
    services.assign(post=lahore, holder=holder, start_date=date(2024, 1, 1))
    services.assign(post=gujranwala, holder=holder, start_date=date(2024, 1, 1))
    holder.refresh_from_db()
    assert holder.role == Role.ORGANISER
    assert set(holder.regions.values_list("code", flat=True)) == {
        "pb-lahore-division",
        "pb-gujranwala",
        "pb-sialkot",
    }
    services.make_vacant(post=lahore, end_date=date(2024, 5, 1))
    assert set(holder.regions.values_list("code", flat=True)) == {"pb-gujranwala", "pb-sialkot"}


def test_changing_a_held_posts_areas_changes_its_holders_regions(gazetteer, make_user):
    post = regional(gazetteer, "rco-gujranwala", "pb", ["pb-gujranwala", "pb-sialkot"])
    holder = make_user()
    services.assign(post=post, holder=holder, start_date=date(2024, 1, 1))
    services.save_post(post=post, areas=[gazetteer("pb-gujranwala"), gazetteer("pb-narowal")])
    assert set(holder.regions.values_list("code", flat=True)) == {"pb-gujranwala", "pb-narowal"}


def test_a_specialist_post_makes_its_holder_a_specialist_without_regions(gazetteer, make_user):
    post = specialist()
    holder = make_user()
    services.assign(post=post, holder=holder)
    holder.refresh_from_db()
    assert holder.role == Role.SPECIALIST
    assert holder.regions.count() == 0


def test_a_post_with_a_holder_cannot_be_retired(gazetteer, make_user):
    post = regional(gazetteer, "rco-lahore", "pb", ["pb-lahore-division"])
    services.assign(post=post, holder=make_user(), start_date=date(2024, 1, 1))
    with pytest.raises(ValidationError, match="End the current holder's assignment"):
        services.retire_post(post=post)
    services.make_vacant(post=post, end_date=date(2024, 2, 1))
    services.retire_post(post=post)
    with pytest.raises(ValidationError) as exc:
        services.assign(post=post, holder=make_user(), start_date=date(2024, 3, 1))
    assert message(exc) == "This post is retired."


def test_the_coverage_counts_follow_every_change(gazetteer, make_user):
    lahore = regional(gazetteer, "rco-lahore", "pb", ["pb-lahore-division"])
    karachi = regional(gazetteer, "rco-karachi", "sd", ["sd-karachi-division"])
    assert assert_counts_are_the_posts_state() == {"pb": (1, 0), "sd": (1, 0)}
    services.assign(post=lahore, holder=make_user(), start_date=TODAY() - timedelta(days=10))
    assert assert_counts_are_the_posts_state() == {"pb": (1, 1), "sd": (1, 0)}
    # Someone who starts next week does not cover the post today.
    services.assign(post=karachi, holder=make_user(), start_date=TODAY() + timedelta(days=7))
    assert assert_counts_are_the_posts_state() == {"pb": (1, 1), "sd": (1, 0)}
    services.make_vacant(post=lahore, end_date=TODAY() - timedelta(days=1))
    assert assert_counts_are_the_posts_state() == {"pb": (1, 0), "sd": (1, 0)}
    services.retire_post(post=lahore)
    assert assert_counts_are_the_posts_state() == {"sd": (1, 0)}


# --- vacancies --------------------------------------------------------------------------------


def test_a_post_has_one_open_vacancy_and_it_can_be_closed(gazetteer):
    post = regional(gazetteer, "rco-lahore", "pb", ["pb-lahore-division"])
    vacancy = services.open_vacancy(post=post, closes_on=TODAY() + timedelta(days=30))
    with pytest.raises(ValidationError) as exc:
        services.open_vacancy(post=post, closes_on=TODAY() + timedelta(days=40))
    assert "This post already has an open vacancy." in message(exc)
    services.close_vacancy(vacancy=vacancy)
    assert Vacancy.objects.get(pk=vacancy.pk).status == Vacancy.Status.CLOSED
    with pytest.raises(ValidationError, match="already closed"):
        services.close_vacancy(vacancy=vacancy)
    services.open_vacancy(post=post, closes_on=TODAY() + timedelta(days=40))


# --- applications and hiring --------------------------------------------------------------------


@pytest.fixture
def vacancy(gazetteer):
    post = regional(gazetteer, "rco-pb-lahore", "pb", ["pb-lahore-division"], title="RCO Lahore")
    return services.open_vacancy(post=post, closes_on=TODAY() + timedelta(days=30))


def move(application, *statuses, user=None):
    for status in statuses:
        services.move_application(application=application, status=status, user=user)
    return application


def test_hiring_fills_the_post_creates_the_account_and_sends_the_password_e_mail(
    vacancy, make_user, django_capture_on_commit_callbacks
):
    office = make_user(Role.CAMPAIGN_OFFICE)
    application = apply_to(vacancy, name="Ayesha Khan", email="Ayesha.Khan@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        move(application, "shortlisted", "interviewed", "offered", "hired", user=office)
    holder = get_user_model().objects.get(email="Ayesha.Khan@example.org")
    assert (holder.username, holder.first_name, holder.last_name) == ("ayeshakhan", "Ayesha", "Khan")
    assert not holder.has_usable_password()
    assert holder.role == Role.ORGANISER
    assert list(holder.regions.values_list("code", flat=True)) == ["pb-lahore-division"]
    post = vacancy.post
    assert post.current_assignment().holder == holder
    assert Post.objects.covered().filter(pk=post.pk).exists()
    assert Vacancy.objects.get(pk=vacancy.pk).status == Vacancy.Status.FILLED
    assert OrganiserProfile.objects.get(user=holder).public_name == "Ayesha Khan"
    assert [e.status for e in application.events.order_by("pk")] == [
        "received",
        "shortlisted",
        "interviewed",
        "offered",
        "hired",
    ]
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["Ayesha.Khan@example.org"]
    assert email.subject == "Welcome to the campaign: set your password"
    assert "Your username is ayeshakhan" in email.body
    assert "/accounts/password/reset/" in email.body
    assert_counts_are_the_posts_state()


def test_hiring_someone_with_an_account_reuses_it_and_sends_no_e_mail(
    vacancy, make_user, django_capture_on_commit_callbacks
):
    existing = make_user(email="bilal@example.org")
    application = apply_to(vacancy, name="Bilal Ahmed", email="BILAL@example.org", sex="male")
    with django_capture_on_commit_callbacks(execute=True):
        move(application, "shortlisted", "interviewed", "offered", "hired")
    assert vacancy.post.current_assignment().holder == existing
    assert get_user_model().objects.filter(email__iexact="bilal@example.org").count() == 1
    assert mail.outbox == []


def test_hiring_into_a_held_post_is_refused_and_changes_nothing(vacancy, make_user):
    services.assign(
        post=vacancy.post, holder=make_user(first_name="Sana"), start_date=TODAY() - timedelta(days=5)
    )
    application = move(apply_to(vacancy), "shortlisted", "interviewed", "offered")
    users = get_user_model().objects.count()
    with pytest.raises(ValidationError, match="Mark it vacant first"):
        services.move_application(application=application, status="hired")
    application.refresh_from_db()
    assert application.status == Application.Status.OFFERED
    assert get_user_model().objects.count() == users
    assert not application.events.filter(status="hired").exists()


def test_an_application_moves_only_to_its_next_stage(vacancy):
    application = apply_to(vacancy)
    with pytest.raises(ValidationError) as exc:
        services.move_application(application=application, status="offered")
    assert message(exc) == "An application that is received cannot become offered."
    with pytest.raises(ValidationError) as exc:
        services.move_application(application=application, status="promoted")
    assert message(exc) == "'promoted' is not a stage of an application."
    move(application, "not_selected")
    with pytest.raises(ValidationError) as exc:
        services.move_application(application=application, status="shortlisted")
    assert message(exc) == "An application that is not selected cannot become shortlisted."
    assert application.events.count() == 2


def test_a_step_cannot_be_dated_before_the_previous_one(vacancy):
    application = apply_to(vacancy)
    with pytest.raises(ValidationError) as exc:
        services.move_application(
            application=application, status="shortlisted", on=TODAY() - timedelta(days=3)
        )
    assert "The previous step is dated" in message(exc)
    services.move_application(application=application, status="shortlisted", on=TODAY(), note="Strong CV")
    assert application.events.last().note == "Strong CV"


def test_a_new_holders_account_is_checked_and_gets_the_e_mail(
    gazetteer, make_user, django_capture_on_commit_callbacks
):
    make_user(username="sadia", email="sadia@example.org")
    with pytest.raises(ValidationError) as exc:
        services.create_holder_account(full_name="Sadia Two", email="new@example.org", username="SADIA")
    assert exc.value.message_dict == {"username": ["The username SADIA is taken."]}
    with pytest.raises(ValidationError) as exc:
        services.create_holder_account(full_name="Sadia Two", email="Sadia@example.org", username="sadia2")
    assert "already has an account" in exc.value.message_dict["email"][0]
    with django_capture_on_commit_callbacks(execute=True):
        account = services.create_holder_account(
            full_name="Zara Noor", email="zara@example.org", username="zara"
        )
    assert account.organiser_profile.public_name == "Zara Noor"
    assert mail.outbox[0].to == ["zara@example.org"]
    assert Assignment.objects.count() == 0


def test_a_mail_server_that_is_down_does_not_undo_the_hiring(
    vacancy, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from muhim.network import notifications

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    application = apply_to(vacancy, name="Ayesha Khan", email="ayesha@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        move(application, "shortlisted", "interviewed", "offered", "hired")
    holder = get_user_model().objects.get(email="ayesha@example.org")
    assert vacancy.post.current_assignment().holder == holder
    assert "Could not send the welcome e-mail" in caplog.text


def test_the_welcome_e_mail_is_in_the_holders_language(make_user):
    from muhim.network.notifications import send_welcome

    holder = make_user(email="sana@example.org", preferred_language="ur")
    assert send_welcome(holder) is True
    assert mail.outbox[0].subject == "کیمپین میں خوش آمدید: اپنا پاس ورڈ بنائیں"
    assert "/ur/accounts/" in mail.outbox[0].body  # the page it links to opens in Urdu too
    english = make_user(email="ali@example.org", preferred_language="en")
    with translation.override("ur"):  # whoever hires works in Urdu
        send_welcome(english)
    assert mail.outbox[1].subject == "Welcome to the campaign: set your password"
    assert "/ur/" not in mail.outbox[1].body
