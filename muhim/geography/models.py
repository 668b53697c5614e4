"""Pakistan's administrative areas, their other names, and the assembly constituencies that
lie in them."""

from decimal import Decimal
from functools import reduce
from operator import or_

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The columns only maps need: a province's outline is tens of kilobytes of JSON, decoded for
# every row that loads it. Lists, choices and forms leave them out.
GEOMETRY_FIELDS = ("boundary", "bbox")


def defer_geometry(queryset, *relations):
    """`queryset` without the geometry of the areas reached through `relations` (e.g.
    "district", "district__province"), for lists that show names, not maps."""
    return queryset.defer(*(f"{relation}__{name}" for relation in relations for name in GEOMETRY_FIELDS))


class AreaQuerySet(models.QuerySet):
    def light(self):
        """Without the boundaries: for choices, lists and names."""
        return self.defer(*GEOMETRY_FIELDS)

    def at_level(self, level):
        return self.filter(level=level)

    def provinces(self):
        return self.filter(level=Area.Level.PROVINCE)

    def divisions(self):
        return self.filter(level=Area.Level.DIVISION)

    def districts(self):
        return self.filter(level=Area.Level.DISTRICT)

    def within(self, *areas, include_self=True):
        """Areas inside any of `areas` (by their materialised path)."""
        if not areas:
            return self.none()
        conditions = [Q(path__startswith=f"{a.path}/") for a in areas]
        if include_self:
            conditions.append(Q(pk__in=[a.pk for a in areas]))
        return self.filter(reduce(or_, conditions))

    def search(self, text):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(name_ur__icontains=text)
            | Q(code__iexact=text)
            | Q(aliases__name__icontains=text)
        ).distinct()

    def with_boundary(self):
        return self.exclude(boundary__isnull=True)

    def editable_by(self, user):
        """The areas `user` may edit: all for the campaign office, their regions' for organisers."""
        from muhim.accounts.permissions import Capability, scope_filter

        return self.filter(scope_filter(user, Capability.EDIT_GAZETTEER))


class Area(models.Model):
    """A province or territory, division, district, tehsil or union council. Codes are stable:
    a renamed area keeps its code and gains an alias."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province or territory")
        DIVISION = "division", _("Division")
        DISTRICT = "district", _("District")
        TEHSIL = "tehsil", _("Tehsil")
        UNION_COUNCIL = "union_council", _("Union council")

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        FEDERAL_TERRITORY = "federal_territory", _("Federal territory")
        ADMINISTERED_TERRITORY = "administered_territory", _("Administered territory")

    # The level each level's parent must have.
    PARENT_LEVEL = {
        Level.PROVINCE: None,
        Level.DIVISION: Level.PROVINCE,
        Level.DISTRICT: Level.DIVISION,
        Level.TEHSIL: Level.DISTRICT,
        Level.UNION_COUNCIL: Level.TEHSIL,
    }

    code = models.SlugField(
        max_length=80,
        unique=True,
        help_text=_("Stable identifier, e.g. 'pb-lahore'. Never reused or changed on renaming."),
    )
    level = models.CharField(max_length=20, choices=Level, db_index=True)
    kind = models.CharField(
        max_length=30,
        choices=Kind,
        blank=True,
        help_text=_("For provinces and territories only: their constitutional status."),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    province = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The province or territory this area lies in (itself, for a province)."),
    )
    path = models.CharField(
        max_length=400,
        db_index=True,
        editable=False,
        help_text=_("Codes from the province down to this area, joined by '/'."),
    )
    name = models.CharField(_("name (English)"), max_length=120)
    name_ur = models.CharField(_("name (Urdu)"), max_length=120, blank=True)
    headquarters = models.CharField(_("headquarters"), max_length=120, blank=True)
    centroid_lat = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("23")), MaxValueValidator(Decimal("38"))],
        help_text=_("Approximate centre, used for the map's marker when there is no boundary."),
    )
    centroid_lon = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("60")), MaxValueValidator(Decimal("78"))],
    )
    boundary = models.JSONField(
        null=True,
        blank=True,
        help_text=_("Simplified GeoJSON geometry (Polygon or MultiPolygon, WGS 84)."),
    )
    bbox = models.JSONField(null=True, blank=True, help_text=_("[west, south, east, north] of the boundary."))
    boundary_source = models.CharField(
        max_length=255, blank=True, help_text=_("File the boundary was imported from, and when.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Boundaries are large and replaced wholesale by imports; their source line is history enough.
    # History is looked up by record and date; indexing its other columns would only slow the
    # imports that write a history row per new tehsil or union council.
    history = HistoricalRecords(
        excluded_fields=["boundary", "bbox", "path", "updated_at"],
        no_db_index=["code", "level", "parent", "province"],
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True)
                | (~Q(level="province") & Q(parent__isnull=False)),
                name="area_parent_matches_level",
                violation_error_message=_("Only provinces and territories have no parent."),
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("geography:area-detail", kwargs={"code": self.code})

    @property
    def display_name(self):
        if get_language() == "ur" and self.name_ur:
            return self.name_ur
        return self.name

    @property
    def other_language_name(self):
        return self.name if get_language() == "ur" else self.name_ur

    @property
    def has_centroid(self):
        return self.centroid_lat is not None and self.centroid_lon is not None

    def build_path(self):
        return f"{self.parent.path}/{self.code}" if self.parent_id else self.code

    def ancestors(self):
        """From the province down to the parent, in one query."""
        codes = self.path.split("/")[:-1]
        by_code = {a.code: a for a in Area.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    def descendants(self):
        return Area.objects.filter(path__startswith=f"{self.path}/")

    def contains(self, other):
        return other.pk == self.pk or other.path.startswith(f"{self.path}/")

    def geometry(self):
        """GeoJSON geometry for maps: the boundary, or a point at the centroid."""
        if self.boundary:
            return self.boundary
        if self.has_centroid:
            return {"type": "Point", "coordinates": [float(self.centroid_lon), float(self.centroid_lat)]}
        return None


class AreaAlias(models.Model):
    """Another name an area goes by: a spelling, a former name, or the name of a former area
    it came from. Matching uses these and never guesses beyond them."""

    class Kind(models.TextChoices):
        SPELLING = "spelling", _("Spelling variant")
        FORMER = "former", _("Former name")
        SPLIT = "split", _("Former area, split (this is one successor)")
        MERGED = "merged", _("Former area, merged into this one")

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.SPELLING)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("other name")
        verbose_name_plural = _("other names")
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="unique_alias_per_area"),
        ]

    def __str__(self):
        return self.name


class ConstituencyQuerySet(models.QuerySet):
    def in_area(self, area):
        """Seats linked to `area` or to any area inside it."""
        return self.filter(Q(areas=area) | Q(areas__path__startswith=f"{area.path}/")).distinct()

    def national(self):
        return self.filter(assembly=Constituency.Assembly.NATIONAL)


class Constituency(models.Model):
    """A seat of the National Assembly or a provincial assembly, for one delimitation."""

    class Assembly(models.TextChoices):
        NATIONAL = "NA", _("National Assembly")
        PUNJAB = "PP", _("Provincial Assembly of the Punjab")
        SINDH = "PS", _("Provincial Assembly of Sindh")
        KHYBER_PAKHTUNKHWA = "PK", _("Provincial Assembly of Khyber Pakhtunkhwa")
        BALOCHISTAN = "PB", _("Provincial Assembly of Balochistan")
        GILGIT_BALTISTAN = "GBA", _("Gilgit-Baltistan Assembly")
        AZAD_KASHMIR = "LA", _("Legislative Assembly of Azad Jammu and Kashmir")

    # The province whose assembly it is, by code; the National Assembly spans all.
    ASSEMBLY_PROVINCE = {"PP": "pb", "PS": "sd", "PK": "kp", "PB": "ba", "GBA": "gb", "LA": "jk"}

    code = models.CharField(
        max_length=20, help_text=_("As the Election Commission writes it, e.g. 'NA-1', 'PP-147'.")
    )
    assembly = models.CharField(max_length=3, choices=Assembly, db_index=True)
    number = models.PositiveIntegerField()
    name = models.CharField(
        max_length=200, blank=True, help_text=_("The seat's name in the delimitation, e.g. 'Swat-I'.")
    )
    delimitation_year = models.PositiveIntegerField(
        help_text=_("Year of the delimitation the seat belongs to (2018 for the 2018 general election).")
    )
    province = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": Area.Level.PROVINCE},
    )
    areas = models.ManyToManyField(
        Area,
        through="ConstituencyArea",
        related_name="constituencies",
        help_text=_("The districts the seat lies in (a division where the source names only that)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ConstituencyQuerySet.as_manager()

    class Meta:
        ordering = ["assembly", "number"]
        verbose_name = _("constituency")
        verbose_name_plural = _("constituencies")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "delimitation_year"], name="unique_constituency_per_delimitation"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}".strip()

    def get_absolute_url(self):
        return reverse(
            "geography:constituency-detail",
            kwargs={"code": self.code, "year": self.delimitation_year},
        )


class ConstituencyArea(models.Model):
    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="links")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="constituency_links")
    is_primary = models.BooleanField(
        default=True, help_text=_("The seat's main district, as opposed to others it also covers.")
    )

    class Meta:
        verbose_name = _("constituency area")
        verbose_name_plural = _("constituency areas")
        constraints = [
            models.UniqueConstraint(fields=["constituency", "area"], name="unique_constituency_area"),
        ]

    def __str__(self):
        return f"{self.constituency.code} in {self.area.name}"
