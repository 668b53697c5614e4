"""Organisations the campaign works with."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OrganisationQuerySet(models.QuerySet):
    def search(self, text):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            models.Q(name__icontains=text)
            | models.Q(name_ur__icontains=text)
            | models.Q(abbreviation__iexact=text)
        )


class Organisation(models.Model):
    """A partner organisation: named on activities (co-organisers, hosts, sponsors) and as the
    organisation behind a parental body."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        NGO = "ngo", _("Non-governmental organisation")
        FOR_PROFIT = "for_profit", _("For-profit company")
        MEDIA = "media", _("Media")
        ACADEMIC = "academic", _("Academic or research")
        DONOR = "donor", _("Donor")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200, blank=True)
    abbreviation = models.CharField(
        _("abbreviation"), max_length=30, blank=True, help_text=_("e.g. 'RSPN', 'IBT'.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.NGO)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="organisation_name_unique",
                violation_error_message=_("An organisation with this name already exists."),
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        name = self.name_ur if get_language() == "ur" and self.name_ur else self.name
        return f"{name} ({self.abbreviation})" if self.abbreviation else name
