"""What parents ask for (teachers, a girls' middle school, toilets, a boundary wall, water …),
where, from which authority, and its status over time until it is resolved; and the parental
bodies, at union-council and district level, that carry such demands.

Visibility: the public sees a demand only when it is published (`Demand.objects.published()`),
and never who raised it. Staff pages narrow with `visible_to(user)`. Every status change is a
`DemandUpdate` written by `demands.services.update_status`, which also keeps the dashboard's
figures (`DemandStat`, `DemandDistrictStat`) right."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from muhim.core.models import private_storage
from muhim.network.models import Sex


class Category(models.TextChoices):
    TEACHERS = "teachers", _("Teachers absent or missing")
    GIRLS_SCHOOL = "girls_school", _("Girls' school needed")
    UPGRADE = "upgrade", _("Upgrade to middle or high school")
    BUILDING = "building", _("School building")
    TOILETS = "toilets", _("Toilets")
    BOUNDARY_WALL = "boundary_wall", _("Boundary wall")
    WATER = "water", _("Drinking water")
    ELECTRICITY = "electricity", _("Electricity")
    TEXTBOOKS = "textbooks", _("Textbooks")
    FEES = "fees", _("Fees")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    RAISED = "raised", _("Raised")
    SUBMITTED = "submitted", _("Submitted to the authority")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    REJECTED = "rejected", _("Rejected")
    STALLED = "stalled", _("Stalled")


# A demand is open until it is resolved or rejected; a stalled demand is still open (it is
# followed up until it moves again).
CLOSED_STATUSES = (Status.RESOLVED, Status.REJECTED)
OPEN_STATUSES = tuple(s for s in Status if s not in CLOSED_STATUSES)
# Where a demand may go from each status. A closed demand can be reopened (a school built and
# then left without teachers again is the same demand, raised again).
NEXT_STATUSES = {
    Status.RAISED: [
        Status.SUBMITTED,
        Status.ACKNOWLEDGED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.REJECTED,
        Status.STALLED,
    ],
    Status.SUBMITTED: [
        Status.ACKNOWLEDGED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.REJECTED,
        Status.STALLED,
    ],
    Status.ACKNOWLEDGED: [Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED, Status.STALLED],
    Status.IN_PROGRESS: [Status.RESOLVED, Status.REJECTED, Status.STALLED],
    Status.STALLED: [
        Status.SUBMITTED,
        Status.ACKNOWLEDGED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.REJECTED,
    ],
    Status.RESOLVED: [Status.RAISED],
    Status.REJECTED: [Status.RAISED, Status.SUBMITTED],
}


class ParentalBodyQuerySet(models.QuerySet):
    def visible_to(self, user):
        from muhim.accounts.permissions import Capability, scope_filter

        return self.filter(scope_filter(user, Capability.VIEW_DEMANDS, "district"))

    def active(self):
        return self.filter(is_active=True)


class ParentalBody(models.Model):
    """A body of parents at union-council or district level (a school council, a parents'
    committee, a taleemi jirga), often set up with a partner organisation."""

    class Level(models.TextChoices):
        UNION_COUNCIL = "union_council", _("Union council")
        DISTRICT = "district", _("District")

    name = models.CharField(_("name"), max_length=200)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level)
    district = models.ForeignKey(
        "geography.Area",
        on_delete=models.PROTECT,
        related_name="parental_bodies",
        verbose_name=_("district"),
        limit_choices_to={"level": "district"},
    )
    union_council = models.ForeignKey(
        "geography.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("union council"),
        help_text=_("For a union-council body: its union council, inside the district."),
    )
    partner = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parental_bodies",
        verbose_name=_("partner organisation"),
        help_text=_("The organisation that set it up or supports it, e.g. a rural support programme."),
    )
    formed_on = models.DateField(_("formed on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parental_bodies",
        verbose_name=_("organiser"),
    )
    meetings = models.ManyToManyField(
        "activities.Activity",
        blank=True,
        related_name="parental_bodies",
        verbose_name=_("meetings"),
        help_text=_("Its meetings, logged as activities."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], no_db_index=["district", "union_council", "partner"]
    )
    objects = ParentalBodyQuerySet.as_manager()

    class Meta:
        ordering = ["district__name", "name"]
        verbose_name = _("parental body")
        verbose_name_plural = _("parental bodies")

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("demands:body-detail", kwargs={"pk": self.pk})

    @property
    def display_name(self):
        return self.name_ur if get_language() == "ur" and self.name_ur else self.name


class ParentalBodyMember(models.Model):
    """A member of a parental body. Personal data: shown only to staff who may see personal
    data in the body's region."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        SECRETARY = "secretary", _("Secretary")
        TREASURER = "treasurer", _("Treasurer")
        MEMBER = "member", _("Member")

    body = models.ForeignKey(ParentalBody, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=160)
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.MEMBER)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex, blank=True)
    phone = PhoneNumberField(_("mobile number"), region="PK", blank=True)
    volunteer = models.ForeignKey(
        "people.Volunteer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parental_bodies",
        verbose_name=_("volunteer record"),
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    history = HistoricalRecords(no_db_index=["volunteer"])

    class Meta:
        ordering = ["body", "role", "name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="member_leaves_after_joining",
                violation_error_message=_("A member cannot leave before joining."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class DemandQuerySet(models.QuerySet):
    def visible_to(self, user):
        from muhim.accounts.permissions import Capability, scope_filter

        return self.filter(scope_filter(user, Capability.VIEW_DEMANDS, "district"))

    def editable_by(self, user):
        from muhim.accounts.permissions import Capability, scope_filter

        return self.filter(scope_filter(user, Capability.MANAGE_DEMANDS, "district"))

    def published(self):
        return self.filter(is_published=True)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.filter(status__in=CLOSED_STATUSES)

    def overdue(self, on=None):
        """Open demands whose follow-up date has passed."""
        on = on or timezone.localdate()
        return self.open().filter(follow_up_on__lt=on)

    def in_area(self, area):
        return self.filter(Q(district=area) | Q(district__path__startswith=f"{area.path}/"))


class Demand(models.Model):
    """A demand of parents: what, where, from whom, and where it stands. `status`,
    `status_on` and `resolved_on` repeat the latest `DemandUpdate` for lists and figures;
    `demands.services` keeps them in step."""

    class RaisedBy(models.TextChoices):
        PARENT = "parent", _("A parent")
        PARENTAL_BODY = "parental_body", _("A parental body")
        JIRGA = "jirga", _("A jirga")
        ACTIVITY = "activity", _("At an activity")
        TEACHER = "teacher", _("A teacher")
        OTHER = "other", _("Someone else")

    class Authority(models.TextChoices):
        EDUCATION_OFFICER = "education_officer", _("District Education Officer")
        ELECTED = "elected", _("Elected representative")
        DEPARTMENT = "department", _("Provincial education department")
        ADMINISTRATION = "administration", _("District administration")
        OTHER = "other", _("Other")

    title = models.CharField(
        _("demand"), max_length=200, help_text=_("In a few words, e.g. 'Two teachers for GPS Chak 12'.")
    )
    title_ur = models.CharField(_("demand (Urdu)"), max_length=200, blank=True)
    description = models.TextField(
        _("details"),
        blank=True,
        help_text=_("Shown on the public page when published: no names or phone numbers."),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category, db_index=True)
    school = models.CharField(
        _("school or place"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 'Government Primary School, Chak 12'."),
    )
    school_emis = models.CharField(
        _("school EMIS code"),
        max_length=20,
        blank=True,
        help_text=_("The school's code in the education department's EMIS, if known."),
    )
    district = models.ForeignKey(
        "geography.Area",
        on_delete=models.PROTECT,
        related_name="demands",
        verbose_name=_("district"),
        limit_choices_to={"level": "district"},
    )
    place = models.ForeignKey(
        "geography.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tehsil or union council"),
    )
    raised_by = models.CharField(_("raised by"), max_length=20, choices=RaisedBy, default=RaisedBy.PARENT)
    raised_by_name = models.CharField(
        _("name of who raised it"),
        max_length=160,
        blank=True,
        help_text=_("Private: never shown on public pages."),
    )
    raised_by_phone = PhoneNumberField(
        _("their mobile number"),
        region="PK",
        blank=True,
        help_text=_("Private: never shown on public pages."),
    )
    parental_body = models.ForeignKey(
        ParentalBody,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("parental body"),
        help_text=_("The parental body that carries it."),
    )
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("raised at"),
        help_text=_("The activity it was raised at, e.g. a Kuli Katchehri."),
    )
    authority = models.CharField(_("responsible authority"), max_length=20, choices=Authority)
    authority_name = models.CharField(
        _("authority's office"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 'District Education Officer (Female), Kasur' or 'MPA, PP-160'."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.RAISED, db_index=True
    )
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    status_on = models.DateField(_("status since"), default=timezone.localdate)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolved_on_the_spot = models.BooleanField(
        _("resolved on the spot"), default=False, help_text=_("Settled at the activity where it was raised.")
    )
    follow_up_on = models.DateField(_("follow up by"), null=True, blank=True)
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("A published demand has a public page with its status history."),
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("organiser"),
        help_text=_("Who follows it up."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        no_db_index=["district", "place", "parental_body", "activity", "organiser", "category", "status"],
    )
    objects = DemandQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        indexes = [
            models.Index(fields=["district", "status"], name="demand_district_status"),
            models.Index(fields=["status", "follow_up_on"], name="demand_status_follow_up"),
            models.Index(fields=["raised_on"], name="demand_raised_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("raised_on")),
                name="demand_resolved_after_raised",
                violation_error_message=_("A demand cannot be resolved before it was raised."),
            ),
            models.CheckConstraint(
                condition=Q(resolved_on_the_spot=False) | Q(status="resolved"),
                name="demand_on_the_spot_is_resolved",
                violation_error_message=_("Only a resolved demand can have been resolved on the spot."),
            ),
        ]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("demands:demand-detail", kwargs={"pk": self.pk})

    def get_public_url(self):
        return reverse("demands:public-demand", kwargs={"pk": self.pk})

    @property
    def display_title(self):
        return self.title_ur if get_language() == "ur" and self.title_ur else self.title

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.follow_up_on is not None and self.follow_up_on < timezone.localdate()

    def next_statuses(self):
        return NEXT_STATUSES[Status(self.status)]

    @property
    def days_to_resolution(self):
        if self.resolved_on is None:
            return None
        return (self.resolved_on - self.raised_on).days


def _evidence_path(update, filename):
    return f"demands/{timezone.now():%Y/%m}/{update.demand_id}-{filename[-80:]}"


class DemandUpdate(models.Model):
    """One step in a demand's history: its status from `date`, with a note for the public page
    (when the demand is published) and one for the campaign only, and evidence."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=20, choices=Status)
    date = models.DateField(_("date"))
    note = models.TextField(
        _("what happened"), blank=True, help_text=_("Shown on the public page when the demand is published.")
    )
    internal_note = models.TextField(
        _("note for the campaign"), blank=True, help_text=_("Never shown publicly.")
    )
    evidence_url = models.URLField(_("evidence (link)"), max_length=500, blank=True)
    evidence = models.FileField(
        _("evidence (file)"),
        storage=private_storage,
        upload_to=_evidence_path,
        blank=True,
        help_text=_("A letter, a notification, a photo: PDF or image. Private."),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["demand", "date", "pk"]
        verbose_name = _("demand update")
        verbose_name_plural = _("demand updates")
        indexes = [models.Index(fields=["demand", "date"], name="demand_update_demand_date")]

    def __str__(self):
        return f"{self.demand}: {self.get_status_display()} {self.date}"


class DemandStat(models.Model):
    """The dashboard's demand figures per month, province and category: demands raised that
    month, demands resolved that month (of them on the spot, and their days from raised to
    resolved, summed for the average). Recomputed by `demands.stats` for every bucket a write
    touches; `manage.py rebuild_stats` recomputes them all."""

    month = models.DateField()
    province = models.ForeignKey("geography.Area", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=20, choices=Category)
    raised = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    resolved_on_the_spot = models.PositiveIntegerField(default=0)
    days_to_resolution = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("demand figures by month")
        verbose_name_plural = _("demand figures by month")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "province", "category"], name="demand_stat_bucket_unique"
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.province_id} {self.category}: {self.raised}/{self.resolved}"


class DemandDistrictStat(models.Model):
    """How many demands of a category stand at each status in a district now."""

    district = models.ForeignKey("geography.Area", on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey("geography.Area", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=20, choices=Category)
    status = models.CharField(max_length=20, choices=Status)
    demands = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("demand figures by district")
        verbose_name_plural = _("demand figures by district")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "category", "status"], name="demand_dstat_bucket_unique"
            )
        ]
        # Covering the dashboard's sums: by status and category nationally, by district for the map.
        indexes = [
            models.Index(fields=["status", "category", "demands"], name="demand_dstat_status_sum"),
            models.Index(fields=["district", "status", "demands"], name="demand_dstat_district_sum"),
        ]

    def __str__(self):
        return f"{self.district_id} {self.category} {self.status}: {self.demands}"
