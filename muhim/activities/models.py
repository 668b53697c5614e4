"""Field activities: what organisers hold every week (seminars, Kuli Katchehris, theatre,
school visits, science melas …), caravans with a stop per day, who attended (by sex), which
officials came, media coverage, photos, outcomes and follow-ups.

Visibility: public pages use `Activity.objects.public()`; staff pages narrow with
`Activity.objects.visible_to(user)` (the user's regions). Every write goes through
`activities.services`, which also keeps the dashboard's figures (`ActivityStat`) right."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from muhim.core.models import private_storage


class ActivityType(models.TextChoices):
    CARAVAN = "caravan", _("Caravan")
    THEATRE = "theatre", _("Theatre or puppet show")
    SEMINAR = "seminar", _("Seminar")
    CONFERENCE = "conference", _("Conference")
    PRESS_BRIEFING = "press_briefing", _("Press briefing")
    KULI_KATCHEHRI = "kuli_katchehri", _("Kuli Katchehri")
    PARENTAL_BODY_MEETING = "parental_body_meeting", _("Parental body meeting")
    JIRGA = "jirga", _("Community jirga")
    SCIENCE_MELA = "science_mela", _("Science mela, fair or exhibition")
    SCHOOL_VISIT = "school_visit", _("School visit")
    RALLY = "rally", _("Rally")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Activities in the user's regions (all of them for national roles); none for roles
        without access to the field pages."""
        from muhim.accounts.permissions import Capability, scope_filter

        return self.filter(scope_filter(user, Capability.VIEW_ACTIVITIES, "district"))

    def editable_by(self, user):
        from muhim.accounts.permissions import Capability, scope_filter

        return self.filter(scope_filter(user, Capability.MANAGE_ACTIVITIES, "district"))

    def public(self):
        """What the public calendar and feeds may show: published and not cancelled."""
        return self.filter(is_public=True).exclude(status=Activity.Status.CANCELLED)

    def upcoming(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(end_date__gte=on) | Q(end_date__isnull=True, start_date__gte=on))

    def held(self):
        return self.filter(status=Activity.Status.HELD)

    def in_area(self, area):
        return self.filter(Q(district=area) | Q(district__path__startswith=f"{area.path}/"))

    def in_month(self, year, month):
        start = date(year, month, 1)
        end = date(year + (month == 12), month % 12 + 1, 1)
        return self.filter(start_date__lt=end).filter(
            Q(end_date__gte=start) | Q(end_date__isnull=True, start_date__gte=start)
        )


class Activity(models.Model):
    """One activity on one or more days in one district. A caravan is an activity whose
    itinerary (`stops`) crosses districts; the activity held at each stop is an activity of
    its own, linked from the stop."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class Count(models.TextChoices):
        COUNTED = "counted", _("Counted")
        ESTIMATED = "estimated", _("Estimated")

    kind = models.CharField(_("type"), max_length=30, choices=ActivityType, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    title_ur = models.CharField(_("title (Urdu)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    start_date = models.DateField(_("starts on"))
    end_date = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("Leave empty for an activity of one day.")
    )
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    end_time = models.TimeField(_("ends at"), null=True, blank=True)
    district = models.ForeignKey(
        "geography.Area",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("district"),
        limit_choices_to={"level": "district"},
        help_text=_("For a caravan: the district it sets out from."),
    )
    place = models.ForeignKey(
        "geography.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tehsil or union council"),
        help_text=_("A tehsil or union council inside the district, where known."),
    )
    venue = models.CharField(
        _("venue"), max_length=200, blank=True, help_text=_("e.g. 'Government Girls High School No. 2'.")
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("organiser"),
        help_text=_("The campaign organiser responsible for it."),
    )
    partners = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="activities",
        verbose_name=_("partner organisations"),
    )
    women = models.PositiveIntegerField(_("women"), null=True, blank=True)
    men = models.PositiveIntegerField(_("men"), null=True, blank=True)
    girls = models.PositiveIntegerField(_("girls"), null=True, blank=True)
    boys = models.PositiveIntegerField(_("boys"), null=True, blank=True)
    attendance_count = models.CharField(
        _("attendance was"),
        max_length=20,
        choices=Count,
        default=Count.COUNTED,
        help_text=_("Whether the numbers were counted or estimated."),
    )
    outcomes = models.TextField(_("outcomes"), blank=True, help_text=_("What came out of it."))
    follow_up = models.TextField(
        _("follow-up"), blank=True, help_text=_("What is to be done next, and by whom.")
    )
    follow_up_on = models.DateField(_("follow up by"), null=True, blank=True)
    is_public = models.BooleanField(
        _("show on the public calendar"),
        default=False,
        help_text=_("Public activities appear on the public calendar and in the iCalendar feeds."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    uid = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text=_("Stable identifier in calendar feeds.")
    )

    history = HistoricalRecords(
        excluded_fields=["updated_at"], no_db_index=["district", "place", "organiser", "kind"]
    )
    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["start_date", "kind"], name="activity_start_kind"),
            # The lists' and the API's order (newest first): a page is read off the index
            # instead of sorting every row.
            models.Index(fields=["start_date", "id"], name="activity_start_id"),
            models.Index(fields=["district", "start_date"], name="activity_district_start"),
            models.Index(fields=["is_public", "start_date"], name="activity_public_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="activity_ends_after_it_starts",
                violation_error_message=_("The activity cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("activities:activity-detail", kwargs={"pk": self.pk})

    def get_public_url(self):
        return reverse("activities:event-detail", kwargs={"pk": self.pk})

    @property
    def display_title(self):
        return self.title_ur if get_language() == "ur" and self.title_ur else self.title

    @property
    def last_date(self):
        return self.end_date or self.start_date

    @property
    def attendance(self):
        """Everyone counted, or None when no number was given."""
        numbers = [n for n in (self.women, self.men, self.girls, self.boys) if n is not None]
        return sum(numbers) if numbers else None

    @property
    def is_overdue(self):
        return (
            self.follow_up_on is not None
            and self.follow_up_on < timezone.localdate()
            and self.status != self.Status.CANCELLED
        )


class CaravanStop(models.Model):
    """A day of a caravan's itinerary. `activity` is what was held there (a theatre show, a
    rally …), logged like any activity; the stop counts as held once that activity is."""

    caravan = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="stops",
        limit_choices_to={"kind": ActivityType.CARAVAN},
    )
    sequence = models.PositiveSmallIntegerField(
        _("stop"), help_text=_("1 for the first stop, 2 for the next …")
    )
    date = models.DateField(_("date"))
    district = models.ForeignKey(
        "geography.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district"),
        limit_choices_to={"level": "district"},
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    activity = models.OneToOneField(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caravan_stop",
        verbose_name=_("activity held there"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["caravan", "sequence"]
        verbose_name = _("caravan stop")
        verbose_name_plural = _("caravan stops")
        constraints = [
            models.UniqueConstraint(
                fields=["caravan", "sequence"],
                name="caravan_stop_sequence_unique",
                violation_error_message=_("The caravan already has a stop with this number."),
            ),
        ]

    def __str__(self):
        return f"{self.caravan} · {self.sequence}. {self.district}"

    @property
    def is_held(self):
        return self.activity is not None and self.activity.status == Activity.Status.HELD


class ActivityOfficial(models.Model):
    """An elected representative or official who attended (at a Kuli Katchehri: who parents
    met). Public: their name and office are a matter of public record."""

    class Kind(models.TextChoices):
        ELECTED = "elected", _("Elected representative")
        EDUCATION = "education", _("Education official")
        ADMINISTRATION = "administration", _("District administration")
        OTHER = "other", _("Other official")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="officials")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    name = models.CharField(_("name"), max_length=160)
    designation = models.CharField(
        _("office"),
        max_length=200,
        help_text=_("e.g. 'MPA, PP-160' or 'District Education Officer (Female), Kasur'."),
    )
    constituency = models.ForeignKey(
        "geography.Constituency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("constituency"),
        help_text=_("For an elected representative: their seat."),
    )

    class Meta:
        ordering = ["activity", "kind", "name"]
        verbose_name = _("official present")
        verbose_name_plural = _("officials present")

    def __str__(self):
        return f"{self.name} ({self.designation})"


class MediaCoverage(models.Model):
    """A report of the activity in the press, on television, radio or online."""

    class Medium(models.TextChoices):
        PRINT = "print", _("Newspaper")
        TV = "tv", _("Television")
        RADIO = "radio", _("Radio")
        ONLINE = "online", _("Online")
        SOCIAL = "social", _("Social media")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="coverage")
    outlet = models.CharField(_("outlet"), max_length=160, help_text=_("e.g. 'Daily Jang, Lahore'."))
    medium = models.CharField(_("medium"), max_length=20, choices=Medium, default=Medium.PRINT)
    date = models.DateField(_("date"))
    headline = models.CharField(_("headline"), max_length=300, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)

    class Meta:
        ordering = ["activity", "date", "outlet"]
        verbose_name = _("media coverage")
        verbose_name_plural = _("media coverage")

    def __str__(self):
        return f"{self.outlet}, {self.date}"


def _photo_path(photo, filename):
    return f"activities/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{filename[filename.rfind('.') :]}"


class ActivityPhoto(models.Model):
    """A photo of the activity, re-encoded at upload (which drops its metadata, such as GPS
    position) with a thumbnail. Kept in private storage: served by a view that shows a public
    activity's photos to everyone and the others only to staff who may see the activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), storage=private_storage, upload_to=_photo_path)
    thumbnail = models.ImageField(storage=private_storage, upload_to=_photo_path)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "created_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or f"{self.activity} · {self.pk}"


class _Figures(models.Model):
    activities = models.PositiveIntegerField(default=0)
    women = models.PositiveIntegerField(default=0)
    men = models.PositiveIntegerField(default=0)
    girls = models.PositiveIntegerField(default=0)
    boys = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class ActivityStat(_Figures):
    """The dashboard's figures for one month, province, type and status: how many activities
    started, and how many women, men, girls and boys attended them. Like `ActivityDistrictStat`
    it is recomputed from the activities (`activities.stats`) for every bucket a write touches,
    so it always equals the list it summarises; `manage.py rebuild_stats` recomputes them all."""

    month = models.DateField(help_text=_("The first day of the month the activities started in."))
    province = models.ForeignKey("geography.Area", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=ActivityType)
    status = models.CharField(max_length=20, choices=Activity.Status)

    class Meta:
        verbose_name = _("activity figures by month")
        verbose_name_plural = _("activity figures by month")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "province", "kind", "status"], name="activity_stat_bucket_unique"
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.province_id} {self.kind} {self.status}: {self.activities}"


class ActivityDistrictStat(_Figures):
    """All-time figures per district, type and status: the dashboard's map and the figures of
    a region (an organiser's divisions or districts)."""

    district = models.ForeignKey("geography.Area", on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey("geography.Area", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=ActivityType)
    status = models.CharField(max_length=20, choices=Activity.Status)

    class Meta:
        verbose_name = _("activity figures by district")
        verbose_name_plural = _("activity figures by district")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "kind", "status"], name="activity_dstat_bucket_unique"
            )
        ]
        # Covering the map's and the top districts' sums.
        indexes = [
            models.Index(fields=["district", "status", "activities"], name="activity_dstat_district_sum")
        ]

    def __str__(self):
        return f"{self.district_id} {self.kind} {self.status}: {self.activities}"
