"""Importers for the gazetteer's own data: assembly seats, and tehsils / union councils."""

import re

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muhim.accounts.permissions import Capability
from muhim.core.imports.base import Field, ModelImporter, Option, Plan, RowError
from muhim.core.imports.registry import register

from .matching import AreaMatcher
from .models import Area, Constituency, ConstituencyArea

SEAT_PATTERN = re.compile(r"^\s*(NA|PP|PS|PK|PB|GBA|LA)[\s\-_.]*0*(\d{1,3})\s*$", re.IGNORECASE)
# "Swat-I", "Karachi East-IV", "Kohistan cum Lower": the number is not part of the district.
ROMAN_SUFFIX = re.compile(r"[\s\-]+(?:[IVXL]+|\d+)\s*$", re.IGNORECASE)
NAME_SEPARATORS = re.compile(r"\s*(?:/|,|;|\s-cum-\s*|-cum-|\bcum\b)\s*", re.IGNORECASE)
LIST_SEPARATORS = re.compile(r"\s*(?:/|,|;|\s-\s)\s*")


def parse_seat_code(text):
    """'NA 1', 'na-001', 'NA-1' → ('NA', 1, 'NA-1'); raises RowError otherwise."""
    text = (text or "").strip()
    if not text:
        raise RowError(_("The seat code is empty."))
    found = SEAT_PATTERN.match(text)
    if not found:
        raise RowError(
            _("%(text)r is not a seat code like NA-1, PP-147, PS-1, PK-1 or PB-1.") % {"text": text}
        )
    assembly, number = found.group(1).upper(), int(found.group(2))
    return assembly, number, f"{assembly}-{number}"


def district_names_in_seat_name(seat_name):
    """The district names inside a seat's name: 'Maneshra-cum-Torghar' → ['Maneshra',
    'Torghar']; 'Karachi East-II' → ['Karachi East']."""
    parts = []
    for part in NAME_SEPARATORS.split(seat_name or ""):
        part = ROMAN_SUFFIX.sub("", part.strip()).strip(" -")
        if part:
            parts.append(part)
    return parts


@register
class ConstituencyImporter(ModelImporter):
    slug = "constituencies"
    label = gettext_lazy("Constituencies (National and provincial assembly seats)")
    description = gettext_lazy(
        "One row per seat: its code (NA-1, PP-1, PS-1, PK-1, PB-1 …) and the district or "
        "districts it lies in, or a seat name such as 'Swat-I' from which the district is read. "
        "District names are matched by name and known aliases; an unknown district rejects the row."
    )
    source_hint = gettext_lazy(
        "The Election Commission's seat lists, e.g. na-seats-2018.csv, pa-seats-2018.csv or "
        "constituencies-pp.csv from the 2018 election data."
    )
    capability = Capability.MANAGE_CONSTITUENCIES
    model = Constituency
    key_fields = ("code", "delimitation_year")
    fields = [
        Field(
            "seat",
            gettext_lazy("Seat code"),
            required=True,
            aliases=("code", "constituency", "name", "seat_code"),
        ),
        Field("seat_name", gettext_lazy("Seat name"), aliases=("area", "constituency_name", "seat name")),
        Field(
            "district",
            gettext_lazy("District"),
            aliases=("PrimaryDistrict", "primary district", "district_name"),
        ),
        Field(
            "other_districts",
            gettext_lazy("Other districts"),
            aliases=("SeconDistrict", "secondary district", "secondary districts"),
            help=gettext_lazy("Separated by ' - ', '/', ',' or ';'."),
        ),
        Field("province", gettext_lazy("Province"), aliases=("province_name",)),
    ]
    options = [
        Option(
            "delimitation_year",
            gettext_lazy("Delimitation year"),
            type=int,
            default=2018,
            help=gettext_lazy("The delimitation the seats belong to: 2018 for the 2018 general election."),
        )
    ]

    def prepare(self):
        self.matcher = AreaMatcher.from_db(
            levels=[Area.Level.PROVINCE, Area.Level.DIVISION, Area.Level.DISTRICT]
        )
        self.areas = {a.pk: a for a in Area.objects.filter(level__in=["province", "division", "district"])}
        self.provinces = {a.code: a for a in self.areas.values() if a.level == Area.Level.PROVINCE}
        self.year = self.options["delimitation_year"]
        # Seats that already have districts: a later list of seat names ('Taxila-I',
        # 'Tribal Area-IX') may name them without naming a district.
        self.linked = dict(
            Constituency.objects.filter(delimitation_year=self.year, links__isnull=False).values_list(
                "code", "province_id"
            )
        )

    def queryset(self):
        return Constituency.objects.prefetch_related("links")

    def _province(self, assembly, text):
        code = Constituency.ASSEMBLY_PROVINCE.get(assembly)
        if code:
            return self.provinces.get(code)
        if text:
            match = self.matcher.match(text, levels=[Area.Level.PROVINCE])
            if not match.ok:
                raise RowError(_("Unknown province %(name)r.") % {"name": text})
            return self.areas[match.area.id]
        return None

    def _districts(self, names, province, *, strict, warnings):
        found = []
        within = province.path if province else None
        for name in names:
            match = self.matcher.match(name, levels=[Area.Level.DISTRICT], within=within)
            if not match.ok:
                # Some sources name a whole division ("Karachi", before it was split).
                division = self.matcher.match(name, levels=[Area.Level.DIVISION], within=within)
                if division.ok:
                    match = division
                    warnings.append(
                        _("%(name)s is a division now, not one district; the seat is linked to the division.")
                        % {"name": name}
                    )
            if match.ok:
                if match.how not in ("name",):
                    warnings.append(match.explain())
                found.extend(self.areas[c.id] for c in match.areas)
            elif strict:
                hint = (
                    _(" Did you mean %(names)s?") % {"names": " or ".join(match.suggestions)}
                    if match.suggestions
                    else ""
                )
                if match.ambiguous:
                    raise RowError(
                        _("The district %(name)r could be more than one area.") % {"name": name} + hint
                    )
                raise RowError(_("Unknown district %(name)r.") % {"name": name} + hint)
            else:
                warnings.append(
                    _("%(name)r in the seat name is not a district; it was ignored.") % {"name": name}
                )
        return found

    def parse(self, row):
        assembly, number, code = parse_seat_code(row["seat"])
        warnings = []
        province = self._province(assembly, row["province"])
        primary_names = [row["district"]] if row["district"] else []
        other_names = (
            [n for n in LIST_SEPARATORS.split(row["other_districts"]) if n] if row["other_districts"] else []
        )
        if primary_names:
            primary = self._districts(primary_names, province, strict=True, warnings=warnings)
            others = self._districts(other_names, province, strict=True, warnings=warnings)
        elif row["seat_name"]:
            parsed = district_names_in_seat_name(row["seat_name"])
            primary = self._districts(parsed[:1], province, strict=False, warnings=warnings)
            others = self._districts(parsed[1:], province, strict=False, warnings=warnings)
            if not primary and not others:
                if code not in self.linked:
                    raise RowError(
                        _("No district could be read from the seat name %(name)r; add a district column.")
                        % {"name": row["seat_name"]}
                    )
                # The seat is known: store its name and keep the districts it has.
                warnings.append(
                    _("No district could be read from the seat name %(name)r; the seat keeps its districts.")
                    % {"name": row["seat_name"]}
                )
                if province is None and self.linked[code]:
                    province = self.areas.get(self.linked[code])
                return self._plan(code, assembly, number, province, row["seat_name"], None, warnings)
        else:
            raise RowError(_("The row names no district: fill the district column or the seat name."))
        if province is None:
            first = (primary or others)[0]
            province = first.province if first.province_id else first
        links = {a.pk: True for a in primary}
        for a in others:
            links.setdefault(a.pk, False)
        return self._plan(
            code, assembly, number, province, row["seat_name"], tuple(sorted(links.items())), warnings
        )

    def _plan(self, code, assembly, number, province, seat_name, links, warnings):
        """`links`: ((area id, is primary), ...), or None to keep the seat's districts as they are."""
        values = {
            "code": code,
            "assembly": assembly,
            "number": number,
            "delimitation_year": self.year,
            "province": province,
        }
        if seat_name:
            values["name"] = seat_name
        return Plan(
            key=(code, self.year),
            values=values,
            related={"links": links},
            warnings=warnings,
            scope_area=province,
            label=code,
        )

    def related_changes(self, existing, plan):
        if plan.related["links"] is None:
            return {}
        current = tuple(sorted((link.area_id, link.is_primary) for link in existing.links.all()))
        if current != plan.related["links"]:
            names = {
                pk: self.areas[pk].name
                for pk, _primary in current + plan.related["links"]
                if pk in self.areas
            }
            return {
                "districts": (
                    [names.get(pk, pk) for pk, _p in current],
                    [names.get(pk, pk) for pk, _p in plan.related["links"]],
                )
            }
        return {}

    def write_related(self, pairs):
        pairs = [(obj, plan) for obj, plan in pairs if plan.related["links"] is not None]
        if not pairs:
            return
        ConstituencyArea.objects.filter(constituency__in=[obj.pk for obj, _plan in pairs]).delete()
        ConstituencyArea.objects.bulk_create(
            ConstituencyArea(constituency_id=obj.pk, area_id=area_id, is_primary=primary)
            for obj, plan in pairs
            for area_id, primary in plan.related["links"]
        )


LATITUDE, LONGITUDE = gettext_lazy("Latitude"), gettext_lazy("Longitude")
CODE_PATTERN = re.compile(r"[a-z0-9][a-z0-9_\-]*")
NAME_MAX_LENGTH = Area._meta.get_field("name").max_length
LEVEL_WORDS = {
    "tehsil": Area.Level.TEHSIL,
    "taluka": Area.Level.TEHSIL,
    "taluqa": Area.Level.TEHSIL,
    "subdivision": Area.Level.TEHSIL,
    "sub division": Area.Level.TEHSIL,
    "union council": Area.Level.UNION_COUNCIL,
    "union_council": Area.Level.UNION_COUNCIL,
    "uc": Area.Level.UNION_COUNCIL,
}


@register
class AreaImporter(ModelImporter):
    """Tehsils and union councils under the shipped districts. Import tehsils before their
    union councils: a union council's parent must already exist."""

    slug = "areas"
    label = gettext_lazy("Tehsils and union councils")
    description = gettext_lazy(
        "One row per tehsil or union council: its level, name and parent (the district of a "
        "tehsil, the tehsil of a union council) by code or name. Codes are made from the parent's "
        "code and the name when the file has none, so importing the same file again changes nothing."
    )
    capability = Capability.EDIT_GAZETTEER
    model = Area
    key_fields = ("code",)
    chunk_size = 5000
    fields = [
        Field("level", gettext_lazy("Level"), required=True, aliases=("type", "kind")),
        Field("name", gettext_lazy("Name"), required=True, aliases=("name_en", "english name")),
        Field("name_ur", gettext_lazy("Urdu name"), aliases=("urdu", "urdu name", "name (urdu)")),
        Field("parent", gettext_lazy("Parent"), required=True, aliases=("parent_code", "tehsil", "district")),
        Field("code", gettext_lazy("Code"), aliases=("area_code", "id")),
        Field("lat", gettext_lazy("Latitude"), aliases=("latitude", "y")),
        Field("lon", gettext_lazy("Longitude"), aliases=("longitude", "lng", "x")),
    ]

    def prepare(self):
        self.by_code = {
            a.code: a
            for a in Area.objects.filter(level__in=["district", "tehsil"]).select_related("province")
        }
        self.matcher = AreaMatcher.from_db(levels=[Area.Level.DISTRICT, Area.Level.TEHSIL])

    def _parent(self, text, level):
        wanted = Area.PARENT_LEVEL[level]
        parent = self.by_code.get(text.strip().lower())
        if parent is None:
            match = self.matcher.match(text, levels=[wanted])
            if match.ok and len(match.areas) == 1:
                parent = self.by_code.get(match.area.code)
            elif match.ambiguous:
                raise RowError(
                    _("The parent %(name)r is more than one area (%(areas)s); use its code.")
                    % {"name": text, "areas": ", ".join(a.code for a in match.areas)}
                )
        if parent is None:
            raise RowError(
                _(
                    "The parent %(name)r was not found. A tehsil's parent is a district; a union "
                    "council's parent is a tehsil, which must be imported first."
                )
                % {"name": text}
            )
        if parent.level != wanted:
            raise RowError(
                _("%(name)s is a %(level)s; a %(child)s belongs to a %(wanted)s.")
                % {
                    "name": parent.name,
                    "level": parent.get_level_display(),
                    "child": Area.Level(level).label,
                    "wanted": Area.Level(wanted).label,
                }
            )
        return parent

    @staticmethod
    def _coordinate(text, low, high, what):
        if not text:
            return None
        try:
            value = round(float(text.replace(",", ".")), 5)
        except ValueError as exc:
            raise RowError(_("%(what)s %(text)r is not a number.") % {"what": what, "text": text}) from exc
        if not low <= value <= high:
            raise RowError(
                _("%(what)s %(value)s is outside Pakistan (%(low)s to %(high)s).")
                % {"what": what, "value": value, "low": low, "high": high}
            )
        return value

    def parse(self, row):
        # One call per row of files with 100,000 union councils: the common path stays short.
        text = row["level"].strip().lower()
        level = LEVEL_WORDS.get(text) or LEVEL_WORDS.get(re.sub(r"[\s_\-]+", " ", text))
        if level is None:
            raise RowError(
                _("Level %(level)r must be 'tehsil' or 'union council'.") % {"level": row["level"]}
            )
        name = row["name"].strip()
        if not name:
            raise RowError(_("The name is empty."))
        parent_text = row["parent"].strip()
        if not parent_text:
            raise RowError(_("The parent is empty."))
        if len(name) > NAME_MAX_LENGTH:
            raise RowError(
                _("The name is %(n)s characters long; at most %(max)s fit.")
                % {"n": len(name), "max": NAME_MAX_LENGTH}
            )
        parent = self._parent(parent_text, level)
        code = row["code"].strip().lower()
        if not code:
            slug = slugify(name)
            if not slug:
                # An Urdu-only name gives no Latin code; making one up would clash with the next.
                raise RowError(
                    _("A code cannot be made from the name %(name)r: give its English name, or a code.")
                    % {"name": name}
                )
            code = f"{parent.code}-{slug}"
        if len(code) > 80:
            raise RowError(
                _("The code %(code)r is longer than 80 characters; give a shorter code in the code column.")
                % {"code": code}
            )
        if not CODE_PATTERN.fullmatch(code):
            raise RowError(
                _("The code %(code)r may only hold letters, digits, '-' and '_'.") % {"code": code}
            )
        known = self.by_code.get(code)
        if known is not None and known.level != level:
            raise RowError(
                _("The code %(code)s already belongs to %(name)s.") % {"code": code, "name": known.name}
            )
        values = {
            "code": code,
            "level": level,
            "name": name,
            "parent": parent,
            "province_id": parent.province_id,
            "path": f"{parent.path}/{code}",
        }
        name_ur = row["name_ur"].strip()
        if name_ur:
            values["name_ur"] = name_ur
        if row["lat"] or row["lon"]:
            lat = self._coordinate(row["lat"], 23.0, 38.0, LATITUDE)
            lon = self._coordinate(row["lon"], 60.0, 78.0, LONGITUDE)
            if lat is not None and lon is not None:
                values["centroid_lat"], values["centroid_lon"] = lat, lon
        return Plan(key=(code,), values=values, scope_area=parent, label=f"{name} ({code})")

    def changes(self, existing, plan):
        diff = super().changes(existing, plan)
        for name in ("centroid_lat", "centroid_lon"):
            if name in diff and float(diff[name][0] or 0) == float(diff[name][1] or 0):
                del diff[name]
        return diff
