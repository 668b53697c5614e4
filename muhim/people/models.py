"""Volunteers and supporters: who they are, how to reach them, what they agreed to, and
everything that happened between them and the campaign. Personal data: reach it through
`Volunteer.objects.visible_to(user)`, never `Volunteer.objects.all()` in a view."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from muhim.network.models import Sex


class Interest(models.Model):
    """Something a volunteer would like to help with (events, media, data, school monitoring…)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    name_ur = models.CharField(max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("interest")
        verbose_name_plural = _("interests")

    def __str__(self):
        if get_language() == "ur" and self.name_ur:
            return self.name_ur
        return self.name


class ConsentText(models.Model):
    """The words a volunteer agrees to when signing up. A new wording gets a new version, so
    that each volunteer's consent can be read exactly as they saw it."""

    version = models.SlugField(max_length=40, unique=True, help_text=_("e.g. '2026-11'."))
    text = models.TextField()
    text_ur = models.TextField()
    is_current = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consent wording")
        verbose_name_plural = _("consent wordings")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_consent_text"
            )
        ]

    def __str__(self):
        return self.version

    @property
    def display_text(self):
        return self.text_ur if get_language() == "ur" and self.text_ur else self.text

    @classmethod
    def current(cls):
        return cls.objects.filter(is_current=True).first()


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class VolunteerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Volunteers whose district lies in the user's regions (everyone's for the campaign
        office); nobody's for roles without access to volunteers' personal data."""
        from muhim.accounts.permissions import Capability, scope_filter

        return self.filter(scope_filter(user, Capability.MANAGE_VOLUNTEERS, "district"))

    def in_area(self, area):
        return self.filter(models.Q(district=area) | models.Q(district__path__startswith=f"{area.path}/"))


class Volunteer(models.Model):
    """A person who signed up to help, identified by their mobile number: signing up again with
    the same number updates this record instead of creating a second one."""

    class Level(models.TextChoices):
        SUPPORTER = "supporter", _("Supporter")
        VOLUNTEER = "volunteer", _("Volunteer")
        ACTIVE = "active", _("Active volunteer")
        LEADER = "leader", _("Volunteer leader")

    class Source(models.TextChoices):
        WEB = "web", _("Sign-up form")
        IMPORT = "import", _("Import")
        ORGANISER = "organiser", _("Added by an organiser")
        API = "api", _("API")

    name = models.CharField(_("name"), max_length=120)
    phone = PhoneNumberField(
        _("mobile number"),
        unique=True,
        region="PK",
        help_text=_("Stored in international form, e.g. +923001234567."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    district = models.ForeignKey(
        "geography.Area",
        on_delete=models.PROTECT,
        related_name="volunteers",
        verbose_name=_("district"),
        limit_choices_to={"level": "district"},
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex, blank=True)
    interests = models.ManyToManyField(
        Interest, blank=True, related_name="volunteers", verbose_name=_("interests")
    )
    level = models.CharField(_("involvement"), max_length=20, choices=Level, default=Level.SUPPORTER)
    tags = models.ManyToManyField(Tag, blank=True, related_name="volunteers", verbose_name=_("tags"))
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteers",
        help_text=_("The organiser the volunteer was routed to (the one covering their district)."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="ur")
    consent_text = models.ForeignKey(
        ConsentText,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The wording they agreed to be contacted under."),
    )
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source, default=Source.WEB)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], no_db_index=["phone", "district", "organiser"]
    )
    objects = VolunteerQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:volunteer-detail", kwargs={"pk": self.pk})


class Interaction(models.Model):
    """Something that happened between the campaign and a volunteer: signing up (again), a
    call, a message, a meeting, a note, later the activities they came to."""

    class Kind(models.TextChoices):
        SIGNUP = "signup", _("Signed up")
        SIGNUP_AGAIN = "signup_again", _("Signed up again")
        IMPORTED = "imported", _("Imported")
        NOTE = "note", _("Note")
        CALL = "call", _("Phone call")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("E-mail")
        LEVEL = "level", _("Level changed")
        ACTIVITY = "activity", _("Took part in an activity")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField(max_length=20, choices=Kind)
    text = models.TextField(blank=True)
    at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")

    def __str__(self):
        return f"{self.volunteer} · {self.get_kind_display()} · {self.at:%Y-%m-%d}"
