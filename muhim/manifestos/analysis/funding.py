"""Funding commitments for education: "4% of GDP", "four per cent of national income",
"raise the education budget to 5%", "double the education budget", and the Urdu
"جی ڈی پی کا 4 فیصد", "تعلیم کے لیے ... فیصد" (with Urdu or Arabic-Indic digits, or in words: "ساڑھے چار فیصد").

Only education's money counts: a percentage belongs to education when an education term
stands in the stretch of the sentence around it that no other percentage is nearer to — "3% of
GDP on defence and 4% on education" gives one commitment, 4%. "From 2% to 4% of GDP" pledges
the second figure; "increased by 50%" is an increase (an amount), not a share of the budget.
The Alif Ailaan target is at least 4% of GDP; a commitment meets it only when the sentence
pledges it (not "Sri Lanka spends 5%") for education alone (not "5% on health and education")."""

import re
from decimal import Decimal, InvalidOperation

from muhim.core.text import fold

TARGET = Decimal(4)

DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫", "01234567890123456789.")
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "twenty-five": 25, "thirty": 30,
    "half": Decimal("0.5"), "one and a half": Decimal("1.5"), "two and a half": Decimal("2.5"),
    "three and a half": Decimal("3.5"), "four and a half": Decimal("4.5"),
    "five and a half": Decimal("5.5"),
    "ایک": 1, "دو": 2, "تین": 3, "چار": 4, "پانچ": 5, "چھ": 6, "سات": 7, "آٹھ": 8, "نو": 9, "دس": 10,
    "گیارہ": 11, "بارہ": 12, "پندرہ": 15, "بیس": 20, "پچیس": 25, "تیس": 30,
    "آدھا": Decimal("0.5"), "ڈیڑھ": Decimal("1.5"), "ڈھائی": Decimal("2.5"), "ساڑھے تین": Decimal("3.5"),
    "ساڑھے چار": Decimal("4.5"), "ساڑھے پانچ": Decimal("5.5"),
}  # fmt: skip
_WORDS = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
PERCENT = re.compile(
    r"(?P<number>\d+(?:[.,٫]\d+)?|[۰-۹٠-٩]+(?:[.٫][۰-۹٠-٩]+)?|(?<!\w)(?:" + _WORDS + r"))"
    r"\s*(?:%|٪|per\s?cent\b|percent\b|pc\b|p\.c\.|فیصد)",
    re.IGNORECASE,
)
GDP = re.compile(
    r"\b(?:gdp|gnp|gross (?:domestic|national) product|national income|national output)\b|"
    r"جی\s?ڈی\s?پی|مجموعی (?:قومی|ملکی) پیداوار|قومی (?:آمدنی|پیداوار)",
    re.IGNORECASE,
)
BUDGET = re.compile(
    r"\b(?:budgets?|public spending|public expenditure|government spending|total spending|"
    r"spending|expenditure|allocation)\b|بجٹ|اخراجات|مختص",
    re.IGNORECASE,
)
EDUCATION = re.compile(
    r"\b(?:education(?:al)?|schools?|schooling|teachers?|universit(?:y|ies)|literacy|students?|pupils?)\b|"
    r"تعلیم|تعلیمی|اسکول|سکول|اساتذہ|خواندگی|طلبہ|جامعات|یونیورسٹ",
    re.IGNORECASE,
)
# Money without a share: "double the education budget", "£2 billion more for schools".
AMOUNT = re.compile(
    r"\b(?:double|doubling|treble|triple)\b(?:\W+\w+){0,4}?\W+(?:budget|spending|expenditure|allocation)|"
    r"(?:£|\$|rs\.?|pkr|rupees)\s?\d[\d,.]*\s*(?:million|billion|bn|m|crore|lakh|arab)?|"
    r"\d[\d,.]*\s*(?:million|billion|crore|lakh|arab)\s*(?:pounds|rupees|روپے)|"
    r"(?:ارب|کروڑ)\s*روپے|دگنا|دوگنا",
    re.IGNORECASE,
)
# Percentages that are not a spending share (growth, literacy rates, enrolment targets).
NOT_SPENDING = re.compile(
    r"\b(?:literacy|enrol(?:l?ment)|pass rates?|attendance|interest|inflation|growth|turnout|vat|tax)\b|"
    r"شرح خواندگی|داخلے|سود|مہنگائی",
    re.IGNORECASE,
)


def parse_number(text: str) -> Decimal | None:
    key = text.strip().lower()
    if key in NUMBER_WORDS:
        return Decimal(NUMBER_WORDS[key])
    try:
        return Decimal(key.translate(DIGITS).replace(",", "."))
    except InvalidOperation:
        return None


def find(text: str, promised: bool = False) -> list[tuple[Decimal | None, str, bool]]:
    """The education funding commitments in one sentence: (percent, measure, meets_target).
    Any keyboard's Urdu is read (`muhim.core.text.fold`). `promised`: the text is a promise
    already (a pledge's words), so it need not say "will" to pledge the figure."""
    text = fold(text)
    education = [m.start() for m in EDUCATION.finditer(text)]
    if not education:
        return []
    matches = list(PERCENT.finditer(text))
    # Each education term belongs to its nearest percentage (if it is near at all).
    owned = set()
    for position in education:
        distances = [(_distance(position, m), i) for i, m in enumerate(matches)]
        if distances and min(distances)[0] <= NEAR:
            owned.add(min(distances)[1])
    # "from 18% to 25%": the pledge is where the share goes, not where it stands.
    # Its window then reaches back over the starting figure ("from 2% of GDP to 4%").
    starts = {}
    for i in owned:
        starts.setdefault(_target(text, matches, i), i)
    found = []
    for i, start in sorted(starts.items()):
        match = matches[i]
        low = (matches[start - 1].end() + matches[start].start()) // 2 if start else 0
        high = (match.end() + matches[i + 1].start()) // 2 if i + 1 < len(matches) else len(text)
        window = text[low:high]
        percent = parse_number(match.group("number"))
        if percent is None or percent <= 0 or percent > 100:
            continue
        measure = _measure(window)
        if measure is None and not NOT_SPENDING.search(window):
            measure = _measure(text, spending_verb=False)  # "3% of GDP on defence and 4% on schools"
        if measure is None:
            continue
        if measure != "gdp" and _is_increase(text, match):
            measure = "amount"  # "increased by 50 per cent": a rise, not a share of the budget
        meets = measure == "gdp" and percent >= TARGET and _pledges_education_alone(text, promised)
        found.append((percent, measure, meets))
    if not found and AMOUNT.search(text) and (BUDGET.search(text) or MONEY.search(text)):
        found.append((None, "amount", False))
    return found


NEAR = 160  # characters between an education term and its percentage
MONEY = re.compile(r"£|\$|روپے|\brupees\b|\b(?:rs\.?|pkr)\s?\d", re.IGNORECASE)
FROM_TO = re.compile(
    r"(?:\s+of\s+[^.;,\d]{1,40}?)?\s*(?:to|up to)\s*|\s*(?:کا|کی|کے)?\s*سے(?:\s+\S+){0,2}\s+(?:کر|تک)\s*",
    re.IGNORECASE,
)
INCREASE_BEFORE = re.compile(r"\bby\s*$", re.IGNORECASE)
INCREASE_AFTER = re.compile(r"\s*(?:(?:an?\s+)?(?:increase|rise|more|higher)\b|اضافہ|زیادہ)", re.IGNORECASE)
SPENDING_VERB = re.compile(r"\b(?:spend|allocate|invest|devote)\b|خرچ|مختص", re.IGNORECASE)


# Whether the sentence promises anything: "Sri Lanka spends 5% of GDP on education" and
# "UNESCO recommends 4%" are figures, not the party's pledge.
PLEDGE = re.compile(
    r"\b(?:will|shall|we would|pledge[sd]?|commit(?:s|ted|ment)?|promise[sd]?|ensure|guarantee|aim|target|"
    r"raise|raising|increase|increasing|double|allocate|must|plan to|intend|bring|reach|by 20\d\d|within)\b|"
    # Urdu's future: "کریں گے", "ہوگا", "کرینگے" (not گیا, "was").
    r"(?<![\u0621-\u064a\u066e-\u06d3])(?:ہو)?(?:گا|گی|گے)(?![\u0621-\u064a\u066e-\u06d3])|"
    r"(?:ینگے|ینگی|یگا|یگی)(?![\u0621-\u064a\u066e-\u06d3])|"
    r"کریں|جائے|جائیں|یقینی|عزم|وعدہ|بڑھا",
    re.IGNORECASE,
)
# A share for two sectors together ("5% of GDP on health and education") is not 4% for
# education, unless each gets it.
SHARED = re.compile(
    r"\b(?:(?:health|defence|social (?:sector|services)|infrastructure|housing)\s+(?:and|&)\s+education|"
    r"education\s+(?:and|&)\s+(?:health|defence|social (?:sector|services)|infrastructure|housing)|"
    r"together|combined)\b|صحت اور تعلیم|تعلیم اور صحت",
    re.IGNORECASE,
)
EACH = re.compile(r"\beach\b|دونوں کے لیے الگ|ہر ایک", re.IGNORECASE)


def _pledges_education_alone(text: str, promised: bool = False) -> bool:
    return (promised or bool(PLEDGE.search(text))) and (not SHARED.search(text) or bool(EACH.search(text)))


def commits_target(*texts: str) -> bool:
    """Whether a promise's words (a pledge, in English or Urdu) commit at least 4% of GDP to
    education alone."""
    return any(meets for text in texts if text for _percent, _measure, meets in find(text, promised=True))


def _target(text: str, matches: list[re.Match], i: int) -> int:
    if i + 1 < len(matches) and FROM_TO.fullmatch(text[matches[i].end() : matches[i + 1].start()]):
        return i + 1
    return i


def _is_increase(text: str, match: re.Match) -> bool:
    return bool(INCREASE_BEFORE.search(text[: match.start()]) or INCREASE_AFTER.match(text, match.end()))


def _distance(position: int, match: re.Match) -> int:
    if position < match.start():
        return match.start() - position
    return max(0, position - match.end())


def _measure(window: str, spending_verb=True) -> str | None:
    if GDP.search(window):
        return "gdp"
    if NOT_SPENDING.search(window):
        return None
    if BUDGET.search(window) or (spending_verb and SPENDING_VERB.search(window)):
        return "budget"
    return None
