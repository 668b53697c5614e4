"""Demo community demands and parental bodies: about 150 fictional demands across categories
and statuses, each with its status history (some resolved on the spot at a Kuli Katchehri,
some overdue, some published), and a few parental bodies at union-council and district level
with members and meetings. Names end in "(demo)"; numbers (+92 333 9…) are not real. Written
through `demands.services` (and `activities.services` for the meetings), the dashboard's
figures recomputed at the end. Runs after the activities' demo, whose Kuli Katchehris it uses. Loaded once:
a second run adds nothing."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from muhim.activities import services as activity_services
from muhim.activities.demo import figures_recomputed_at_the_end, organisers_by_district
from muhim.activities.models import Activity, ActivityType
from muhim.geography.models import Area
from muhim.network.models import Sex
from muhim.partners.services import organisation_named

from . import services
from .models import Category, Demand, ParentalBody, ParentalBodyMember, Status

COUNT = 150
PHONE_PREFIX = "+923339"  # demands' contacts +92 333 90…, members +92 333 91…
BUSY_DIVISIONS = {"pb-lahore-division": 10, "sd-karachi-division": 7}

# (name, Urdu name, level, district, (tehsil, union council) for a UC body, partner)
BODIES = [
    (
        "Kasur District Parents' Council (demo)",
        "قصور ضلعی والدین کونسل (ڈیمو)",
        ParentalBody.Level.DISTRICT,
        "pb-kasur",
        None,
        "Rural Support Programmes Network (demo)",
    ),
    (
        "Chunian Union Council 12 School Committee (demo)",
        "چونیاں یونین کونسل 12 اسکول کمیٹی (ڈیمو)",
        ParentalBody.Level.UNION_COUNCIL,
        "pb-kasur",
        ("Chunian", "Union Council 12 (demo)"),
        "Rural Support Programmes Network (demo)",
    ),
    (
        "Lahore Taleemi Jirga (demo)",
        "لاہور تعلیمی جرگہ (ڈیمو)",
        ParentalBody.Level.DISTRICT,
        "pb-lahore",
        None,
        None,
    ),
    (
        "Bin Qasim Union Council 3 Mothers' Group (demo)",
        "بن قاسم یونین کونسل 3 ماؤں کا گروپ (ڈیمو)",
        ParentalBody.Level.UNION_COUNCIL,
        "sd-malir",
        ("Bin Qasim", "Union Council 3 (demo)"),
        "Sindh Rural Support Organisation (demo)",
    ),
    (
        "Korangi Parents' Forum (demo)",
        "کورنگی والدین فورم (ڈیمو)",
        ParentalBody.Level.DISTRICT,
        "sd-korangi",
        None,
        "Rural Support Programmes Network (demo)",
    ),
]
MEMBER_NAMES = [
    ("Shamim Bibi", Sex.FEMALE),
    ("Muhammad Riaz", Sex.MALE),
    ("Naseem Akhtar", Sex.FEMALE),
    ("Ghulam Rasool", Sex.MALE),
    ("Parveen Kausar", Sex.FEMALE),
    ("Abdul Sattar", Sex.MALE),
    ("Zubaida Khatoon", Sex.FEMALE),
    ("Allah Ditta", Sex.MALE),
]
ROLES = [
    ParentalBodyMember.Role.CHAIR,
    ParentalBodyMember.Role.SECRETARY,
    ParentalBodyMember.Role.TREASURER,
    ParentalBodyMember.Role.VICE_CHAIR,
]
# category: (weight, English demand, Urdu demand)
DEMANDS = {
    Category.TEACHERS: (20, "Two teachers for {school}", "{school} کے لیے دو اساتذہ"),
    Category.GIRLS_SCHOOL: (10, "A girls' primary school in {place}", "{place} میں لڑکیوں کا پرائمری اسکول"),
    Category.UPGRADE: (10, "Upgrade {school} to middle level", "{school} کو مڈل تک اپ گریڈ کیا جائے"),
    Category.BUILDING: (8, "Repair the roof of {school}", "{school} کی چھت کی مرمت"),
    Category.TOILETS: (12, "Toilets for the girls of {school}", "{school} کی بچیوں کے لیے بیت الخلا"),
    Category.BOUNDARY_WALL: (10, "A boundary wall for {school}", "{school} کی چار دیواری"),
    Category.WATER: (10, "Drinking water at {school}", "{school} میں پینے کا پانی"),
    Category.ELECTRICITY: (6, "Electricity connection for {school}", "{school} کے لیے بجلی کا کنکشن"),
    Category.TEXTBOOKS: (6, "Free textbooks on time at {school}", "{school} میں مفت کتابیں بروقت"),
    Category.FEES: (
        4,
        "Stop the unofficial fund collected at {school}",
        "{school} میں غیر سرکاری فنڈ بند کیا جائے",
    ),
    Category.OTHER: (4, "A school bus for the girls of {place}", "{place} کی بچیوں کے لیے اسکول بس"),
}
SCHOOLS = [
    "Government Girls Primary School, Chak {n}",
    "Government Primary School No. {n}",
    "Government Girls Middle School, Mohalla {place}",
    "Government Boys Primary School, Basti {place}",
    "Government Girls High School No. {n}",
]
PLACES = [
    "Islampura",
    "Rehmanabad",
    "Ghausia Colony",
    "Noor Pur",
    "Faisal Town",
    "Goth Allah Bux",
    "Basti Malik",
]
# The steps a demand may have gone through after being raised, in order; each path stops at
# a random point (and never after today).
PATHS = [
    [Status.SUBMITTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED],
    [Status.SUBMITTED, Status.ACKNOWLEDGED, Status.RESOLVED],
    [Status.SUBMITTED, Status.IN_PROGRESS, Status.RESOLVED],
    [Status.SUBMITTED, Status.STALLED, Status.ACKNOWLEDGED, Status.IN_PROGRESS],
    [Status.SUBMITTED, Status.REJECTED],
    [Status.SUBMITTED, Status.ACKNOWLEDGED, Status.STALLED],
]
NOTES = {
    Status.SUBMITTED: "The parents' letter was handed to the authority's office.",
    Status.ACKNOWLEDGED: "The office acknowledged it and promised a visit.",
    Status.IN_PROGRESS: "Work has started; parents are keeping an eye on it.",
    Status.RESOLVED: "Done: parents confirmed it at the school.",
    Status.REJECTED: "The office said there is no budget this year.",
    Status.STALLED: "No answer for weeks; the organiser is following it up.",
}
AUTHORITIES = [
    (Demand.Authority.EDUCATION_OFFICER, "District Education Officer ({sex}), {district}"),
    (Demand.Authority.EDUCATION_OFFICER, "District Education Officer ({sex}), {district}"),
    (Demand.Authority.ELECTED, "Member of the Provincial Assembly, {district}"),
    (Demand.Authority.ADMINISTRATION, "Deputy Commissioner, {district}"),
    (Demand.Authority.DEPARTMENT, "School Education Department"),
]


def _sub_area(code, level, name, parent):
    area = Area.objects.filter(code=code).first()
    if area is None:
        area = Area(code=code, level=level, name=name, parent=parent, province=parent.province)
        area.path = area.build_path()
        area.save()
    return area


def _union_council(district, tehsil_name, uc_name):
    """The union council for a demo body: the gazetteer ships down to districts, so the demo adds
    the tehsil (a real one) and a union council marked "(demo)" unless they are there."""
    tehsil = _sub_area(
        f"{district.code}-{tehsil_name.lower().replace(' ', '-')}", Area.Level.TEHSIL, tehsil_name, district
    )
    number = "".join(c for c in uc_name if c.isdigit())
    return _sub_area(f"{tehsil.code}-uc-{number}-demo", Area.Level.UNION_COUNCIL, uc_name, tehsil)


def _bodies(rng, today, phones, organisers):
    bodies = []
    for index, (name, name_ur, level, code, uc, partner) in enumerate(BODIES):
        district = Area.objects.get(code=code)
        organiser = organisers[district.pk]
        body = services.save_body(
            body=ParentalBody(
                name=name,
                name_ur=name_ur,
                level=level,
                district=district,
                union_council=_union_council(district, *uc) if uc else None,
                partner=organisation_named(partner) if partner else None,
                formed_on=today - timedelta(days=400 - index * 30),
                organiser=organiser,
                notes="Meets every month at the school; the chair keeps the minutes.",
            )
        )
        for number in range(rng.randint(5, 8)):
            member_name, sex = MEMBER_NAMES[(index + number) % len(MEMBER_NAMES)]
            services.save_member(
                member=ParentalBodyMember(
                    body=body,
                    name=f"{member_name} (demo)",
                    role=ROLES[number] if number < len(ROLES) else ParentalBodyMember.Role.MEMBER,
                    sex=sex,
                    phone=next(phones["members"]),
                    joined_on=body.formed_on + timedelta(days=number * 3),
                )
            )
        for months_ago in (10, 6, 3, 1, -1):  # the last one is next month's
            day = today - timedelta(days=months_ago * 30)
            meeting = activity_services.save_activity(
                activity=Activity(
                    kind=ActivityType.PARENTAL_BODY_MEETING,
                    title=f"Meeting of the {name.replace(' (demo)', '')}",
                    title_ur=f"اجلاس: {name_ur}",
                    start_date=day,
                    district=district,
                    place=body.union_council,
                    venue="Government Girls Primary School",
                    organiser=organiser,
                    status=Activity.Status.HELD if day < today else Activity.Status.PLANNED,
                    women=rng.randint(3, 9) if day < today else None,
                    men=rng.randint(2, 6) if day < today else None,
                    outcomes="Agreed the demands to take to the District Education Officer."
                    if day < today
                    else "",
                )
            )
            services.add_meeting(body=body, activity=meeting)
        bodies.append(body)
    return bodies


def _phones():
    def numbers(block):
        for n in range(100_000):
            yield f"{PHONE_PREFIX}{block}{n:05d}"

    return {"demands": numbers("0"), "members": numbers("1")}


def _demand(
    rng, today, phones, *, district, organiser, raised_on, activity=None, body=None, on_the_spot=False
):
    category = rng.choices(list(DEMANDS), [w for w, _en, _ur in DEMANDS.values()])[0]
    _weight, title, title_ur = DEMANDS[category]
    place = rng.choice(PLACES)
    school = rng.choice(SCHOOLS).format(n=rng.randint(1, 120), place=place)
    authority, office = rng.choice(AUTHORITIES)
    if activity is not None:
        raised_by = Demand.RaisedBy.ACTIVITY
    elif body is not None:
        raised_by = Demand.RaisedBy.PARENTAL_BODY
    else:
        raised_by = rng.choice(
            [Demand.RaisedBy.PARENT] * 3 + [Demand.RaisedBy.JIRGA, Demand.RaisedBy.TEACHER]
        )
    named = raised_by in (Demand.RaisedBy.PARENT, Demand.RaisedBy.ACTIVITY, Demand.RaisedBy.TEACHER)
    # Its history, decided first: the steps after "raised", each some days after the last, none
    # after today.
    steps, day = [], raised_on
    if not on_the_spot:
        path = rng.choice(PATHS)
        for status in path[: rng.randint(0, len(path))]:
            day = day + timedelta(days=rng.randint(4, 45))
            if day > today:
                break
            steps.append((status, day))
    last_status = steps[-1][0] if steps else (Status.RESOLVED if on_the_spot else Status.RAISED)
    follow_up_on = None
    if last_status not in (Status.RESOLVED, Status.REJECTED):
        # A follow-up date a few weeks after the last step; about one open demand in five has
        # let it pass.
        last_day = steps[-1][1] if steps else raised_on
        if rng.random() < 0.2 and (today - last_day).days > 2:
            follow_up_on = today - timedelta(days=rng.randint(1, min(30, (today - last_day).days - 1)))
        else:
            follow_up_on = today + timedelta(days=rng.randint(3, 45))
    demand = services.record_demand(
        demand=Demand(
            title=title.format(school=school, place=place)[:200],
            title_ur=title_ur.format(school=school, place=place)[:200],
            description=f"Parents of {place} raised it; {rng.randint(40, 400)} children study at the school.",
            category=category,
            school=school,
            district=district,
            raised_by=raised_by,
            raised_by_name=f"Parent {rng.randint(1, 999)} (demo)" if named else "",
            raised_by_phone=next(phones["demands"]) if named else "",
            parental_body=body,
            activity=activity,
            authority=authority,
            authority_name=office.format(sex=rng.choice(["Female", "Male"]), district=district.name),
            raised_on=raised_on,
            follow_up_on=follow_up_on,
            organiser=organiser,
            is_published=rng.random() < 0.35,
        ),
        note="Raised by parents of the school.",
        resolved_on_the_spot=on_the_spot,
        on_the_spot_note="The DEO ordered it there and then, in front of the parents.",
    )
    for status, on in steps:
        services.update_status(
            demand=demand,
            status=status,
            on=on,
            note=NOTES[status],
            internal_note="Spoke to the clerk at the office." if rng.random() < 0.3 else "",
        )
    return demand


def load(*, stdout):
    if (
        Demand.objects.filter(raised_by_phone__startswith=PHONE_PREFIX).exists()
        or ParentalBody.objects.filter(name=BODIES[0][0]).exists()
    ):
        stdout.write(f"  demo demands already loaded ({Demand.objects.count()} demands)")
        return
    with transaction.atomic(), figures_recomputed_at_the_end():
        bodies = _load()
    stdout.write(
        f"  {Demand.objects.count()} demo demands ({Demand.objects.overdue().count()} overdue, "
        f"{Demand.objects.published().count()} published) and {len(bodies)} parental bodies created"
    )


def _load():
    rng = random.Random(2018)
    today = timezone.localdate()
    phones = _phones()
    organisers = organisers_by_district()
    bodies = _bodies(rng, today, phones, organisers)
    made = 0
    # Demands raised at the demo's Kuli Katchehris: one or two each, a third settled there.
    katchehris = Activity.objects.filter(
        kind=ActivityType.KULI_KATCHEHRI, status=Activity.Status.HELD, created_by=None, start_date__lt=today
    ).select_related("district", "organiser")
    for activity in katchehris.order_by("start_date", "pk"):
        for _ in range(rng.randint(1, 2)):
            _demand(
                rng,
                today,
                phones,
                district=activity.district,
                organiser=activity.organiser,
                raised_on=activity.start_date,
                activity=activity,
                on_the_spot=rng.random() < 0.33,
            )
            made += 1
    # What the parental bodies carry.
    for body in bodies:
        for _ in range(3):
            _demand(
                rng,
                today,
                phones,
                district=body.district,
                organiser=body.organiser,
                raised_on=today - timedelta(days=rng.randint(20, 380)),
                body=body,
            )
            made += 1
    # And the rest, from parents, jirgas and teachers across the regions.
    districts = list(
        Area.objects.districts().filter(province__code__in=["pb", "sd", "kp", "ba"]).select_related("parent")
    )
    weights = [BUSY_DIVISIONS.get(d.parent.code if d.parent else "", 1) for d in districts]
    while made < COUNT:
        district = rng.choices(districts, weights)[0]
        _demand(
            rng,
            today,
            phones,
            district=district,
            organiser=organisers[district.pk],
            raised_on=today - timedelta(days=rng.randint(0, 540)),
        )
        made += 1
    return bodies
