import json
from io import StringIO

import pytest
import shapely
from django.core.management import CommandError, call_command
from django.utils import timezone
from shapely.geometry import Point, Polygon, shape

from muhim.geography.boundaries import BoundaryFileError, import_boundaries, read_features
from muhim.geography.geojson import area_feature, feature_collection
from muhim.geography.models import Area

BOUNDARY_FILE = "boundaries/pakistan-2023.topojson.json"


def as_bytes(doc):
    return json.dumps(doc).encode()


def edges(geometry):
    """The undirected edges of a Polygon's rings, as a set."""
    return {
        frozenset([tuple(a), tuple(b)])
        for ring in geometry["coordinates"]
        for a, b in zip(ring, ring[1:], strict=False)
    }


# Two unit squares side by side. Their shared border (arc 0) bulges 0.3° into the right square,
# with two wobbles of 0.0002° off that line: simplification at 0.01° keeps the bulge, not them.
SHARED = [[1, 0], [1.1502, 0.25], [1.3, 0.5], [1.1498, 0.75], [1, 1]]
SQUARES = {
    "type": "Topology",
    "objects": {
        "districts": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[1, 0]], "properties": {"name": "Left"}},
                {"type": "Polygon", "arcs": [[~0, 2]], "properties": {"NAME": "Right", "province": "Punjab"}},
            ],
        },
        # Not a GeometryCollection: skipped unless asked for by name.
        "coast": {"type": "LineString", "arcs": [2]},
    },
    "arcs": [
        SHARED,
        [[1, 1], [0, 1], [0, 0], [1, 0]],
        [[1, 0], [2, 0], [2, 1], [1, 1]],
    ],
}
# The same squares quantized: a 0.1° grid from (60, 24), positions delta-encoded.
SQUARES_QUANTIZED = {
    "type": "Topology",
    "transform": {"scale": [0.1, 0.1], "translate": [60, 24]},
    "objects": {"districts": SQUARES["objects"]["districts"]},
    "arcs": [
        [[10, 0], [3, 5], [-3, 5]],  # (61, 24) → (61.3, 24.5) → (61, 25)
        [[10, 10], [-10, 0], [0, -10], [10, 0]],
        [[10, 0], [10, 0], [0, 10], [-10, 0]],
    ],
}


def test_topojson_squares_keep_one_shared_border_after_simplification():
    left, right = read_features(as_bytes(SQUARES), tolerance=0.01)

    assert (left.name, left.level, right.name, right.level) == ("Left", "district", "Right", "district")
    assert right.province == "Punjab"
    # The wobbles are gone, the bulge stays, and both squares have exactly that border.
    border = {frozenset([(1, 0), (1.3, 0.5)]), frozenset([(1.3, 0.5), (1, 1)])}
    assert edges(left.geometry) & edges(right.geometry) == border
    assert [1.1502, 0.25] not in left.geometry["coordinates"][0]
    a, b = shape(left.geometry), shape(right.geometry)
    assert a.is_valid and b.is_valid
    # No overlap and no gap: the two areas add up to the two squares.
    assert a.intersection(b).area == 0
    assert a.area + b.area == pytest.approx(2.0)
    assert a.union(b).equals(Polygon([(0, 0), (2, 0), (2, 1), (0, 1)]))
    assert a.exterior.is_ccw  # RFC 7946 winding


def test_quantized_topojson_is_decoded_to_degrees():
    left, right = read_features(as_bytes(SQUARES_QUANTIZED), tolerance=0)

    assert shape(left.geometry).equals(Polygon([(60, 24), (61, 24), (61.3, 24.5), (61, 25), (60, 25)]))
    assert shape(right.geometry).equals(Polygon([(61, 24), (62, 24), (62, 25), (61, 25), (61.3, 24.5)]))


def test_topojson_object_and_level_can_be_chosen():
    features = read_features(as_bytes(SQUARES), object_name="districts", level="tehsil")
    assert [(f.name, f.level) for f in features] == [("Left", "tehsil"), ("Right", "tehsil")]

    with pytest.raises(BoundaryFileError, match="no object 'tehsils'; it has coast, districts"):
        read_features(as_bytes(SQUARES), object_name="tehsils")
    with pytest.raises(BoundaryFileError, match="'coast' is a LineString, not a Polygon"):
        read_features(as_bytes(SQUARES), object_name="coast", level="district")


def test_level_comes_from_properties_before_the_object_name():
    topology = json.loads(json.dumps(SQUARES))
    topology["objects"]["districts"]["geometries"][0]["properties"]["level"] = "division"
    left, right = read_features(as_bytes(topology))
    assert (left.level, right.level) == ("division", "district")


def wavy_square(x, y, size=0.2):
    """A square with its south side drawn as 41 points wobbling by 0.0001°."""
    south = [[x + size * i / 40, y + (0.0001 if i % 2 else 0)] for i in range(41)]
    return {"type": "Polygon", "coordinates": [[*south, [x + size, y + size], [x, y + size], [x, y]]]}


def district(name, province="", *, x=70.0, y=30.0, **properties):
    props = {"name": name, "province": province, "level": "district", **properties}
    return {"type": "Feature", "properties": props, "geometry": wavy_square(x, y)}


def collection(*features):
    return as_bytes({"type": "FeatureCollection", "features": list(features)})


def test_geojson_is_read_and_simplified():
    data = collection(
        {
            "type": "Feature",
            "properties": {"DISTRICT": "Lahore", "PROVINCE": "Punjab"},
            "geometry": wavy_square(74, 31),
        }
    )
    (feature,) = read_features(data, level="district")

    assert (feature.name, feature.level, feature.province) == ("Lahore", "district", "Punjab")
    assert feature.geometry["type"] == "Polygon"
    assert len(feature.geometry["coordinates"][0]) == 5  # the wobbling side is one straight line again
    assert shape(feature.geometry).equals(Polygon([(74, 31), (74.2, 31), (74.2, 31.2), (74, 31.2)]))


def test_geojson_feature_and_named_bare_geometry():
    multi = {
        "type": "MultiPolygon",
        "coordinates": [wavy_square(70, 30)["coordinates"], wavy_square(71, 30)["coordinates"]],
    }
    (feature,) = read_features(
        as_bytes({"type": "Feature", "properties": {"name": "Two"}, "geometry": multi})
    )
    assert feature.geometry["type"] == "MultiPolygon" and feature.level is None

    (bare,) = read_features(as_bytes(wavy_square(70, 30)), name="Lahore", level="district")
    assert bare.name == "Lahore"
    with pytest.raises(BoundaryFileError, match="bare geometry has no name"):
        read_features(as_bytes(wavy_square(70, 30)))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"district,geometry\nLahore,?", "not a JSON file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj", "This is a PDF"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP archive"),
        (b'{"districts": []}', "neither GeoJSON nor TopoJSON"),
        (b'{"type": "FeatureCollection", "features": []}', "holds no features"),
        (
            collection({"type": "Feature", "properties": {"population": 5}, "geometry": wavy_square(70, 30)}),
            "Feature 1 has no name",
        ),
        (
            collection(
                {
                    "type": "Feature",
                    "properties": {"name": "Indus"},
                    "geometry": {"type": "LineString", "coordinates": [[70, 30], [71, 31]]},
                }
            ),
            "'Indus' is a LineString, not a Polygon or MultiPolygon",
        ),
        (
            collection({"type": "Feature", "properties": {"name": "Nowhere"}, "geometry": None}),
            "without geometry",
        ),
        (
            collection(district("Lahore", x=450000, y=3400000)),
            "not longitude/latitude degrees",
        ),
        (
            as_bytes(
                {
                    "type": "Topology",
                    "objects": {
                        "districts": {
                            "type": "GeometryCollection",
                            "geometries": [{"type": "Polygon", "arcs": [[7]], "properties": {"name": "A"}}],
                        }
                    },
                    "arcs": [],
                }
            ),
            "refers to arc 7",
        ),
    ],
)
def test_bad_files_say_what_is_wrong(data, message):
    with pytest.raises(BoundaryFileError, match=message):
        read_features(data)


# --- matching and storing ------------------------------------------------------------------


@pytest.mark.django_db
def test_names_are_matched_by_spelling_within_their_province(gazetteer):
    report = import_boundaries(
        collection(
            district("Abbotabad", "Khyber Pakhtunkhwa", x=73.1, y=34.1),
            district("Naushehro Feroze", "Sindh", x=68.0, y=26.8),
            district("Lahore", "Punjab", x=74.2, y=31.4),
        ),
        source_name="districts.geojson",
    )

    assert sorted(code for _name, code, _how in report.matched) == [
        "kp-abbottabad",
        "pb-lahore",
        "sd-naushahro-feroze",
    ]
    summary = "\n".join(report.summary_lines())
    assert "Matched 3 of 3 districts." in summary
    assert "'Abbotabad' is a spelling of Abbottabad" in summary
    assert "'Naushehro Feroze' is a spelling of Naushahro Feroze" in summary
    assert (report.updated, report.unchanged, report.unmatched) == (3, 0, [])
    abbottabad = gazetteer("kp-abbottabad")
    assert abbottabad.boundary["type"] == "Polygon"
    assert abbottabad.bbox == [73.1, 34.1, 73.3, 34.3]
    assert abbottabad.boundary_source == f"districts.geojson (imported {timezone.localdate().isoformat()})"


@pytest.mark.django_db
def test_unknown_ambiguous_and_split_names_are_reported_not_stored(gazetteer):
    report = import_boundaries(
        collection(
            district("Atlantis", "Punjab"),
            district("Multan City", "Punjab"),
            district("Kich", "Balochistan"),  # reads as Kech and as Kachhi
            district("Chitral", "Khyber Pakhtunkhwa"),
            district("Lahore", "Sindh"),  # Lahore is not in Sindh: no guessing across provinces
        ),
        source_name="districts.geojson",
    )

    assert report.matched == []
    assert Area.objects.with_boundary().count() == 0
    unmatched = {item["name"]: item for item in report.unmatched}
    assert set(unmatched) == {"Atlantis", "Multan City", "Kich", "Chitral", "Lahore"}
    assert unmatched["Multan City"]["suggestions"] == ["Multan"]
    assert "Kachhi" in unmatched["Kich"]["reason"] and "Kech" in unmatched["Kich"]["reason"]
    assert "split into Lower Chitral and Upper Chitral" in unmatched["Chitral"]["reason"]
    assert "no district of that name in Sindh" in unmatched["Lahore"]["reason"]
    summary = "\n".join(report.summary_lines())
    assert "Matched 0 of 5 districts." in summary
    assert "Not matched: district 'Atlantis' in Punjab" in summary
    assert "Did you mean: Multan?" in summary


@pytest.mark.django_db
def test_unknown_province_falls_back_to_a_name_unique_in_pakistan(gazetteer):
    report = import_boundaries(
        collection(district("Quetta", "Baloch Land"), district("Kich", "Baloch Land")),
        source_name="districts.geojson",
    )
    assert [code for _name, code, _how in report.matched] == ["ba-quetta"]
    assert [item["name"] for item in report.unmatched] == ["Kich"]
    assert "'Baloch Land' is unknown" in report.unmatched[0]["reason"]


@pytest.mark.django_db
def test_second_feature_for_the_same_area_is_a_duplicate(gazetteer):
    report = import_boundaries(
        collection(district("Lahore", "Punjab", x=74.2), district("Lahore District", "Punjab", x=60.0)),
        source_name="districts.geojson",
    )
    assert report.duplicates == [{"name": "Lahore District", "area": "pb-lahore", "first": "Lahore"}]
    assert gazetteer("pb-lahore").bbox[0] == 74.2
    assert "Duplicate: 'Lahore District' matches pb-lahore again" in "\n".join(report.summary_lines())


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing(gazetteer):
    data = collection(district("Lahore", "Punjab"), district("Multan", "Punjab", x=71.4))
    first = import_boundaries(data, source_name="a.geojson")
    history = Area.history.count()
    lahore = gazetteer("pb-lahore")

    second = import_boundaries(data, source_name="a-copy.geojson")

    assert (first.updated, first.unchanged) == (2, 0)
    assert (second.updated, second.unchanged) == (0, 2)
    assert "Boundaries: 0 updated, 2 unchanged." in second.summary_lines()
    again = gazetteer("pb-lahore")
    assert (again.boundary_source, again.updated_at) == (lahore.boundary_source, lahore.updated_at)
    assert Area.history.count() == history  # boundaries stay out of the areas' history


@pytest.mark.django_db
def test_dry_run_reports_without_storing(gazetteer):
    report = import_boundaries(
        collection(district("Lahore", "Punjab")), source_name="a.geojson", dry_run=True
    )
    assert report.updated == 1 and report.matched == [("Lahore", "pb-lahore", "name")]
    assert "Dry run: nothing was stored." in report.summary_lines()
    assert gazetteer("pb-lahore").boundary is None


def test_features_of_unknown_level_are_refused():
    data = collection({"type": "Feature", "properties": {"name": "Lahore"}, "geometry": wavy_square(74, 31)})
    with pytest.raises(BoundaryFileError, match="does not say which level 'Lahore' is"):
        import_boundaries(data, source_name="a.geojson")


# --- the real 2023 boundaries --------------------------------------------------------------


@pytest.fixture
def boundary_file(shared_data):
    path = shared_data / BOUNDARY_FILE
    if not path.is_file():
        pytest.skip(f"the 2023 boundary file is not at {path}")
    return path


@pytest.mark.django_db
def test_real_2023_boundaries_match_every_area_and_fit_the_map(gazetteer, boundary_file):
    report = import_boundaries(boundary_file.read_bytes(), source_name=boundary_file.name)
    summary = report.summary_lines()

    assert report.counts["province"] == {"features": 7, "matched": 7}, summary
    assert report.counts["division"] == {"features": 37, "matched": 37}, summary
    assert report.counts["district"]["features"] == 156
    assert report.counts["district"]["matched"] >= 150, summary
    for item in report.unmatched:  # every one that is not matched is named in the summary
        assert any(repr(item["name"]) in line for line in summary)

    districts = list(Area.objects.districts().select_related("parent").order_by("code"))
    stored = [a for a in districts if a.boundary]
    assert len(stored) == report.counts["district"]["matched"]
    size = len(
        json.dumps(feature_collection(area_feature(a) for a in districts), separators=(",", ":")).encode()
    )
    assert size < 600 * 1024, f"the district FeatureCollection is {size / 1024:.0f} KB"

    geometries = [shape(a.boundary) for a in stored]
    assert all(g.is_valid and g.geom_type in ("Polygon", "MultiPolygon") for g in geometries)
    # Neighbours share their borders exactly: no overlaps, no slivers of gap between them.
    assert shapely.coverage_is_valid(geometries)
    misplaced = [
        a.code
        for a, g in zip(stored, geometries, strict=True)
        if g.distance(Point(float(a.centroid_lon), float(a.centroid_lat))) > 0.15
    ]
    assert misplaced == []
    w, s, e, n = gazetteer("pb-lahore").bbox
    assert 74.0 < w < e < 74.8 and 31.0 < s < n < 31.9

    again = import_boundaries(boundary_file.read_bytes(), source_name=boundary_file.name)
    assert (again.updated, again.unchanged) == (0, len(report.matched))


# --- the command -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_prints_matches_and_names_unmatched_features(gazetteer, tmp_path):
    path = tmp_path / "districts.geojson"
    path.write_bytes(collection(district("Lahore", "Punjab"), district("Atlantis", "Punjab")))
    out = StringIO()

    call_command("import_boundaries", str(path), stdout=out)

    output = out.getvalue()
    assert "Matched 1 of 2 districts." in output
    assert "Not matched: district 'Atlantis' in Punjab" in output
    assert "Boundaries: 1 updated, 0 unchanged." in output
    assert "district FeatureCollection is now" in output
    assert gazetteer("pb-lahore").boundary is not None


@pytest.mark.django_db
def test_command_dry_run_on_the_real_file_stores_nothing(gazetteer, boundary_file):
    out = StringIO()
    call_command("import_boundaries", str(boundary_file), "--object", "districts", "--dry-run", stdout=out)

    assert "Matched 156 of 156 districts." in out.getvalue()
    assert "Dry run: nothing was stored." in out.getvalue()
    assert not Area.objects.with_boundary().exists()


def test_command_fails_on_files_it_cannot_read(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_boundaries", str(tmp_path / "missing.topojson"), stdout=StringIO())
    pdf = tmp_path / "boundaries.pdf"
    pdf.write_bytes(b"%PDF-1.4 not a map")
    with pytest.raises(CommandError, match="boundaries.pdf: This is a PDF"):
        call_command("import_boundaries", str(pdf), stdout=StringIO())
