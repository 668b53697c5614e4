"""The field dashboard with 100,000 activities and 200,000 demands: its response time as a
ratio to a plain page of the same site measured the same way in the same run (target: at most
2x), the activities API's list, and a check that the dashboard's totals equal direct
aggregates over the activities and demands.

    python -m bench.field_dashboard [--activities 100000] [--demands 200000] [--runs 15]

The rows are generated the way a few years of field work spread: over every district of the
four provinces with organisers (the larger provinces busier), every type of activity (school
visits and Kuli Katchehris more than conferences), 24 months back and 3 ahead (past ones held
or now and then cancelled, upcoming ones planned), attendance by sex; demands in every
category and status (resolved ones with their resolution date, a fifth of them on the spot;
open ones with a follow-up date, about one in eight passed). They are inserted in bulk, then
the dashboard's tables are computed once with `stats.rebuild()` for both apps, as after an
import.

Each page is requested through Django's test client by a signed-in campaign-office user (the
national dashboard, which reads the pre-computed tables), warm, several times; the median is
printed. The organiser's dashboard (a division's own rows) is printed too, for information.
"""

import argparse
import logging
import os
import random
import re
import shutil
import statistics
import time
import uuid
from datetime import date, timedelta

from bench import common

TARGET = 2.0
KIND_WEIGHTS = {
    "school_visit": 18,
    "kuli_katchehri": 15,
    "seminar": 14,
    "theatre": 12,
    "press_briefing": 7,
    "parental_body_meeting": 8,
    "science_mela": 5,
    "jirga": 5,
    "rally": 5,
    "training": 5,
    "conference": 2,
    "caravan": 1,
    "other": 3,
}
PROVINCE_WEIGHTS = {"pb": 5, "sd": 3, "kp": 2, "ba": 1}
CATEGORY_WEIGHTS = {
    "teachers": 20,
    "girls_school": 10,
    "upgrade": 10,
    "building": 8,
    "toilets": 12,
    "boundary_wall": 10,
    "water": 10,
    "electricity": 6,
    "textbooks": 6,
    "fees": 4,
    "other": 4,
}
STATUS_WEIGHTS = {
    "raised": 12,
    "submitted": 14,
    "acknowledged": 10,
    "in_progress": 10,
    "stalled": 8,
    "resolved": 38,
    "rejected": 8,
}
BATCH = 5000


def add_months(day, count):
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def districts_by_weight():
    from muhim.geography.models import Area

    districts = list(
        Area.objects.districts()
        .filter(province__code__in=PROVINCE_WEIGHTS)
        .values_list("pk", "province__code")
    )
    return [pk for pk, _code in districts], [PROVINCE_WEIGHTS[code] for _pk, code in districts]


def insert(model, columns, rows):
    """Rows straight into the model's table with `executemany` (bulk_create's per-field work
    would take most of the run), in batches. Every other column keeps its database default or
    gets the value a new row would have."""
    from django.db import connection, transaction

    table = model._meta.db_table
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def generate_activities(count, rng, today):
    from django.db import connection
    from django.utils import timezone

    from muhim.activities.models import Activity

    ops = connection.ops
    districts, weights = districts_by_weight()
    kinds, kind_weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    first, span = add_months(today, -24), (add_months(today, 3) - add_months(today, -24)).days
    now = ops.adapt_datetimefield_value(timezone.now())
    chosen_districts = rng.choices(districts, weights, k=count)
    chosen_kinds = rng.choices(kinds, kind_weights, k=count)
    rows = []
    for i in range(count):
        day = first + timedelta(days=rng.randrange(span))
        if day < today:
            status = "cancelled" if rng.random() < 0.08 else "held"
        else:
            status = "cancelled" if rng.random() < 0.03 else "planned"
        held = status == "held"
        people = (
            (rng.randint(0, 80), rng.randint(0, 80), rng.randint(0, 60), rng.randint(0, 60))
            if held
            else (None, None, None, None)
        )
        rows.append(
            (
                chosen_kinds[i],
                f"Generated activity {i}",
                "",
                "",
                status,
                ops.adapt_datefield_value(day),
                chosen_districts[i],
                "",
                *people,
                "counted",
                "",
                "",
                rng.random() < 0.2,
                now,
                now,
                uuid.UUID(int=rng.getrandbits(128)).hex,
            )
        )
    columns = [
        "kind",
        "title",
        "title_ur",
        "description",
        "status",
        "start_date",
        "district_id",
        "venue",
        "women",
        "men",
        "girls",
        "boys",
        "attendance_count",
        "outcomes",
        "follow_up",
        "is_public",
        "created_at",
        "updated_at",
        "uid",
    ]
    insert(Activity, columns, rows)


def generate_demands(count, rng, today):
    from django.db import connection
    from django.utils import timezone

    from muhim.demands.models import Demand

    ops = connection.ops
    districts, weights = districts_by_weight()
    categories, category_weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    statuses, status_weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    first = add_months(today, -24)
    span = (today - first).days
    now = ops.adapt_datetimefield_value(timezone.now())
    chosen_districts = rng.choices(districts, weights, k=count)
    chosen_categories = rng.choices(categories, category_weights, k=count)
    chosen_statuses = rng.choices(statuses, status_weights, k=count)
    rows = []
    for i in range(count):
        raised_on = first + timedelta(days=rng.randrange(span))
        status = chosen_statuses[i]
        on_the_spot = status == "resolved" and rng.random() < 0.2
        status_on = raised_on if on_the_spot else min(today, raised_on + timedelta(days=rng.randint(0, 120)))
        follow_up_on = None
        if status not in ("resolved", "rejected"):
            # Most follow-ups are ahead; about one in eight has been let pass.
            if rng.random() < 0.12 and status_on < today - timedelta(days=1):
                follow_up_on = status_on + timedelta(days=rng.randint(1, (today - status_on).days - 1))
            else:
                follow_up_on = today + timedelta(days=rng.randint(0, 90))
        rows.append(
            (
                f"Generated demand {i}",
                "",
                "",
                chosen_categories[i],
                "",
                "",
                chosen_districts[i],
                "parent",
                "",
                "",
                "education_officer",
                "",
                status,
                ops.adapt_datefield_value(raised_on),
                ops.adapt_datefield_value(status_on),
                ops.adapt_datefield_value(status_on) if status == "resolved" else None,
                on_the_spot,
                ops.adapt_datefield_value(follow_up_on) if follow_up_on else None,
                rng.random() < 0.3,
                now,
                now,
            )
        )
    columns = [
        "title",
        "title_ur",
        "description",
        "category",
        "school",
        "school_emis",
        "district_id",
        "raised_by",
        "raised_by_name",
        "raised_by_phone",
        "authority",
        "authority_name",
        "status",
        "raised_on",
        "status_on",
        "resolved_on",
        "resolved_on_the_spot",
        "follow_up_on",
        "is_published",
        "created_at",
        "updated_at",
    ]
    insert(Demand, columns, rows)


def median_time(client, url, runs, warm=3, before=None):
    """The median of `runs` timed requests after `warm` untimed ones; `before()` runs untimed
    before each."""
    for _ in range(warm):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), response


def line(label, seconds, note=""):
    print(f"{label:46s}{seconds * 1000:8.1f} ms {note}".rstrip())


def figure(html, element_id):
    """The number shown in the element with `element_id` (0 when it is not a link)."""
    match = re.search(rf'id="{element_id}">([\d,]+)<', html)
    if match is None:
        raise AssertionError(f"no figure {element_id} on the dashboard")
    return int(match.group(1).replace(",", ""))


def check_totals(html, today):
    """The dashboard's totals (the default period: the last 12 months and the next 3) against
    aggregates over the base tables."""
    from django.db.models import Sum

    from muhim.activities.models import Activity
    from muhim.demands.models import Demand

    start, end = add_months(today.replace(day=1), -11), add_months(today.replace(day=1), 3)
    activities = Activity.objects.filter(start_date__gte=start, start_date__lt=end)
    held = activities.filter(status="held")
    people = held.aggregate(**{n: Sum(n) for n in ("women", "men", "girls", "boys")})
    demands = Demand.objects.all()
    expected = {
        "total-held": held.count(),
        "total-planned": activities.filter(status="planned").count(),
        "total-attendance": sum(v or 0 for v in people.values()),
        "total-raised": demands.filter(raised_on__gte=start, raised_on__lt=end).count(),
        "total-resolved": demands.filter(
            status="resolved", resolved_on__gte=start, resolved_on__lt=end
        ).count(),
        "total-open": demands.open().count(),
        "total-overdue": demands.overdue(today).count(),
    }
    shown = {name: figure(html, name) for name in expected}
    wrong = {name: (shown[name], expected[name]) for name in expected if shown[name] != expected[name]}
    if wrong:
        raise AssertionError(f"dashboard totals differ from the tables (shown, direct): {wrong}")
    return shown


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--demands", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    # Pages timed as in production (no SQL logging, cached templates), whichever settings run.
    os.environ.setdefault("DEBUG", "false")
    workdir = common.setup_django()
    logging.getLogger("axes").setLevel(logging.WARNING)  # not a line per signed-in test client

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import Resolver404, resolve, reverse
    from django.utils import timezone

    from muhim.activities import services
    from muhim.activities import stats as activity_stats
    from muhim.activities.models import Activity
    from muhim.demands import services as demand_services
    from muhim.demands import stats as demand_stats
    from muhim.demands.models import Demand
    from muhim.geography.models import Area

    try:
        rng = random.Random(2026)
        today = timezone.localdate()
        started = time.perf_counter()
        generate_activities(args.activities, rng, today)
        generate_demands(args.demands, rng, today)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        activity_stats.rebuild()
        demand_stats.rebuild()
        rebuilt = time.perf_counter() - started
        print(
            f"{args.activities:,} activities and {args.demands:,} demands generated in {generated:.1f} s; "
            f"dashboard figures rebuilt in {rebuilt:.1f} s"
        )

        User = get_user_model()
        office = User.objects.create_user(username="bench-office", role="campaign_office")
        organiser = User.objects.create_user(username="bench-organiser", role="organiser")
        organiser.regions.set([Area.objects.get(code="pb-lahore-division")])
        client = Client(HTTP_HOST="localhost")
        client.force_login(office)

        dashboard_url = reverse("activities:dashboard")
        plain_url = reverse("home")
        # The page keeps its computed figures until the data changes (any write through the
        # services), the activities' and the demands' apart: a repeat view reads them back.
        # After a write a task computes the national page again (`schedule_warm`; here tasks
        # run in the process, as with a worker and a shared cache in production), so the next
        # view reads it back too; without that task the view computes the changed parts
        # itself. All are timed; the change (untimed) is an activity, or an activity and a
        # demand, saved again through the services, which leaves every figure as it was.
        from django.test import override_settings

        repeat, response = median_time(client, dashboard_url, args.runs)
        shown = check_totals(response.content.decode(), today)
        edited = Activity.objects.filter(status="held").first()
        followed_up = Demand.objects.open().first()

        def change():
            services.save_activity(activity=edited, user=office)

        def change_both():
            change()
            demand_services.save_demand(demand=followed_up, user=office)

        fresh, response = median_time(client, dashboard_url, args.runs, before=change)
        assert check_totals(response.content.decode(), today) == shown
        fresh_both, response = median_time(client, dashboard_url, args.runs, before=change_both)
        assert check_totals(response.content.decode(), today) == shown
        with override_settings(MUHIM_WARM_FIELD_DASHBOARD=False):
            computed, response = median_time(client, dashboard_url, args.runs, before=change_both)
            assert check_totals(response.content.decode(), today) == shown
        plain, _response = median_time(client, plain_url, args.runs)
        line("field dashboard, repeat view", repeat)
        line(
            "field dashboard, after an activity changed",
            fresh,
            "(computed again by the task the write queued)",
        )
        line(
            "field dashboard, after both changed", fresh_both, "(computed again by the task the write queued)"
        )
        line(
            "field dashboard, after both changed, no task",
            computed,
            "(every figure computed from the tables in the request; for information)",
        )
        line("plain page (home page)", plain)
        api_url = "/api/v1/activities/"
        try:
            resolve(api_url)
            api, _response = median_time(client, api_url, args.runs)
            line("activities API list (first page)", api)
        except (Resolver404, AssertionError) as error:
            api = None
            print(f"activities API list: skipped ({api_url} is not served yet: {error})")
        regional = Client(HTTP_HOST="localhost")
        regional.force_login(organiser)
        organiser_repeat, _response = median_time(regional, dashboard_url, args.runs)
        organiser_fresh, _response = median_time(
            regional, dashboard_url, max(3, args.runs // 3), before=change_both
        )
        line("Lahore organiser's dashboard, repeat", organiser_repeat, "(for information)")
        line(
            "Lahore organiser's dashboard, after a change", organiser_fresh, "(its own rows; for information)"
        )
        print(
            "dashboard totals equal direct aggregates: "
            + ", ".join(f"{name.removeprefix('total-')} {value:,}" for name, value in shown.items())
        )
        # A change through the services shows at once.
        services.save_activity(
            activity=Activity(
                kind="seminar",
                title="One more",
                start_date=today,
                district=Area.objects.get(code="pb-kasur"),
                status="held",
                women=7,
            ),
            user=office,
        )
        after = check_totals(client.get(dashboard_url).content.decode(), today)
        assert after["total-held"] == shown["total-held"] + 1, (after, shown)
        print(
            "one more activity logged through the services: the next view shows it and still equals the tables"
        )
        for label, seconds in (
            ("repeat view", repeat),
            ("after an activity changed", fresh),
            ("after both changed", fresh_both),
            ("after both changed, computed in the request", computed),
        ):
            ratio = seconds / plain
            verdict = "within" if ratio <= TARGET else "above"
            print(
                f"ratio dashboard ({label}) / plain page: {ratio:.2f}x ({verdict} the target of {TARGET:.0f}x)"
            )
        if api is not None:
            print(f"ratio activities API / plain page: {api / plain:.2f}x")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
