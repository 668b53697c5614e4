"""Which quasi-sentences are education expansion (per506), with which sub-topic, and the
education funding commitments."""

from decimal import Decimal

import pytest

from muhim.manifestos.analysis import analyse_file
from muhim.manifestos.analysis.classify import classify
from muhim.manifestos.analysis.funding import find


def decide(text, language=None):
    """One sentence's decision, in the language its script says unless told."""
    return classify([text], [False], language or ("en" if text.isascii() else "ur"))[0]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Every child will have a place in a good primary school.", "access"),
        ("We will recruit and train fifty thousand new teachers.", "teachers"),
        ("Girls' education will be free up to matriculation.", "girls"),
        ("Universities and technical colleges will be expanded to take twice as many students.", "higher"),
        ("Schools without toilets, boundary walls or classrooms will be rebuilt first.", "infrastructure"),
        ("Education standards will be raised through a new curriculum and better examinations.", "quality"),
        ("ہر بچے کو مفت تعلیم دی جائے گی۔", "access"),
        ("اساتذہ کی بھرتی میرٹ پر ہوگی اور اسکولوں میں کمی پوری کی جائے گی۔", "teachers"),
        ("لڑکیوں کی تعلیم کے لیے وظائف دیے جائیں گے۔", "girls"),
    ],
)
def test_clear_education_sentences_are_education_with_their_topic(text, topic):
    education, found_topic, confidence = decide(text)
    assert education
    assert found_topic == topic
    assert 0.5 <= confidence <= 1


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Madrassas will be mainstreamed and registered.", "quality"),
        ("Article 25-A of the Constitution will be implemented in letter and spirit.", "access"),
        ("We will introduce a stipend for girls who pass matric.", "girls"),
        ("The HEC budget will be restored and new campuses opened in underserved districts.", "higher"),
        ("TVET institutes will be opened in every district.", "higher"),
        ("فنی اور پیشہ ورانہ تربیت کے مراکز ہر ضلع میں کھولے جائیں گے۔", "higher"),
        ("میٹرک تک ہر بچی کو وظیفہ ملے گا۔", "girls"),
    ],
)
def test_pakistans_own_words_for_schooling_are_education(text, topic):
    education, found_topic, _confidence = decide(text)
    assert (education, found_topic) == (True, topic)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("We will increase enrolment to 100 per cent by 2025.", "access"),
        ("Every union council will have a girls' high school.", "girls"),
        ("Free textbooks will be provided up to matric.", "quality"),
        ("We will introduce a Baccalaureate to replace A-levels.", "quality"),
        ("Computer labs and science labs will be set up in all government high schools.", "quality"),
        ("We will introduce an early-learning programme in every katchi class.", "access"),
        ("We will expand tertiary education so that more young people go on to study.", "higher"),
        ("Post-secondary institutions will receive stable funding.", "funding"),
        ("The Waseela-e-Taleem programme will pay mothers whose children attend class.", "access"),
        ("ہر یونین کونسل میں لڑکیوں کا ہائی اسکول بنایا جائے گا۔", "girls"),
        ("پڑھا لکھا پنجاب ہمارا خواب ہے۔", "quality"),
        ("ابتدائی بچپن کی نشوونما کے مراکز ہر گاؤں میں ہوں گے۔", "access"),
    ],
)
def test_enrolment_textbooks_early_years_and_tertiary_study_are_education(text, topic):
    education, found_topic, _confidence = decide(text)
    assert (education, found_topic) == (True, topic)


@pytest.mark.parametrize(
    "text",
    [
        "Voter enrolment will be made automatic for everyone over eighteen.",
        "This cramps the free and happy life which should fill the children's early years.",
    ],
)
def test_enrolling_voters_and_a_childs_early_years_are_not_education(text):
    assert not decide(text)[0]


def test_a_stipend_that_is_not_for_learning_is_not_education():
    assert not decide("Imams of mosques will be paid a monthly stipend.")[0]


@pytest.mark.parametrize(
    "text",
    [
        "We will cut income tax for families on low incomes.",
        "A new motorway will link Peshawar and Karachi.",
        "We will spend 3% of GDP on defence.",
        "We reject the old school of thought that markets solve everything.",
        "We will stimulate scientific research in industry and in the universities.",
        "International students will need to show they can support themselves before receiving a visa.",
        "کسانوں کو سستی کھاد ملے گی۔",
    ],
)
def test_clear_non_education_sentences_are_not(text):
    education, topic, confidence = decide(text)
    assert not education
    assert topic == ""
    assert confidence >= 0.5


def test_limiting_education_is_not_education_expansion():
    # per507: the party's own plan to cut education is not counted...
    assert not decide("We will cut spending on universities and introduce tuition fees for students.")[0]
    # ...while criticising another party's cuts is a favourable mention of education.
    assert decide("The Government has cut school building and starved our universities of money.")[0]


@pytest.mark.parametrize(
    "text",
    [
        "We will reduce class sizes in primary schools.",
        "We will abolish tuition fees for students.",
        "We will end the shortage of teachers in our schools.",
        "We will cut the waiting lists for nursery school places.",
        "We will end bureaucracy in schools so teachers can teach.",
    ],
)
def test_cutting_class_sizes_fees_or_shortages_is_education_expansion(text):
    assert decide(text)[0]


@pytest.mark.parametrize(
    "text",
    [
        "We will cut spending on education by ten per cent.",
        "We will close small rural schools.",
        "We will restrict entry to universities.",
        "We will charge fees to students at universities.",
    ],
)
def test_cutting_education_itself_is_not(text):
    assert not decide(text)[0]


def test_private_schools_and_parents_choice_are_not_education_expansion():
    # per507 takes support for private schools; parents' choice and say are freedom/democracy.
    assert not decide("Parents must have the freedom to send their children to independent schools.")[0]
    assert not decide("We will encourage the direct grant schools.")[0]
    assert not decide("Local authorities will take account of parents' wishes when allocating schools.")[0]
    texts = ["Education", "The freedoms and status of fee-paying schools will be protected."]
    assert not classify(texts, [True, False], "en")[1][0]  # not even under an education heading
    # A sentence that also speaks of more or better provision still counts.
    assert decide("We will build more schools so that parents' choice of school is a real one.")[0]


def test_the_section_gives_context_to_sentences_without_education_words():
    texts = [
        "Education",
        "We will give every child a good school near home.",
        "Standards of reading will rise.",
    ]
    decisions = classify(texts, [True, False, False], "en")
    assert [d[0] for d in decisions] == [True, True, True]
    # The same words under another heading are not education.
    texts = ["Agriculture", "Standards of reading will rise."]
    assert [d[0] for d in classify(texts, [True, False], "en")] == [False, False]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Enrolment in primary schools will reach 100 per cent by 2023.", "access"),
        ("سرکاری اسکولوں میں داخلے کی شرح سو فیصد تک لے جائی جائے گی۔", "access"),
        ("Literacy will rise to 90% within five years.", "quality"),
        ("ہر ضلع میں تعلیم پر خرچ دگنا کیا جائے گا۔", "funding"),
    ],
)
def test_a_percentage_alone_does_not_make_a_sentence_about_funding(text, topic):
    education, found, _confidence = decide(text)
    assert (education, found) == (True, topic)


@pytest.mark.parametrize(
    "text",
    [
        "We will spend 4% of GDP on education.",
        "We will spend 2% of GDP on defence and 4% on education.",
        "Our government will allocate 20% of the provincial budget to schools.",
        "ہم جی ڈی پی کا 4 فیصد تعلیم پر خرچ کریں گے۔",
    ],
)
def test_a_pledge_of_money_for_education_is_education_whatever_the_heading(text):
    # Education named late in the sentence, under a heading the classifier does not know.
    language = "en" if text.isascii() else "ur"
    education, topic, confidence = classify(["Our Promises", text], [True, False], language)[1]
    assert (education, topic) == (True, "funding")
    assert confidence > 0.6


@pytest.mark.parametrize(
    ("text", "percent", "measure", "meets"),
    [
        ("We will spend 4% of GDP on education by 2023.", "4", "gdp", True),
        ("Spending on education will rise to four per cent of GDP.", "4", "gdp", True),
        ("We will spend 5 percent of national income on education.", "5", "gdp", True),
        ("We will raise the education budget to 5%.", "5", "budget", False),
        ("Education will get 2.5% of GDP in the first year.", "2.5", "gdp", False),
        ("We will spend 2% of GDP on defence and 4% on education.", "4", "gdp", True),
        ("تعلیم پر جی ڈی پی کا 4 فیصد خرچ کیا جائے گا۔", "4", "gdp", True),
        ("تعلیم کے لیے جی ڈی پی کا ۵ فیصد مختص کیا جائے گا۔", "5", "gdp", True),
        ("تعلیم کے لیے بجٹ کا 20 فیصد مختص کیا جائے گا۔", "20", "budget", False),
        ("تعلیم پر جی ڈی پی کا ساڑھے چار فیصد خرچ ہوگا۔", "4.5", "gdp", True),
        ("تعلیم پر جی ڈی پی کا ڈھائی فیصد خرچ ہوگا۔", "2.5", "gdp", False),
        ("صوبائی بجٹ کا بیس فیصد تعلیم کے لیے مختص ہوگا۔", "20", "budget", False),
        # From where it stands to where it will go: the pledge is the second figure.
        ("We will raise education spending from 2.3% to 4% of GDP.", "4", "gdp", True),
        ("We will raise education spending from 2% of GDP to 4%.", "4", "gdp", True),
        ("Education's share of the provincial budget will rise from 18% to 25%.", "25", "budget", False),
        ("تعلیم پر اخراجات جی ڈی پی کے 2 فیصد سے بڑھا کر 4 فیصد کیے جائیں گے۔", "4", "gdp", True),
        # A rise by a percentage is an increase, not a share of the budget.
        ("The education budget will be increased by 50 per cent.", "50", "amount", False),
        ("تعلیمی بجٹ میں 50 فیصد اضافہ کیا جائے گا۔", "50", "amount", False),
        # A share two sectors split is not 4% for education, unless each gets it.
        ("We will spend 5% of GDP on health and education.", "5", "gdp", False),
        ("تعلیم اور صحت پر مل کر جی ڈی پی کا پانچ فیصد خرچ کیا جائے گا۔", "5", "gdp", False),
        ("Education and health will each get 4% of GDP.", "4", "gdp", True),
        # Another country's figure or a recommendation is not the party's pledge.
        ("Sri Lanka spends 5% of GDP on education.", "5", "gdp", False),
        ("UNESCO recommends that countries spend 6 per cent of GDP on education.", "6", "gdp", False),
        ("پچھلے سال تعلیم پر جی ڈی پی کا 5 فیصد خرچ کیا گیا۔", "5", "gdp", False),  # was spent
        ("حکومت تعلیم پر جی ڈی پی کا پانچ فیصد خرچ کرینگی۔", "5", "gdp", True),  # joined spelling
    ],
)
def test_funding_commitments(text, percent, measure, meets):
    assert find(text) == [(Decimal(percent), measure, meets)]


def test_doubling_the_education_budget_is_an_amount():
    assert find("We will double the education budget within five years.") == [(None, "amount", False)]


def test_a_sum_in_rupees_for_education_is_an_amount():
    assert find("Rs 500 billion will be spent on education every year.") == [(None, "amount", False)]


@pytest.mark.parametrize(
    "text",
    [
        "We will spend 3% of GDP on defence.",
        "Growth will reach 6% a year.",
        "Literacy will rise to 90 per cent in every district's schools.",
        "دفاع پر جی ڈی پی کا 3 فیصد خرچ ہوگا۔",
    ],
)
def test_percentages_that_are_not_education_funding_are_not_commitments(text):
    assert find(text) == []


def test_commitments_are_listed_with_their_sentence():
    text = b"EDUCATION\nWe will spend 4% of GDP on education. Defence will get 3% of GDP.\n"
    analysis = analyse_file(text, "m.txt")
    assert [
        (c.text, c.sentence_index, c.percent, c.measure, c.meets_target) for c in analysis.commitments
    ] == [("We will spend 4% of GDP on education.", 1, Decimal("4"), "gdp", True)]
    assert analysis.as_dict()["funding_commitments"] == [
        {
            "text": "We will spend 4% of GDP on education.",
            "percent": 4.0,
            "measure": "gdp",
            "meets_target": True,
        }
    ]


def test_a_long_manifesto_is_analysed_in_seconds():
    import time

    paragraph = (
        "We will build a primary school in every union council and pay teachers on time. "
        "Farmers will receive cheaper seed, fertiliser and credit from the provincial banks. "
        "Roads between the district headquarters will be repaired before the monsoon season. "
        "Hospitals will open in the evening so that working people can see a doctor.\n"
    )
    text = ("HEADING\n" + paragraph * 20) * 46  # about 50,000 words
    assert len(text.split()) > 45_000
    started = time.perf_counter()
    analysis = analyse_file(text.encode(), "long.txt")
    assert time.perf_counter() - started < 5
    assert analysis.quasi_sentences == 46 * 20 * 4
    assert analysis.education_share == pytest.approx(25)
