"""Demo field activities: fictional but realistic seminars, Kuli Katchehris with officials,
theatre shows, school visits, science melas, press briefings … over the last 18 months and the
next 2, in the regions of the demo network (the Lahore and Karachi divisions busiest), and the
15-stop "Taleemi Caravan, Islamabad to Bahawalpur" under way. Upcoming public events fill the
calendar. Everything is written through `activities.services`, so the dashboard's figures are
right. Officials' names end in "(demo)". Loaded once: a second run adds nothing."""

import random
from contextlib import contextmanager
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from muhim.geography.models import Area
from muhim.network.coverage import active_assignments, post_for_path
from muhim.network.models import Post, PostArea
from muhim.partners.models import Organisation
from muhim.partners.services import organisation_named

from . import services, stats
from .models import Activity, ActivityOfficial, ActivityType, MediaCoverage

CARAVAN_TITLE = "Taleemi Caravan, Islamabad to Bahawalpur"
CARAVAN_TITLE_UR = "تعلیمی کارواں، اسلام آباد سے بہاولپور"
# 15 districts in 15 days, down the Grand Trunk Road and on to the south of Punjab.
CARAVAN_ROUTE = [
    "is-islamabad",
    "pb-rawalpindi",
    "pb-chakwal",
    "pb-jhelum",
    "pb-gujrat",
    "pb-gujranwala",
    "pb-sheikhupura",
    "pb-lahore",
    "pb-kasur",
    "pb-okara",
    "pb-sahiwal",
    "pb-pakpattan",
    "pb-vehari",
    "pb-lodhran",
    "pb-bahawalpur",
]
CARAVAN_DAYS_DONE = 9  # the caravan set out 9 days ago: stops 1-9 are behind it
# How many activities each district of the demo organisers' divisions gets (others: 1-4).
BUSY_DIVISIONS = {"pb-lahore-division": 16, "sd-karachi-division": 9}
DAYS_BACK, DAYS_AHEAD = 548, 61  # about 18 months back, 2 months ahead

PARTNERS = [
    ("Rural Support Programmes Network (demo)", Organisation.Kind.NGO),
    ("Teachers' Association of Pakistan (demo)", Organisation.Kind.OTHER),
    ("Daily Awaz (demo)", Organisation.Kind.MEDIA),
    ("Institute of Education Research (demo)", Organisation.Kind.ACADEMIC),
    ("District Education Authority (demo)", Organisation.Kind.GOVERNMENT),
]
OUTLETS = [
    ("Daily Awaz (demo)", MediaCoverage.Medium.PRINT),
    ("City News TV (demo)", MediaCoverage.Medium.TV),
    ("FM 101 Community Radio (demo)", MediaCoverage.Medium.RADIO),
    ("Taleem Online (demo)", MediaCoverage.Medium.ONLINE),
]
VENUES = [
    "Government Girls High School No. 1",
    "Government Boys Primary School, Mohalla Islampura",
    "District Council Hall",
    "Press Club",
    "Town Committee Hall",
    "Community centre, Chak 45",
    "Government Girls Middle School, Basti Sheikhan",
]
# kind: (weight, English title, Urdu title, people: (low, high) of women, men, girls, boys)
KINDS = {
    ActivityType.SCHOOL_VISIT: (
        18,
        "Visit to {venue}, {district}",
        "اسکول کا دورہ، {district}",
        ((2, 8), (2, 10), (20, 80), (15, 70)),
    ),
    ActivityType.SEMINAR: (
        15,
        "Seminar: why girls leave school after class 5, {district}",
        "سیمینار: بچیاں پانچویں جماعت کے بعد اسکول کیوں چھوڑ دیتی ہیں، {district}",
        ((20, 70), (20, 80), (0, 10), (0, 10)),
    ),
    ActivityType.KULI_KATCHEHRI: (
        15,
        "Kuli Katchehri with the District Education Officer, {district}",
        "کھلی کچہری، ضلعی ایجوکیشن آفیسر کے ساتھ، {district}",
        ((30, 120), (40, 150), (0, 20), (0, 20)),
    ),
    ActivityType.THEATRE: (
        12,
        "Theatre show 'Parho Likho', {district}",
        "تھیٹر 'پڑھو لکھو'، {district}",
        ((40, 150), (40, 150), (50, 200), (50, 200)),
    ),
    ActivityType.PRESS_BRIEFING: (
        8,
        "Press briefing: {district}'s education budget",
        "پریس بریفنگ: {district} کا تعلیمی بجٹ",
        ((2, 10), (8, 25), (0, 0), (0, 0)),
    ),
    ActivityType.SCIENCE_MELA: (
        6,
        "Science mela of government schools, {district}",
        "سرکاری اسکولوں کا سائنس میلہ، {district}",
        ((30, 100), (30, 100), (80, 250), (80, 250)),
    ),
    ActivityType.JIRGA: (
        6,
        "Community jirga on girls' schooling, {district}",
        "لڑکیوں کی تعلیم پر جرگہ، {district}",
        ((0, 15), (30, 90), (0, 0), (0, 0)),
    ),
    ActivityType.RALLY: (
        5,
        "Walk for education, {district}",
        "تعلیم کے لیے واک، {district}",
        ((40, 200), (60, 300), (20, 100), (20, 100)),
    ),
    ActivityType.TRAINING: (
        5,
        "Volunteer training: monitoring schools, {district}",
        "رضاکاروں کی تربیت: اسکولوں کی نگرانی، {district}",
        ((5, 20), (5, 20), (0, 0), (0, 0)),
    ),
    ActivityType.CONFERENCE: (
        2,
        "District education conference, {district}",
        "ضلعی تعلیمی کانفرنس، {district}",
        ((30, 90), (50, 150), (0, 5), (0, 5)),
    ),
}
OUTCOMES = {
    ActivityType.KULI_KATCHEHRI: "Parents put their schools' needs to the DEO; the demands are being followed up.",
    ActivityType.SEMINAR: "Participants agreed to survey out-of-school girls in their mohallas.",
    ActivityType.SCHOOL_VISIT: "Two classrooms without teachers; reported to the District Education Officer.",
    ActivityType.PRESS_BRIEFING: "Covered by the local press; the district's budget figures were published.",
    ActivityType.JIRGA: "Elders agreed to send their daughters to the middle school if it gets a boundary wall.",
}
OFFICIAL_NAMES = ["Nasreen Akhtar", "Javed Iqbal", "Shaista Parveen", "Rashid Mehmood", "Farzana Kausar"]
REPRESENTATIVE_NAMES = ["Malik Aslam", "Rubina Shaheen", "Chaudhry Nawaz", "Sardar Ghulam Abbas"]


def organisers_by_district():
    """{district id: the organiser holding its regional post today, or None}, in three queries."""
    links = PostArea.objects.filter(post__is_active=True, post__kind=Post.Kind.REGIONAL).select_related(
        "post", "area"
    )
    posts_by_path = {link.area.path: link.post for link in links}
    held = active_assignments({p.pk for p in posts_by_path.values()})
    organisers = {}
    for district_id, path in Area.objects.districts().values_list("pk", "path"):
        post = post_for_path(path, posts_by_path)
        assignment = held.get(post.pk) if post else None
        organisers[district_id] = assignment.holder if assignment else None
    return organisers


def _districts_and_organisers():
    """[(district, organiser or None, weight)] for the four provinces with regional posts."""
    districts = (
        Area.objects.districts()
        .filter(province__code__in=["pb", "sd", "kp", "ba"])
        .select_related("parent")
        .order_by("path")
    )
    organisers = organisers_by_district()
    return [
        (
            district,
            organisers[district.pk],
            BUSY_DIVISIONS.get(district.parent.code if district.parent else ""),
        )
        for district in districts
    ]


def _activity(rng, kind, district, organiser, day, today, partners):
    _weight, title, title_ur, people = KINDS[kind]
    venue = rng.choice(VENUES)
    if day < today:
        status = Activity.Status.CANCELLED if rng.random() < 0.07 else Activity.Status.HELD
    else:
        status = Activity.Status.CANCELLED if rng.random() < 0.04 else Activity.Status.PLANNED
    activity = Activity(
        kind=kind,
        title=title.format(district=district.name, venue=venue),
        title_ur=title_ur.format(district=district.name_ur or district.name),
        start_date=day,
        end_date=day + timedelta(days=1) if kind == ActivityType.CONFERENCE else None,
        district=district,
        venue=venue,
        organiser=organiser,
        status=status,
        # Upcoming events are mostly on the public calendar; a third of past ones are.
        is_public=rng.random() < (0.6 if day >= today else 0.3),
        description="Organised with parents, teachers and local volunteers of the campaign.",
    )
    if status == Activity.Status.HELD:
        activity.women, activity.men, activity.girls, activity.boys = (rng.randint(*r) for r in people)
        if kind in (ActivityType.THEATRE, ActivityType.RALLY, ActivityType.SCIENCE_MELA):
            activity.attendance_count = Activity.Count.ESTIMATED
        activity.outcomes = OUTCOMES.get(kind, "")
        if rng.random() < 0.3:
            activity.follow_up = "Write to the District Education Officer with the parents' list."
            activity.follow_up_on = day + timedelta(days=rng.randint(10, 40))
    chosen = [rng.choice(partners)] if rng.random() < 0.3 else []
    activity = services.save_activity(activity=activity, partners=chosen)
    if status == Activity.Status.HELD and kind == ActivityType.KULI_KATCHEHRI:
        services.add_official(
            activity=activity,
            kind=ActivityOfficial.Kind.EDUCATION,
            name=f"{rng.choice(OFFICIAL_NAMES)} (demo)",
            designation=f"District Education Officer ({rng.choice(['Female', 'Male'])}), {district.name}",
        )
        if rng.random() < 0.7:
            services.add_official(
                activity=activity,
                kind=ActivityOfficial.Kind.ELECTED,
                name=f"{rng.choice(REPRESENTATIVE_NAMES)} (demo)",
                designation=f"Member of the Provincial Assembly, {district.name}",
            )
    if status == Activity.Status.HELD and kind == ActivityType.PRESS_BRIEFING:
        for outlet, medium in rng.sample(OUTLETS, rng.randint(1, 3)):
            services.add_coverage(
                activity=activity,
                outlet=outlet,
                medium=medium,
                date=min(day + timedelta(days=1), today),
                headline=f"Campaigners ask for more teachers in {district.name}",
            )
    return activity


def _caravan(rng, today, office):
    areas = {a.code: a for a in Area.objects.filter(code__in=CARAVAN_ROUTE)}
    start = today - timedelta(days=CARAVAN_DAYS_DONE)
    caravan = services.save_activity(
        activity=Activity(
            kind=ActivityType.CARAVAN,
            title=CARAVAN_TITLE,
            title_ur=CARAVAN_TITLE_UR,
            description=(
                "Fifteen districts in fifteen days: theatre, rallies and Kuli Katchehris asking "
                "every candidate to commit to schooling for all children."
            ),
            start_date=start,
            end_date=start + timedelta(days=len(CARAVAN_ROUTE) - 1),
            district=areas[CARAVAN_ROUTE[0]],
            venue="Press Club, Islamabad",
            organiser=office,
            status=Activity.Status.PLANNED,  # under way
            is_public=True,
        )
    )
    for number, code in enumerate(CARAVAN_ROUTE):
        district = areas[code]
        day = start + timedelta(days=number)
        stop = services.add_stop(
            caravan=caravan, date=day, district=district, venue=f"Government High School, {district.name}"
        )
        if day > today + timedelta(days=2):
            continue  # later stops: their activities are not planned in detail yet
        kind = ActivityType.THEATRE if number % 2 == 0 else ActivityType.RALLY
        held = day < today
        activity = Activity(
            kind=kind,
            title=f"Taleemi Caravan in {district.name}: {'theatre show' if number % 2 == 0 else 'walk for education'}",
            title_ur=f"تعلیمی کارواں، {district.name_ur or district.name}",
            status=Activity.Status.HELD if held else Activity.Status.PLANNED,
            is_public=True,
            attendance_count=Activity.Count.ESTIMATED,
        )
        if held:
            activity.women, activity.men = rng.randint(60, 250), rng.randint(80, 300)
            activity.girls, activity.boys = rng.randint(50, 200), rng.randint(50, 200)
            activity.outcomes = "Parents signed the caravan's charter of demands."
        services.log_stop_activity(stop=stop, activity=activity)
    return caravan


@contextmanager
def figures_recomputed_at_the_end():
    """Write many rows through the services, but recompute the dashboard's figures once at the
    end rather than after every write: the services' `stats.refresh` is skipped meanwhile, then
    `rebuild` recomputes every figure from the rows. Same figures, a third of the time. Only for
    a loader that runs alone in its process (`manage.py load_demo`), inside one transaction."""
    from muhim.demands import stats as demand_stats

    saved = stats.refresh, demand_stats.refresh
    stats.refresh = demand_stats.refresh = _skip
    try:
        yield
    finally:
        stats.refresh, demand_stats.refresh = saved
    stats.rebuild()
    demand_stats.rebuild()


def _skip(keys):
    return None


def load(*, stdout):
    if Activity.objects.filter(title=CARAVAN_TITLE).exists():
        stdout.write(f"  demo activities already loaded ({Activity.objects.count()} activities)")
        return
    with transaction.atomic(), figures_recomputed_at_the_end():
        made = _load()
    stdout.write(
        f"  {made} demo activities created, with the 15-stop caravan "
        f"({Activity.objects.public().upcoming().count()} upcoming public events)"
    )


def _load():
    rng = random.Random(1947)
    today = timezone.localdate()
    office = get_user_model().objects.filter(username="office").first()
    partners = [organisation_named(name, kind=kind) for name, kind in PARTNERS]
    kinds = list(KINDS)
    weights = [KINDS[k][0] for k in kinds]
    made = 0
    for district, organiser, busy in _districts_and_organisers():
        # Vacant regions see an activity now and then (the campaign office's), covered ones more.
        count = busy or (rng.randint(1, 4) if organiser else rng.randint(0, 1))
        for _ in range(count):
            kind = rng.choices(kinds, weights)[0]
            day = today + timedelta(days=rng.randint(-DAYS_BACK, DAYS_AHEAD))
            _activity(rng, kind, district, organiser or office, day, today, partners)
            made += 1
    # A few upcoming public events in the demo organisers' regions, so that the calendar of
    # the next weeks is never empty.
    organisers = organisers_by_district()
    for code in ("pb-lahore", "pb-kasur", "sd-karachi-east", "sd-korangi"):
        district = Area.objects.get(code=code)
        organiser = organisers[district.pk]
        for offset in (5, 19):
            activity = _activity(
                rng,
                ActivityType.SEMINAR,
                district,
                organiser,
                today + timedelta(days=offset),
                today,
                partners,
            )
            if not activity.is_public or activity.status != Activity.Status.PLANNED:
                activity.is_public, activity.status = True, Activity.Status.PLANNED
                services.save_activity(activity=activity)
            made += 1
    caravan = _caravan(rng, today, office)
    return made + 1 + caravan.stops.exclude(activity=None).count()
