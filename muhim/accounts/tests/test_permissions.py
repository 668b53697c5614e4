"""The permission matrix, first as `user_can`/`scope_filter` answers, then as what each kind of
user meets on the real pages and API endpoints."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from muhim.accounts.models import Role
from muhim.accounts.permissions import Capability, scope_filter, user_can
from muhim.geography.forms import AliasFormSet, AreaForm
from muhim.geography.models import Area

pytestmark = pytest.mark.usefixtures("module_gazetteer")

C = Capability
ALL, OWN, NO = "everywhere", "own regions only", "nowhere"
ROLES = [Role.ADMINISTRATOR, Role.CAMPAIGN_OFFICE, Role.ORGANISER, Role.SPECIALIST, Role.PARTNER]

# The matrix as the product describes it: who may do what, and where.
# fmt: off
SPEC = {
    #                         administrator campaign office organiser specialist partner
    C.VIEW_STAFF_PAGES:       (ALL,          ALL,            OWN,      ALL,       ALL),
    C.EDIT_GAZETTEER:         (ALL,          ALL,            OWN,      NO,        NO),
    C.MANAGE_BOUNDARIES:      (ALL,          ALL,            NO,       NO,        NO),
    C.MANAGE_CONSTITUENCIES:  (ALL,          ALL,            NO,       NO,        NO),
    C.RUN_IMPORTS:            (ALL,          ALL,            OWN,      ALL,       NO),
    C.VIEW_ALL_IMPORTS:       (ALL,          ALL,            NO,       NO,        NO),
    C.VIEW_PERSONAL_DATA:     (ALL,          ALL,            OWN,      NO,        NO),
    C.VIEW_AUDIT:             (ALL,          NO,             NO,       NO,        NO),
    C.MANAGE_USERS:           (ALL,          NO,             NO,       NO,        NO),
    C.MANAGE_NETWORK:         (ALL,          ALL,            NO,       NO,        NO),
    C.MANAGE_RECRUITMENT:     (ALL,          ALL,            NO,       NO,        NO),
    C.MANAGE_VOLUNTEERS:      (ALL,          ALL,            OWN,      NO,        NO),
    C.VIEW_ACTIVITIES:        (ALL,          ALL,            OWN,      ALL,       ALL),
    C.MANAGE_ACTIVITIES:      (ALL,          ALL,            OWN,      ALL,       NO),
    C.VIEW_DEMANDS:           (ALL,          ALL,            OWN,      ALL,       NO),
    C.MANAGE_DEMANDS:         (ALL,          ALL,            OWN,      NO,        NO),
    C.MANAGE_PARTNERS:        (ALL,          ALL,            NO,       NO,        NO),
    C.MANAGE_ELECTIONS:       (ALL,          ALL,            NO,       ALL,       NO),
    C.MANAGE_MANIFESTOS:      (ALL,          ALL,            NO,       ALL,       NO),
    C.MANAGE_PLEDGES:         (ALL,          ALL,            OWN,      ALL,       NO),
    C.MANAGE_MEDIA:           (ALL,          ALL,            NO,       ALL,       NO),
}
# fmt: on
SPEC_CASES = [
    pytest.param(role, capability, where, id=f"{role.value}-{capability.value}")
    for capability, row in SPEC.items()
    for role, where in zip(ROLES, row, strict=True)
]


def test_the_spec_names_every_capability():
    assert set(SPEC) == set(Capability)


# --- user_can ------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "capability", "where"), SPEC_CASES)
def test_user_can_follows_the_matrix(make_user, gazetteer, role, capability, where):
    regions = ["pb-lahore-division"] if role == Role.ORGANISER else []
    user = make_user(role, regions)
    inside, outside = gazetteer("pb-lahore"), gazetteer("sd-karachi-south")

    assert user_can(user, capability) is (where != NO)
    assert user_can(user, capability, inside) is (where != NO)
    assert user_can(user, capability, outside) is (where == ALL)


def test_an_organiser_region_includes_itself_and_everything_below_it(make_user, gazetteer):
    organiser = make_user(Role.ORGANISER, ["pb-lahore-division"])
    allowed = {
        code: user_can(organiser, C.EDIT_GAZETTEER, gazetteer(code))
        for code in ["pb-lahore-division", "pb-lahore", "pb-kasur", "pb", "sd-karachi-south", "pb-rawalpindi"]
    }
    assert allowed == {
        "pb-lahore-division": True,
        "pb-lahore": True,
        "pb-kasur": True,  # Kasur district lies in Lahore division
        "pb": False,  # the province above the region is not inside it
        "sd-karachi-south": False,
        "pb-rawalpindi": False,
    }


def test_an_organiser_of_a_province_covers_its_districts(make_user, gazetteer):
    organiser = make_user(Role.ORGANISER, ["pb"])
    assert user_can(organiser, C.EDIT_GAZETTEER, gazetteer("pb-lahore"))
    assert user_can(organiser, C.EDIT_GAZETTEER, gazetteer("pb"))
    assert not user_can(organiser, C.EDIT_GAZETTEER, gazetteer("sd-karachi-south"))


def test_an_organiser_of_a_district_does_not_cover_its_division(make_user, gazetteer):
    organiser = make_user(Role.ORGANISER, ["pb-lahore"])
    assert user_can(organiser, C.EDIT_GAZETTEER, gazetteer("pb-lahore"))
    assert not user_can(organiser, C.EDIT_GAZETTEER, gazetteer("pb-lahore-division"))
    assert not user_can(organiser, C.EDIT_GAZETTEER, gazetteer("pb-kasur"))


def test_an_organiser_with_two_regions_covers_both(make_user, gazetteer):
    organiser = make_user(Role.ORGANISER, ["pb-lahore-division", "sd-karachi-division"])
    assert user_can(organiser, C.EDIT_GAZETTEER, gazetteer("pb-lahore"))
    assert user_can(organiser, C.EDIT_GAZETTEER, gazetteer("sd-karachi-south"))
    assert not user_can(organiser, C.EDIT_GAZETTEER, gazetteer("kp-peshawar"))


def test_a_region_whose_code_starts_like_another_does_not_contain_it(make_user, gazetteer):
    """Containment goes by whole path segments, not by how codes begin."""
    punjab = gazetteer("pb")
    lookalike = Area.objects.create(
        code="pb-lahore-division2", level=Area.Level.DIVISION, parent=punjab, province=punjab,
        path="pb/pb-lahore-division2", name="Lookalike",
    )  # fmt: skip
    district = Area.objects.create(
        code="pb-lookalike", level=Area.Level.DISTRICT, parent=lookalike, province=punjab,
        path="pb/pb-lahore-division2/pb-lookalike", name="Lookalike district",
    )  # fmt: skip
    organiser = make_user(Role.ORGANISER, ["pb-lahore-division"])

    assert not user_can(organiser, C.EDIT_GAZETTEER, lookalike)
    assert not user_can(organiser, C.EDIT_GAZETTEER, district)
    assert district.code not in districts_in_scope(organiser)
    assert "pb-lahore" in districts_in_scope(organiser)


@pytest.mark.parametrize("capability", list(Capability))
def test_an_organiser_without_regions_can_do_nothing(make_user, gazetteer, capability):
    organiser = make_user(Role.ORGANISER)
    assert not user_can(organiser, capability)
    assert not user_can(organiser, capability, gazetteer("pb-lahore"))


@pytest.mark.parametrize("capability", list(Capability))
def test_an_inactive_administrator_can_do_nothing(make_user, gazetteer, capability):
    user = make_user(Role.ADMINISTRATOR, is_active=False, is_superuser=True)
    assert not user_can(user, capability)
    assert not user_can(user, capability, gazetteer("pb-lahore"))


@pytest.mark.parametrize("capability", list(Capability))
def test_anonymous_visitors_and_accounts_without_a_role_can_do_nothing(make_user, gazetteer, capability):
    from django.contrib.auth.models import AnonymousUser

    for user in [AnonymousUser(), None, make_user("")]:
        assert not user_can(user, capability)
        assert not user_can(user, capability, gazetteer("pb-lahore"))


@pytest.mark.parametrize("capability", list(Capability))
def test_a_superuser_without_a_role_acts_as_administrator(make_user, gazetteer, capability):
    user = make_user("", is_superuser=True)
    assert user_can(user, capability)
    assert user_can(user, capability, gazetteer("sd-karachi-south"))


def test_a_superuser_with_another_role_still_acts_as_administrator(make_user, gazetteer):
    user = make_user(Role.PARTNER, is_superuser=True)
    assert user_can(user, C.MANAGE_USERS)
    assert user_can(user, C.EDIT_GAZETTEER, gazetteer("sd-karachi-south"))


# --- scope_filter ---------------------------------------------------------------------------


def districts_in_scope(user, capability=C.EDIT_GAZETTEER):
    """Codes of the districts `user` may use `capability` on, scoping by the district's parent."""
    return set(
        Area.objects.districts()
        .filter(scope_filter(user, capability, "parent"))
        .values_list("code", flat=True)
    )


def test_scope_filter_keeps_everything_for_national_roles(make_user, gazetteer):
    every_district = set(Area.objects.districts().values_list("code", flat=True))
    assert len(every_district) > 100
    for role in [Role.ADMINISTRATOR, Role.CAMPAIGN_OFFICE]:
        assert districts_in_scope(make_user(role)) == every_district
    assert districts_in_scope(make_user("", is_superuser=True)) == every_district


def test_scope_filter_keeps_only_an_organisers_regions(make_user, gazetteer):
    lahore_division = set(gazetteer("pb-lahore-division").children.values_list("code", flat=True))
    assert {"pb-lahore", "pb-kasur"} <= lahore_division

    assert districts_in_scope(make_user(Role.ORGANISER, ["pb-lahore-division"])) == lahore_division

    punjab = set(Area.objects.districts().filter(path__startswith="pb/").values_list("code", flat=True))
    assert districts_in_scope(make_user(Role.ORGANISER, ["pb"])) == punjab

    karachi = set(gazetteer("sd-karachi-division").children.values_list("code", flat=True))
    both = make_user(Role.ORGANISER, ["pb-lahore-division", "sd-karachi-division"])
    assert districts_in_scope(both) == lahore_division | karachi


def test_scope_filter_keeps_rows_of_the_region_itself_and_of_areas_below_it(make_user, gazetteer):
    """Staff are scoped by their regions: the organiser of Lahore division is in scope of an
    organiser of the same division and of Punjab, not of a Lahore district organiser."""
    colleagues = {
        "same-division": make_user(Role.ORGANISER, ["pb-lahore-division"]),
        "district-below": make_user(Role.ORGANISER, ["pb-lahore"]),
        "province-above": make_user(Role.ORGANISER, ["pb"]),
        "elsewhere": make_user(Role.ORGANISER, ["sd-karachi-south"]),
    }
    organiser = make_user(Role.ORGANISER, ["pb-lahore-division"])
    in_scope = set(
        type(organiser)
        .objects.filter(scope_filter(organiser, C.VIEW_PERSONAL_DATA, "regions"))
        .exclude(pk=organiser.pk)
        .values_list("username", flat=True)
    )
    assert in_scope == {colleagues["same-division"].username, colleagues["district-below"].username}


@pytest.mark.parametrize(
    ("role", "regions"),
    [(Role.ORGANISER, []), (Role.SPECIALIST, []), (Role.PARTNER, []), ("", [])],
    ids=["organiser-without-regions", "specialist", "partner", "no-role"],
)
def test_scope_filter_keeps_nothing_without_the_capability_or_regions(make_user, gazetteer, role, regions):
    assert districts_in_scope(make_user(role, regions)) == set()


def test_scope_filter_keeps_nothing_for_anonymous_or_inactive_users(make_user, gazetteer):
    from django.contrib.auth.models import AnonymousUser

    assert districts_in_scope(AnonymousUser()) == set()
    assert districts_in_scope(make_user(Role.ADMINISTRATOR, is_active=False)) == set()


def test_scope_filter_uses_the_capability_asked_for(make_user, gazetteer):
    organiser = make_user(Role.ORGANISER, ["pb-lahore-division"])
    assert districts_in_scope(organiser, C.VIEW_PERSONAL_DATA)  # organisers see their people
    assert districts_in_scope(organiser, C.VIEW_AUDIT) == set()  # but not the audit trail


# --- the real pages and API ------------------------------------------------------------------

LOGIN = "login"  # sent to the sign-in page
SAVED = "saved"  # the change was stored
API_ANON = "401/403"  # DRF: not authenticated

# What each kind of user meets. The organiser covers Lahore division: pb-lahore is theirs,
# sd-karachi-south (Karachi) is not. "admin" follows redirects to where the visitor lands.
# fmt: off
COLUMNS = (
    "dashboard", "edit_own", "edit_other", "save_own", "save_other", "history", "imports",
    "import_new", "admin", "api_own", "api_other",
)
EXPECTED = {
    #                  dashboard edit_own edit_other save_own save_other history imports import_new admin  api_own   api_other
    "administrator":   (200,     200,     200,       SAVED,   SAVED,     200,    200,    200,       200,   SAVED,    SAVED),
    "campaign_office": (200,     200,     200,       SAVED,   SAVED,     403,    200,    200,       403,   SAVED,    SAVED),
    "organiser":       (200,     200,     403,       SAVED,   403,       403,    200,    200,       403,   SAVED,    403),
    "specialist":      (200,     403,     403,       403,     403,       403,    200,    200,       403,   403,      403),
    "partner":         (200,     403,     403,       403,     403,       403,    403,    403,       403,   403,      403),
    "no_role":         (403,     403,     403,       403,     403,       403,    403,    403,       403,   403,      403),
    "anonymous":       (LOGIN,   LOGIN,   LOGIN,     LOGIN,   LOGIN,     LOGIN,  LOGIN,  LOGIN,     LOGIN, API_ANON, API_ANON),
}
# fmt: on
VIEW_CASES = [
    pytest.param(who, column, expected, id=f"{who}-{column}")
    for who, row in EXPECTED.items()
    for column, expected in zip(COLUMNS, row, strict=True)
]
TOKEN_CASES = [
    pytest.param(who, column, expected, id=f"{who}-{column}-token")
    for who, row in EXPECTED.items()
    if who != "anonymous"
    for column, expected in zip(COLUMNS, row, strict=True)
    if column.startswith("api_")
]


def make_visitor(make_user, who):
    if who == "anonymous":
        return None
    if who == "administrator":  # administrators are superusers (and staff, for Django admin)
        return make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    if who == "organiser":
        return make_user(Role.ORGANISER, ["pb-lahore-division"])
    return make_user("" if who == "no_role" else who)


def edit_form_data(area, **changes):
    """What the edit page posts when nothing but `changes` is typed: every field as the page
    shows it, including the other-names formset."""
    data = {}
    for form in [AreaForm(instance=area), *AliasFormSet(instance=area, prefix="aliases").forms]:
        for field in form:
            value = field.value()
            if value not in (None, False):
                data[field.html_name] = value
    management = AliasFormSet(instance=area, prefix="aliases").management_form
    data.update({f"aliases-{k}": v for k, v in management.initial.items()})
    data.update(changes)
    return data


def outcome(response, area=None, new_name=None):
    if response.status_code == 302:
        location = urlsplit(response["Location"]).path
        if location == reverse("accounts:login"):
            return LOGIN
    if (
        response.status_code in (401, 403)
        and response["Content-Type"].startswith("application/json")
        and response.json()["detail"] == "Authentication credentials were not provided."
    ):
        return API_ANON
    if area is not None:
        area.refresh_from_db()
        saved = area.name == new_name
        if response.status_code in (200, 302) and saved:
            return SAVED
        assert not saved, f"the change was stored although the answer was {response.status_code}"
    return response.status_code


def visit(client, column, auth=None):
    own, other = Area.objects.get(code="pb-lahore"), Area.objects.get(code="sd-karachi-south")
    match column:
        case "dashboard":
            return outcome(client.get("/accounts/"))
        case "edit_own":
            return outcome(client.get("/areas/pb-lahore/edit/"))
        case "edit_other":
            return outcome(client.get("/areas/sd-karachi-south/edit/"))
        case "save_own" | "save_other":
            area = own if column == "save_own" else other
            response = client.post(f"/areas/{area.code}/edit/", edit_form_data(area, name="Renamed"))
            result = outcome(response, area, "Renamed")
            if result == SAVED:
                assert response["Location"] == area.get_absolute_url()  # back to the area's page
            return result
        case "history":
            return outcome(client.get("/areas/pb-lahore/history/"))
        case "imports":
            return outcome(client.get("/imports/"))
        case "import_new":
            return outcome(client.get("/imports/new/"))
        case "admin":
            response = client.get("/admin/", follow=True)
            if response.status_code == 200 and response.request["PATH_INFO"] == reverse("accounts:login"):
                return LOGIN
            return response.status_code
        case "api_own" | "api_other":
            area = own if column == "api_own" else other
            headers = {"Authorization": f"Token {auth}"} if auth else {}
            response = client.patch(
                f"/api/v1/areas/{area.code}/",
                {"name": "Renamed"},
                content_type="application/json",
                headers=headers,
            )
            return outcome(response, area, "Renamed")
    raise AssertionError(column)


@pytest.mark.parametrize(("who", "column", "expected"), VIEW_CASES)
def test_what_each_role_meets_signed_in_with_a_session(client, make_user, gazetteer, who, column, expected):
    user = make_visitor(make_user, who)
    if user is not None:
        client.force_login(user)
    assert visit(client, column) == expected


@pytest.mark.parametrize(("who", "column", "expected"), TOKEN_CASES)
def test_what_each_role_meets_through_the_api_with_a_token(
    client, make_user, gazetteer, who, column, expected
):
    user = make_visitor(make_user, who)
    token = Token.objects.create(user=user)
    assert visit(client, column, auth=token.key) == expected


def test_reading_the_api_needs_no_account(client, gazetteer):
    response = client.get("/api/v1/areas/sd-karachi-south/")
    assert response.status_code == 200
    assert response.json()["code"] == "sd-karachi-south"


def test_an_organiser_of_a_province_may_edit_its_districts_but_not_other_provinces(
    client, make_user, gazetteer
):
    client.force_login(make_user(Role.ORGANISER, ["pb"]))
    assert visit(client, "edit_own") == 200
    assert visit(client, "save_own") == SAVED
    assert visit(client, "api_own") == SAVED
    assert visit(client, "edit_other") == 403
    assert visit(client, "api_other") == 403


def test_the_refusal_explains_regions(client, make_user, gazetteer):
    client.force_login(make_user(Role.ORGANISER, ["pb-lahore-division"]))

    page = client.get("/areas/sd-karachi-south/edit/")
    assert page.status_code == 403
    text = page.content.decode()
    assert "only inside your own regions" in text
    assert gazetteer("pb-lahore-division").get_absolute_url() in text  # which regions are theirs

    api = client.patch("/api/v1/areas/sd-karachi-south/", {"name": "X"}, content_type="application/json")
    assert api.status_code == 403
    assert api.json()["detail"]


def test_the_refusal_says_who_is_signed_in_and_what_to_do(client, make_user, gazetteer):
    client.force_login(make_user(Role.SPECIALIST, username="hina"))
    page = client.get("/areas/pb-lahore/edit/")
    assert page.status_code == 403
    text = page.content.decode()
    assert "You are signed in as hina (Specialist)." in text
    assert "ask an administrator to change your role or regions" in text


def test_an_account_without_a_role_is_told_to_ask_for_one(client, make_user, gazetteer):
    client.force_login(make_user(""))
    response = client.get("/accounts/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "Your account has no role yet. Ask an administrator to give you one." in text
    assert 'href="/accounts/">Dashboard' not in text  # no link back to the page that refused


def test_an_organiser_without_regions_is_told_to_ask_for_regions(client, make_user, gazetteer):
    client.force_login(make_user(Role.ORGANISER))
    response = client.get("/accounts/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "no regions yet" in text
    assert "no role yet" not in text


# --- edits are recorded with who made them -------------------------------------------------


def test_an_edit_on_the_page_is_recorded_in_the_areas_history(client, make_user, gazetteer):
    organiser = make_user(Role.ORGANISER, ["pb-lahore-division"])
    client.force_login(organiser)
    area = gazetteer("pb-lahore")

    response = client.post(area.get_absolute_url() + "edit/", edit_form_data(area, name_ur="لاہور شہر"))

    assert response.status_code == 302
    assert response["Location"] == area.get_absolute_url()
    latest = area.history.first()
    assert latest.name_ur == "لاہور شہر"
    assert latest.history_user == organiser


def test_an_edit_through_the_api_is_recorded_in_the_areas_history(client, make_user, gazetteer):
    organiser = make_user(Role.ORGANISER, ["pb-lahore-division"])
    token = Token.objects.create(user=organiser)
    area = gazetteer("pb-lahore")

    response = client.patch(
        "/api/v1/areas/pb-lahore/",
        {"headquarters": "Lahore city"},
        content_type="application/json",
        headers={"Authorization": f"Token {token.key}"},
    )

    assert response.status_code == 200
    assert response.json()["headquarters"] == "Lahore city"
    latest = area.history.first()
    assert latest.headquarters == "Lahore city"
    assert latest.history_user == organiser


def test_the_administrator_sees_the_edit_in_the_history_page(client, make_user, gazetteer):
    organiser = make_user(Role.ORGANISER, ["pb-lahore-division"], username="ayesha")
    client.force_login(organiser)
    area = gazetteer("pb-lahore")
    client.post("/areas/pb-lahore/edit/", edit_form_data(area, headquarters="Lahore city"))

    client.force_login(make_user(Role.ADMINISTRATOR, is_superuser=True, is_staff=True))
    page = client.get("/areas/pb-lahore/history/").content.decode()
    assert "ayesha" in page
    assert "Lahore city" in page


# --- the dashboard shows what the role can use --------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_imports", "sees_administration"),
    [
        ("administrator", True, True),
        ("campaign_office", True, False),
        ("organiser", True, False),
        ("specialist", True, False),
        ("partner", False, False),
    ],
)
def test_the_dashboard_offers_what_the_role_may_use(
    client, make_user, gazetteer, who, sees_imports, sees_administration
):
    client.force_login(make_visitor(make_user, who))
    page = client.get("/accounts/").content.decode()
    assert ("New import" in page) is sees_imports
    assert (reverse("core:import-list") in page) is sees_imports  # the Imports menu entry
    assert ("Open administration" in page) is sees_administration
    assert "Security and API token" in page


def test_the_dashboard_names_an_organisers_regions(client, make_user, gazetteer):
    client.force_login(make_user(Role.ORGANISER, ["pb-lahore-division", "sd-karachi-division"]))
    page = client.get("/accounts/").content.decode()
    assert "Regional organiser" in page
    assert gazetteer("pb-lahore-division").get_absolute_url() in page
    assert gazetteer("sd-karachi-division").get_absolute_url() in page
