"""The campaign's seven election objectives, each with the measure it is judged by, its current
value and its trend. Every figure is counted from the records it summarises (manifestos,
budgets, pledges, surveys, stories), so it changes as soon as they do; `published_only` counts
only what the public may see (the public dashboard), otherwise everything analysed or
recorded (the staff dashboard).

The objectives, as the campaign wrote them before the 2018 general election:
1. every political party prioritises education in its manifesto;
2. the federal and provincial governments allocate 4% of GDP to public education;
3. no party commits less than 4% of GDP to education;
4. education tops the demands of voters and communities;
5. education tops the promises candidates make;
6. the media follow education stories by constituency and compare candidates and parties;
7. education stays in the public conversation beyond the campaign."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from muhim.elections.models import Candidacy, Election
from muhim.manifestos import services as manifesto_services

from . import evidence_services as evidence
from .models import FOUR_PERCENT, EducationBudget, MediaStory, Pledge, VoterSurvey

TREND_MONTHS = 12


@dataclass
class Point:
    label: str
    value: float  # what the bar's length shows, in the objective's unit
    text: str  # what the bar says


@dataclass
class Objective:
    number: int
    key: str
    title: str
    measure: str
    value: str = ""
    share: float | None = None  # 0..100, for the progress bar; None: no bar
    met: bool | None = None  # None: not enough data to say
    detail: str = ""
    trend_title: str = ""
    trend: list[Point] = field(default_factory=list)
    trend_max: float = 0.0
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url) of the lists behind it
    rows: list[dict] = field(default_factory=list)  # a small table (e.g. parties and their shares)

    @property
    def status(self):
        if self.met is None:
            return "no_data"
        return "met" if self.met else "not_met"

    @property
    def status_label(self):
        return {
            "met": _("Met"),
            "not_met": _("Not yet met"),
            "no_data": _("No data yet"),
        }[self.status]

    def finish(self, scale=None):
        """`scale`: what a full bar stands for (100 for shares; the target where there is
        one), else the largest value."""
        largest = max((p.value for p in self.trend), default=0.0)
        self.trend_max = max(scale or 0.0, largest)
        return self


TITLES = {
    "manifestos": gettext_lazy("Every party prioritises education in its manifesto"),
    # xgettext:no-python-format
    "budgets": gettext_lazy("Governments allocate 4% of GDP to public education"),
    # xgettext:no-python-format
    "commitments": gettext_lazy("No party commits less than 4% of GDP to education"),
    "voters": gettext_lazy("Education tops voters' demands"),
    "candidates": gettext_lazy("Education tops candidates' promises"),
    "media": gettext_lazy("The media follow education stories by constituency"),
    "conversation": gettext_lazy("Education stays in the public conversation beyond the campaign"),
}


def _percent(part, whole):
    return 100.0 * part / whole if whole else None


def _pct_text(value, digits=1):
    if value is None:
        return "—"
    return _("%(value)s%%") % {"value": number_format(value, digits)}


def _count(value):
    """A count as the page shows it: grouped in thousands ("12,220") in both languages."""
    return number_format(value, force_grouping=True)


def _of(part, whole, things):
    return _("%(part)s of %(whole)s %(things)s") % {
        "part": _count(part),
        "whole": _count(whole),
        "things": things,
    }


def _month_label(month):
    return date_format(month, "M Y")


# --- the records each objective counts ---------------------------------------------------------


def latest_manifestos(election, *, published_only):
    """The latest analysed manifesto of each party for `election`, highest education share
    first (a manifesto without quasi-sentences has no share and is left out)."""
    manifestos = [
        m
        for m in manifesto_services.latest_manifestos(election, published_only=published_only)
        if m.quasi_sentences
    ]
    return sorted(manifestos, key=lambda m: (-(m.education_share or 0), m.party.name))


def _pledges(election, published_only):
    queryset = Pledge.objects.all()
    if election is not None:
        queryset = queryset.filter(election=election)
    if published_only:
        queryset = queryset.filter(is_published=True)
    return queryset


def _surveys(election, published_only):
    queryset = VoterSurvey.objects.all()
    if election is not None:
        queryset = queryset.filter(Q(election=election) | Q(election__isnull=True))
    if published_only:
        queryset = queryset.filter(is_published=True)
    return queryset


def _stories(published_only):
    queryset = MediaStory.objects.all()
    if published_only:
        queryset = queryset.filter(is_published=True)
    return queryset


# --- the objectives ----------------------------------------------------------------------------


def manifesto_objective(election, published_only):
    target = Decimal(str(settings.MUHIM_MANIFESTO_EDUCATION_TARGET))
    objective = Objective(
        1,
        "manifestos",
        str(TITLES["manifestos"]),
        _(
            "Parties whose manifesto gives at least %(target)s of its quasi-sentences to "
            "education expansion (the Manifesto Project's per506), of the parties whose "
            "manifesto has been analysed."
        )
        % {"target": _pct_text(target)},
    )
    manifestos = latest_manifestos(election, published_only=published_only)
    passing = [m for m in manifestos if m.education_share is not None and m.education_share >= target]
    if manifestos:
        objective.value = _of(len(passing), len(manifestos), _("parties"))
        objective.share = _percent(len(passing), len(manifestos))
        objective.met = len(passing) == len(manifestos)
    else:
        objective.value = _("No manifesto analysed yet")
    objective.rows = [
        {
            "label": m.party.short_name,
            "url": m.party.get_absolute_url(),
            "value": _pct_text(m.education_share, 3),
            "ok": m.education_share is not None and m.education_share >= target,
        }
        for m in manifestos
    ]
    # Trend: each election's share of parties passing.
    objective.trend_title = _("Parties passing, by election")
    for each in Election.objects.order_by("polling_date"):
        of_election = latest_manifestos(each, published_only=published_only)
        if not of_election:
            continue
        good = sum(1 for m in of_election if m.education_share is not None and m.education_share >= target)
        value = _percent(good, len(of_election))
        objective.trend.append(Point(each.display_name, value, _of(good, len(of_election), _("parties"))))
    objective.links = [(_("Manifestos"), reverse("manifestos:list"))] if not published_only else []
    return objective.finish(scale=100.0)


def budget_shares():
    """Per fiscal year: the governments' shares of GDP and the combined share (the 'all
    governments' row where there is one, else the sum of the governments' allocations over
    GDP, marked as such)."""
    years = defaultdict(dict)
    for budget in EducationBudget.objects.order_by("fiscal_year", "government"):
        years[budget.fiscal_year][budget.government] = budget
    result = []
    for year, rows in sorted(years.items()):
        combined = rows.get(EducationBudget.Government.ALL)
        if combined is not None:
            share, summed = combined.share_of_gdp, False
        else:
            gdp = max(b.gdp for b in rows.values())
            allocation = sum(b.education_allocation for b in rows.values())
            share = (Decimal(100) * allocation / gdp).quantize(Decimal("0.01")) if gdp else None
            summed = True
        result.append({"year": year, "rows": rows, "share": share, "summed": summed})
    return result


def budget_objective(election, published_only):
    objective = Objective(
        2,
        "budgets",
        str(TITLES["budgets"]),
        # xgettext:no-python-format
        _(
            "Public spending on education as a share of GDP in the latest fiscal year recorded, "
            "all governments together, against the 4% target; and how many governments reach it."
        ),
    )
    years = budget_shares()
    if years:
        latest = years[-1]
        governments = [b for g, b in latest["rows"].items() if g != EducationBudget.Government.ALL]
        meeting = [b for b in governments if b.meets_target]
        objective.value = _("%(share)s of GDP in %(year)s") % {
            "share": _pct_text(latest["share"], 2),
            "year": latest["year"],
        }
        if latest["summed"]:
            objective.detail = _(
                "The federal and provincial allocations added up (no combined figure recorded)."
            )
        objective.share = min(float(latest["share"] or 0) / float(FOUR_PERCENT) * 100, 100.0)
        objective.met = latest["share"] is not None and latest["share"] >= FOUR_PERCENT
        objective.rows = [
            {
                "label": b.get_government_display(),
                "url": "",
                "value": _pct_text(b.share_of_gdp, 2),
                "ok": b.meets_target,
            }
            for b in governments
        ]
        if governments:
            objective.detail = " ".join(
                filter(
                    None,
                    [
                        objective.detail,
                        _("%(count)s reach 4%% on their own.")
                        % {"count": _of(len(meeting), len(governments), _("governments"))},
                    ],
                )
            )
    else:
        objective.value = _("No budget recorded yet")
    # xgettext:no-python-format
    objective.trend_title = _("Share of GDP by fiscal year (target 4%)")
    objective.trend = [
        Point(y["year"], float(y["share"] or 0), _pct_text(y["share"], 2)) for y in years[-TREND_MONTHS:]
    ]
    objective.links = [(_("Education budgets"), reverse("accountability:budget-list"))]
    return objective.finish(scale=float(FOUR_PERCENT))


def _committing_parties(election, published_only):
    """Parties with a manifesto or pledges for `election`, and which of them commit 4% of GDP."""
    manifestos = latest_manifestos(election, published_only=published_only)
    parties = {m.party_id: m.party for m in manifestos}
    committing = {m.party_id for m in manifestos if m.commits_four_percent}
    pledges = _pledges(election, published_only).select_related("party", "candidacy__party")
    for pledge in pledges.filter(Q(party__isnull=False) | Q(candidacy__party__isnull=False)):
        party = pledge.party or pledge.candidacy.party
        parties.setdefault(party.pk, party)
        if pledge.commits_four_percent:
            committing.add(party.pk)
    return parties, committing


def commitment_objective(election, published_only):
    objective = Objective(
        3,
        "commitments",
        str(TITLES["commitments"]),
        _(
            # xgettext:no-python-format
            "Parties that commit at least 4% of GDP to education, in their manifesto or in a "
            "pledge by the party or its candidates, of the parties with a manifesto or a pledge "
            "on record."
        ),
    )
    parties, committing = _committing_parties(election, published_only)
    if parties:
        objective.value = _of(len(committing), len(parties), _("parties"))
        objective.share = _percent(len(committing), len(parties))
        objective.met = len(committing) == len(parties)
        objective.rows = [
            {
                "label": party.short_name,
                "url": party.get_absolute_url(),
                "value": (
                    # xgettext:no-python-format
                    _("commits 4%")
                    if pk in committing
                    # xgettext:no-python-format
                    else _("no 4% commitment")
                ),
                "ok": pk in committing,
            }
            for pk, party in sorted(parties.items(), key=lambda item: item[1].name)
        ]
    else:
        objective.value = _("No manifesto or pledge on record yet")
    # xgettext:no-python-format
    objective.trend_title = _("Parties committing 4%, by election")
    for each in Election.objects.order_by("polling_date"):
        of_election, good = _committing_parties(each, published_only)
        if of_election:
            objective.trend.append(
                Point(
                    each.display_name,
                    _percent(len(good), len(of_election)),
                    _of(len(good), len(of_election), _("parties")),
                )
            )
    return objective.finish(scale=100.0)


def latest_surveys(election, published_only):
    """Each surveyed constituency's latest survey, with its demands."""
    latest = {}
    surveys = (
        _surveys(election, published_only)
        .select_related("constituency")
        .prefetch_related("demands")
        .order_by("constituency_id", "-conducted_on", "-pk")
    )
    for survey in surveys:
        latest.setdefault(survey.constituency_id, survey)
    return list(latest.values())


def voter_objective(election, published_only):
    objective = Objective(
        4,
        "voters",
        str(TITLES["voters"]),
        _(
            "Constituencies where education is the first demand voters name, in each "
            "constituency's latest voter-demand survey, of the constituencies surveyed."
        ),
    )
    surveys = latest_surveys(election, published_only)
    first = [s for s in surveys if s.education_rank == 1]
    if surveys:
        objective.value = _of(len(first), len(surveys), _("constituencies"))
        objective.share = _percent(len(first), len(surveys))
        objective.met = len(first) == len(surveys)
        ranks = [s.education_rank for s in surveys if s.education_rank]
        if ranks:
            objective.detail = _(
                "Where voters name it, education ranks %(best)s at best and %(worst)s at worst."
            ) % {
                "best": ranks and min(ranks),
                "worst": ranks and max(ranks),
            }
    else:
        objective.value = _("No survey recorded yet")
    # Trend: by month of fieldwork, the share of surveys with education first.
    by_month = defaultdict(lambda: [0, 0])
    for survey in _surveys(election, published_only).prefetch_related("demands"):
        month = survey.conducted_on.replace(day=1)
        by_month[month][1] += 1
        by_month[month][0] += survey.education_rank == 1
    objective.trend_title = _("Surveys with education first, by month")
    objective.trend = [
        Point(_month_label(month), _percent(good, total), _of(good, total, _("surveys")))
        for month, (good, total) in sorted(by_month.items())[-TREND_MONTHS:]
    ]
    objective.links = (
        [(_("Voter-demand surveys"), reverse("accountability:survey-list"))] if not published_only else []
    )
    return objective.finish(scale=100.0)


def candidate_objective(election, published_only):
    objective = Objective(
        5,
        "candidates",
        str(TITLES["candidates"]),
        _(
            "Candidates who have made an education pledge, of all the election's candidates; "
            "and the share of recorded pledges that are about education."
        ),
    )
    pledges = _pledges(election, published_only)
    candidacies = Candidacy.objects.filter(election=election) if election else Candidacy.objects.none()
    total = candidacies.count()
    pledged = (
        pledges.filter(is_education=True, candidacy__isnull=False).values("candidacy").distinct().count()
    )
    counts = pledges.aggregate(all=Count("pk"), education=Count("pk", filter=Q(is_education=True)))
    if total:
        objective.value = _of(pledged, total, _("candidates"))
        objective.share = _percent(pledged, total)
    else:
        objective.value = _("No candidates recorded for this election")
    if counts["all"]:
        objective.detail = _("%(share)s of the %(count)s pledges on record are about education.") % {
            "share": _pct_text(_percent(counts["education"], counts["all"])),
            "count": _count(counts["all"]),
        }
        # "Tops the promises": more education pledges than pledges on any other subject.
        objective.met = counts["education"] * 2 > counts["all"]
    objective.trend_title = _("Education pledges by month")
    monthly = (
        pledges.annotate(month=TruncMonth("made_on"))
        .values("month")
        .annotate(all=Count("pk"), education=Count("pk", filter=Q(is_education=True)))
        .order_by("month")
    )
    objective.trend = [
        Point(
            _month_label(evidence.as_date(row["month"])),
            row["education"],
            ngettext("%(count)s education pledge", "%(count)s education pledges", row["education"])
            % {"count": _count(row["education"])},
        )
        for row in list(monthly)[-TREND_MONTHS:]
    ]
    # The pledge list is public too (published pledges only), so both dashboards link it.
    query = urlencode({"election": election.slug, "education": "true"} if election else {"education": "true"})
    objective.links = [(_("Education pledges"), f"{reverse('accountability:pledge-list')}?{query}")]
    return objective.finish()


def media_objective(election, published_only, today):
    # The campaign's twelve months: up to polling day once it has passed (after it is the
    # seventh objective's), else up to today.
    campaign_over = election is not None and election.polling_date < today
    end = election.polling_date if campaign_over else today
    objective = Objective(
        6,
        "media",
        str(TITLES["media"]),
        _(
            "Education stories the media published each month, and the constituencies they "
            "covered; the twelve months up to polling day."
        )
        if campaign_over
        else _(
            "Education stories the media published each month, and the constituencies they "
            "covered; the last twelve months."
        ),
    )
    months = evidence.months_back(end, TREND_MONTHS)
    series = evidence.month_counts(_stories(published_only), months)
    education = _stories(published_only).filter(is_education=True)
    # Whole months, as the chart counts them (the polling month included).
    recent = education.filter(published_on__gte=months[0], published_on__lt=evidence.next_month(months[-1]))
    seats = recent.filter(constituencies__isnull=False).values("constituencies").distinct().count()
    total = sum(e for _m, e, _a in series)
    if _stories(published_only).exists():
        if campaign_over:
            objective.value = ngettext(
                "%(count)s education story in the twelve months up to polling day",
                "%(count)s education stories in the twelve months up to polling day",
                total,
            ) % {"count": _count(total)}
        else:
            objective.value = ngettext(
                "%(count)s education story in twelve months",
                "%(count)s education stories in twelve months",
                total,
            ) % {"count": _count(total)}
        objective.detail = ngettext(
            "They mention %(count)s constituency.", "They mention %(count)s constituencies.", seats
        ) % {"count": _count(seats)}
        # Followed = education stories in every one of the (campaign's) last three months.
        objective.met = all(e > 0 for _m, e, _a in series[-3:])
    else:
        objective.value = _("No media story recorded yet")
    objective.trend_title = _("Education stories by month")
    objective.trend = [
        Point(_month_label(m), e, _("%(education)s of %(all)s stories") % {"education": e, "all": a})
        for m, e, a in series
    ]
    # The lists behind the figures are staff pages; the public dashboard does not link them.
    if not published_only:
        objective.links = [
            (_("Media stories"), reverse("accountability:story-list")),
            (_("Counts by constituency and party"), reverse("accountability:story-counts")),
        ]
    return objective.finish()


def conversation_objective(election, published_only, today):
    objective = Objective(
        7,
        "conversation",
        str(TITLES["conversation"]),
        _(
            "After polling day: the months with education stories, and education's share of all "
            "the stories recorded, against its share during the campaign."
        ),
    )
    if election is None or election.polling_date > today:
        objective.value = _("Measured once polling day has passed")
        return objective.finish()
    stories = _stories(published_only)
    after = stories.filter(published_on__gt=election.polling_date).aggregate(
        all=Count("pk"), education=Count("pk", filter=Q(is_education=True)), last=Max("published_on")
    )
    before = stories.filter(published_on__lte=election.polling_date).aggregate(
        all=Count("pk"), education=Count("pk", filter=Q(is_education=True))
    )
    first_month = (election.polling_date + datetime.timedelta(days=31)).replace(day=1)
    months = evidence.month_span(first_month, today)
    series = evidence.month_counts(_stories(published_only), months)
    with_stories = sum(1 for _m, e, _a in series if e)
    if months:
        objective.value = _of(with_stories, len(months), _("months since polling day with education stories"))
        objective.share = _percent(with_stories, len(months))
        objective.met = with_stories == len(months)
    if after["all"] or before["all"]:
        objective.detail = _(
            "Education was %(after)s of stories after polling day and %(before)s before it."
        ) % {
            "after": _pct_text(_percent(after["education"], after["all"])),
            "before": _pct_text(_percent(before["education"], before["all"])),
        }
    objective.trend_title = _("Education's share of stories by month since polling day")
    objective.trend = [
        Point(_month_label(m), _percent(e, a) or 0.0, _pct_text(_percent(e, a)))
        for m, e, a in series[-TREND_MONTHS:]
    ]
    return objective.finish(scale=100.0)


def default_election():
    """The election the dashboard opens on: the latest that has candidates, else the latest."""
    with_candidates = Election.objects.filter(candidacies__isnull=False).order_by("-polling_date").first()
    return with_candidates or Election.objects.order_by("-polling_date").first()


def objectives(election, *, published_only, today=None):
    today = today or timezone.localdate()
    return [
        manifesto_objective(election, published_only),
        budget_objective(election, published_only),
        commitment_objective(election, published_only),
        voter_objective(election, published_only),
        candidate_objective(election, published_only),
        media_objective(election, published_only, today),
        conversation_objective(election, published_only, today),
    ]
