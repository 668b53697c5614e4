"""Staff accounts. What each role may do, and where, is in permissions.py."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    CAMPAIGN_OFFICE = "campaign_office", _("Campaign office")
    ORGANISER = "organiser", _("Regional organiser")
    SPECIALIST = "specialist", _("Specialist")
    PARTNER = "partner", _("Partner")


class User(AbstractUser):
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role,
        blank=True,
        help_text=_("What this person may do. Without a role an account can only sign in."),
    )
    regions = models.ManyToManyField(
        "geography.Area",
        blank=True,
        related_name="staff",
        verbose_name=_("regions"),
        help_text=_(
            "For organisers: the provinces, divisions or districts they cover. Their access to "
            "regional records is limited to these areas and everything inside them."
        ),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def effective_role(self):
        """Superusers act as administrators whatever their role field says."""
        if self.is_superuser:
            return Role.ADMINISTRATOR
        return self.role or None

    def get_role_display_text(self):
        role = self.effective_role
        return Role(role).label if role else _("No role")
