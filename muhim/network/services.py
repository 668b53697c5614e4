"""Writes to the organiser network: defining posts and what they cover, who holds them,
vacancies, applications and hiring. Each function checks the network's rules and raises
ValidationError with a message for the person at the keyboard."""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from muhim.accounts.models import Role
from muhim.geography.models import Area

from .models import Application, ApplicationEvent, Assignment, OrganiserProfile, Post, PostArea, Vacancy


def _districts_of(areas):
    """District ids covered by divisions/districts `areas`."""
    ids = set()
    for area in areas:
        if area.level == Area.Level.DISTRICT:
            ids.add(area.pk)
        else:
            ids.update(area.descendants().districts().values_list("pk", flat=True))
    return ids


def _check_coverage(post, areas):
    for area in areas:
        if area.level not in (Area.Level.DIVISION, Area.Level.DISTRICT):
            raise ValidationError(
                _("%(area)s is a %(level)s; a regional post covers divisions or districts.")
                % {"area": area.name, "level": area.get_level_display()}
            )
        if post.province_id and area.province_id != post.province_id:
            raise ValidationError(
                _("%(area)s is not in %(province)s, the post's province.")
                % {"area": area.name, "province": post.province.name}
            )
    wanted = _districts_of(areas)
    others = Post.objects.current().regional().exclude(pk=post.pk).prefetch_related("areas")
    for other in others:
        overlap = wanted & _districts_of(other.areas.all())
        if overlap:
            names = sorted(Area.objects.filter(pk__in=overlap).values_list("name", flat=True))
            raise ValidationError(
                ngettext(
                    "%(districts)s is already covered by %(code)s (%(post)s). A district is covered "
                    "by one post at a time.",
                    "%(districts)s are already covered by %(code)s (%(post)s). A district is covered "
                    "by one post at a time.",
                    len(names),
                )
                % {"districts": ", ".join(names), "code": other.code, "post": other.title},
                code="overlap",
            )


def _open_assignment(post):
    return post.assignments.filter(end_date__isnull=True).select_related("holder").first()


def _areas_held_elsewhere(holder, post):
    """Area ids of the other posts `holder` holds now: they keep those regions."""
    return set(
        PostArea.objects.filter(post__assignments__holder=holder, post__assignments__end_date__isnull=True)
        .exclude(post=post)
        .values_list("area_id", flat=True)
    )


@transaction.atomic
def save_post(*, post: Post, areas=None, user=None) -> Post:
    """Create or change a post and (for a regional post) the areas it covers."""
    post._history_user = user
    post.full_clean()
    if post.kind == Post.Kind.REGIONAL and areas is not None:
        areas = list(areas)
        if not areas:
            raise ValidationError(_("A regional post covers at least one division or district."))
        _check_coverage(post, areas)
    before = set(post.coverage.values_list("area_id", flat=True)) if post.pk else set()
    post.save()
    if post.kind == Post.Kind.SPECIALIST:
        post.coverage.all().delete()
    elif areas is not None:
        post.coverage.exclude(area__in=areas).delete()
        existing = set(post.coverage.values_list("area_id", flat=True))
        # With their history rows: the post's page shows when each area was added.
        bulk_create_with_history(
            [PostArea(post=post, area=a) for a in areas if a.pk not in existing], PostArea, default_user=user
        )
    after = set(post.coverage.values_list("area_id", flat=True))
    current = _open_assignment(post) if before != after else None
    if current is not None:
        # The holder works where the post covers: their regions follow a change of its areas.
        holder = current.holder
        dropped = before - after - _areas_held_elsewhere(holder, post)
        holder.regions.remove(*dropped)
        holder.regions.add(*(after - before))
    return post


@transaction.atomic
def retire_post(*, post: Post, user=None) -> Post:
    """A post that no longer exists: it keeps its history, stops counting, frees its areas."""
    if post.assignments.filter(end_date__isnull=True).exists():
        raise ValidationError(_("End the current holder's assignment before retiring the post."))
    post.is_active = False
    post._history_user = user
    post.save()
    post.coverage.all().delete()
    for vacancy in post.vacancies.filter(status=Vacancy.Status.OPEN):
        vacancy.status = Vacancy.Status.CLOSED
        vacancy._history_user = user
        vacancy.save()
    return post


def _give_post_access(holder, post):
    """An organiser works in the areas of their post; a specialist nationally."""
    if post.kind == Post.Kind.REGIONAL:
        if holder.role in ("", Role.ORGANISER):
            holder.role = Role.ORGANISER
            holder.save(update_fields=["role"])
        holder.regions.add(*post.areas.all())
    elif not holder.role:
        holder.role = Role.SPECIALIST
        holder.save(update_fields=["role"])


@transaction.atomic
def assign(*, post: Post, holder, start_date: date | None = None, note="", user=None) -> Assignment:
    """Make `holder` the holder of `post` from `start_date`."""
    start_date = start_date or timezone.localdate()
    if not post.is_active:
        raise ValidationError(_("This post is retired."))
    current = _open_assignment(post)
    if current is not None:
        raise ValidationError(
            _("%(post)s is held by %(holder)s since %(start)s. Mark it vacant first.")
            % {
                "post": post.title,
                "holder": current.holder.get_full_name() or current.holder,
                "start": current.start_date,
            }
        )
    last_end = (
        post.assignments.exclude(end_date__isnull=True)
        .order_by("-end_date")
        .values_list("end_date", flat=True)
        .first()
    )
    if last_end and start_date <= last_end:
        raise ValidationError(
            _("The previous holder held the post until %(end)s; the new assignment must start after that.")
            % {"end": last_end}
        )
    assignment = Assignment(post=post, holder=holder, start_date=start_date, note=note)
    assignment._history_user = user
    assignment.full_clean()
    assignment.save()
    _give_post_access(holder, post)
    for vacancy in post.vacancies.filter(status=Vacancy.Status.OPEN):
        vacancy.status = Vacancy.Status.FILLED
        vacancy._history_user = user
        vacancy.save()
    return assignment


@transaction.atomic
def make_vacant(*, post: Post, end_date: date | None = None, note="", user=None) -> Assignment | None:
    """End the current holder's assignment on `end_date` (today). Their access to the post's
    areas ends with it."""
    end_date = end_date or timezone.localdate()
    current = _open_assignment(post)
    if current is None:
        raise ValidationError(_("This post is already vacant."))
    if end_date < current.start_date:
        raise ValidationError(
            _("The holder started on %(start)s; the post cannot become vacant before that.")
            % {"start": current.start_date}
        )
    current.end_date = end_date
    if note:
        current.note = f"{current.note}\n{note}".strip()
    current._history_user = user
    current.save()
    holder = current.holder
    if post.kind == Post.Kind.REGIONAL:
        still_held = _areas_held_elsewhere(holder, post)
        holder.regions.remove(*post.areas.exclude(pk__in=still_held))
    return current


@transaction.atomic
def close_vacancy(*, vacancy: Vacancy, user=None) -> Vacancy:
    """Stop taking applications for `vacancy` (the applications already in stay)."""
    if vacancy.status != Vacancy.Status.OPEN:
        raise ValidationError(
            _("This vacancy is already %(status)s.") % {"status": vacancy.get_status_display().lower()}
        )
    vacancy.status = Vacancy.Status.CLOSED
    vacancy._history_user = user
    vacancy.save()
    return vacancy


@transaction.atomic
def create_holder_account(*, full_name: str, email: str, username: str, user=None):
    """A staff account for someone about to be given a post by the campaign office: no password
    yet; after the transaction they get the e-mail to choose one."""
    User = get_user_model()
    full_name, email, username = full_name.strip(), email.strip(), username.strip()
    if not full_name:
        raise ValidationError({"full_name": _("Give the person's name.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The username %(name)s is taken.") % {"name": username}})
    if email and User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _("%(email)s already has an account; choose that person from the list.")
                % {"email": email}
            }
        )
    first, _space, last = full_name.partition(" ")
    account = User(username=username, email=email, first_name=first, last_name=last)
    account.set_unusable_password()
    account._history_user = user
    account.full_clean(exclude=["password"])
    account.save()
    OrganiserProfile.objects.create(user=account, public_name=full_name, email=email)
    from .notifications import send_welcome

    transaction.on_commit(lambda: send_welcome(account))
    return account


@transaction.atomic
def open_vacancy(*, post: Post, closes_on: date, description="", description_ur="", user=None) -> Vacancy:
    if not post.is_active:
        raise ValidationError(_("This post is retired."))
    vacancy = Vacancy(post=post, closes_on=closes_on, description=description, description_ur=description_ur)
    vacancy._history_user = user
    vacancy.full_clean()
    if closes_on < timezone.localdate():
        raise ValidationError(_("The closing date is in the past."))
    vacancy.save()
    return vacancy


def cv_digest(uploaded) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


@transaction.atomic
def apply(*, vacancy: Vacancy, cv, cv_kind: str, **fields) -> Application:
    """Store an application with its (already checked) CV. `fields`: full_name, email, phone,
    sex, district, cover_note."""
    if not vacancy.is_open:
        raise ValidationError(_("Applications for this post are closed."))
    application = Application(
        vacancy=vacancy,
        cv_name=cv.name[:255],
        cv_kind=cv_kind,
        cv_sha256=cv_digest(cv),
        consent_at=timezone.now(),
        **fields,
    )
    application.cv.save(f"{slugify(fields.get('full_name', ''))[:40] or 'cv'}.{cv_kind}", cv, save=False)
    application.full_clean(exclude=["cv"])
    application.save()
    ApplicationEvent.objects.create(application=application, status=Application.Status.RECEIVED)
    return application


@transaction.atomic
def move_application(*, application: Application, status: str, note="", on: date | None = None, user=None):
    """Move an application to its next stage; hiring fills the post."""
    if status not in Application.Status.values:
        raise ValidationError(_("%(status)r is not a stage of an application.") % {"status": status})
    if status not in application.next_statuses():
        raise ValidationError(
            _("An application that is %(current)s cannot become %(next)s.")
            % {
                "current": application.get_status_display().lower(),
                "next": Application.Status(status).label.lower(),
            }
        )
    on = on or timezone.localdate()
    last = application.events.order_by("-date").values_list("date", flat=True).first()
    if last and on < last:
        raise ValidationError(
            _("The previous step is dated %(date)s; this one cannot be earlier.") % {"date": last}
        )
    if status == Application.Status.HIRED:
        hire(application=application, start_date=on, user=user)
    application.status = status
    application._history_user = user
    application.save()
    ApplicationEvent.objects.create(application=application, status=status, note=note, date=on, by=user)
    return application


def _account_for(application):
    """The staff account of someone hired: theirs if their e-mail already has one, else a new
    one without a password (they set it from the e-mail they get)."""
    User = get_user_model()
    existing = User.objects.filter(email__iexact=application.email).first()
    if existing:
        return existing, False
    base = slugify(application.email.split("@")[0]) or "organiser"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}{n}"
    first, _space, last = application.full_name.partition(" ")
    user = User(username=username, email=application.email, first_name=first, last_name=last)
    user.set_unusable_password()
    user.save()
    return user, True


def hire(*, application: Application, start_date: date, user=None):
    post = application.vacancy.post
    holder, created = _account_for(application)
    assignment = assign(
        post=post,
        holder=holder,
        start_date=start_date,
        note=_("Hired from application #%(id)s") % {"id": application.pk},
        user=user,
    )
    vacancy = application.vacancy
    vacancy.status = Vacancy.Status.FILLED
    vacancy._history_user = user
    vacancy.save()
    # Their name on the public map; the contact details stay hidden until they publish them.
    OrganiserProfile.objects.get_or_create(
        user=holder,
        defaults={
            "public_name": application.full_name,
            "email": application.email,
            "phone": application.phone,
        },
    )
    if created:
        from .notifications import send_welcome

        transaction.on_commit(lambda: send_welcome(holder))
    return assignment


@dataclass
class Cover:
    post: Post | None
    assignment: Assignment | None

    @property
    def holder(self):
        return self.assignment.holder if self.assignment else None


def organiser_for(area: Area) -> Cover:
    """The current regional post covering `area` (a district or anything inside one), and its
    holder today if there is one."""
    post = Post.objects.covering(area).select_related("province").first()
    if post is None:
        return Cover(None, None)
    return Cover(post, post.current_assignment())


def coverage_by_province(on=None):
    """[(province, posts, covered)] for provinces with regional posts, plus the specialists."""
    held = Assignment.objects.active(on).filter(post=OuterRef("pk"))
    rows = (
        Post.objects.current()
        .regional()
        .values("province")
        .annotate(posts=Count("pk"), covered=Count("pk", filter=Q(Exists(held))))
        .order_by()
    )
    provinces = {a.pk: a for a in Area.objects.provinces()}
    summary = [(provinces[r["province"]], r["posts"], r["covered"]) for r in rows]
    summary.sort(key=lambda item: item[0].name)
    return summary
