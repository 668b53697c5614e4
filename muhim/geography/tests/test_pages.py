"""The geography pages as people see them (Django's test client)."""

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from muhim.core.imports.runner import create_run, execute
from muhim.core.models import AuditEvent
from muhim.geography.models import Area, AreaAlias

pytestmark = pytest.mark.django_db

SEATS = b"""seat,district,other districts
NA-1,Chitral,
NA-2,Swat,
NA-257,Killa Saifullah,Zhob - Sherani
PK-1,Chitral,
PK-2,Swat,
"""


@pytest.fixture
def seats(gazetteer):
    run = create_run(importer_slug="constituencies", data=SEATS, filename="seats.csv", source="command")
    execute(run, commit=True)
    run.refresh_from_db()
    assert run.created == 5


def text_of(response):
    """The page's visible text, tags removed and spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_home_shows_the_counts_and_the_provinces(gazetteer, seats, client):
    response = client.get("/")
    assert response.status_code == 200
    text = text_of(response)
    for count, label in [
        (7, "provinces and territories"),
        (37, "divisions"),
        (156, "districts"),
        (5, "assembly seats"),
    ]:
        assert f"{count} {label}" in text
    html = response.content.decode()
    for code, name in [
        ("pb", "Punjab"),
        ("is", "Islamabad Capital Territory"),
        ("jk", "Azad Jammu and Kashmir"),
        ("gb", "Gilgit-Baltistan"),
    ]:
        assert f'<a href="/areas/{code}/">{name}</a>' in html
    assert 'data-url="/api/v1/areas/?level=province&amp;format=geojson"' in html
    assert '<html lang="en" dir="ltr">' in html


def test_home_in_urdu_is_right_to_left_with_urdu_names_and_links(gazetteer, client):
    response = client.get("/ur/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ur" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    assert "noto-nastaliq-urdu" in html
    assert '<a href="/ur/areas/pb/">پنجاب</a>' in html
    assert '<a href="/ur/areas/is/">اسلام آباد</a>' in html
    # The switcher offers English, and the map's links stay in Urdu.
    assert 'name="language" value="en"' in html
    assert 'data-link-prefix="/ur"' in html


def test_an_area_page_in_urdu_leads_with_the_urdu_name(gazetteer, client):
    html = client.get("/ur/areas/pb-lahore/").content.decode()
    assert "<title>لاہور" in html
    assert '<h1 class="h2 mb-0">لاہور <span class="ms-2" lang="en" dir="ltr">Lahore</span></h1>' in html
    assert '<li class="breadcrumb-item"><a href="/ur/areas/pb/">پنجاب</a></li>' in html


def language_switch(client, path, language):
    """Submit the page's language switcher; the address it sends the browser to."""
    html = client.get(path).content.decode()
    form = re.search(r'<form action="(/i18n/setlang/)"[^>]*>(.*?)</form>', html, re.S)
    assert form, "no language switcher"
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form.group(2)))
    assert f'name="language" value="{language}"' in form.group(2)
    response = client.post(form.group(1), {**fields, "language": language})
    assert response.status_code == 302
    return response["Location"]


def test_the_language_switcher_opens_the_same_page_in_urdu(gazetteer, client):
    assert language_switch(client, "/areas/pb-lahore/?x=1", "ur") == "/ur/areas/pb-lahore/?x=1"
    assert client.get("/ur/areas/pb-lahore/").content.decode().count('dir="rtl"') >= 1


def test_the_language_switcher_opens_the_same_page_in_english(gazetteer, client):
    assert language_switch(client, "/ur/areas/pb-lahore/", "en") == "/areas/pb-lahore/"


@pytest.mark.parametrize(("level", "count"), [("province", 7), ("division", 37), ("district", 156)])
def test_the_map_page_at_each_level_says_markers_are_shown_without_boundaries(
    gazetteer, client, level, count
):
    response = client.get("/map/", {"level": level})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-url="/api/v1/areas/?format=geojson&amp;level={level}"' in html
    assert re.search(
        rf'href="\?level={level}" aria-current="page">[^<]+<span class="badge[^"]*">{count}</span>', html
    )
    assert (
        "No boundaries have been imported yet, so each area is shown as a marker at its centre."
        in text_of(response)
    )


def test_an_unknown_map_level_falls_back_to_provinces(gazetteer, client):
    html = client.get("/map/", {"level": "planet"}).content.decode()
    assert 'data-url="/api/v1/areas/?format=geojson&amp;level=province"' in html


def test_the_map_page_says_how_many_areas_have_boundaries(gazetteer, client):
    square = {
        "type": "Polygon",
        "coordinates": [[[74.2, 31.4], [74.5, 31.4], [74.5, 31.7], [74.2, 31.7], [74.2, 31.4]]],
    }
    Area.objects.filter(code="pb-lahore").update(boundary=square)
    text = text_of(client.get("/map/", {"level": "district"}))
    assert "1 of 156 areas have boundaries; the others are shown as markers." in text
    Area.objects.filter(level="province").update(boundary=square)
    assert "markers" not in text_of(client.get("/map/", {"level": "province"}))


def test_an_area_page_shows_both_names_its_parents_children_and_seats(gazetteer, seats, client):
    response = client.get(reverse("geography:area-detail", kwargs={"code": "kp-upper-chitral"}))
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert "English name Upper Chitral" in text
    assert f"Urdu name {gazetteer('kp-upper-chitral').name_ur}" in text
    assert re.search(
        rf'<h1[^>]*>Upper Chitral <span class="ms-2" lang="ur" dir="rtl">{gazetteer("kp-upper-chitral").name_ur}</span></h1>',
        html,
    )
    breadcrumb = re.search(r'<ol class="breadcrumb">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', breadcrumb) == [
        "/areas/",
        "/areas/kp/",
        "/areas/kp-malakand-division/",
    ]
    assert "Upper Chitral" in re.search(r'aria-current="page">([^<]+)<', breadcrumb).group(1)
    assert "Also known as" in text and "Chitral" in text
    section = text_of_section(html, "constituencies")
    assert "National Assembly (delimitation 2018, 1) NA-1" in section
    assert "Provincial Assembly of Khyber Pakhtunkhwa (delimitation 2018, 1) PK-1" in section
    assert "NA-2" not in section


def text_of_section(html, section_id):
    found = re.search(rf'<section[^>]*id="{section_id}"[^>]*>(.*?)</section>', html, re.S)
    assert found, f"no section #{section_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_a_province_page_lists_its_divisions_and_every_seat_inside_it(gazetteer, seats, client):
    response = client.get("/areas/kp/")
    html = response.content.decode()
    assert "7 areas inside" in text_of(response)
    assert '<a href="/areas/kp-malakand-division/">Malakand</a>' in html
    section = text_of_section(html, "constituencies")
    assert "National Assembly (delimitation 2018, 2) NA-1 NA-2" in section
    assert "(delimitation 2018, 2) PK-1 PK-2" in section
    # The map shows the divisions inside.
    assert 'data-url="/api/v1/areas/?format=geojson&amp;parent=kp"' in html


def test_a_district_without_seats_says_so(gazetteer, client):
    response = client.get("/areas/gb-gilgit/")
    assert "No constituencies are recorded in this area yet." in text_of(response)


def test_the_map_of_a_district_shows_it_among_its_neighbours(gazetteer, client):
    html = client.get("/areas/pb-lahore/").content.decode()
    assert (
        'data-url="/api/v1/areas/?format=geojson&amp;parent=pb-lahore-division" data-highlight="pb-lahore"'
        in html
    )


def test_the_map_of_a_district_whose_tehsils_cannot_be_drawn_still_shows_the_district(gazetteer, client):
    lahore = gazetteer("pb-lahore")
    Area.objects.create(
        code="pb-lahore-raiwind",
        name="Raiwind",
        level="tehsil",
        parent=lahore,
        province=lahore.province,
        path=f"{lahore.path}/pb-lahore-raiwind",
    )
    html = client.get("/areas/pb-lahore/").content.decode()
    assert (
        'data-url="/api/v1/areas/?format=geojson&amp;parent=pb-lahore-division" data-highlight="pb-lahore"'
        in html
    )
    assert '<a href="/areas/pb-lahore-raiwind/">Raiwind</a>' in html
    tehsil = client.get("/areas/pb-lahore-raiwind/").content.decode()
    assert 'parent=pb-lahore-division" data-highlight="pb-lahore"' in tehsil


def test_an_unknown_area_is_a_404(gazetteer, client):
    assert client.get("/areas/atlantis/").status_code == 404


def test_a_constituency_page(gazetteer, seats, client):
    response = client.get("/constituencies/2018/NA-257/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert "NA-257" in text and "National Assembly · delimitation 2018" in text
    assert '<a href="/areas/ba/">Balochistan</a>' in html
    lies_in = text.split("Lies in", 1)[1]
    assert lies_in.index("Killa Saifullah District") < lies_in.index("Sherani District · also covers")
    assert "Zhob District · also covers" in lies_in
    assert "Killa Saifullah District · also covers" not in lies_in
    # Typed in lower case, as people do.
    assert client.get("/constituencies/2018/na-257/").status_code == 200
    assert client.get("/constituencies/2013/NA-257/").status_code == 404


def test_the_constituency_list_filters_by_district(gazetteer, seats, client):
    text = text_of(client.get("/constituencies/", {"district": "kp-swat"}))
    assert "2 seats" in text
    assert "NA-2" in text and "PK-2" in text and "NA-1 " not in text


def rows_of(response):
    """The codes in the results table (last column)."""
    table = re.search(r"<tbody[^>]*>(.*?)</tbody>", response.content.decode(), re.S)
    if not table:
        return []
    return re.findall(r"<td[^>]*>([a-z0-9\-]+)</td>\s*</tr>", table.group(1))


def test_the_area_list_filters(gazetteer, client):
    def count(**params):
        text = text_of(client.get("/areas/", params))
        return int(re.search(r"(\d+) areas?\b", text).group(1))

    assert count() == 200
    assert count(level="district") == 156
    assert count(level="division", province="sd") == 6
    assert count(parent="pb-lahore-division") == 4
    assert set(rows_of(client.get("/areas/", {"parent": "pb-lahore-division"}))) == {
        "pb-kasur",
        "pb-lahore",
        "pb-nankana-sahib",
        "pb-sheikhupura",
    }
    assert count(q="lahore", level="district") == 1
    assert count(q="لاہور", level="district") == 1


def test_the_area_list_finds_areas_by_their_former_names(gazetteer, client):
    response = client.get("/areas/", {"q": "Nawabshah"})
    assert set(rows_of(response)) == {"sd-shaheed-benazirabad", "sd-shaheed-benazirabad-division"}
    assert "2 areas" in text_of(response)


def test_an_invalid_filter_shows_an_error_not_an_empty_page(gazetteer, client):
    response = client.get("/areas/", {"level": "planet"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_filtering_with_htmx_returns_only_the_results(gazetteer, client):
    response = client.get("/areas/", {"level": "province"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "<html" not in html and "<form" not in html
    assert "7 areas" in text_of(response)
    full = client.get("/areas/", {"level": "province"}).content.decode()
    assert "<html" in full and 'id="results"' in full


def test_csv_export_holds_exactly_the_filtered_rows_and_is_audited(gazetteer, client, make_user):
    user = make_user("campaign_office")
    client.force_login(user)
    response = client.get("/areas/", {"level": "district", "province": "sd", "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 30
    codes = {r[-1] for r in rows[1:]}
    assert codes == set(
        Area.objects.filter(level="district", province__code="sd").values_list("code", flat=True)
    )
    karachi_east = next(r for r in rows if r[-1] == "sd-karachi-east")
    assert karachi_east[:2] == ["Karachi East", gazetteer("sd-karachi-east").name_ur]
    event = AuditEvent.objects.get(action="export")
    assert event.user == user
    assert event.details["rows"] == 30
    assert event.details["format"] == "csv"
    assert event.details["filters"] == {"level": "district", "province": "sd"}


def test_xlsx_export_of_more_rows_than_a_page(gazetteer, client):
    response = client.get("/areas/", {"level": "district", "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 156
    assert AuditEvent.objects.filter(action="export", details__format="xlsx", details__rows=156).exists()


def test_constituency_export(gazetteer, seats, client):
    response = client.get("/constituencies/", {"assembly": "NA", "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["NA-1", "NA-2", "NA-257"]
    header = rows[0]
    assert dict(zip(header, rows[3], strict=True))["Districts"] == "Killa Saifullah; Sherani; Zhob"


# --- editing ----------------------------------------------------------------------------------


class _FormReader(HTMLParser):
    """The values a browser would submit from the page's POST form."""

    def __init__(self):
        super().__init__()
        self.fields, self._in_form, self._select, self._textarea = [], False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post":
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") not in ("submit", "button"):
                self.fields.append([a["name"], a.get("value", "")])
        elif tag == "select":
            self._select = [a["name"], None]
            self.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            if self._select[1] is None or "selected" in a:
                self._select[1] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
            self.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def edit_form(client, code, **changes):
    """What the edit page's form submits, with `changes` typed in."""
    reader = _FormReader()
    reader.feed(client.get(f"/areas/{code}/edit/").content.decode())
    data = dict(reader.fields)
    unknown = set(changes) - set(data)
    assert not unknown, f"the form has no {unknown}"
    data.update(changes)
    return data


def alias_fields(data):
    return {k: v for k, v in data.items() if k.startswith("aliases-") and k.endswith("-name") and v}


def test_a_failed_edit_shows_the_error_and_keeps_what_was_typed(gazetteer, client, make_user):
    client.force_login(make_user("campaign_office"))
    data = edit_form(client, "pb-kasur", name_ur="قصور شہر", centroid_lat="99")
    # The existing alias is the first alias form; the first empty one is next.
    assert data["aliases-0-name"] == "Qasur"
    data |= {"aliases-1-name": "Kasoor City", "aliases-1-kind": "former"}
    response = client.post("/areas/pb-kasur/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ensure this value is less than or equal to 38" in html
    assert 'value="قصور شہر"' in html
    assert 'value="99"' in html
    assert 'value="Kasoor City"' in html
    assert re.search(r'<option value="former" selected>', html)
    kasur = gazetteer("pb-kasur")
    assert (kasur.name_ur, float(kasur.centroid_lat)) == ("قصور", 31.12)
    assert list(kasur.aliases.values_list("name", flat=True)) == ["Qasur"]


def test_a_good_edit_changes_the_names_and_aliases(gazetteer, client, make_user):
    from muhim.geography.matching import AreaMatcher

    user = make_user("campaign_office")
    client.force_login(user)
    data = edit_form(client, "pb-kasur", name="Kasur Test", name_ur="قصور شہر", headquarters="Kasur City")
    data |= {"aliases-1-name": "Kasoor", "aliases-1-kind": "spelling", "aliases-0-DELETE": "on"}
    response = client.post("/areas/pb-kasur/edit/", data)
    assert response.status_code == 302
    assert response["Location"] == "/areas/pb-kasur/"
    kasur = gazetteer("pb-kasur")
    assert (kasur.name, kasur.name_ur, kasur.headquarters) == ("Kasur Test", "قصور شہر", "Kasur City")
    assert list(kasur.aliases.values_list("name", "kind")) == [("Kasoor", "spelling")]
    assert kasur.history.first().history_user == user
    page = client.get("/areas/pb-kasur/")
    assert "Kasur Test was saved." in text_of(page)
    assert "Also known as Kasoor" in text_of(page)
    # Imports find it by its new alias, and no longer by the removed one.
    matcher = AreaMatcher.from_db(levels=["district"])
    assert matcher.match("Kasoor").area.code == "pb-kasur"
    assert matcher.match("Qasur").how == "variant"


def test_changing_an_alias_kind_keeps_one_alias(gazetteer, client, make_user):
    client.force_login(make_user("campaign_office"))
    data = edit_form(client, "pb-faisalabad")
    lyallpur = next(k for k, v in alias_fields(data).items() if v == "Lyallpur")
    data[lyallpur.replace("-name", "-kind")] = "spelling"
    assert client.post("/areas/pb-faisalabad/edit/", data).status_code == 302
    assert list(
        gazetteer("pb-faisalabad").aliases.filter(name="Lyallpur").values_list("kind", flat=True)
    ) == ["spelling"]


def test_the_same_other_name_twice_is_an_error_not_a_crash(gazetteer, client, make_user):
    client.force_login(make_user("campaign_office"))
    data = edit_form(client, "pb-kasur", name_ur="قصور شہر")
    data |= {"aliases-1-name": "Qasur", "aliases-1-kind": "former"}
    response = client.post("/areas/pb-kasur/edit/", data)
    assert response.status_code == 200
    assert "Other name with this Area and Name already exists." in text_of(response)
    assert 'value="قصور شہر"' in response.content.decode()
    assert list(gazetteer("pb-kasur").aliases.values_list("name", "kind")) == [("Qasur", "spelling")]


def test_organisers_edit_only_inside_their_regions(gazetteer, client, make_user):
    client.force_login(make_user("organiser", regions=["pb-lahore-division"]))
    assert client.get("/areas/pb-kasur/edit/").status_code == 200
    assert 'href="/areas/pb-kasur/edit/"' in client.get("/areas/pb-kasur/").content.decode()
    assert client.get("/areas/sd-karachi-east/edit/").status_code == 403
    response = client.post(
        "/areas/sd-karachi-east/edit/",
        {"name": "X", "name_ur": "", "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 403
    assert gazetteer("sd-karachi-east").name == "Karachi East"
    assert 'href="/areas/sd-karachi-east/edit/"' not in client.get("/areas/sd-karachi-east/").content.decode()


def test_the_public_cannot_edit(gazetteer, client):
    response = client.get("/areas/pb-kasur/edit/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_change_history_is_for_administrators(gazetteer, client, make_user):
    client.force_login(make_user("campaign_office"))
    assert client.get("/areas/pb-kasur/history/").status_code == 403
    admin = make_user("administrator")
    client.force_login(admin)
    assert (
        client.post("/areas/pb-kasur/edit/", edit_form(client, "pb-kasur", name_ur="قصور شہر")).status_code
        == 302
    )
    text = text_of(client.get("/areas/pb-kasur/history/"))
    assert "name_ur" in text and "قصور شہر" in text and admin.username in text


def test_alias_objects_are_not_shared_between_areas(gazetteer):
    # Both the division and the district of Dera Ghazi Khan go by "D.G. Khan".
    assert AreaAlias.objects.filter(name="D.G. Khan").count() == 2


@pytest.mark.parametrize(
    ("role", "regions", "expected"),
    [
        (
            "organiser",
            ["pb-lahore-division"],
            {"pb-lahore-division", "pb-lahore", "pb-kasur", "pb-nankana-sahib", "pb-sheikhupura"},
        ),
        ("campaign_office", [], None),  # everything
        ("partner", [], set()),
    ],
)
def test_the_areas_a_user_can_edit_come_from_the_region_scoped_queryset(
    client, gazetteer, make_user, role, regions, expected
):
    from muhim.geography.models import Area

    user = make_user(role, regions)
    client.force_login(user)
    api = client.get("/api/v1/areas/?editable=true&page_size=1000").json()
    codes = {a["code"] for a in api["results"]}
    if expected is None:
        assert api["count"] == Area.objects.count()
    elif role == "partner":
        # A partner edits nothing, so the filter is not even offered: the list is unfiltered.
        assert api["count"] == Area.objects.count()
        assert Area.objects.editable_by(user).count() == 0
    else:
        assert codes == expected
        page = client.get("/areas/?editable=true", headers={"HX-Request": "true"}).content.decode()
        assert "Kasur" in page and "Karachi" not in page


def test_anonymous_visitors_are_not_offered_the_editable_filter(client, gazetteer):
    assert 'name="editable"' not in client.get("/areas/").content.decode()
