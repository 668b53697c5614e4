"""Area boundaries from GeoJSON or TopoJSON files: reading, simplifying for maps, and storing
them on the areas they belong to.

Boundaries are drawn on country-level maps and downloaded whole (all 156 districts in one
FeatureCollection), so they are simplified hard. TopoJSON is simplified arc by arc before the
rings are assembled: a border two districts share is one arc, simplified once, so both sides
keep exactly the same line and the map shows no gaps or slivers between neighbours.

Features are matched to areas by name with the AreaMatcher, divisions and districts within the
province the file puts them in. Nothing is guessed: an unknown or ambiguous name is reported
with suggestions and stored nowhere.
"""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from shapely import STRtree, make_valid, set_precision
from shapely.geometry import LineString, MultiPoint, MultiPolygon, Point, Polygon, shape
from shapely.geometry.polygon import orient

from .geojson import area_feature, feature_collection
from .matching import AreaMatcher
from .models import Area

LEVELS = tuple(Area.Level.values)

# Degrees. 0.005° is about 500 m, under a pixel on a map of all Pakistan. On the 2023 file it
# makes the district FeatureCollection about 350 KB (0.004: 410 KB, 0.003: 510 KB); the map's
# budget is 600 KB.
DEFAULT_TOLERANCE = 0.005
# 4 decimals is about 11 m, well under the tolerance; more digits would only add bytes.
DECIMALS = 4

# TopoJSON object names that say which level their features are.
_OBJECT_LEVELS = {
    "provinces": "province",
    "province": "province",
    "territories": "province",
    "divisions": "division",
    "division": "division",
    "districts": "district",
    "district": "district",
    "tehsils": "tehsil",
    "tehsil": "tehsil",
    "union_councils": "union_council",
    "union_council": "union_council",
    "unioncouncils": "union_council",
    "ucs": "union_council",
}

# Property keys holding names, compared with case, spaces, '_', '-' and ':' ignored.
_NAME_KEYS = ("name", "nameen", "englishname", "shapename", "label", "title")
_LEVEL_NAME_KEYS = {
    level: (key, f"{key}name", f"{key}nameen", f"{short}name", f"{short}nm")
    for level, key, short in [
        ("province", "province", "prov"),
        ("division", "division", "div"),
        ("district", "district", "dist"),
        ("tehsil", "tehsil", "teh"),
        ("union_council", "unioncouncil", "uc"),
    ]
}
_PLURALS = {
    "province": "provinces and territories",
    "division": "divisions",
    "district": "districts",
    "tehsil": "tehsils",
    "union_council": "union councils",
}
_POLYGONAL = ("Polygon", "MultiPolygon")
_GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", *_POLYGONAL, "GeometryCollection")


class BoundaryFileError(ValueError):
    """The file cannot be read as boundaries; the message says why, for the person importing."""


@dataclass
class BoundaryFeature:
    name: str
    level: str | None
    geometry: dict  # GeoJSON Polygon or MultiPolygon, simplified and rounded
    province: str = ""
    division: str = ""
    properties: dict = field(default_factory=dict)


# --- reading ----------------------------------------------------------------------------------


def read_features(
    data: bytes, *, level=None, object_name=None, tolerance=None, name=None
) -> list[BoundaryFeature]:
    """The polygon features of a TopoJSON or GeoJSON file, simplified with `tolerance` degrees
    (None: DEFAULT_TOLERANCE; 0: not simplified, only rounded). `level` overrides the level the
    file gives; `object_name` picks one object of a TopoJSON file; `name` names a bare geometry,
    which has no properties to take a name from."""
    if level is not None and level not in LEVELS:
        raise BoundaryFileError(f"Unknown level {level!r}; use one of {', '.join(LEVELS)}.")
    tolerance = DEFAULT_TOLERANCE if tolerance is None else float(tolerance)
    if tolerance < 0:
        raise BoundaryFileError("The tolerance cannot be negative.")
    doc = _load_json(data)
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind not in ("Topology", "FeatureCollection", "Feature", *_GEOMETRY_TYPES):
        raise BoundaryFileError(
            "This is JSON but neither GeoJSON nor TopoJSON: its 'type' should be 'Topology', "
            f"'FeatureCollection', 'Feature' or a geometry type, not {kind!r}."
        )
    if object_name and kind != "Topology":
        raise BoundaryFileError("This is a GeoJSON file; objects can only be chosen in TopoJSON files.")
    try:
        if kind == "Topology":
            features = _read_topology(doc, level=level, object_name=object_name, tolerance=tolerance)
        else:
            features = _read_geojson(doc, level=level, tolerance=tolerance, name=name)
    except BoundaryFileError:
        raise
    except (AttributeError, KeyError, IndexError, TypeError, ValueError) as error:
        # A structure that is not what the format prescribes (a number where a list belongs…).
        raise BoundaryFileError(
            f"This {'TopoJSON' if kind == 'Topology' else 'GeoJSON'} file is malformed: {error!r}."
        ) from None
    if not features:
        raise BoundaryFileError("The file holds no features.")
    return features


def _load_json(data):
    if isinstance(data, str):
        data = data.encode()
    head = bytes(data[:8]).lstrip()
    if head.startswith(b"%PDF"):
        raise BoundaryFileError("This is a PDF, not a GeoJSON or TopoJSON file.")
    if head.startswith(b"PK\x03\x04"):
        raise BoundaryFileError(
            "This is a ZIP archive (a shapefile?), not a GeoJSON or TopoJSON file; convert it to GeoJSON first."
        )
    try:
        return json.loads(bytes(data).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BoundaryFileError(f"This is not a JSON file (GeoJSON or TopoJSON): {error}.") from None


def _read_topology(topo, *, level, object_name, tolerance):
    objects = topo.get("objects")
    if not isinstance(objects, dict) or not isinstance(topo.get("arcs"), list):
        raise BoundaryFileError("This TopoJSON file has no 'objects' or no 'arcs'.")
    if object_name:
        if object_name not in objects:
            raise BoundaryFileError(
                f"This TopoJSON file has no object {object_name!r}; it has {', '.join(sorted(objects))}."
            )
        chosen = {object_name: objects[object_name]}
    else:
        # Only the collections: a file may also carry lines (a line of control) or a frame.
        chosen = {
            k: o for k, o in objects.items() if isinstance(o, dict) and o.get("type") == "GeometryCollection"
        }
    entries = []  # (name, level, properties, polygons as lists of rings of arc indices)
    for obj_name, obj in chosen.items():
        fallback_level = _OBJECT_LEVELS.get(obj_name.strip().lower().replace(" ", "_").replace("-", "_"))
        geometries = obj.get("geometries", []) if obj.get("type") == "GeometryCollection" else [obj]
        for geometry in geometries:
            props = geometry.get("properties") or {}
            feature_level = _feature_level(props, level, fallback_level)
            feature_name = _feature_name(props, feature_level)
            polygons = _arc_polygons(geometry, feature_name or obj_name)
            if not feature_name:
                raise BoundaryFileError(
                    f"A feature of object {obj_name!r} has no name (properties: {props})."
                )
            entries.append((feature_name, feature_level, props, polygons))
    arcs = _Arcs(topo, tolerance)
    if tolerance:
        # Rings too small to keep (islets off the coast) do not count: their crossings go with them.
        rings = [ring for *_, polygons in entries for polygon in polygons for ring in polygon]
        kept = [ring for ring in rings if _usable(arcs.ring(ring), tolerance)]
        _refine_crossings(arcs, {~i if i < 0 else i for ring in kept for i in ring})
    return [
        _feature(name, feature_level, arcs.polygons(polygons), props, tolerance)
        for name, feature_level, props, polygons in entries
    ]


def _arc_polygons(geometry, feature_name):
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry.get("arcs") or []]
    if kind == "MultiPolygon":
        return geometry.get("arcs") or []
    what = f"a {kind}" if kind else "a feature without geometry"
    raise BoundaryFileError(f"{feature_name!r} is {what}, not a Polygon or MultiPolygon.")


class _Arcs:
    """The topology's arcs, decoded, simplified and rounded once each, so that every ring using an
    arc gets the same points. Each arc has its own tolerance, lowered where it has to be."""

    def __init__(self, topo, tolerance):
        self.raw = topo["arcs"]
        self.transform = topo.get("transform")
        self.tolerance = defaultdict(lambda: tolerance)
        self.cache = {}

    def __getitem__(self, index):
        if index not in self.cache:
            points, tolerance = self._decode(index), self.tolerance[index]
            if tolerance and len(points) > 2:
                # Without topology preservation the endpoints always stay, so arcs still join up.
                points = list(LineString(points).simplify(tolerance, preserve_topology=False).coords)
            self.cache[index] = _clean(points)
        return self.cache[index]

    def _decode(self, index):
        try:
            raw = self.raw[index]
        except (IndexError, TypeError):
            raise BoundaryFileError(
                f"The TopoJSON file refers to arc {index}, which it does not have."
            ) from None
        if not self.transform:
            return [(p[0], p[1]) for p in raw]
        # Quantized: positions are deltas from the previous one, in grid units.
        (sx, sy), (tx, ty) = self.transform["scale"], self.transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in raw:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        return points

    def original(self, *indices):
        """The arcs unsimplified (but rounded): the best any simplification can do."""
        return [_clean(self._decode(i)) for i in indices]

    def ring(self, indices):
        points = []
        for i in indices:
            part = self[i] if i >= 0 else self[~i][::-1]  # ~i: arc i walked backwards
            points.extend(part[1:] if points else part)  # consecutive arcs share the joining point
        if points and points[0] != points[-1]:
            # Close a ring the file leaves open (the 2023 file's Multan division misses by 35 m).
            points.append(points[0])
        return points

    def polygons(self, arc_polygons):
        return [[self.ring(indices) for indices in rings] for rings in arc_polygons]

    def refine(self, indices):
        """Simplify these arcs less; the ones already at full detail are left out of the result."""
        changed = set()
        for i in indices:
            if self.tolerance[i]:
                self.tolerance[i] = self.tolerance[i] / 2 if self.tolerance[i] > 1e-5 else 0
                self.cache.pop(i, None)
                changed.add(i)
        return changed


def _refine_crossings(arcs, used, *, rounds=8):
    """Arcs simplified one by one can come to cross each other, or themselves, where the file's
    arcs do not. Repairing the polygons afterwards would move one side of a shared border and
    not the other, so instead the arcs of each such crossing are simplified less, everywhere
    they are used. Crossings the file itself has are left to the repair in _polygonal_geometry."""
    used = sorted(used)
    todo = set(used)
    for _ in range(rounds):
        lines = [_line(arcs[i]) for i in used]
        tree = STRtree(lines)
        crossing = set()
        for k, i in enumerate(used):
            if i not in todo:
                continue
            if not lines[k].is_simple and _line(*arcs.original(i)).is_simple:
                crossing.add(i)
            for m in tree.query(lines[k], predicate="intersects"):
                j = used[m]
                if j != i and _crosses(lines[k], lines[m]) and not _crosses(*map(_line, arcs.original(i, j))):
                    crossing |= {i, j}
        todo = arcs.refine(crossing)
        if not todo:
            return


def _line(points):
    # Rounding can shrink a very short arc to a single point.
    return LineString(points) if len(points) > 1 else Point(points[0])


def _crosses(a, b):
    """Whether two arcs meet anywhere but at the junctions (end points) they share."""
    shared = {a.coords[0], a.coords[-1]} & {b.coords[0], b.coords[-1]}
    meeting = a.intersection(b)
    return not (meeting.is_empty or meeting.difference(MultiPoint(list(shared))).is_empty)


def _read_geojson(doc, *, level, tolerance, name):
    kind = doc["type"]
    if kind == "FeatureCollection":
        items = doc.get("features")
        if not isinstance(items, list):
            raise BoundaryFileError("This FeatureCollection has no list of 'features'.")
    elif kind == "Feature":
        items = [doc]
    else:
        if not name:
            raise BoundaryFileError("A bare geometry has no name to match it by; give the area's name.")
        items = [{"type": "Feature", "geometry": doc, "properties": {"name": name}}]
    features = []
    for number, item in enumerate(items, start=1):
        props = (item.get("properties") if isinstance(item, dict) else None) or {}
        feature_level = _feature_level(props, level, None)
        feature_name = _feature_name(props, feature_level)
        if not feature_name:
            raise BoundaryFileError(f"Feature {number} has no name (properties: {props}).")
        geometry = item.get("geometry") if isinstance(item, dict) else None
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind not in _POLYGONAL:
            what = f"a {kind}" if kind else "a feature without geometry"
            raise BoundaryFileError(f"{feature_name!r} is {what}, not a Polygon or MultiPolygon.")
        try:
            geom = shape(geometry)
        except Exception as error:  # shapely raises several types for malformed coordinates
            raise BoundaryFileError(f"The geometry of {feature_name!r} cannot be read: {error}.") from None
        if tolerance:
            geom = geom.simplify(tolerance, preserve_topology=True)
        polygons = [
            [_clean(p.exterior.coords), *(_clean(r.coords) for r in p.interiors)] for p in _parts(geom)
        ]
        features.append(_feature(feature_name, feature_level, polygons, props, tolerance))
    return features


def _feature(name, level, polygons, props, tolerance):
    geometry = _polygonal_geometry(polygons, tolerance)
    if geometry is None:
        # Every ring is smaller than the tolerance squared: keep them rather than lose the area.
        geometry = _polygonal_geometry(polygons, 0)
    if geometry is None:
        raise BoundaryFileError(f"{name!r} has no polygon with an area.")
    w, s, e, n = _bounds(geometry)
    if w < -180 or e > 180 or s < -90 or n > 90:
        raise BoundaryFileError(
            f"The coordinates of {name!r} are not longitude/latitude degrees (a projected file?); "
            "export it in WGS 84 (EPSG:4326)."
        )
    return BoundaryFeature(
        name=name,
        level=level,
        geometry=geometry,
        province=name if level == "province" else _prop(props, _LEVEL_NAME_KEYS["province"]),
        division=name if level == "division" else _prop(props, _LEVEL_NAME_KEYS["division"]),
        properties=props,
    )


def _feature_level(props, given, fallback):
    if given:
        return given
    for key in ("level", "kind"):
        value = _prop(props, [key]).lower().replace(" ", "_")
        if value in LEVELS:  # a 'kind' of 'territory' or 'capital' says nothing about the level
            return value
    return fallback


def _feature_name(props, level):
    name = _prop(props, _NAME_KEYS) or (_prop(props, _LEVEL_NAME_KEYS[level]) if level else "")
    if name:
        return name
    # GADM (NAME_1, NAME_2, …) and OCHA (ADM1_EN, ADM2_EN, …) name every level above the
    # feature too; the finest-numbered one is the feature's own.
    numbered = {
        int(digits): str(value).strip()
        for key, value in props.items()
        for digits in [_numbered_name_level(key)]
        if digits is not None and str(value or "").strip()
    }
    if numbered:
        return numbered[max(numbered)]
    if level:
        return ""  # the other level keys name the areas it lies in, not the feature
    for level_keys in reversed(_LEVEL_NAME_KEYS.values()):  # finest level first
        name = _prop(props, level_keys)
        if name:
            return name
    return ""


def _numbered_name_level(key):
    k = _key(key)
    for prefix, suffix in (("name", ""), ("adm", "en"), ("adm", "name")):
        middle = k[len(prefix) : len(k) - len(suffix)] if k.startswith(prefix) and k.endswith(suffix) else ""
        if middle.isdigit():
            return middle
    return None


def _key(key):
    return "".join(ch for ch in str(key).lower() if ch not in " _-:")


def _prop(props, keys):
    by_key = {_key(k): v for k, v in props.items()}
    for key in keys:
        value = by_key.get(key)
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()
    return ""


# --- geometry ---------------------------------------------------------------------------------


def _clean(points):
    """Rounded [lon, lat] lists with consecutive repeats (from rounding) dropped."""
    out = []
    for p in points:
        q = [round(p[0], DECIMALS), round(p[1], DECIMALS)]
        if not out or q != out[-1]:
            out.append(q)
    return out


def _parts(geom):
    if isinstance(geom, Polygon):
        return [] if geom.is_empty else [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [p for g in getattr(geom, "geoms", []) for p in _parts(g)]  # a GeometryCollection


def _ring_area(points):
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False))) / 2


def _usable(ring, tolerance):
    return len(ring) >= 4 and ring[0] == ring[-1] and _ring_area(ring) > max(tolerance**2, 1e-12)


def _shapely_polygonal(polygons, tolerance):
    """A shapely (Multi)Polygon from [[shell, *holes], ...] point lists, or None. Rings that
    simplification collapsed, or smaller than the tolerance squared (invisible at the scale the
    tolerance is for), are dropped; a polygon whose shell goes takes its holes with it."""
    parts = [
        Polygon(shell, [h for h in holes if _usable(h, tolerance)])
        for shell, *holes in polygons
        if _usable(shell, tolerance)
    ]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _polygonal_geometry(polygons, tolerance):
    """A valid GeoJSON Polygon or MultiPolygon, or None when no ring is left."""
    geom = _shapely_polygonal(polygons, tolerance)
    if geom is None:
        return None
    parts = _parts(geom)
    if not geom.is_valid:
        # Last resort (crossings left after refining, or made by rounding): repair on the grid.
        parts = _parts(set_precision(make_valid(geom), 10**-DECIMALS))
        if not parts:
            return None
    # RFC 7946 winding: shells counter-clockwise, holes clockwise.
    rings = [
        [_clean(p.exterior.coords), *(_clean(r.coords) for r in p.interiors)] for p in map(orient, parts)
    ]
    if len(rings) == 1:
        return {"type": "Polygon", "coordinates": rings[0]}
    return {"type": "MultiPolygon", "coordinates": rings}


def _bounds(geometry):
    rings = (
        geometry["coordinates"]
        if geometry["type"] == "Polygon"
        else [r for p in geometry["coordinates"] for r in p]
    )
    xs = [p[0] for r in rings for p in r]
    ys = [p[1] for r in rings for p in r]
    return [min(xs), min(ys), max(xs), max(ys)]


def geometry_bbox(geometry) -> list[float]:
    """[west, south, east, north] of a GeoJSON Polygon or MultiPolygon, rounded."""
    return [round(v, DECIMALS) for v in _bounds(geometry)]


# --- storing ----------------------------------------------------------------------------------


@dataclass
class BoundaryReport:
    source_name: str
    dry_run: bool = False
    matched: list[tuple[str, str, str]] = field(default_factory=list)  # (feature name, area code, how)
    notes: list[str] = field(default_factory=list)  # names matched by alias or variant, in words
    unmatched: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    updated: int = 0
    unchanged: int = 0
    features: Counter = field(default_factory=Counter)  # features in the file, by level
    matched_by_level: Counter = field(default_factory=Counter)

    @property
    def counts(self) -> dict:
        return {
            level: {"features": self.features[level], "matched": self.matched_by_level[level]}
            for level in LEVELS
            if self.features[level]
        }

    def summary_lines(self) -> list[str]:
        lines = []
        for level, count in self.counts.items():
            lines.append(f"Matched {count['matched']} of {count['features']} {_PLURALS[level]}.")
        lines.extend(f"  {note}" for note in self.notes)
        for item in self.unmatched:
            where = f" in {item['province']}" if item["province"] else ""
            hint = f" Did you mean: {', '.join(item['suggestions'])}?" if item["suggestions"] else ""
            lines.append(
                f"  Not matched: {item['level'] or 'unknown level'} {item['name']!r}{where} — {item['reason']}.{hint}"
            )
        for item in self.duplicates:
            lines.append(
                f"  Duplicate: {item['name']!r} matches {item['area']} again (already taken by "
                f"{item['first']!r}); not stored."
            )
        verb = "would be updated" if self.dry_run else "updated"
        lines.append(f"Boundaries: {self.updated} {verb}, {self.unchanged} unchanged.")
        if self.dry_run:
            lines.append("Dry run: nothing was stored.")
        return lines


def import_boundaries(
    data: bytes, *, source_name: str, level=None, object_name=None, tolerance=None, dry_run=False
) -> BoundaryReport:
    """Read `data` (GeoJSON or TopoJSON), match its features to areas by name and store their
    simplified boundaries. Raises BoundaryFileError when the file cannot be read; features that
    match no area, or several, are reported, never stored."""
    features = read_features(data, level=level, object_name=object_name, tolerance=tolerance)
    unleveled = [f.name for f in features if f.level is None]
    if unleveled:
        raise BoundaryFileError(
            f"The file does not say which level {unleveled[0]!r} is (no 'level' property, no telling "
            f"object name); give the level ({', '.join(LEVELS)})."
        )
    report = BoundaryReport(source_name=source_name, dry_run=dry_run)
    matcher = AreaMatcher.from_db(levels=sorted({f.level for f in features} | {"province"}))
    first_by_area = {}
    geometries = {}
    for feature in features:
        report.features[feature.level] += 1
        area, match, reason = _match_feature(matcher, feature)
        if area is None:
            report.unmatched.append(
                {
                    "name": feature.name,
                    "level": feature.level,
                    "province": feature.province if feature.level != "province" else "",
                    "reason": reason,
                    "suggestions": match.suggestions,
                }
            )
            continue
        if area.id in first_by_area:
            report.duplicates.append(
                {"name": feature.name, "area": area.code, "first": first_by_area[area.id]}
            )
            continue
        first_by_area[area.id] = feature.name
        report.matched.append((feature.name, area.code, match.how))
        report.matched_by_level[feature.level] += 1
        if match.how != "name":
            report.notes.append(match.explain())
        geometries[area.id] = feature.geometry
    _store(report, geometries, source_name=source_name, dry_run=dry_run)
    return report


def _match_feature(matcher, feature):
    """(area Candidate or None, the Match, why it is not stored when it is not)."""
    province = None
    if feature.level != "province" and feature.province:
        province = matcher.match(feature.province, levels=["province"]).area
    if province is not None:
        match = matcher.match(feature.name, levels=[feature.level], within=province.path)
    else:
        # A province, or a feature whose province is missing or unknown: the name alone must then
        # point to exactly one area in Pakistan (Match.area is None otherwise).
        match = matcher.match(feature.name, levels=[feature.level])
    names = " and ".join(a.name for a in match.areas)
    if match.area is not None and match.how != "merged":
        return match.area, match, ""
    if match.area is not None:
        # A former area merged into this one covers only part of it: its outline is not the area's.
        reason = f"it was merged into {names}, so its outline is only part of that area"
    elif match.how == "split":
        reason = f"it was split into {names}; import their own outlines"
    elif match.ambiguous:
        reason = f"the name fits several areas ({', '.join(a.name for a in match.areas)})"
    elif province is not None:
        reason = f"no {feature.level} of that name in {province.name}"
    else:
        reason = f"no {feature.level} of that name"
    if feature.level != "province" and feature.province and province is None:
        reason = f"the province {feature.province!r} is unknown, and {reason}"
    if not match.suggestions and len(match.areas) > 1:
        match.suggestions = [a.name for a in match.areas]
    return None, match, reason


@transaction.atomic
def _store(report, geometries, *, source_name, dry_run):
    """Write only what differs, so that importing the same file again changes nothing. The
    boundary fields are left out of the area's history on purpose, hence bulk_update."""
    today = timezone.localdate().isoformat()
    changed = []
    for area in Area.objects.filter(pk__in=geometries).only("pk", "boundary", "bbox", "boundary_source"):
        geometry = geometries[area.pk]
        bbox = geometry_bbox(geometry)
        if area.boundary == geometry and area.bbox == bbox:
            report.unchanged += 1
            continue
        area.boundary, area.bbox = geometry, bbox
        area.boundary_source = f"{source_name} (imported {today})"[:255]
        area.updated_at = timezone.now()
        changed.append(area)
    report.updated = len(changed)
    if changed and not dry_run:
        Area.objects.bulk_update(
            changed, ["boundary", "bbox", "boundary_source", "updated_at"], batch_size=50
        )


def feature_collection_size(level=Area.Level.DISTRICT) -> int:
    """Bytes of the FeatureCollection the map downloads for `level` (compact UTF-8 JSON, as the
    API renders it)."""
    areas = Area.objects.at_level(level).select_related("parent")
    collection = feature_collection(area_feature(a) for a in areas if a.boundary or a.has_centroid)
    return len(json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode())
