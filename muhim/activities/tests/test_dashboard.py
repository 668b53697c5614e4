"""The field dashboard: who sees which figures, every number equal to the list it links to, the
figures following every change made through the services, the map's GeoJSON, Urdu."""

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Sum
from django.utils import timezone

from muhim.activities import services, stats
from muhim.activities.dashboard import add_months
from muhim.activities.models import Activity, ActivityType
from muhim.activities.tests.factories import ActivityFactory, district
from muhim.demands import services as demand_services
from muhim.demands.models import Category, Demand, Status

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_MONTH = TODAY.replace(day=1)


def days_ago(n):
    return TODAY - timedelta(days=n)


def log(user=None, *, district_code="pb-kasur", day=None, status=Activity.Status.HELD, **fields):
    values = {
        "kind": ActivityType.KULI_KATCHEHRI,
        "title": "Kuli Katchehri with the DEO",
        "start_date": day or days_ago(3),
        "district": district(district_code),
        "status": status,
    }
    values.update(fields)
    return services.save_activity(activity=Activity(**values), user=user)


def raise_demand(user=None, *, district_code="pb-kasur", day=None, **fields):
    values = {
        "title": "Two teachers for GPS Chak 12",
        "category": Category.TEACHERS,
        "district": district(district_code),
        "authority": Demand.Authority.EDUCATION_OFFICER,
        "raised_on": day or days_ago(20),
    }
    on_the_spot = fields.pop("on_the_spot", False)
    values.update(fields)
    return demand_services.record_demand(demand=Demand(**values), user=user, resolved_on_the_spot=on_the_spot)


@pytest.fixture
def field(staff):
    """A small field: activities and demands in Lahore and Karachi divisions, written by the
    services (so the dashboard's tables are kept by them)."""
    kk = log(staff.lahore, women=30, men=20, girls=5, boys=4)
    log(staff.lahore, kind=ActivityType.SEMINAR, district_code="pb-lahore", women=12, men=8, day=days_ago(40))
    log(
        staff.lahore,
        kind=ActivityType.SEMINAR,
        status=Activity.Status.PLANNED,
        day=TODAY + timedelta(days=20),
    )
    log(staff.lahore, kind=ActivityType.THEATRE, status=Activity.Status.CANCELLED, day=days_ago(70))
    # A two-day conference that started last month and ends this month counts in the month it started.
    log(
        staff.lahore,
        kind=ActivityType.CONFERENCE,
        district_code="pb-sheikhupura",
        day=THIS_MONTH - timedelta(days=1),
        end_date=THIS_MONTH,
        women=50,
        men=60,
    )
    log(staff.karachi, district_code="sd-korangi", kind=ActivityType.SCHOOL_VISIT, girls=40, boys=35)
    log(staff.karachi, district_code="sd-malir", kind=ActivityType.SEMINAR, women=9, day=days_ago(100))

    on_spot = raise_demand(staff.lahore, activity=kk, day=kk.start_date, on_the_spot=True)
    resolved = raise_demand(staff.lahore, category=Category.TOILETS, day=days_ago(60))
    demand_services.update_status(
        demand=resolved, status=Status.SUBMITTED, on=days_ago(50), user=staff.lahore
    )
    demand_services.update_status(demand=resolved, status=Status.RESOLVED, on=days_ago(10), user=staff.lahore)
    overdue = raise_demand(
        staff.lahore, category=Category.BOUNDARY_WALL, follow_up_on=days_ago(2), day=days_ago(30)
    )
    later = raise_demand(staff.lahore, district_code="pb-lahore", follow_up_on=TODAY + timedelta(days=9))
    karachi = raise_demand(
        staff.karachi, district_code="sd-korangi", category=Category.WATER, follow_up_on=days_ago(5)
    )
    rejected = raise_demand(staff.karachi, district_code="sd-malir", category=Category.FEES, day=days_ago(90))
    demand_services.update_status(
        demand=rejected, status=Status.REJECTED, on=days_ago(80), user=staff.karachi
    )
    return {
        "kk": kk,
        "on_spot": on_spot,
        "resolved": resolved,
        "overdue": overdue,
        "later": later,
        "karachi": karachi,
    }


def dashboard(client, user, query=""):
    client.force_login(user)
    response = client.get(f"/field/{query}")
    assert response.status_code == 200
    return response


def shown(response, element_id):
    """The number a user reads in the element with `element_id`."""
    match = re.search(rf'id="{element_id}">([\d,]+)<', response.content.decode())
    assert match, f"no {element_id} on the page"
    return int(match.group(1).replace(",", ""))


def list_count(client, url):
    """How many rows the list at `url` shows, having checked that it understood every filter
    in the link (an ignored one would make the count meaningless)."""
    response = client.get(url)
    assert response.status_code == 200, url
    filterset = response.context["filter"]
    assert not filterset.form.errors, (url, filterset.form.errors)
    unknown = set(parse_qs(urlsplit(url).query)) - set(filterset.filters)
    assert not unknown, f"the list at {url} has no filter {unknown}"
    return filterset.qs.count()


def row(rows, key):
    return next(r for r in rows if r.key == key)


# --- who sees what ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, gazetteer):
    for url in ("/field/", "/field/map.geojson"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_accounts_without_the_field_pages_are_refused_with_the_reason(client, make_user):
    client.force_login(make_user(""))
    response = client.get("/field/")
    assert response.status_code == 403
    assert "Your role does not include the field pages." in response.content.decode()
    client.force_login(make_user("organiser"))
    response = client.get("/field/")
    assert response.status_code == 403
    assert "no regions yet" in response.content.decode()


def test_a_partner_reads_the_national_activity_figures_but_no_demands(client, staff, field):
    response = dashboard(client, staff.partner)
    page = response.content.decode()
    assert shown(response, "total-held") == 5  # both regions, the cancelled and planned apart
    assert shown(response, "total-planned") == 1
    assert 'id="total-raised"' not in page and 'id="demands"' not in page
    assert response.context["activities"]["by_area"][0].key in {"ba", "gb", "is", "jk", "kp", "pb", "sd"}
    # The partner has no demand pages, so no demand map either.
    assert client.get("/field/map.geojson?layer=demands").status_code == 403


def test_an_organiser_sees_only_their_regions_figures(client, staff, field):
    response = dashboard(client, staff.lahore)
    activities, demands = response.context["activities"], response.context["demands"]
    # Karachi's school visit and seminar are not counted.
    assert shown(response, "total-held") == 3
    assert {r.key for r in activities["by_area"]} == {
        "pb-kasur",
        "pb-lahore",
        "pb-nankana-sahib",
        "pb-sheikhupura",
    }
    assert row(activities["by_kind"], ActivityType.SCHOOL_VISIT).figures[0].value == 0
    assert activities["attendance_total"].value == 30 + 20 + 5 + 4 + 12 + 8 + 50 + 60
    assert shown(response, "total-raised") == 4
    assert shown(response, "total-open") == 2
    assert shown(response, "total-overdue") == 1
    assert row(demands["by_category"], Category.WATER).figures[0].value == 0
    # Their overdue demand is listed, linked to its page; Karachi's is not.
    page = response.content.decode()
    assert field["overdue"].get_absolute_url() in page
    assert field["karachi"].get_absolute_url() not in page
    assert {f.district.code for f in response.context["top_districts"]} <= {
        "pb-kasur",
        "pb-lahore",
        "pb-nankana-sahib",
        "pb-sheikhupura",
    }
    # The province filter offers only their province.
    assert [code for code, _label in response.context["form"].fields["province"].choices] == ["", "pb"]


def test_the_campaign_office_sees_the_whole_country_and_filters_by_province(client, staff, field):
    response = dashboard(client, staff.office)
    assert shown(response, "total-held") == 5
    assert shown(response, "total-raised") == 6
    assert shown(response, "total-overdue") == 2
    assert 'id="overdue-list"' not in response.content.decode()  # a count for national roles
    sindh = dashboard(client, staff.office, "?province=sd")
    assert shown(sindh, "total-held") == 2
    assert shown(sindh, "total-raised") == 2
    assert [r.key for r in sindh.context["activities"]["by_area"]] == ["sd"]


def test_the_period_filter_and_a_wrong_value(client, staff, field):
    response = dashboard(client, staff.office, "?period=all")
    assert shown(response, "total-held") == 5
    this_year = dashboard(client, staff.office, f"?period={TODAY.year}")
    expected = Activity.objects.filter(status=Activity.Status.HELD, start_date__year=TODAY.year).count()
    assert this_year.context["activities"]["held"].value == expected
    assert this_year.context["scope"].period.start == date(TODAY.year, 1, 1)
    wrong = dashboard(client, staff.office, "?period=someday&province=sd")
    assert "Select a valid choice" in wrong.content.decode()
    # The wrong period falls back to the default; the valid province still applies.
    assert wrong.context["scope"].period.key == "recent"
    assert wrong.context["scope"].province.code == "sd"


# --- every number equals its list -----------------------------------------------------------------


def linked_figures(response):
    """(what, figure) for numbers across the page: totals, a row of every breakdown, the top
    district."""
    activities, demands = response.context["activities"], response.context["demands"]
    figures = [
        ("activities held", activities["held"]),
        ("activities planned", activities["planned"]),
        ("activities cancelled", activities["cancelled"]),
        ("people reached (the held list)", activities["attendance_total"]),
    ]
    for name in ("by_kind", "by_area", "by_month"):
        for r in activities[name]:
            figures += [(f"{name} {r.key} held", r.figures[0]), (f"{name} {r.key} planned", r.figures[1])]
    if demands:
        figures += [
            ("demands raised", demands["raised"]),
            ("demands resolved", demands["resolved"]),
            ("resolved on the spot", demands["on_the_spot"]),
            ("demands open", demands["open"]),
            ("overdue", demands["overdue"]),
            ("closed: resolved", demands["closed"][0]),
            ("closed: rejected", demands["closed"][1]),
        ]
        for name in ("by_status", "by_category"):
            figures += [(f"{name} {r.key}", r.figures[0]) for r in demands[name]]
        for r in demands["by_month"]:
            figures += [(f"raised {r.key}", r.figures[0]), (f"resolved {r.key}", r.figures[1])]
    figures += [(f"district {f.district.code}", f) for f in response.context["top_districts"]]
    return figures


def count_activities(url, user):
    """The activities the activity list's filters in `url` describe, counted directly."""
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    rows = Activity.objects.visible_to(user)
    if "kind" in params:
        rows = rows.filter(kind=params["kind"])
    if "status" in params:
        rows = rows.filter(status=params["status"])
    if "province" in params:
        rows = rows.filter(district__province__code=params["province"])
    if "district" in params:
        rows = rows.filter(district__code=params["district"])
    if "start_after" in params:
        rows = rows.filter(start_date__gte=date.fromisoformat(params["start_after"]))
    if "start_before" in params:
        rows = rows.filter(start_date__lte=date.fromisoformat(params["start_before"]))
    return rows.count()


def activity_list_counts(client):
    """The activity list when it can narrow by start date (`start_after`/`start_before`,
    inclusive); otherwise None, and the activities its links describe are counted directly."""
    response = client.get("/field/activities/")
    filters = response.context["filter"].filters if response.context else {}
    return (lambda url: list_count(client, url)) if {"start_after", "start_before"} <= set(filters) else None


@pytest.mark.parametrize("who", ["office", "lahore"])
def test_every_number_equals_the_list_it_links_to(client, staff, field, who):
    user = getattr(staff, who)
    response = dashboard(client, user)
    through_the_list = activity_list_counts(client)
    checked = 0
    for what, figure in linked_figures(response):
        if "/field/activities/" in figure.url:
            count = through_the_list(figure.url) if through_the_list else count_activities(figure.url, user)
        else:
            count = list_count(client, figure.url)
        expected = response.context["activities"]["held"].value if what.startswith("people") else figure.value
        assert count == expected, (what, figure.url)
        checked += 1
    assert checked > 40


def test_the_shown_numbers_are_those_linked(client, staff, field):
    response = dashboard(client, staff.office)
    page = response.content.decode()
    held = response.context["activities"]["held"]
    assert f'href="{held.url.replace("&", "&amp;")}" id="total-held">{held.value}<' in page
    table = re.search(r'<table[^>]*id="activities-by-kind".*?</table>', page, re.S).group(0)
    kk = row(response.context["activities"]["by_kind"], ActivityType.KULI_KATCHEHRI).figures[0]
    assert f'href="{kk.url.replace("&", "&amp;")}">{kk.value}</a>' in table


# --- the figures follow the data --------------------------------------------------------------


def direct(user):
    """What the dashboard's default period should show, aggregated over the base tables."""
    start, end = add_months(THIS_MONTH, -11), add_months(THIS_MONTH, 3)
    activities = Activity.objects.visible_to(user).filter(start_date__gte=start, start_date__lt=end)
    held = activities.filter(status=Activity.Status.HELD)
    people = held.aggregate(**{n: Sum(n) for n in ("women", "men", "girls", "boys")})
    demands = Demand.objects.visible_to(user)
    return {
        "total-held": held.count(),
        "total-planned": activities.filter(status=Activity.Status.PLANNED).count(),
        "total-attendance": sum(v or 0 for v in people.values()),
        "total-raised": demands.filter(raised_on__gte=start, raised_on__lt=end).count(),
        "total-resolved": demands.filter(
            status=Status.RESOLVED, resolved_on__gte=start, resolved_on__lt=end
        ).count(),
        "total-open": demands.open().count(),
        "total-overdue": demands.overdue().count(),
    }


def assert_right(client, user):
    response = dashboard(client, user)
    assert {name: shown(response, name) for name in direct(user)} == direct(user)
    return response


def test_the_figures_stay_right_as_activities_and_demands_change(client, staff, field):
    before = assert_right(client, staff.office)
    assert_right(client, staff.lahore)

    planned = log(staff.lahore, status=Activity.Status.PLANNED, day=TODAY + timedelta(days=3))
    services.set_status(activity=planned, status=Activity.Status.CANCELLED, user=staff.lahore)
    moved = field["kk"]
    moved.women = 70  # attendance corrected …
    moved.district = district("pb-lahore")  # … and the district too
    services.save_activity(activity=moved, user=staff.lahore)
    log(staff.karachi, district_code="sd-keamari", kind=ActivityType.RALLY, men=200, day=days_ago(1))

    demand_services.update_status(demand=field["overdue"], status=Status.IN_PROGRESS, user=staff.lahore)
    demand_services.update_status(demand=field["karachi"], status=Status.RESOLVED, user=staff.karachi)
    raise_demand(staff.karachi, district_code="sd-malir", category=Category.TEXTBOOKS, day=days_ago(1))

    after = assert_right(client, staff.office)
    assert shown(after, "total-held") == shown(before, "total-held") + 1
    # Lahore's overdue demand moved on but is still open past its follow-up date; Karachi's
    # was resolved.
    assert shown(after, "total-overdue") == 1
    lahore = assert_right(client, staff.lahore)
    by_area = {r.key: r.figures[0].value for r in lahore.context["activities"]["by_area"]}
    assert by_area["pb-kasur"] == 0 and by_area["pb-lahore"] == 2
    assert_right(client, staff.karachi)


def test_a_repeat_view_reads_its_figures_back_until_anything_changes(
    client, staff, field, django_assert_max_num_queries
):
    first = shown(dashboard(client, staff.office), "total-held")
    # session, user, provinces, the data's fingerprint, and the latest demands and activities (live)
    with django_assert_max_num_queries(6):
        assert shown(client.get("/field/"), "total-held") == first
    log(staff.karachi, district_code="sd-malir", day=days_ago(2))
    assert shown(dashboard(client, staff.office), "total-held") == first + 1
    # Rows loaded around the services, then `rebuild_stats`: the figures follow too.
    ActivityFactory(district=district("kp-swat"), start_date=days_ago(5))
    assert shown(dashboard(client, staff.office), "total-held") == first + 1
    stats.rebuild()
    assert shown(dashboard(client, staff.office), "total-held") == first + 2
    # A demand's change recomputes the demand figures.
    demand_services.update_status(demand=field["later"], status=Status.RESOLVED, user=staff.lahore)
    assert shown(dashboard(client, staff.office), "total-open") == direct(staff.office)["total-open"]


# --- the map ----------------------------------------------------------------------------------


def features(client, user, query=""):
    client.force_login(user)
    response = client.get(f"/field/map.geojson{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    return {f["properties"]["code"]: f for f in collection["features"]}


def test_the_map_counts_activities_and_demands_per_district(client, staff, field):
    by_code = features(client, staff.office)
    assert len(by_code) == 156  # every district with a centre, for the country's outline
    kasur = by_code["pb-kasur"]
    assert kasur["geometry"]["type"] == "Point"
    assert kasur["properties"]["label"] == "Kasur"
    held = Activity.objects.filter(district__code="pb-kasur", status=Activity.Status.HELD).count()
    assert kasur["properties"]["value"] == held == 1
    assert count_activities(kasur["properties"]["url"], staff.office) == held
    assert kasur["properties"]["detail"] == "1 held · 1 planned"
    assert by_code["pb-gujrat"]["properties"]["value"] == 0

    demands = features(client, staff.office, "?layer=demands")
    assert demands["pb-kasur"]["properties"]["value"] == 3
    assert demands["pb-kasur"]["properties"]["detail"] == "1 open · 2 resolved"
    assert list_count(client, demands["sd-korangi"]["properties"]["url"]) == 1

    mine = features(client, staff.lahore, "?layer=demands")
    assert set(mine) == {"pb-kasur", "pb-lahore", "pb-nankana-sahib", "pb-sheikhupura"}
    urdu = client.get("/ur/field/map.geojson").json()["features"]
    assert {f["properties"]["label"] for f in urdu} >= {"لاہور", "قصور"}
    assert all(f["properties"]["url"].startswith("/ur/field/activities/") for f in urdu)


def test_the_page_carries_the_map_and_a_list_that_works_without_javascript(client, staff, field):
    response = dashboard(client, staff.office)
    page = response.content.decode()
    assert 'class="muhim-field-map' in page and 'data-style="counts"' in page
    assert 'data-url="/field/map.geojson?layer=activities"' in page
    assert "js/field-map.js" in page
    top = re.search(r'<ol[^>]*id="top-districts".*?</ol>', page, re.S).group(0)
    assert "Kasur" in top and "Korangi" in top and "Gujrat" not in top
    demands = dashboard(client, staff.office, "?layer=demands&province=pb")
    page = demands.content.decode()
    assert 'data-url="/field/map.geojson?layer=demands&amp;province=pb"' in page
    assert [f.district.code for f in demands.context["top_districts"]] == ["pb-kasur", "pb-lahore"]


# --- languages and phones ---------------------------------------------------------------------


def test_the_urdu_dashboard_renders_right_to_left(client, staff, field):
    client.force_login(staff.lahore)
    response = client.get("/ur/field/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="ur" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page
    assert "قصور" in page  # district names in Urdu
    assert 'href="/ur/field/activities/?' in page  # links stay in Urdu
    assert shown(response, "total-held") == 3


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_in_urdu_the_dashboard_fits_draws_its_map_and_its_numbers_open_their_lists(
    live_server, browser_page, browser_login, gazetteer, make_user
):
    office = make_user("campaign_office", username="office-browser")
    log(None, women=30, girls=12)
    log(None, district_code="sd-korangi", kind=ActivityType.SCHOOL_VISIT, boys=20)
    raise_demand(None, follow_up_on=days_ago(1))
    raise_demand(None, district_code="sd-korangi", category=Category.WATER)
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, live_server, office)
    page.goto(f"{live_server.url}/ur/field/")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ur", "rtl")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # The map draws a marker per district from its GeoJSON, without tiles.
    page.wait_for_selector(".muhim-field-map.muhim-field-map--ready")
    assert page.locator(".muhim-field-map").get_attribute("data-features") == "156"
    assert page.locator("#top-districts li").count() == 2
    # Bars as wide as their share of the largest: held, then planned, on each row.
    widths = page.locator("#activities-by-kind tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.querySelectorAll('.progress-bar')].map(b => b.style.width))"
    )
    assert widths[:3] == [["100%", "0%"], ["100%", "0%"], ["0%", "0%"]]
    # The number of open demands opens the list of exactly those.
    assert page.locator("#total-open").inner_text() == "2"
    page.locator("#total-open").click()
    page.wait_for_url("**/ur/field/demands/?**")
    assert Demand.objects.open().count() == 2
    assert "2" in page.locator("[role=status]").first.inner_text()


def test_the_demands_of_a_kuli_katchehri_show_on_the_office_dashboard_at_once(client, staff, field):
    dashboard(client, staff.office)  # the figures are now kept
    katchehri = log(staff.lahore, title="Kuli Katchehri at GGHS Pattoki", day=TODAY)
    raise_demand(
        staff.lahore, title="Two teachers for GPS Chak 12", day=TODAY, activity=katchehri, on_the_spot=True
    )
    raise_demand(staff.lahore, title="Boundary wall for GGPS Pattoki", day=TODAY, activity=katchehri)
    page = dashboard(client, staff.office).content.decode()
    latest = page[page.index('id="latest-demands"') :]
    latest = latest[: latest.index("</ul>")]
    assert "Two teachers for GPS Chak 12" in latest and "Boundary wall for GGPS Pattoki" in latest
    assert latest.count("resolved on the spot") == 1
    assert "Kuli Katchehri at GGHS Pattoki" in page[page.index('id="latest-activities"') :]
    # Another region's organiser does not see them.
    other = dashboard(client, staff.karachi).content.decode()
    assert "Boundary wall for GGPS Pattoki" not in other


# --- computing the national page ahead of its next view --------------------------------------


def test_after_a_write_a_task_computes_the_national_page_so_the_next_view_only_reads_it(
    client, staff, field, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from muhim.activities import dashboard as page

    settings.MUHIM_WARM_FIELD_DASHBOARD = True
    before = shown(dashboard(client, staff.office), "total-held")
    with django_capture_on_commit_callbacks(execute=True):
        log(staff.office, district_code="pb-lahore", title="One more Kuli Katchehri")
    # The task (run here in the process) has computed the page in English and Urdu: the next
    # views compute nothing, and show the new activity.
    for name in ("activity_section", "demand_section", "latest"):
        monkeypatch.setattr(page, name, lambda *args, **kwargs: pytest.fail("computed in the request"))
    assert shown(dashboard(client, staff.office), "total-held") == before + 1
    urdu = client.get("/ur/field/")
    assert urdu.status_code == 200
    assert shown(urdu, "total-held") == before + 1


def test_without_the_task_the_next_view_computes_the_changed_figures_itself(client, staff, field):
    before = shown(dashboard(client, staff.office), "total-held")
    log(staff.office, district_code="pb-lahore", title="One more Kuli Katchehri")
    assert shown(dashboard(client, staff.office), "total-held") == before + 1


def test_warming_is_pointless_when_the_worker_cannot_reach_the_web_processes_cache(settings):
    from muhim.activities.dashboard import warming_helps

    settings.MUHIM_WARM_FIELD_DASHBOARD = True
    assert warming_helps()  # the tests' tasks run in the process
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert not warming_helps()  # a worker process has its own memory cache
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/9",
        }
    }
    assert warming_helps()  # a shared cache
