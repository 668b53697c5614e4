"""The shipped gazetteer: Pakistan's provinces and territories, divisions and 2023-census
districts, as every page, import and map relies on them."""

import json
import unicodedata
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from muhim.geography.gazetteer import load_gazetteer
from muhim.geography.matching import AreaMatcher
from muhim.geography.models import Area, AreaAlias

pytestmark = pytest.mark.django_db

# Divisions and districts per province or territory in the 2023 census.
EXPECTED = {
    "pb": ("Punjab", 9, 36),
    "sd": ("Sindh", 6, 30),
    "kp": ("Khyber Pakhtunkhwa", 7, 35),
    "ba": ("Balochistan", 8, 34),
    "is": ("Islamabad Capital Territory", 1, 1),
    "jk": ("Azad Jammu and Kashmir", 3, 10),
    "gb": ("Gilgit-Baltistan", 3, 10),
}
# Pakistan's extent with its territories, a little generously: [south, north], [west, east].
LATITUDES, LONGITUDES = (23.5, 37.2), (60.8, 77.9)


def is_urdu_script(text):
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(unicodedata.name(ch, "").startswith("ARABIC") for ch in letters)


def test_seven_provinces_and_territories(gazetteer):
    provinces = {a.code: a for a in Area.objects.provinces()}
    assert {code: a.name for code, a in provinces.items()} == {c: v[0] for c, v in EXPECTED.items()}
    assert provinces["is"].kind == Area.Kind.FEDERAL_TERRITORY
    assert provinces["jk"].kind == provinces["gb"].kind == Area.Kind.ADMINISTERED_TERRITORY
    assert {provinces[c].kind for c in ("pb", "sd", "kp", "ba")} == {Area.Kind.PROVINCE}


def test_37_divisions_and_156_districts_in_the_right_provinces(gazetteer):
    assert Area.objects.divisions().count() == 37
    assert Area.objects.districts().count() == 156
    divisions = Counter(Area.objects.divisions().values_list("province__code", flat=True))
    districts = Counter(Area.objects.districts().values_list("province__code", flat=True))
    assert divisions == {code: v[1] for code, v in EXPECTED.items()}
    assert districts == {code: v[2] for code, v in EXPECTED.items()}


def test_split_districts_are_there_as_their_successors(gazetteer):
    assert gazetteer("kp-upper-chitral").parent.code == gazetteer("kp-lower-chitral").parent.code
    assert not Area.objects.filter(level="district", name="Chitral").exists()
    assert gazetteer("sd-karachi-division").children.count() == 7


def test_every_area_has_a_code_an_urdu_name_a_parent_and_a_centroid_in_pakistan(gazetteer):
    areas = list(Area.objects.select_related("parent", "province"))
    assert len(areas) == 200
    problems = []
    for area in areas:
        if not area.code or area.code != area.code.lower() or " " in area.code:
            problems.append(f"{area.name}: code {area.code!r}")
        if not is_urdu_script(area.name_ur):
            problems.append(f"{area.code}: Urdu name {area.name_ur!r}")
        wanted = Area.PARENT_LEVEL[area.level]
        if (area.parent.level if area.parent else None) != wanted:
            problems.append(f"{area.code}: parent {area.parent} is not a {wanted}")
        top = area.path.split("/")[0]
        if area.province is None or area.province.code != top or area.province.level != "province":
            problems.append(f"{area.code}: province {area.province} but path {area.path}")
        if area.path != (f"{area.parent.path}/{area.code}" if area.parent else area.code):
            problems.append(f"{area.code}: path {area.path}")
        if not area.has_centroid or not (
            LATITUDES[0] <= area.centroid_lat <= LATITUDES[1]
            and LONGITUDES[0] <= area.centroid_lon <= LONGITUDES[1]
        ):
            problems.append(f"{area.code}: centroid {area.centroid_lat}, {area.centroid_lon}")
    assert problems == []


def test_codes_are_unique_and_english_names_unique_within_a_level(gazetteer):
    codes = list(Area.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    for level in ("province", "division", "district"):
        names = Counter(Area.objects.at_level(level).values_list("name", flat=True))
        assert [n for n, count in names.items() if count > 1] == []


def test_well_known_urdu_names(gazetteer):
    assert gazetteer("pb-lahore").name_ur == "لاہور"
    assert gazetteer("sd").name_ur == "سندھ"
    assert gazetteer("is").name_ur == "اسلام آباد"


def test_loading_twice_creates_nothing_new(gazetteer):
    areas, aliases = Area.objects.count(), AreaAlias.objects.count()
    history = Area.history.count()
    report = load_gazetteer()
    assert (report.created, report.updated, report.aliases_created) == (0, 0, 0)
    assert report.unchanged == areas
    assert (Area.objects.count(), AreaAlias.objects.count(), Area.history.count()) == (
        areas,
        aliases,
        history,
    )


def test_the_command_reports_what_it_did(gazetteer):
    out = StringIO()
    call_command("load_gazetteer", stdout=out)
    assert "0 areas created, 0 updated, 200 already present; 0 aliases added" in out.getvalue()


def test_an_edited_urdu_name_survives_a_reload_and_update_restores_it(gazetteer):
    lahore = gazetteer("pb-lahore")
    lahore.name_ur = "لہور"
    lahore.save()

    call_command("load_gazetteer", stdout=StringIO())
    assert gazetteer("pb-lahore").name_ur == "لہور"

    out = StringIO()
    call_command("load_gazetteer", "--update", stdout=out)
    assert gazetteer("pb-lahore").name_ur == "لاہور"
    assert "pb-lahore: name_ur 'لہور' → 'لاہور'" in out.getvalue()
    assert "1 updated" in out.getvalue()


def test_an_added_alias_survives_a_reload(gazetteer):
    AreaAlias.objects.create(area=gazetteer("pb-lahore"), name="Lahore City", kind="spelling")
    load_gazetteer()
    load_gazetteer(update=True)
    assert AreaAlias.objects.filter(area__code="pb-lahore", name="Lahore City").exists()


def test_an_alias_someone_removed_does_not_come_back_on_reload(gazetteer, make_user):
    from muhim.geography.services import update_area

    faisalabad = gazetteer("pb-faisalabad")
    kept = [(a.name, a.kind) for a in faisalabad.aliases.exclude(name="Lyallpur")]
    update_area(area=faisalabad, user=make_user("administrator"), changes={}, aliases=kept)
    load_gazetteer()
    assert not faisalabad.aliases.filter(name="Lyallpur").exists()
    # Resetting to the shipped gazetteer brings it back.
    load_gazetteer(update=True)
    assert faisalabad.aliases.filter(name="Lyallpur", kind="former").exists()


def test_every_district_of_the_boundary_file_matches_exactly_one_gazetteer_district(gazetteer, shared_data):
    topology = json.loads((shared_data / "boundaries" / "pakistan-2023.topojson.json").read_text())
    features = [g["properties"] for g in topology["objects"]["districts"]["geometries"]]
    assert len(features) == 156
    matcher = AreaMatcher.from_db(levels=["province", "district"])
    found, problems = {}, []
    for props in features:
        province = matcher.match(props["province"], levels=["province"])
        assert province.area is not None, props["province"]
        match = matcher.match(props["name"], levels=["district"], within=province.area.path)
        # The name alone must be enough too: other sources rarely give the province.
        alone = matcher.match(props["name"], levels=["district"])
        if match.area is None or alone.area != match.area:
            problems.append((props["name"], match.how, match.suggestions))
            continue
        found.setdefault(match.area.code, []).append(props["name"])
    assert problems == []
    assert {code: names for code, names in found.items() if len(names) > 1} == {}
    assert len(found) == Area.objects.districts().count() == 156
