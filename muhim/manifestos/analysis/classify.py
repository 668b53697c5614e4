"""Is a quasi-sentence about education expansion (the Manifesto Project's per506: favourable
mentions of the need to maintain, expand or improve education at all levels)?

A hand-built lexicon with weights, readable and explainable: each English or Urdu term that
speaks of education adds its weight to the sentence's score (each family of terms counts
once). Terms of the wider context (children, parents, standards, grants) count only inside an
education section (under an education heading) or next to education sentences, as the
Manifesto Project's coders read each sentence in its context. What per506 leaves out:
- technical or job training for the labour market (coded under technology/infrastructure, 411)
  unless it is named as education ("technical education", a college);
- education listed in passing among other public services ("health, housing and education"),
  which coders give to the welfare state (504) — such a mention counts for less;
- negative mentions, limiting education (per507): the party's own plans to cut, charge fees
  for or restrict education;
- private and independent schools and parents' choice or say, unless the sentence also speaks
  of more or better provision (per507 and 201/202, not 506).

`classify(texts, headings, language)` → one (education, topic, confidence) per sentence."""

import math
import re
from dataclasses import dataclass

from muhim.core.text import fold
from muhim.manifestos.analysis import funding

THRESHOLD = 1.3
MENTION = 0.75  # an own score at which a sentence speaks of education (its neighbours' context)
OTHER_PENALTY = 0.5
CONTEXT_WITH_TERM = 0.5  # share of a context word's weight beside a strong term
SOLE_TOPIC_BONUS = 0.25
NEAR = 2  # sentences either side that make the context
SECTION_BONUS = 0.75  # under an education heading
NEIGHBOUR_BONUS = 0.1  # per neighbouring education sentence (at most two count)
# A sentence is about what it opens with: an education term among its first words adds this.
LEAD_WORDS = 6
LEAD_BONUS = 0.25
FUNDING_MARGIN = 0.25  # how sure a funding pledge for education makes the classifier


@dataclass(frozen=True)
class Term:
    family: str
    pattern: re.Pattern
    weight: float
    topic: str = ""


def _terms(spec, flags=re.IGNORECASE):
    return [
        Term(family, re.compile(pattern, flags), weight, topic) for family, pattern, weight, topic in spec
    ]


# Strong terms: on their own they make a sentence about education.
ENGLISH = _terms(
    [
        ("education", r"\b(?:education(?:al|ally|alist|alists)?|ta'?leem(?:i)?)\b", 1.0, ""),
        (
            "school",
            r"\b(?:school|schools|schooling|schoolchildren|schoolteachers?|schoolboys?|schoolgirls?)\b",
            1.0,
            "",
        ),
        (
            "teacher",
            r"\b(?:teachers?|teaching|headteachers?|headmasters?|headmistress(?:es)?|lecturers?)\b",
            1.0,
            "teachers",
        ),
        (
            "pupil",
            r"\b(?:pupils?|students?|undergraduates?|postgraduates?|ph\.?d\.?s?|doctoral|enrol(?:l?ments?|led|ling|s)?)\b",
            1.0,
            "access",
        ),
        ("university", r"\b(?:universit(?:y|ies)|polytechnics?|open university)\b", 1.0, "higher"),
        (
            "college",
            r"\b(?:colleges? of (?:education|further education|technology|art)|technical colleges?|sixth[- ]form colleges?|training colleges?|teacher training)\b",
            1.0,
            "higher",
        ),
        (
            "curriculum",
            r"\b(?:curricul(?:um|a)|syllabus(?:es)?|(?:school|public|external) examinations?|exams|11[- ]plus|eleven[- ]plus|general certificate of education|baccalaureate)\b",
            1.0,
            "quality",
        ),
        ("literacy", r"\b(?:literacy|illitera(?:te|cy)|numeracy|the three r'?s)\b", 1.0, "quality"),
        (
            "nursery",
            r"\b(?:nursery (?:schools?|education|classes|places)|pre-?school|playgroups?|kindergartens?|"
            r"early years (?:education|places?|provision|settings?|sector|teachers?|curriculum)|early[- ]learning|early childhood (?:education|development|care)|katchi (?:class|jamaat))\b",
            1.0,
            "access",
        ),
        (
            "classroom",
            r"\b(?:classrooms?|class sizes?|size of classes|scholarships?|bursar(?:y|ies)|student grants?|tuition|"
            r"text ?books?|(?:science|computer) lab(?:oratorie)?s?)\b",
            1.0,
            "",
        ),
        (
            "higher",
            r"\b(?:higher education|further education|adult education|continuing education|technical education|vocational education)\b",
            0.5,
            "higher",
        ),
        # Pakistan's own words for its schools, examinations, bodies and the right to education.
        (
            "madrassa",
            r"\b(?:madrass?ah?s?|madaris|deeni madaris|religious seminar(?:y|ies))\b",
            1.0,
            "quality",
        ),
        ("matric", r"\b(?:matric|matriculation|intermediate (?:level|colleges?|education))\b", 1.0, "access"),
        ("right", r"\barticle 25[- ]?a\b", 1.0, "access"),
        (
            "college",
            r"\b(?:higher education commission|campus(?:es)?|cadet colleges?|technical and vocational (?:education|training)|"
            r"tertiary|post-?secondary|third[- ]level (?:education|institutions?|colleges?)|lifelong learning)\b",
            1.0,
            "higher",
        ),
    ]
) + _terms(
    [
        ("curriculum", r"\b(?:[AO]-levels?|[AO] levels|GCSEs?|CSEs?)\b", 1.0, "quality"),
        ("college", r"\b(?:HEC|TEVTAs?|NAVTTC|TVET)\b", 1.0, "higher"),
        ("nursery", r"\bECE\b", 1.0, "access"),
    ],
    flags=0,
)
# Context terms: count only inside an education section or next to education sentences.
ENGLISH_CONTEXT = _terms(
    [
        (
            "children",
            r"\b(?:children|child|young people|the young|youngsters|boys and girls|girls'?|daughters|parents?)(?!\w)",
            0.5,
            "",
        ),
        (
            "standards",
            r"\b(?:standards?|learn(?:ing)?|taught|reading|writing|skills|knowledge|discipline|the 3 r'?s|selection|comprehensive|grammar|streaming)\b",
            0.5,
            "quality",
        ),
        (
            "places",
            r"\b(?:places|buildings?|premises|leaving age|grants?|courses?|qualifications?|degrees?|graduates?|research|train(?:ed|ing)?|recruit(?:ed|ing|ment)?|apprenticeships?|youth service|stipends?)\b",
            0.5,
            "",
        ),
    ]
)
URDU = _terms(
    [
        ("education", r"تعلیم|تعلیمی|ایجوکیشن|درس(?:\s?گاہ|گاہوں|گاہیں)", 1.0, ""),
        ("school", r"(?:ا?سکول|اسکولوں|سکولوں|مدرس(?:ہ|ے|وں)|مدارس|پرائمری|مڈل|ہائی اسکول)", 1.0, ""),
        ("teacher", r"اساتذہ|استاد|استادوں|اساتذ|معلم|ٹیچر|تدریس", 1.0, "teachers"),
        ("pupil", r"طلبہ|طلباء|طالب(?:\s|-)?علم|طالبات|شاگرد", 1.0, "access"),
        ("university", r"جامع(?:ہ|ات)|یونیورسٹ(?:ی|یوں|یاں)|کالج|اعلیٰ تعلیم|ہائر", 1.0, "higher"),
        ("literacy", r"خواندگی|ناخواندگی|ناخواندہ|خواندہ|پڑھا لکھا|پڑھے لکھے|پڑھنا لکھنا", 1.0, "quality"),
        ("curriculum", r"نصاب|امتحان|امتحانات|میٹرک|انٹرمیڈیٹ", 1.0, "quality"),
        ("college", r"فنی (?:اور |و )?پیشہ ورانہ|پیشہ ورانہ تربیت|فنی تربیت|ٹیوٹا|نیوٹیک", 1.0, "higher"),
        ("classroom", r"کلاس\s?رومز?|وظائف|وظیفہ|اسکالرشپ|درسی کتب|نصابی کتب", 1.0, ""),
        ("nursery", r"ابتدائی بچپن|کچی جماعت|پری اسکول|نرسری", 1.0, "access"),
    ],
    flags=0,
)
URDU_CONTEXT = _terms(
    [
        ("children", r"بچوں|بچے|بچیوں|بچیاں|لڑکیوں|لڑکیاں|نوجوان|والدین", 0.5, ""),
        ("standards", r"معیار|مہارت|ہنر|داخلہ|داخلے|اندراج|تربیت", 0.5, "quality"),
    ],
    flags=0,
)

# Not about education although the words match.
FALSE_FRIENDS = re.compile(
    r"\b(?:school of thought|schools of thought|old school|electoral college|royal college of|"
    r"teaching hospitals?|student of (?:history|politics)|driving school|the school run|"
    r"voters? enrol(?:l?ment)?|enrol(?:l?ment|led)? (?:as|of) voters|electoral (?:roll|enrol(?:l?ment)?))\b",
    re.IGNORECASE,
)
# Other policy areas: a sentence naming one education term among these is about them.
OTHER_TOPICS = re.compile(
    r"\b(?:research|scien(?:ce|tific|tists?)|industr(?:y|ies|ial)|broadcasting|television|local government|"
    r"rates|ratepayers|taxpayers|commonwealth|developing countries|overseas|aid|hospitals?|health|housing|"
    r"homes|defence|tax(?:es|ation)?|pensions?|social security|police|crime|transport|roads|employment|jobs|"
    r"unemployment|wages|prices|trade unions?|farmers|agriculture|nationali[sz]ation|visas?|immigration|migrants?)\b|"
    r"صحت|ہسپتال|دفاع|ٹیکس|سڑک|روزگار|زراعت|پولیس",
    re.IGNORECASE,
)
# Job training for the labour market (per411/per701), not education, unless education is named.
TRAINING = re.compile(
    r"\b(?:industrial training|training schemes?|job training|retraining|re-training|manpower|"
    r"apprenticeships?|training boards?|skill centres?|government training|youth training|"
    r"training opportunit(?:y|ies)|vocational training)\b",
    re.IGNORECASE,
)
# The party's own plans to limit education (per507) — criticising another party's cuts is
# favourable to education and stays per506.
# What is cut or ended must be education itself: cutting class sizes, fees, shortages or red
# tape ("we will reduce class sizes in primary schools", "abolish tuition fees") is expansion.
BURDENS = (
    r"sizes?|shortages?|waiting|lists?|costs?|fees|charges|barriers?|discrimination|bureaucracy|"
    r"paperwork|red tape|gaps?|scandal|illiteracy|truancy|overcrowd\w*|amount|burdens?|"
    r"inequalit\w*|disadvantages?|drop-?outs?|selection|11-plus|eleven-plus|divisions?|segregation|"
    r"interference|neglect|decline|shortfall|backlog"
)
LIMITING = re.compile(
    r"\b(?:we|this government|a conservative government|a labour government|a liberal government)\s+"
    r"(?:will|shall|would|must|intend to|propose to|plan to)\s+(?:\w+\s+){0,3}?"
    r"(?:(?:cut|reduce|limit|restrict|curb|close|abolish|end)\b(?!(?:\W+[\w'-]+){0,4}?\W+(?:"
    + BURDENS
    + r")\b)|"
    r"(?:charge|introduce (?:fees|charges|loans))\b)"
    r"(?:\W+\w+){0,8}?\W+(?:education|schools?|universit(?:y|ies)|students?|grants?|spending on education)",
    re.IGNORECASE,
)
LIMITING_PHRASES = re.compile(
    r"\b(?:cut(?:s|ting)? (?:back )?(?:in |on )?(?:education|school) (?:spending|budgets?|expenditure)|"
    r"fewer (?:teachers|schools|universities)|too much (?:is )?(?:spent|spending) on education|"
    r"introduce (?:tuition )?fees|student loans instead of grants)\b",
    re.IGNORECASE,
)
# Who runs schooling and who chooses it, rather than how much or how good it is: independent,
# fee-paying and direct-grant schools, parents' choice and say, school governors. per506 is the
# need to expand or improve educational provision; support for private schools is per507
# ("increasing the number of private schools") and parents' choice or rights are freedom and
# democracy (201/202). Such a sentence counts only when it also speaks of more or better provision.
ORGANISATION = re.compile(
    r"\b(?:direct[- ]grant|independent schools?|fee[- ]paying|public schools?|private schools?|"
    r"parents?'? (?:choice|wishes|rights?|say)|choice (?:of|for) parents|wishes of parents|"
    r"school (?:boards?|governors|managers)|governors and managers|assisted places)\b",
    re.IGNORECASE,
)
PROVISION = re.compile(
    r"\b(?:more|new|extra|expand(?:ed|ing|sion)?|improv(?:e|ed|ing|ements?)|rais(?:e|ing) (?:the )?standards?|"
    r"better|build(?:ing)?|places|increase[ds]?|modernis(?:e|ing)|replac(?:e|ing))\b",
    re.IGNORECASE,
)
URDU_LIMITING = re.compile(r"تعلیم(?:ی)?\s+(?:بجٹ|اخراجات)\s+(?:میں\s+)?کمی\s+(?:کر(?:یں|ے)\s+گ)")

TOPIC_TERMS = {
    "girls": re.compile(
        r"\b(?:girls?|women'?s education|female (?:literacy|education|teachers|enrolment)|daughters)\b|"
        r"(?:لڑکی|بچی)(?:اں|وں)?(?![\u0600-\u06ff])|طالبات|خواتین کی تعلیم",
        re.IGNORECASE,
    ),
    "teachers": re.compile(
        r"\b(?:teachers?|teaching profession|lecturers?|teacher training|staffing|head ?teachers?|salaries)\b|"
        r"اساتذہ|استاد|ٹیچر|معلم",
        re.IGNORECASE,
    ),
    "infrastructure": re.compile(
        r"\b(?:buildings?|build(?:ing)? (?:new )?schools|classrooms?|premises|facilities|toilets|furniture|"
        r"laborator(?:y|ies)|libraries|playing fields|boundary walls?|repairs?|equipment)\b|"
        r"عمارت|عمارتیں|کمرے|سہولیات|چار\s?دیواری|بیت الخلا|فرنیچر|تعمیر",
        re.IGNORECASE,
    ),
    "funding": re.compile(
        # (Not a bare percentage: "enrolment will reach 100%" is about access.)
        r"\b(?:spend(?:ing)?|expenditure|budget|finance|funds?|funding|money|£\s?\d|gdp|"
        r"resources|investment|invest)\b|بجٹ|فنڈ|جی ڈی پی|اخراجات|خرچ|مختص|سرمایہ",
        re.IGNORECASE,
    ),
    "higher": re.compile(
        r"\b(?:universit(?:y|ies)|higher education|further education|polytechnics?|colleges?|"
        r"technical education|graduates?|undergraduates?|degrees?|research|adult education|vocational|"
        r"tvet|tevtas?|navttc|campus(?:es)?|hec|tertiary|post-?secondary|third[- ]level|lifelong learning)\b|"
        r"جامع(?:ہ|ات)|یونیورسٹ|اعلیٰ تعلیم|ہائر|کالج|فنی تعلیم|تکنیکی|پیشہ ورانہ|فنی تربیت|ٹیوٹا|نیوٹیک",
        re.IGNORECASE,
    ),
    "access": re.compile(
        r"\b(?:enrol(?:l?ment|led)?|free (?:education|schooling|places)|leaving age|school places|"
        r"out[- ]of[- ]school|nursery|pre-?school|compulsory|every child|all children|access|"
        r"opportunit(?:y|ies)|scholarships?|stipends?|grants?|admissions?|article 25[- ]?a|"
        r"fees|attendance|attend (?:school|class(?:es)?)|early years|early[- ]learning|early childhood|katchi|ece)\b|"
        r"داخلہ|داخلے|اندراج|مفت تعلیم|لازمی|اسکول سے باہر|سکول سے باہر|ہر بچے|وظائف|ابتدائی بچپن|کچی جماعت|نرسری",
        re.IGNORECASE,
    ),
    "quality": re.compile(
        r"\b(?:standards?|quality|curricul(?:um|a)|examinations?|learning|literacy|numeracy|reading|"
        r"results|discipline|inspect(?:ion|ors)?)\b|معیار|نصاب|امتحان|خواندگی|معیاری",
        re.IGNORECASE,
    ),
}
TOPIC_ORDER = ["girls", "funding", "teachers", "infrastructure", "higher", "access", "quality"]


def _score(text: str, terms: list[Term]) -> tuple[float, set[str]]:
    families: dict[str, float] = {}
    for term in terms:
        if term.family not in families and term.pattern.search(text):
            families[term.family] = term.weight
    return sum(families.values()), set(families)


def sentence_score(text: str, language: str) -> float:
    """How strongly the sentence's own words speak of education (before context)."""
    strong = URDU if language == "ur" else ENGLISH
    score, families = _score(text, strong)
    if language != "ur":
        other = _score(text, URDU)[0]
        score = max(score, other)
    else:
        score = max(score, _score(text, ENGLISH)[0])
    if not score:
        return 0.0
    if FALSE_FRIENDS.search(text):
        score -= 1.0
    others = len({m.group(0).lower() for m in OTHER_TOPICS.finditer(text)})
    if others and len(families) <= 1:
        # "research in industry and in the universities": another area's sentence.
        score -= OTHER_PENALTY
    elif not others:
        score += SOLE_TOPIC_BONUS  # education is all the sentence speaks of
    # Words of education's wider field ("children", "standards") back a strong term up.
    score += CONTEXT_WITH_TERM * _score(text, URDU_CONTEXT if language == "ur" else ENGLISH_CONTEXT)[0]
    if TRAINING.search(text) and families <= {"school", "higher", "college"} and "education" not in families:
        score -= 0.5
    opening = " ".join(text.split()[:LEAD_WORDS])
    if _score(opening, strong)[0] or _score(opening, URDU if language != "ur" else ENGLISH)[0]:
        score += LEAD_BONUS
    return score


def is_organisation(text: str) -> bool:
    """About private schools or parents' choice and say, not more or better education."""
    return bool(ORGANISATION.search(text)) and not PROVISION.search(text)


def is_limiting(text: str) -> bool:
    return bool(LIMITING.search(text) or LIMITING_PHRASES.search(text) or URDU_LIMITING.search(text))


def context_score(text: str, language: str) -> float:
    terms = URDU_CONTEXT if language == "ur" else ENGLISH_CONTEXT
    return _score(text, terms)[0]


def topic_of(text: str) -> str:
    best, best_hits = "quality", 0
    for topic in TOPIC_ORDER:
        hits = len(TOPIC_TERMS[topic].findall(text))
        if hits > best_hits:
            best, best_hits = topic, hits
    return best


def classify(texts: list[str], headings: list[bool], language: str) -> list[tuple[bool, str, float]]:
    """One decision per sentence. Headings are classified too (for the reviewer); they are
    the context of the sentences under them. Urdu is read without its short-vowel marks."""
    texts = [fold(text) for text in texts]
    own = [sentence_score(t, language) for t in texts]
    mentions = [score >= MENTION and not heading for score, heading in zip(own, headings, strict=True)]
    section_education = False
    results = []
    for i, text in enumerate(texts):
        if headings[i]:
            section_education = own[i] >= MENTION * 0.5
            education = own[i] >= THRESHOLD
            results.append((education, topic_of(text) if education else "", _confidence(own[i])))
            continue
        score = own[i]
        if score < THRESHOLD:
            near = sum(mentions[j] for j in range(max(0, i - NEAR), min(len(texts), i + NEAR + 1)) if j != i)
            if section_education or near:
                score += context_score(text, language) if score < MENTION else 0.0
                score += SECTION_BONUS * section_education + NEIGHBOUR_BONUS * min(near, 2)
        if score < THRESHOLD and funding.find(text):
            # A pledge of money for education ("4% of GDP on education") is education
            # expansion wherever in the sentence education is named.
            score = THRESHOLD + FUNDING_MARGIN
        limiting = is_limiting(text)
        education = score >= THRESHOLD and not limiting and not is_organisation(text)
        results.append(
            (education, topic_of(text) if education else "", _confidence(-score if limiting else score))
        )
    return results


def _confidence(score: float) -> float:
    """How sure the classifier is of its yes or no: near 0.5 at the threshold."""
    p = 1 / (1 + math.exp(-3 * (score - THRESHOLD + 0.25)))
    return round(max(p, 1 - p), 3)
