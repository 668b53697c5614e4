"""Elections and who stood in them: elections, parties (with the other spellings of their
names), people, candidacies and each seat's result.

Assemblies are `geography.Constituency.Assembly` (the National Assembly and the provincial
ones); a seat is a `geography.Constituency` of a delimitation, and an election names the
delimitation its seats belong to.

All of this is public record: the public pages and the Popolo export show it whole, except a
person's address (personal data, staff who may see personal data only)."""

import re
import unicodedata

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def normalise_name(text):
    """The form names are matched on: letters and digits only, lower case, accents dropped,
    so that 'Pakistan Muslim League (N)', 'PAKISTAN MUSLIM LEAGUE N' and 'pakistan muslim
    league(n)' are one name."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


class Election(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("General election")
        BY_ELECTION = "by", _("By-election")

    name = models.CharField(_("name"), max_length=120, help_text=_("e.g. 'General election 2018'."))
    name_ur = models.CharField(_("name (Urdu)"), max_length=120, blank=True)
    slug = models.SlugField(max_length=80, unique=True, help_text=_("e.g. 'ge-2018'."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.GENERAL)
    polling_date = models.DateField(_("polling day"))
    delimitation_year = models.PositiveIntegerField(
        _("delimitation year"), help_text=_("The delimitation whose seats were contested.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-polling_date"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.name_ur if get_language() == "ur" and self.name_ur else self.name


class PartyQuerySet(models.QuerySet):
    def search(self, text):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(name_ur__icontains=text)
            | Q(abbreviation__iexact=text)
            | Q(aliases__normalised=normalise_name(text))
        ).distinct()


class Party(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200, blank=True)
    abbreviation = models.CharField(
        _("abbreviation"), max_length=30, blank=True, help_text=_("e.g. 'PTI', 'PML-N', 'PPPP'.")
    )
    slug = models.SlugField(max_length=120, unique=True)
    symbol = models.CharField(
        _("election symbol"), max_length=80, blank=True, help_text=_("e.g. 'Bat', 'Tiger', 'Arrow'.")
    )
    symbol_ur = models.CharField(_("election symbol (Urdu)"), max_length=80, blank=True)
    website = models.URLField(_("website"), blank=True)
    colour = models.CharField(
        _("colour"), max_length=7, blank=True, help_text=_("For charts and maps, e.g. '#1b5e20'.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="party_name_unique",
                violation_error_message=_("A party with this name already exists."),
            )
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.abbreviation or self.name)[:100] or "party"
            slug, n = base, 1
            while Party.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                n += 1
                slug = f"{base}-{n}"
            self.slug = slug
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("accountability:party-scorecard", kwargs={"slug": self.slug})

    @property
    def display_name(self):
        return self.name_ur if get_language() == "ur" and self.name_ur else self.name

    @property
    def short_name(self):
        return self.abbreviation or self.display_name


class PartyAlias(models.Model):
    """Another way a source writes the party: an abbreviation, an old name, a misspelling."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(_("alias"), max_length=200)
    normalised = models.CharField(max_length=200, unique=True, editable=False)

    class Meta:
        ordering = ["alias"]
        verbose_name = _("party alias")
        verbose_name_plural = _("party aliases")

    def __str__(self):
        return self.alias

    def save(self, *args, **kwargs):
        self.normalised = normalise_name(self.alias)
        super().save(*args, **kwargs)


class Person(models.Model):
    """Someone who stood for election (Popolo: a person)."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200, blank=True)
    normalised = models.CharField(max_length=200, db_index=True, editable=False)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender, blank=True)
    # Personal data: shown only to staff who may see personal data.
    address = models.TextField(_("address"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.normalised = normalise_name(self.name)
        super().save(*args, **kwargs)

    @property
    def display_name(self):
        return self.name_ur if get_language() == "ur" and self.name_ur else self.name


class Candidacy(models.Model):
    """A person standing for a seat in an election, for a party or as an independent
    (Popolo: a membership of the party's organisation, on the seat's post)."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="candidacies")
    constituency = models.ForeignKey(
        "geography.Constituency", on_delete=models.PROTECT, related_name="candidacies"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="candidacies")
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidacies",
        help_text=_("Empty for an independent candidate."),
    )
    # What the source called the party, kept when it matched no party (reported by the import).
    party_as_written = models.CharField(_("party as written"), max_length=200, blank=True)
    symbol = models.CharField(_("election symbol"), max_length=80, blank=True)
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    is_winner = models.BooleanField(_("won"), default=False)
    withdrew = models.BooleanField(_("withdrew"), default=False)
    # Named by the results but not on the published candidate list; a results import matches
    # its names to the list's candidates only, so importing the results again finds these.
    added_from_results = models.BooleanField(
        _("added from the results"),
        default=False,
        help_text=_("Not on the published candidate list: the results named this candidate."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["constituency__assembly", "constituency__number", "-votes", "person__name"]
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "constituency", "person"], name="one_candidacy_per_person_and_seat"
            ),
        ]
        indexes = [models.Index(fields=["election", "party"])]

    def __str__(self):
        return f"{self.person} ({self.party_label}), {self.constituency.code}"

    @property
    def is_independent(self):
        return self.party_id is None and not self.party_as_written

    @property
    def party_label(self):
        if self.party_id:
            return self.party.short_name
        return self.party_as_written or _("Independent")


class ConstituencyResult(models.Model):
    """A seat's totals in an election, as the Election Commission published them."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="results")
    constituency = models.ForeignKey(
        "geography.Constituency", on_delete=models.PROTECT, related_name="results"
    )
    registered_voters = models.PositiveIntegerField(_("registered voters"), null=True, blank=True)
    votes_polled = models.PositiveIntegerField(_("votes polled"), null=True, blank=True)
    valid_votes = models.PositiveIntegerField(_("valid votes"), null=True, blank=True)
    rejected_votes = models.PositiveIntegerField(_("rejected votes"), null=True, blank=True)
    turnout = models.DecimalField(_("turnout (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["constituency__assembly", "constituency__number"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["election", "constituency"], name="one_result_per_seat"),
        ]

    def __str__(self):
        return f"{self.constituency.code}, {self.election}"
