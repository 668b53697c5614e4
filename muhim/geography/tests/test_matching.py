"""The matcher on hand-made areas: no database, only the rules people rely on when an import
report says which district a name was read as (or why it was not)."""

import pytest

from muhim.geography.matching import AreaMatcher, Candidate, normalize, variant_key

_ids = iter(range(1, 10_000))


def area(code, name, level, path, *aliases):
    return Candidate(next(_ids), code, name, level, path), list(aliases)


PB, SD, KP, JK = "pb", "sd", "kp", "jk"
ENTRIES = [
    area("pb", "Punjab", "province", "pb"),
    area("sd", "Sindh", "province", "sd"),
    area("kp", "Khyber Pakhtunkhwa", "province", "kp", ("KPK", "spelling"), ("NWFP", "former")),
    area("jk", "Azad Jammu and Kashmir", "province", "jk", ("AJK", "spelling")),
    area("pb-lahore-division", "Lahore", "division", "pb/pb-lahore-division"),
    area("pb-lahore", "Lahore", "district", "pb/pb-lahore-division/pb-lahore", ("لاہور", "spelling")),
    area("pb-faisalabad", "Faisalabad", "district", "pb/pb-fsd/pb-faisalabad", ("Lyallpur", "former")),
    area(
        "pb-dera-ghazi-khan",
        "Dera Ghazi Khan",
        "district",
        "pb/pb-dgk/pb-dera-ghazi-khan",
        ("D.G. Khan", "spelling"),
    ),
    area("pb-toba-tek-singh", "Toba Tek Singh", "district", "pb/pb-fsd/pb-toba-tek-singh"),
    area("sd-hyderabad-division", "Hyderabad", "division", "sd/sd-hyderabad-division"),
    area("sd-hyderabad", "Hyderabad", "district", "sd/sd-hyderabad-division/sd-hyderabad"),
    area("sd-mirpur-khas", "Mirpur Khas", "district", "sd/sd-mpk/sd-mirpur-khas"),
    area("sd-naushahro-feroze", "Naushahro Feroze", "district", "sd/sd-sbd/sd-naushahro-feroze"),
    area("sd-sujawal", "Sujawal", "district", "sd/sd-thatta-div/sd-sujawal"),
    area("sd-karachi", "Karachi", "division", "sd/sd-karachi"),
    area("sd-karachi-east", "Karachi East", "district", "sd/sd-karachi/sd-karachi-east"),
    area(
        "sd-shaheed-benazirabad",
        "Shaheed Benazirabad",
        "district",
        "sd/sd-sbd/sd-shaheed-benazirabad",
        ("Nawabshah", "former"),
        ("نواب شاہ", "former"),
    ),
    area("kp-abbottabad", "Abbottabad", "district", "kp/kp-hazara/kp-abbottabad"),
    area("kp-mansehra", "Mansehra", "district", "kp/kp-hazara/kp-mansehra"),
    area(
        "kp-upper-chitral",
        "Upper Chitral",
        "district",
        "kp/kp-malakand/kp-upper-chitral",
        ("Chitral", "split"),
    ),
    area(
        "kp-lower-chitral",
        "Lower Chitral",
        "district",
        "kp/kp-malakand/kp-lower-chitral",
        ("Chitral", "split"),
    ),
    area(
        "kp-upper-kohistan",
        "Upper Kohistan",
        "district",
        "kp/kp-hazara/kp-upper-kohistan",
        ("Kohistan", "split"),
    ),
    area(
        "kp-lower-kohistan",
        "Lower Kohistan",
        "district",
        "kp/kp-hazara/kp-lower-kohistan",
        ("Kohistan", "split"),
    ),
    area(
        "kp-kolai-palas-kohistan",
        "Kolai Palas Kohistan",
        "district",
        "kp/kp-hazara/kp-kolai-palas-kohistan",
        ("Kohistan", "split"),
    ),
    area("kp-bannu", "Bannu", "district", "kp/kp-bannu-division/kp-bannu", ("FR Bannu", "merged")),
    area("jk-mirpur", "Mirpur", "district", "jk/jk-mirpur-division/jk-mirpur"),
    area("jk-bagh", "Bagh", "district", "jk/jk-poonch/jk-bagh"),
    area("kp-bagh", "Bagh", "district", "kp/kp-x/kp-bagh"),
]


@pytest.fixture(scope="module")
def matcher():
    return AreaMatcher(ENTRIES)


def codes(match):
    return [a.code for a in match.areas]


@pytest.mark.parametrize(
    "text",
    [
        "Dera Ghazi Khan",
        "DERA GHAZI KHAN",
        "dera-ghazi-khan",
        "  Dera  Ghazi   Khan ",
        "Dera Ghazi Khan District",
    ],
)
def test_official_names_match_whatever_the_case_spacing_and_hyphens(matcher, text):
    match = matcher.match(text)
    assert match.ok
    assert match.area.code == "pb-dera-ghazi-khan"
    assert match.how == "name"


def test_punctuation_does_not_matter(matcher):
    assert matcher.match("D.G. Khan").area.code == "pb-dera-ghazi-khan"
    assert matcher.match("DG Khan").area.code == "pb-dera-ghazi-khan"
    assert matcher.match("Toba-Tek-Singh.").area.code == "pb-toba-tek-singh"


def test_a_spelling_alias_is_reported_as_a_spelling(matcher):
    match = matcher.match("KPK")
    assert match.area.code == "kp"
    assert match.how == "spelling"
    assert "spelling" in match.explain()


@pytest.mark.parametrize(
    ("former", "code"),
    [("Nawabshah", "sd-shaheed-benazirabad"), ("Lyallpur", "pb-faisalabad"), ("NWFP", "kp")],
)
def test_former_names_match_the_area_that_carries_them_now(matcher, former, code):
    match = matcher.match(former)
    assert match.area.code == code
    assert match.how == "former"
    assert "former name" in match.explain()


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("Naushehro Feroze", "sd-naushahro-feroze"),
        ("NAUSHEHRO FEROZE", "sd-naushahro-feroze"),
        ("Sajawal", "sd-sujawal"),
        ("Abbotabad", "kp-abbottabad"),
        ("Maneshra", "kp-mansehra"),
    ],
)
def test_spelling_variants_match_and_say_so(matcher, spelling, code):
    match = matcher.match(spelling)
    assert match.ok
    assert match.area.code == code
    assert match.how == "variant"
    assert "spelling variant" in match.explain()


def test_variant_keys_of_common_transliterations_coincide():
    assert variant_key(normalize("Naushehro Feroze")) == variant_key(normalize("Naushahro Feroze"))
    assert variant_key(normalize("Sajawal")) == variant_key(normalize("Sujawal"))
    assert variant_key(normalize("Lahore")) != variant_key(normalize("Larkana"))


def test_a_split_district_returns_all_its_successors(matcher):
    chitral = matcher.match("Chitral")
    assert chitral.ok and not chitral.ambiguous
    assert chitral.how == "split"
    assert codes(chitral) == ["kp-lower-chitral", "kp-upper-chitral"]
    assert chitral.area is None  # more than one area: callers must link all of them
    assert "split into" in chitral.explain()

    kohistan = matcher.match("Kohistan")
    assert kohistan.how == "split"
    assert codes(kohistan) == ["kp-kolai-palas-kohistan", "kp-lower-kohistan", "kp-upper-kohistan"]


def test_a_merged_area_matches_the_area_it_was_merged_into(matcher):
    match = matcher.match("FR Bannu")
    assert match.area.code == "kp-bannu"
    assert match.how == "merged"
    assert "merged into Bannu" in match.explain()


def test_an_ambiguous_name_is_not_matched_and_names_the_candidates(matcher):
    match = matcher.match("Bagh")
    assert not match.ok
    assert match.ambiguous
    assert match.area is None
    assert codes(match) == ["jk-bagh", "kp-bagh"]
    # The person reading the report can tell the namesakes apart.
    assert match.suggestions == ["Bagh (jk-bagh)", "Bagh (kp-bagh)"]


def test_an_ambiguous_name_is_matched_once_the_province_says_which(matcher):
    assert matcher.match("Bagh", within="jk").area.code == "jk-bagh"
    assert matcher.match("Bagh", within="kp").area.code == "kp-bagh"


def test_an_unknown_name_comes_back_unmatched_with_suggestions(matcher):
    match = matcher.match("Faisalabad Cantonment")
    assert not match.ok
    assert match.areas == []
    assert "Faisalabad" in match.suggestions

    nothing = matcher.match("Atlantis")
    assert not nothing.ok
    assert nothing.suggestions == []


def test_an_empty_name_matches_nothing(matcher):
    for text in ["", "   ", None, "District"]:
        assert not matcher.match(text).ok


def test_level_chooses_between_a_district_and_its_division(matcher):
    assert matcher.match("Hyderabad").ambiguous
    assert matcher.match("Hyderabad", levels=["district"]).area.code == "sd-hyderabad"
    assert matcher.match("Hyderabad", levels=["division"]).area.code == "sd-hyderabad-division"
    assert matcher.match("Lahore", levels=["district"]).area.code == "pb-lahore"


def test_within_keeps_matches_inside_one_area(matcher):
    assert matcher.match("Mirpur", within="jk").area.code == "jk-mirpur"
    assert not matcher.match("Mirpur", within="sd").ok  # Mirpur Khas is another place
    assert matcher.match("Mirpur Khas", within="sd").area.code == "sd-mirpur-khas"
    assert not matcher.match("Mirpur Khas", within="jk").ok
    assert matcher.match("Karachi", levels=["division"], within="sd").area.code == "sd-karachi"
    # "Inside" follows the path, not the text: sd/sd-kar is not the start of Karachi's path.
    assert matcher.match("Karachi East", within="sd/sd-karachi").ok
    assert not matcher.match("Karachi East", within="sd/sd-kar").ok


def test_mirpur_is_not_read_as_mirpur_khas(matcher):
    assert matcher.match("Mirpur").area.code == "jk-mirpur"
    assert matcher.match("Mirpurkhas").area.code == "sd-mirpur-khas"


@pytest.mark.parametrize(
    "text",
    [
        "لاہور",
        "لاهور",  # Arabic heh
        " لاہور ",
    ],
)
def test_urdu_names_match(matcher, text):
    match = matcher.match(text)
    assert match.ok
    assert match.area.code == "pb-lahore"


def test_urdu_former_names_with_arabic_letter_forms_match(matcher):
    # Arabic yeh (ي) and kaf (ك) are how many keyboards type Urdu's ی and ک.
    match = matcher.match("نواب شاه")
    assert match.area.code == "sd-shaheed-benazirabad"
    assert normalize("كراچي") == normalize("کراچی")


def test_the_matcher_never_guesses_between_levels_for_a_variant(matcher):
    match = matcher.match("Hyderabaad")
    assert not match.ok
    assert match.ambiguous
    assert codes(match) == ["sd-hyderabad", "sd-hyderabad-division"]
