"""Demo evidence for the election objectives: a few voter-demand surveys (of seats already
loaded), media stories and education budgets. Everything is fictional and says so: survey
and story titles end in "(demo)", and the budgets' notes say their figures are illustrative,
not published ones. Written through `evidence_services`. Loaded once: a second run adds
nothing."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from muhim.elections.models import Party
from muhim.geography.models import Constituency

from . import evidence_services as services
from .models import EducationBudget, MediaStory, VoterSurvey

ILLUSTRATIVE = (
    "Illustrative demo figures, not published budget data: replace them with the finance "
    "departments' budget statements and the Economic Survey's GDP before quoting them."
)
# Illustrative GDP (PKR million) and education allocations (PKR million) per fiscal year.
GDP = {"2015-16": 29_000_000, "2016-17": 31_500_000, "2017-18": 34_400_000, "2018-19": 38_000_000}
SHARES = {  # illustrative share of GDP (%) per government and year
    EducationBudget.Government.FEDERAL: ("0.35", "0.36", "0.38", "0.36"),
    EducationBudget.Government.PUNJAB: ("1.00", "1.05", "1.08", "1.02"),
    EducationBudget.Government.SINDH: ("0.55", "0.58", "0.60", "0.59"),
    EducationBudget.Government.KHYBER_PAKHTUNKHWA: ("0.45", "0.48", "0.50", "0.49"),
    EducationBudget.Government.BALOCHISTAN: ("0.15", "0.16", "0.17", "0.16"),
}
# (seat code, day, [(demand, share)]): ranked as listed.
SURVEYS = [
    (
        "NA-125",
        date(2018, 5, 20),
        [("Education and schools", 41), ("Gas load-shedding", 33), ("Clean water", 21)],
    ),
    ("NA-1", date(2018, 5, 28), [("Roads", 38), ("Teachers for girls' schools", 30), ("Hospitals", 22)]),
    ("PP-147", date(2018, 6, 3), [("Electricity", 44), ("Jobs", 29)]),
    ("NA-246", date(2018, 6, 10), [("تعلیم", 47), ("پانی", 31), ("صفائی", 18)]),
]
# (outlet, day, title, language, seat codes, party abbreviations)
STORIES = [
    (
        "Dawn",
        date(2018, 6, 12),
        "Candidates in NA-125 promise new schools (demo)",
        "en",
        ["NA-125"],
        ["PML-N", "PTI"],
    ),
    (
        "Jang",
        date(2018, 6, 20),
        "حلقہ این اے 246 میں تعلیم سب سے بڑا مطالبہ (ڈیمو)",
        "ur",
        ["NA-246"],
        ["PPPP"],
    ),
    (
        "Geo News",
        date(2018, 7, 2),
        "Load-shedding dominates the campaign in Lahore (demo)",
        "en",
        ["PP-147"],
        ["PML-N"],
    ),
    (
        "The Express Tribune",
        date(2018, 7, 9),
        "Parties pledge 4% of GDP for education (demo)",
        "en",
        [],
        ["PTI", "PPPP", "PML-N"],
    ),
    ("Dawn", date(2018, 7, 15), "Swat voters ask for roads and hospitals (demo)", "en", ["NA-1"], []),
]


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _parties(abbreviations):
    return list(Party.objects.filter(abbreviation__in=abbreviations))


@transaction.atomic
def load(stdout=None):
    if EducationBudget.objects.filter(note=ILLUSTRATIVE).exists():
        _say(stdout, "Demo evidence: already loaded.")
        return
    for government, shares in SHARES.items():
        for (year, gdp), share in zip(GDP.items(), shares, strict=True):
            services.save_budget(
                budget=EducationBudget(
                    government=government,
                    fiscal_year=year,
                    gdp=Decimal(gdp),
                    education_allocation=(Decimal(gdp) * Decimal(share) / 100).quantize(Decimal("1")),
                    note=ILLUSTRATIVE,
                )
            )
    for year, gdp in GDP.items():  # all governments: the sum of the ones above
        total = sum(
            b.education_allocation
            for b in EducationBudget.objects.filter(fiscal_year=year).exclude(
                government=EducationBudget.Government.ALL
            )
        )
        services.save_budget(
            budget=EducationBudget(
                government=EducationBudget.Government.ALL,
                fiscal_year=year,
                gdp=Decimal(gdp),
                education_allocation=total,
                note=ILLUSTRATIVE,
            )
        )
    codes = {survey[0] for survey in SURVEYS} | {code for story in STORIES for code in story[4]}
    seats = {c.code: c for c in Constituency.objects.filter(code__in=codes).order_by("delimitation_year")}
    surveys = 0
    for code, day, demands in SURVEYS:
        seat = seats.get(code)
        if seat is None:
            continue
        services.save_survey(
            survey=VoterSurvey(
                constituency=seat, conducted_on=day, title="Voter priorities survey (demo)", respondents=400
            ),
            demands=[
                services.DemandRow(rank=i, demand=text, share=Decimal(share))
                for i, (text, share) in enumerate(demands, 1)
            ],
        )
        surveys += 1
    for outlet, day, title, language, codes, parties in STORIES:
        services.save_story(
            story=MediaStory(
                outlet=outlet,
                published_on=day,
                title=title,
                language=language,
                is_education=services.is_education_text(title) or "4% of GDP" in title,
            ),
            constituencies=[seats[c] for c in codes if c in seats],
            parties=_parties(parties),
        )
    _say(
        stdout,
        f"Demo evidence: {EducationBudget.objects.filter(note=ILLUSTRATIVE).count()} illustrative budgets, "
        f"{surveys} surveys (of the seats loaded), {len(STORIES)} media stories.",
    )
