"""The organiser network: posts (regional and specialist), who holds each and since when,
vacancies and the applications to them, and the public face of each organiser."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from muhim.core.models import private_storage


def _today():
    return timezone.localdate()


class Specialism(models.TextChoices):
    MEDIA = "media", _("Media engagement")
    DATA = "data", _("Data analysis and interpretation")
    DIGITAL = "digital", _("Digital strategy and platforms")
    ALLIANCES = "alliances", _("Alliances with governmental and non-governmental organisations")


class AssignmentQuerySet(models.QuerySet):
    def active(self, on=None):
        """Held on the day `on` (today): started, and not ended before it."""
        on = on or _today()
        return self.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


class PostQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_active=True)

    def regional(self):
        return self.filter(kind=Post.Kind.REGIONAL)

    def specialist(self):
        return self.filter(kind=Post.Kind.SPECIALIST)

    def with_cover(self, on=None):
        """Annotate `is_covered`: someone holds the post today."""
        held = Assignment.objects.active(on).filter(post=OuterRef("pk"))
        return self.annotate(is_covered=Exists(held))

    def covered(self, on=None):
        return self.with_cover(on).filter(is_covered=True)

    def vacant(self, on=None):
        return self.with_cover(on).filter(is_covered=False)

    def covering(self, area):
        """Current regional posts whose areas include `area` (a district, or anything inside)."""
        paths = [area.path]
        parts = area.path.split("/")
        paths += ["/".join(parts[:i]) for i in range(1, len(parts))]
        return self.current().regional().filter(coverage__area__path__in=paths).distinct()


class Post(models.Model):
    """A Regional Campaign Organiser's post (covering divisions or districts) or a specialist
    post (national). A post outlives its holders: vacancies and assignments hang off it."""

    class Kind(models.TextChoices):
        REGIONAL = "regional", _("Regional organiser")
        SPECIALIST = "specialist", _("Specialist")

    code = models.SlugField(
        max_length=80, unique=True, help_text=_("Stable identifier, e.g. 'rco-pb-lahore'.")
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.REGIONAL)
    title = models.CharField(
        _("title"), max_length=160, help_text=_("e.g. 'Regional Campaign Organiser, Lahore'.")
    )
    title_ur = models.CharField(_("title (Urdu)"), max_length=160, blank=True)
    specialism = models.CharField(max_length=20, choices=Specialism, blank=True)
    province = models.ForeignKey(
        "geography.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": "province"},
        help_text=_("The province a regional post counts towards."),
    )
    areas = models.ManyToManyField(
        "geography.Area",
        through="PostArea",
        related_name="posts",
        help_text=_("The divisions or districts a regional post covers."),
    )
    description = models.TextField(blank=True)
    description_ur = models.TextField(blank=True)
    is_active = models.BooleanField(
        default=True, help_text=_("Retired posts keep their history but no longer count.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "province__name", "title"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="regional", specialism="", province__isnull=False)
                | Q(kind="specialist", province__isnull=True) & ~Q(specialism=""),
                name="post_kind_fields",
                violation_error_message=_(
                    "A regional post needs a province and no specialism; a specialist post a "
                    "specialism and no province."
                ),
            ),
        ]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("network:post-detail", kwargs={"code": self.code})

    @property
    def display_title(self):
        if get_language() == "ur" and self.title_ur:
            return self.title_ur
        return self.title

    def current_assignment(self, on=None):
        return self.assignments.active(on).select_related("holder").first()

    def open_vacancy(self):
        return self.vacancies.open().first()


class PostArea(models.Model):
    """One area a regional post covers. An area is covered by at most one post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="coverage")
    area = models.ForeignKey("geography.Area", on_delete=models.PROTECT, related_name="post_coverage")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("covered area")
        verbose_name_plural = _("covered areas")
        constraints = [models.UniqueConstraint(fields=["area"], name="area_in_one_post")]

    def __str__(self):
        return f"{self.post} · {self.area}"


class Assignment(models.Model):
    """Who held a post, from when to when. Ending an assignment makes the post vacant."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="assignments")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    start_date = models.DateField(_("from"), default=_today)
    end_date = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Empty while the post is held.")
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["post", "-start_date"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(end_date__isnull=True),
                name="one_open_assignment_per_post",
                violation_error_message=_("This post already has a holder; end that assignment first."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_ends_after_it_starts",
                violation_error_message=_("An assignment cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.holder} · {self.post}"

    @property
    def is_active(self):
        today = _today()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)


class OrganiserProfile(models.Model):
    """What the public sees of an organiser: their name, photo and only the contact details
    they chose to publish."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organiser_profile"
    )
    public_name = models.CharField(_("public name"), max_length=120)
    public_name_ur = models.CharField(_("public name (Urdu)"), max_length=120, blank=True)
    photo = models.ImageField(_("photo"), upload_to="organisers/", blank=True)
    bio = models.TextField(_("about"), blank=True)
    bio_ur = models.TextField(_("about (Urdu)"), blank=True)
    phone = PhoneNumberField(_("phone"), blank=True, region="PK")
    whatsapp = PhoneNumberField(_("WhatsApp number"), blank=True, region="PK")
    email = models.EmailField(_("e-mail"), blank=True)
    publish_phone = models.BooleanField(_("show my phone number"), default=False)
    publish_whatsapp = models.BooleanField(_("show my WhatsApp number"), default=False)
    publish_email = models.BooleanField(_("show my e-mail"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("organiser's public profile")
        verbose_name_plural = _("organisers' public profiles")

    def __str__(self):
        return self.public_name

    @property
    def display_name(self):
        if get_language() == "ur" and self.public_name_ur:
            return self.public_name_ur
        return self.public_name

    def published_contacts(self):
        """Only what the organiser chose to show, ready for links."""
        contacts = {}
        if self.publish_phone and self.phone:
            contacts["phone"] = self.phone.as_e164
        if self.publish_whatsapp and self.whatsapp:
            contacts["whatsapp"] = self.whatsapp.as_e164.lstrip("+")
        if self.publish_email and self.email:
            contacts["email"] = self.email
        return contacts


class VacancyQuerySet(models.QuerySet):
    def open(self, on=None):
        on = on or _today()
        return self.filter(status=Vacancy.Status.OPEN, closes_on__gte=on)


class Vacancy(models.Model):
    """A call for applications to a vacant post."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        FILLED = "filled", _("Filled")

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="vacancies")
    opens_on = models.DateField(_("opens on"), default=_today)
    closes_on = models.DateField(_("closing date"))
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    description = models.TextField(_("description"), blank=True)
    description_ur = models.TextField(_("description (Urdu)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ["closes_on"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(status="open"),
                name="one_open_vacancy_per_post",
                violation_error_message=_("This post already has an open vacancy."),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="vacancy_closes_after_it_opens",
                violation_error_message=_("The closing date must be on or after the opening date."),
            ),
        ]

    def __str__(self):
        return f"{self.post} ({self.closes_on:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("network:vacancy-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self):
        return self.status == self.Status.OPEN and self.closes_on >= _today()


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNDISCLOSED = "", _("Prefer not to say")


class ApplicationQuerySet(models.QuerySet):
    def at_stage(self, status):
        return self.filter(status=status)


class Application(models.Model):
    """Someone applying for a vacancy, with their CV (kept in private storage)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        INTERVIEWED = "interviewed", _("Interviewed")
        OFFERED = "offered", _("Offered")
        HIRED = "hired", _("Hired")
        NOT_SELECTED = "not_selected", _("Not selected")

    # Where an application may go next; hired and not selected are final.
    NEXT = {
        Status.RECEIVED: [Status.SHORTLISTED, Status.NOT_SELECTED],
        Status.SHORTLISTED: [Status.INTERVIEWED, Status.NOT_SELECTED],
        Status.INTERVIEWED: [Status.OFFERED, Status.NOT_SELECTED],
        Status.OFFERED: [Status.HIRED, Status.NOT_SELECTED],
        Status.HIRED: [],
        Status.NOT_SELECTED: [],
    }

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="applications")
    full_name = models.CharField(_("full name"), max_length=160)
    email = models.EmailField(_("e-mail"))
    phone = PhoneNumberField(_("mobile number"), region="PK")
    sex = models.CharField(_("sex"), max_length=10, choices=Sex, blank=True)
    district = models.ForeignKey(
        "geography.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
        limit_choices_to={"level": "district"},
    )
    cover_note = models.TextField(_("why you want this post"), blank=True)
    cv = models.FileField(_("CV"), storage=private_storage, upload_to="cvs/%Y/%m/")
    cv_name = models.CharField(max_length=255, help_text=_("The file name as uploaded."))
    cv_kind = models.CharField(max_length=10, help_text=_("pdf or docx, as read from the content."))
    cv_sha256 = models.CharField(max_length=64)
    consent_at = models.DateTimeField(help_text=_("When the applicant agreed to their data being kept."))
    status = models.CharField(max_length=20, choices=Status, default=Status.RECEIVED, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return f"{self.full_name} → {self.vacancy.post}"

    def get_absolute_url(self):
        return reverse("network:application-detail", kwargs={"pk": self.pk})

    def next_statuses(self):
        return self.NEXT[self.status]


class ApplicationEvent(models.Model):
    """A step in the hiring pipeline, with its date and notes."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Application.Status)
    date = models.DateField(default=_today)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "created_at"]
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")

    def __str__(self):
        return f"{self.application}: {self.get_status_display()} {self.date}"
