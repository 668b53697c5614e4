"""What candidates and parties promise and what happens to it, and the evidence the election
objectives are measured by: pledges with their promise-tracker ratings, voter-demand surveys
per constituency, media stories, and education budgets against 4% of GDP.

Visibility: the public sees a pledge, survey or story only when it is published; staff pages
narrow with `visible_to(user)` (organisers: their regions, through the constituency's
districts)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from muhim.core.models import private_storage
from muhim.manifestos.models import Topic

FOUR_PERCENT = Decimal("4.00")


class Rating(models.TextChoices):
    NOT_RATED = "not_rated", _("Not yet rated")
    IN_THE_WORKS = "in_the_works", _("In the works")
    STALLED = "stalled", _("Stalled")
    KEPT = "kept", _("Promise kept")
    COMPROMISE = "compromise", _("Compromise")
    BROKEN = "broken", _("Promise broken")


class Pledge(models.Model):
    """A promise by a candidate or a party, where and when it was made."""

    class SourceType(models.TextChoices):
        MANIFESTO = "manifesto", _("Manifesto")
        CORNER_MEETING = "corner_meeting", _("Corner meeting")
        SPEECH = "speech", _("Speech")
        INTERVIEW = "interview", _("Interview")
        SOCIAL_MEDIA = "social_media", _("Social media")
        WRITTEN = "written", _("Written pledge")

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="pledges")
    candidacy = models.ForeignKey(
        "elections.Candidacy", on_delete=models.PROTECT, null=True, blank=True, related_name="pledges"
    )
    party = models.ForeignKey(
        "elections.Party",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
        help_text=_("The party that made it; a candidate's pledge names the candidate's party."),
    )
    # Where it was made: the candidate's seat, or where a party leader spoke. Organisers record
    # pledges only for seats in their regions.
    constituency = models.ForeignKey(
        "geography.Constituency", on_delete=models.PROTECT, null=True, blank=True, related_name="pledges"
    )
    made_on = models.DateField(_("date"))
    source_type = models.CharField(_("source"), max_length=20, choices=SourceType)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    source_document = models.FileField(
        _("source document"), storage=private_storage, upload_to="pledges/%Y/", blank=True
    )
    text = models.TextField(_("what was promised"))
    text_ur = models.TextField(_("what was promised (Urdu)"), blank=True)
    is_education = models.BooleanField(_("about education"), default=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic, blank=True)
    # xgettext:no-python-format
    commits_four_percent = models.BooleanField(_("commits at least 4% of GDP"), default=False)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating, default=Rating.NOT_RATED)
    is_published = models.BooleanField(_("published"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-made_on", "-pk"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.CheckConstraint(
                condition=Q(candidacy__isnull=False) | Q(party__isnull=False),
                name="pledge_has_a_maker",
                violation_error_message=_("A pledge is made by a candidate or a party: name one."),
            )
        ]
        indexes = [models.Index(fields=["election", "is_education"])]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("accountability:pledge-detail", kwargs={"pk": self.pk})


class PledgeRating(models.Model):
    """A dated change of a pledge's promise-tracker rating, with the evidence for it."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="ratings")
    rating = models.CharField(_("rating"), max_length=20, choices=Rating)
    rated_on = models.DateField(_("date"))
    note = models.TextField(_("why"), blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    evidence_file = models.FileField(
        _("evidence file"), storage=private_storage, upload_to="pledge-evidence/%Y/", blank=True
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pledge", "rated_on", "pk"]
        verbose_name = _("pledge rating")
        verbose_name_plural = _("pledge ratings")

    def __str__(self):
        return f"{self.get_rating_display()} ({self.rated_on})"


class VoterSurvey(models.Model):
    """A survey of what voters in a constituency want, with the demands they named, ranked."""

    constituency = models.ForeignKey(
        "geography.Constituency", on_delete=models.PROTECT, related_name="voter_surveys"
    )
    election = models.ForeignKey(
        "elections.Election", on_delete=models.PROTECT, null=True, blank=True, related_name="voter_surveys"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    conducted_by = models.ForeignKey(
        "partners.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    conducted_on = models.DateField(_("date"))
    respondents = models.PositiveIntegerField(_("respondents"), null=True, blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-conducted_on", "constituency__assembly", "constituency__number"]
        verbose_name = _("voter-demand survey")
        verbose_name_plural = _("voter-demand surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["constituency", "conducted_on", "title"], name="one_survey_per_seat_date_title"
            ),
        ]

    def __str__(self):
        return f"{self.constituency.code}, {self.conducted_on}"

    @property
    def education_rank(self):
        """Where education stands among the demands (1 = first), or None if nobody named it."""
        ranks = [d.rank for d in self.demands.all() if d.is_education]
        return min(ranks) if ranks else None


class SurveyDemand(models.Model):
    survey = models.ForeignKey(VoterSurvey, on_delete=models.CASCADE, related_name="demands")
    rank = models.PositiveSmallIntegerField(_("rank"))
    demand = models.CharField(_("demand"), max_length=200, help_text=_("e.g. 'Education', 'Roads', 'Gas'."))
    is_education = models.BooleanField(_("about education"), default=False)
    share = models.DecimalField(
        _("share of respondents (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["survey", "rank"]
        verbose_name = _("survey demand")
        verbose_name_plural = _("survey demands")
        constraints = [models.UniqueConstraint(fields=["survey", "rank"], name="one_demand_per_rank")]

    def __str__(self):
        return f"{self.rank}. {self.demand}"


class MediaStory(models.Model):
    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        URDU = "ur", _("Urdu")
        SINDHI = "sd", _("Sindhi")
        PASHTO = "ps", _("Pashto")
        PUNJABI = "pa", _("Punjabi")
        BALOCHI = "bal", _("Balochi")
        OTHER = "other", _("Other")

    outlet = models.CharField(_("outlet"), max_length=120, help_text=_("e.g. 'Dawn', 'Jang', 'Geo News'."))
    published_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=Language, default=Language.ENGLISH)
    is_education = models.BooleanField(_("about education"), default=False)
    constituencies = models.ManyToManyField(
        "geography.Constituency", blank=True, related_name="media_stories", verbose_name=_("constituencies")
    )
    people = models.ManyToManyField(
        "elections.Person", blank=True, related_name="media_stories", verbose_name=_("candidates")
    )
    parties = models.ManyToManyField(
        "elections.Party", blank=True, related_name="media_stories", verbose_name=_("parties")
    )
    is_published = models.BooleanField(_("published"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("media story")
        verbose_name_plural = _("media stories")
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="one_story_per_link"),
        ]
        indexes = [models.Index(fields=["published_on", "is_education"])]

    def __str__(self):
        return self.title


class EducationBudget(models.Model):
    """A government's education allocation for a fiscal year against the GDP it is measured by."""

    class Government(models.TextChoices):
        FEDERAL = "federal", _("Federal")
        PUNJAB = "pb", _("Punjab")
        SINDH = "sd", _("Sindh")
        KHYBER_PAKHTUNKHWA = "kp", _("Khyber Pakhtunkhwa")
        BALOCHISTAN = "ba", _("Balochistan")
        ALL = "all", _("Pakistan (all governments)")

    government = models.CharField(_("government"), max_length=10, choices=Government)
    fiscal_year = models.CharField(
        _("fiscal year"), max_length=7, help_text=_("July to June, written '2018-19'.")
    )
    education_allocation = models.DecimalField(
        _("education allocation (PKR million)"), max_digits=14, decimal_places=2
    )
    gdp = models.DecimalField(
        _("GDP (PKR million)"),
        max_digits=16,
        decimal_places=2,
        # xgettext:no-python-format
        help_text=_("Pakistan's GDP at current prices for the year (the 4% target is of it)."),
    )
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["fiscal_year", "government"]
        verbose_name = _("education budget")
        verbose_name_plural = _("education budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["government", "fiscal_year"], name="one_budget_per_government_year"
            ),
        ]

    def __str__(self):
        return f"{self.get_government_display()} {self.fiscal_year}"

    @property
    def share_of_gdp(self):
        if not self.gdp:
            return None
        return (Decimal(100) * self.education_allocation / self.gdp).quantize(Decimal("0.01"))

    @property
    def meets_target(self):
        share = self.share_of_gdp
        return share is not None and share >= FOUR_PERCENT
