"""The evidence the election objectives are measured by: voter-demand surveys, media stories and
education budgets. Writes (the pages, the API and the importers all come here), what staff and
the public may see, the rules a budget's figures obey, and the figures the objectives dashboard
reads (`education_top_share`, `stories_per_month`, `latest_budget_shares`).

Visibility: published surveys and stories are public (their pages and the API); staff with the
staff pages see every survey and story of national work, organisers the published ones and
those of seats in their regions. Budgets are public figures: everyone sees all of them."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from muhim.accounts.permissions import Capability, is_regional, scope_filter, user_can
from muhim.core.text import fold
from muhim.elections.models import Party, PartyAlias, normalise_name
from muhim.geography.models import Constituency

from .models import FOUR_PERCENT, EducationBudget, MediaStory, SurveyDemand, VoterSurvey

# --- about education? ----------------------------------------------------------------------------

# Words that make a demand or a headline about education, in English and Urdu (Urdu words are
# matched inside longer words too: "تعلیمی", "اسکولوں").
EDUCATION_WORDS = re.compile(
    r"\b(educat\w*|schools?|schooling|teachers?|teaching|colleges?|universit(?:y|ies)|literacy|"
    r"classrooms?|enrol\w*|students?|pupils?|girls'? education|out[- ]of[- ]school|textbooks?|"
    r"madrassas?|learning)\b",
    re.IGNORECASE,
)
EDUCATION_WORDS_UR = (
    "تعلیم",
    "اسکول",
    "سکول",
    "اساتذہ",
    "استاد",
    "کالج",
    "یونیورسٹی",
    "خواندگی",
    "پڑھائی",
    "طلبہ",
    "طالبات",
)


def is_education_text(text):
    """Whether `text` (a demand voters named, a story's headline) is about education, in
    English or Urdu (typed on any keyboard, with or without short-vowel marks)."""
    text = fold(text or "")
    return bool(EDUCATION_WORDS.search(text)) or any(word in text for word in EDUCATION_WORDS_UR)


# --- seats -----------------------------------------------------------------------------------------

SEAT_CODE = re.compile(r"^\s*(NA|PP|PS|PK|PB|GBA|LA)[\s\-_.]*0*(\d{1,3})\s*$", re.IGNORECASE)


def seat_code(text):
    """'na 1', 'NA-001' → 'NA-1'; None when `text` is not a seat code."""
    found = SEAT_CODE.match(text or "")
    return f"{found.group(1).upper()}-{int(found.group(2))}" if found else None


class SeatLookup:
    """Constituencies by code, of one delimitation (an election's) or, without one, the latest
    delimitation each code exists in. Unknown codes raise ValidationError naming them."""

    def __init__(self, delimitation_year=None):
        seats = Constituency.objects.only(
            "pk", "code", "name", "assembly", "number", "delimitation_year", "province_id"
        )
        if delimitation_year:
            seats = seats.filter(delimitation_year=delimitation_year)
        self.by_code = {}
        for seat in seats.order_by("delimitation_year"):
            self.by_code[seat.code.upper()] = seat  # the latest delimitation wins
        self.delimitation_year = delimitation_year

    def __call__(self, text):
        code = seat_code(text)
        seat = self.by_code.get(code) if code else None
        if seat is not None:
            return seat
        if code is None:
            raise ValidationError(
                _("%(text)r is not a constituency code like NA-1, PP-147, PS-1, PK-1 or PB-1.")
                % {"text": text}
            )
        if self.delimitation_year:
            raise ValidationError(
                _("There is no constituency %(code)s in the %(year)s delimitation.")
                % {"code": code, "year": self.delimitation_year}
            )
        raise ValidationError(_("There is no constituency %(code)s.") % {"code": code})

    def many(self, text):
        """The seats of a ';'- or ','-separated list of codes, without repeats."""
        seats = {}
        for part in re.split(r"\s*[;,]\s*", text or ""):
            if part.strip():
                seat = self(part)
                seats[seat.pk] = seat
        return list(seats.values())


# --- parties ---------------------------------------------------------------------------------------


class PartyLookup:
    """Parties by name, Urdu name, abbreviation or alias, compared as `normalise_name` does
    ('PML(N)' == 'pml-n' == 'PML N'); the elections app's `PartyMatcher` (the candidate lists'
    matching) is asked too, and suggests a party for a name that matches none."""

    def __init__(self):
        self.by_name = {}
        for party in Party.objects.only("pk", "name", "name_ur", "abbreviation", "slug"):
            for text in (party.name, party.name_ur, party.abbreviation, party.slug):
                if text:
                    self.by_name.setdefault(normalise_name(text), party)
        for alias in PartyAlias.objects.select_related("party"):
            self.by_name.setdefault(alias.normalised, alias.party)
        try:
            from muhim.elections.services import PartyMatcher
        except ImportError:  # the elections app without its matching
            self.matcher = None
        else:
            self.matcher = PartyMatcher()

    def find(self, text):
        party = self.by_name.get(normalise_name(text))
        if party is None and self.matcher is not None:
            party = self.matcher.match(text).party
        return party

    def suggest(self, text):
        return self.matcher.suggest(text) if self.matcher is not None else ""

    def many(self, text):
        """(parties, names that matched none) of a ';'-separated list."""
        found, unmatched = {}, []
        for part in re.split(r"\s*;\s*", text or ""):
            name = " ".join(part.split())
            if not name:
                continue
            party = self.find(name)
            if party is None:
                unmatched.append(name)
            else:
                found[party.pk] = party
        return list(found.values()), unmatched


# --- who sees what -------------------------------------------------------------------------------


def _in_regions(user, queryset, seat_path):
    """`queryset` rows whose seat lies in the user's regions (through the seat's districts)."""
    seats = Constituency.objects.filter(
        pk__in=Constituency.areas.through.objects.filter(
            scope_filter(user, Capability.VIEW_STAFF_PAGES, "area")
        ).values("constituency")
    )
    return queryset.filter(**{f"{seat_path}__in": seats})


def visible_surveys(user):
    """The surveys `user` may read: published ones for anyone; staff also the unpublished ones
    (organisers: of seats in their regions)."""
    surveys = VoterSurvey.objects.all()
    if not user_can(user, Capability.VIEW_STAFF_PAGES):
        return surveys.filter(is_published=True)
    if is_regional(user):
        own = _in_regions(user, surveys, "constituency").values("pk")
        return surveys.filter(Q(is_published=True) | Q(pk__in=own))
    return surveys


def visible_stories(user):
    """The stories `user` may read: published ones for anyone; staff also the unpublished ones
    (organisers: of seats in their regions)."""
    stories = MediaStory.objects.all()
    if not user_can(user, Capability.VIEW_STAFF_PAGES):
        return stories.filter(is_published=True)
    if is_regional(user):
        own = _in_regions(user, stories, "constituencies").values("pk")
        return stories.filter(Q(is_published=True) | Q(pk__in=own))
    return stories


# --- surveys ---------------------------------------------------------------------------------------


@dataclass
class DemandRow:
    """One ranked demand as a form, the API or an import gives it. `is_education` None: read
    from the demand's words."""

    rank: int
    demand: str
    is_education: bool | None = None
    share: Decimal | None = None


def check_demands(demands):
    """ValidationError naming what is wrong: a rank twice, a share outside 0–100."""
    seen = {}
    problems = []
    for row in demands:
        if row.rank in seen:
            problems.append(
                _("Rank %(rank)s is given twice (%(first)s and %(second)s); each rank holds one demand.")
                % {"rank": row.rank, "first": seen[row.rank], "second": row.demand}
            )
        seen.setdefault(row.rank, row.demand)
        if row.share is not None and not (0 <= row.share <= 100):
            problems.append(
                _("The share of %(demand)s is %(share)s%%; a share is between 0 and 100.")
                % {"demand": row.demand, "share": row.share}
            )
        if row.rank < 1:
            problems.append(_("Ranks start at 1 (%(demand)s).") % {"demand": row.demand})
    if problems:
        raise ValidationError({"demands": problems})


@transaction.atomic
def save_survey(*, survey: VoterSurvey, demands: list[DemandRow], user=None) -> VoterSurvey:
    """Store `survey` with exactly `demands` (replacing the ones it had). Nothing is stored when
    a check fails."""
    check_demands(demands)
    survey._history_user = user
    survey.full_clean()
    survey.save()
    survey.demands.all().delete()
    SurveyDemand.objects.bulk_create(
        SurveyDemand(
            survey=survey,
            rank=row.rank,
            demand=row.demand,
            is_education=is_education_text(row.demand) if row.is_education is None else row.is_education,
            share=row.share,
        )
        for row in sorted(demands, key=lambda r: r.rank)
    )
    return survey


# --- media stories -------------------------------------------------------------------------------


@transaction.atomic
def save_story(*, story: MediaStory, constituencies=(), parties=(), people=(), user=None) -> MediaStory:
    """Store `story` and exactly the seats, parties and candidates it mentions."""
    if story.pk is None and story.recorded_by_id is None and user is not None and user.is_authenticated:
        story.recorded_by = user
    story._history_user = user
    story.full_clean()
    story.save()
    story.constituencies.set(constituencies)
    story.parties.set(parties)
    story.people.set(people)
    return story


# --- budgets -----------------------------------------------------------------------------------------

FISCAL_YEAR = re.compile(r"^\s*(?:FY\s*)?(\d{4})\s*[-–/]\s*(\d{2}|\d{4})\s*$", re.IGNORECASE)


def fiscal_year(text):
    """'2018-19', '2018-2019', '2018/19', 'FY 2018-19' → '2018-19'. Raises ValidationError when
    it is not a fiscal year of two consecutive years."""
    found = FISCAL_YEAR.match(text or "")
    if not found:
        raise ValidationError(
            _("%(text)r is not a fiscal year; write it as 2018-19 (July 2018 to June 2019).") % {"text": text}
        )
    start, end = int(found.group(1)), found.group(2)
    end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
    if len(end) == 2 and end_year < start:
        end_year += 100  # 1999-00
    if end_year != start + 1:
        raise ValidationError(
            _(
                "%(text)r is not a fiscal year: it runs from July of one year to June of the next, e.g. %(example)s."
            )
            % {"text": text.strip(), "example": f"{start}-{(start + 1) % 100:02d}"}
        )
    return f"{start}-{end_year % 100:02d}"


GOVERNMENT_NAMES = {
    EducationBudget.Government.FEDERAL: (
        "federal",
        "federation",
        "federal government",
        "centre",
        "وفاقی",
        "وفاق",
    ),
    EducationBudget.Government.PUNJAB: ("punjab", "pb", "the punjab", "government of the punjab", "پنجاب"),
    EducationBudget.Government.SINDH: ("sindh", "sd", "sind", "سندھ"),
    EducationBudget.Government.KHYBER_PAKHTUNKHWA: (
        "kp",
        "kpk",
        "khyber pakhtunkhwa",
        "khyber-pakhtunkhwa",
        "nwfp",
        "north west frontier province",
        "خیبر پختونخوا",
        "خیبرپختونخوا",
    ),
    EducationBudget.Government.BALOCHISTAN: ("balochistan", "baluchistan", "ba", "bl", "بلوچستان"),
    EducationBudget.Government.ALL: (
        "all",
        "all governments",
        "pakistan",
        "total",
        "pakistan (all governments)",
        "national",
        "پاکستان",
    ),
}
_GOVERNMENT_BY_NAME = {
    normalise_name(name): government for government, names in GOVERNMENT_NAMES.items() for name in names
}


def government_named(text):
    """A government by its code, English name, short name or Urdu name ('KP', 'Khyber
    Pakhtunkhwa', 'پنجاب', 'Federal'); ValidationError naming the choices otherwise."""
    wanted = normalise_name(text)
    for value, label in EducationBudget.Government.choices:
        if wanted in (normalise_name(value), normalise_name(str(label))):
            return value
    found = _GOVERNMENT_BY_NAME.get(wanted)
    if found is None:
        raise ValidationError(
            _(
                "%(text)r is not a government; write Federal, Punjab, Sindh, Khyber Pakhtunkhwa, Balochistan or All."
            )
            % {"text": (text or "").strip()}
        )
    return found


def budget_problems(*, fiscal_year_text, allocation, gdp):
    """{field: message} of what is wrong with a budget's figures (empty when they are right)."""
    problems = {}
    if fiscal_year_text is not None:
        try:
            fiscal_year(fiscal_year_text)
        except ValidationError as exc:
            problems["fiscal_year"] = exc.messages[0]
    if gdp is not None and gdp <= 0:
        problems["gdp"] = _("The GDP must be more than zero (PKR million).")
    if allocation is not None and allocation < 0:
        problems["education_allocation"] = _("The allocation cannot be negative.")
    elif allocation is not None and gdp is not None and gdp > 0 and allocation > gdp:
        problems["education_allocation"] = _(
            "The allocation (%(allocation)s) is larger than the GDP (%(gdp)s): both are in PKR "
            "million; check the units."
        ) % {"allocation": allocation, "gdp": gdp}
    return problems


@transaction.atomic
def save_budget(*, budget: EducationBudget, user=None) -> EducationBudget:
    """Store `budget` after checking its figures; its fiscal year is written '2018-19'."""
    problems = budget_problems(
        fiscal_year_text=budget.fiscal_year, allocation=budget.education_allocation, gdp=budget.gdp
    )
    if problems:
        raise ValidationError(problems)
    budget.fiscal_year = fiscal_year(budget.fiscal_year)
    budget._history_user = user
    budget.full_clean()
    budget.save()
    return budget


# --- the budget chart --------------------------------------------------------------------------------

GOVERNMENT_STYLE = {
    EducationBudget.Government.FEDERAL: ("#6c757d", "6 3"),
    EducationBudget.Government.PUNJAB: ("#198754", ""),
    EducationBudget.Government.SINDH: ("#0d6efd", "2 2"),
    EducationBudget.Government.KHYBER_PAKHTUNKHWA: ("#d63384", "8 2 2 2"),
    EducationBudget.Government.BALOCHISTAN: ("#fd7e14", "4 4"),
    EducationBudget.Government.ALL: ("#212529", ""),
}


def share_chart(budgets, *, width=640, height=300, margin=(16, 30, 36, 44)):
    """The geometry of the line chart of each government's share of GDP over fiscal years, with
    the 4% target line: pure arithmetic for the template's SVG (no JavaScript). `margin` is
    (top, right, bottom, left) in the SVG's units."""
    top, right, bottom, left = margin
    years = sorted({b.fiscal_year for b in budgets})
    shares = [b.share_of_gdp for b in budgets if b.share_of_gdp is not None]
    if not years:
        return None
    highest = max([*shares, FOUR_PERCENT])
    ceiling = int(highest) + 1
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(index):
        return left + (plot_w * index / (len(years) - 1) if len(years) > 1 else plot_w / 2)

    def y(value):
        return top + plot_h - float(value) / ceiling * plot_h

    lines = []
    for government, label in EducationBudget.Government.choices:
        points = [
            (x(years.index(b.fiscal_year)), y(b.share_of_gdp), b.fiscal_year, b.share_of_gdp)
            for b in sorted(budgets, key=lambda b: b.fiscal_year)
            if b.government == government and b.share_of_gdp is not None
        ]
        if points:
            colour, dash = GOVERNMENT_STYLE[government]
            lines.append(
                {
                    "government": government,
                    "label": label,
                    "colour": colour,
                    "dash": dash,
                    "points": [
                        {"x": round(px, 1), "y": round(py, 1), "year": yr, "share": s}
                        for px, py, yr, s in points
                    ],
                    "path": " ".join(f"{px:.1f},{py:.1f}" for px, py, _yr, _s in points),
                }
            )
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": height - bottom,
        "target_y": round(y(FOUR_PERCENT), 1),
        "y_ticks": [{"value": v, "y": round(y(v), 1)} for v in range(0, ceiling + 1)],
        "x_ticks": [{"label": yr, "x": round(x(i), 1)} for i, yr in enumerate(years)],
        "lines": lines,
    }


# --- the figures of the objectives dashboard ---------------------------------------------------------


def education_top_share(election=None) -> tuple[int, int]:
    """(constituencies where education ranks first, constituencies surveyed), from each
    constituency's latest published survey (of `election` when given; by date, then the one
    stored last). A survey in which nobody named education counts as surveyed, not first."""
    surveys = VoterSurvey.objects.filter(is_published=True)
    if election is not None:
        surveys = surveys.filter(election=election)
    latest = {}
    for pk, seat in surveys.order_by("constituency_id", "conducted_on", "pk").values_list(
        "pk", "constituency_id"
    ):
        latest[seat] = pk
    if not latest:
        return 0, 0
    first = SurveyDemand.objects.filter(survey_id__in=list(latest.values()), is_education=True, rank=1)
    return first.values("survey_id").distinct().count(), len(latest)


def _month(day):
    return day.replace(day=1)


def months_back(last, months):
    """The first days of the `months` months that end with `last`'s month, oldest first."""
    year, month = last.year, last.month
    days = []
    for _i in range(months):
        days.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return days[::-1]


def stories_per_month(months=12, party=None, constituency=None, *, until=None) -> list[tuple[date, int, int]]:
    """[(first day of the month, education stories, all stories), ...] for the `months` months
    up to `until`'s month (today's by default), oldest first, months without stories included.
    Published stories only; `party` and `constituency` (instances or primary keys) narrow to
    the stories that mention them."""
    stories = MediaStory.objects.filter(is_published=True)
    if party is not None:
        stories = stories.filter(parties=party)
    if constituency is not None:
        stories = stories.filter(constituencies=constituency)
    return month_counts(stories, months_back(until or timezone.localdate(), months))


def month_counts(stories, month_days):
    """[(month, education stories, all stories)] of `stories` for each of `month_days`."""
    if not month_days:
        return []
    counted = (
        stories.filter(published_on__gte=month_days[0], published_on__lt=next_month(month_days[-1]))
        .order_by()
        .annotate(month=TruncMonth("published_on"))
        .values("month")
        .annotate(
            total=Count("pk", distinct=True),
            education=Count("pk", distinct=True, filter=Q(is_education=True)),
        )
    )
    by_month = {as_date(row["month"]): (row["education"], row["total"]) for row in counted}
    return [(day, *by_month.get(day, (0, 0))) for day in month_days]


def as_date(value):
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def next_month(day):
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def month_span(first, last):
    """The first days of the months from `first`'s to `last`'s, oldest first."""
    days, day = [], _month(first)
    while day <= last:
        days.append(day)
        day = next_month(day)
    return days


@dataclass
class GovernmentShare:
    """A government's education spending against 4% of GDP: its latest fiscal year, and every
    year for a trend."""

    government: str
    label: str
    fiscal_year: str
    share: Decimal | None
    meets_target: bool
    series: list[tuple[str, Decimal | None]] = field(default_factory=list)


def latest_budget_shares() -> list[GovernmentShare]:
    """One `GovernmentShare` per government that has budgets, in the order federal, the
    provinces, all governments: the latest fiscal year's share of GDP (%), whether it meets
    the 4% target, and `series` [(fiscal year, share)] oldest first."""
    by_government = {}
    for budget in EducationBudget.objects.order_by("fiscal_year"):
        by_government.setdefault(budget.government, []).append(budget)
    result = []
    for government, label in EducationBudget.Government.choices:
        budgets = by_government.get(government)
        if not budgets:
            continue
        latest = budgets[-1]
        result.append(
            GovernmentShare(
                government=government,
                label=str(label),
                fiscal_year=latest.fiscal_year,
                share=latest.share_of_gdp,
                meets_target=latest.meets_target,
                series=[(b.fiscal_year, b.share_of_gdp) for b in budgets],
            )
        )
    return result
