"""Party manifestos and their analysis: the manifesto's quasi-sentences, whether each is about
education expansion (and which part of it), a reviewer's confirmation or correction, and the
funding commitments found in it.

The education share is the Manifesto Project's per506 rule: 100 × education quasi-sentences ÷
all quasi-sentences, uncoded ones included, headings excluded. A reviewer's decision overrides
the automatic one; `Manifesto.refresh_figures()` keeps the stored figures equal to the
sentences."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from muhim.core.models import private_storage


class Topic(models.TextChoices):
    ACCESS = "access", _("Access and enrolment")
    QUALITY = "quality", _("Quality and learning")
    TEACHERS = "teachers", _("Teachers")
    GIRLS = "girls", _("Girls' education")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    FUNDING = "funding", _("Funding")
    HIGHER = "higher", _("Higher and technical education")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    URDU = "ur", _("Urdu")


class ManifestoQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, status=Manifesto.Status.READY)


class Manifesto(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be analysed")
        ANALYSING = "analysing", _("Being analysed")
        READY = "ready", _("Analysed")
        FAILED = "failed", _("Could not be analysed")

    class Source(models.TextChoices):
        PDF = "pdf", _("PDF")
        DOCX = "docx", _("Word document (DOCX)")
        HTML = "html", _("Web page (HTML)")
        TEXT = "text", _("Plain text")
        CODED = "coded", _("Pre-coded quasi-sentences (text, cmp_code)")

    party = models.ForeignKey("elections.Party", on_delete=models.PROTECT, related_name="manifestos")
    election = models.ForeignKey(
        "elections.Election", on_delete=models.PROTECT, related_name="manifestos", null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=250)
    language = models.CharField(_("language"), max_length=2, choices=Language, default=Language.ENGLISH)
    source = models.CharField(_("source"), max_length=10, choices=Source)
    # Kept privately: the file is served only once the manifesto is published.
    file = models.FileField(_("file"), storage=private_storage, upload_to="manifestos/%Y/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Per cent analysed."))
    message = models.TextField(blank=True, help_text=_("Why the analysis failed, in words for the uploader."))
    task_id = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    # Figures kept equal to the sentences by refresh_figures().
    quasi_sentences = models.PositiveIntegerField(_("quasi-sentences"), default=0)
    education_sentences = models.PositiveIntegerField(_("education quasi-sentences"), default=0)
    education_share = models.DecimalField(
        _("education share (%)"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    reviewed_sentences = models.PositiveIntegerField(default=0)
    commits_four_percent = models.BooleanField(
        # xgettext:no-python-format
        _("commits 4% of GDP"),
        default=False,
        # xgettext:no-python-format
        help_text=_("A funding commitment of at least 4% of GDP."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    analysed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "progress"])
    objects = ManifestoQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("manifesto")
        verbose_name_plural = _("manifestos")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("manifestos:detail", kwargs={"pk": self.pk})

    def refresh_figures(self, save=True):
        """Recount from the sentences: the reviewer's decision where there is one."""
        counts = self.sentences.aggregate(
            total=Count("pk", filter=Q(is_heading=False)),
            education=Count(
                "pk",
                filter=Q(is_heading=False)
                & (Q(reviewed_education=True) | Q(reviewed_education__isnull=True, predicted_education=True)),
            ),
            reviewed=Count("pk", filter=Q(reviewed_education__isnull=False)),
        )
        self.quasi_sentences = counts["total"]
        self.education_sentences = counts["education"]
        self.reviewed_sentences = counts["reviewed"]
        self.education_share = share(counts["education"], counts["total"])
        self.commits_four_percent = (
            FundingCommitment.objects.standing().filter(manifesto=self, meets_target=True).exists()
        )
        if save:
            self.save(
                update_fields=[
                    "quasi_sentences",
                    "education_sentences",
                    "reviewed_sentences",
                    "education_share",
                    "commits_four_percent",
                    "updated_at",
                ]
            )


def share(part, whole):
    """per506-style share, in per cent to three decimals (as the Manifesto Project publishes)."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.001"))


class QuasiSentence(models.Model):
    manifesto = models.ForeignKey(Manifesto, on_delete=models.CASCADE, related_name="sentences")
    position = models.PositiveIntegerField()
    text = models.TextField()
    page = models.PositiveIntegerField(null=True, blank=True)
    is_heading = models.BooleanField(default=False)
    # A pre-coded manifesto's Manifesto Project code ('506', '411', '0' uncoded, 'H' heading).
    cmp_code = models.CharField(max_length=10, blank=True)
    predicted_education = models.BooleanField(default=False)
    predicted_topic = models.CharField(max_length=20, choices=Topic, blank=True)
    confidence = models.FloatField(default=0.0)
    reviewed_education = models.BooleanField(null=True, blank=True)
    reviewed_topic = models.CharField(max_length=20, choices=Topic, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["manifesto", "position"]
        verbose_name = _("quasi-sentence")
        verbose_name_plural = _("quasi-sentences")
        constraints = [
            models.UniqueConstraint(fields=["manifesto", "position"], name="one_sentence_per_position"),
        ]
        indexes = [models.Index(fields=["manifesto", "predicted_education", "reviewed_education"])]

    def __str__(self):
        return self.text[:80]

    @property
    def is_education(self):
        return self.predicted_education if self.reviewed_education is None else self.reviewed_education

    @property
    def topic(self):
        return self.reviewed_topic if self.reviewed_education is not None else self.predicted_topic

    @property
    def is_reviewed(self):
        return self.reviewed_education is not None


class CommitmentQuerySet(models.QuerySet):
    def standing(self):
        """What the manifesto commits to: not the commitments whose sentence a reviewer found
        is not about education ("UNESCO recommends 4%", "they promised 4% and spent 2%")."""
        return self.exclude(sentence__reviewed_education=False)


class FundingCommitment(models.Model):
    """A promise of money for education found in a manifesto: '4% of GDP', 'raise the education
    budget to 5%'. A reviewer sets one aside by deciding its sentence is not education."""

    class Measure(models.TextChoices):
        GDP = "gdp", _("Share of GDP")
        BUDGET = "budget", _("Share of the budget")
        AMOUNT = "amount", _("Amount or increase")

    manifesto = models.ForeignKey(Manifesto, on_delete=models.CASCADE, related_name="funding_commitments")
    sentence = models.ForeignKey(
        QuasiSentence, on_delete=models.CASCADE, null=True, blank=True, related_name="funding_commitments"
    )
    text = models.TextField()
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    measure = models.CharField(max_length=10, choices=Measure)
    # xgettext:no-python-format
    meets_target = models.BooleanField(default=False, help_text=_("At least 4% of GDP."))

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["manifesto", "sentence__position"]
        verbose_name = _("funding commitment")
        verbose_name_plural = _("funding commitments")

    def __str__(self):
        return self.text[:80]
