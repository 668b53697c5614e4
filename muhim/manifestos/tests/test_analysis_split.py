"""Quasi-sentences and headings, the way the Manifesto Project's coders unitise a manifesto."""

import pytest

from muhim.manifestos.analysis import analyse_file
from muhim.manifestos.analysis.split import split_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "We will build schools. We will train teachers!",
            ["We will build schools.", "We will train teachers!"],
        ),
        ("Will you vote? We hope so.", ["Will you vote?", "We hope so."]),
        # Abbreviations and decimals do not end a sentence.
        (
            "Mr. Khan and Dr. Rana spoke, e.g. at No. 10 Downing St. about 4.5% growth. Then they left.",
            ["Mr. Khan and Dr. Rana spoke, e.g. at No. 10 Downing St. about 4.5% growth.", "Then they left."],
        ),
        ("The U.S.A. and the U.K. agreed.", ["The U.S.A. and the U.K. agreed."]),
        # Semicolons separate statements.
        ("Fees will go; books will be free.", ["Fees will go", "books will be free."]),
        # A colon introducing a list: one quasi-sentence per item, the short lead-in kept with the first.
        (
            "We will: (a) open schools; (b) pay teachers.",
            ["We will: open schools", "pay teachers."],
        ),
        (
            "ہم اسکول بنائیں گے۔ کیا اساتذہ آئیں گے؟ جی ہاں۔",
            ["ہم اسکول بنائیں گے۔", "کیا اساتذہ آئیں گے؟", "جی ہاں۔"],
        ),
    ],
)
def test_split_text(text, expected):
    assert split_text(text) == expected


def units(text):
    return [(s.text, s.is_heading) for s in analyse_file(text.encode(), "m.txt").sentences]


def test_bullet_items_are_quasi_sentences_and_headings_are_marked():
    text = (
        "OUR PROGRAMME\n"
        "\n"
        "1. Education\n"
        "We shall give every child a place at school. This needs money.\n"
        "• free textbooks for every pupil\n"
        "• a teacher in every classroom\n"
        "\n"
        "Health and Hospitals\n"
        "A hospital in every district.\n"
    )
    assert units(text) == [
        ("OUR PROGRAMME", True),
        ("1. Education", True),
        ("We shall give every child a place at school.", False),
        ("This needs money.", False),
        ("free textbooks for every pupil", False),
        ("a teacher in every classroom", False),
        ("Health and Hospitals", True),
        ("A hospital in every district.", False),
    ]


def test_lines_wrapped_by_the_layout_and_hyphenated_words_are_joined():
    text = (
        "We will raise the school leaving age and build a thousand new\n"
        "classrooms in the poorest districts, starting with those where edu-\n"
        "cation has been neglected longest.\n"
        "12\n"
    )
    assert units(text) == [
        (
            "We will raise the school leaving age and build a thousand new classrooms in the poorest "
            "districts, starting with those where education has been neglected longest.",
            False,
        )
    ]


def test_a_title_set_over_two_lines_is_one_heading():
    text = (
        "Education:\n"
        "A New Deal for Every Child\n"
        "\n"
        "We will build a school in every village\n"
        "and train its teachers.\n"
        "\n"
        "Our first steps:\n"
        "• free textbooks for every pupil in\n"
        "  government schools\n"
    )
    assert units(text) == [
        ("Education: A New Deal for Every Child", True),
        ("We will build a school in every village and train its teachers.", False),
        ("Our first steps:", False),
        ("free textbooks for every pupil in government schools", False),
    ]


def test_bullets_a_pdf_gives_as_symbol_font_characters_are_list_items():
    text = (
        "Education\n"
        "We will:\n"
        "\uf0b7 give free textbooks to every pupil\n"
        "\uf0a7recruit a teacher for every classroom\n"
        "➤ build boundary walls\n"
    )
    assert units(text) == [
        ("Education", True),
        ("We will:", False),
        ("give free textbooks to every pupil", False),
        ("recruit a teacher for every classroom", False),
        ("build boundary walls", False),
    ]


def test_urdu_numbered_and_lettered_lists_and_a_title_after_an_unfinished_item():
    text = (
        "تعلیم\n"
        "1۔ ہر ضلع میں یونیورسٹی قائم کی جائے گی\n"
        "۲۔ ہر گاؤں میں پرائمری اسکول بنایا جائے گا\n"
        "(الف) اساتذہ کی بھرتی میرٹ پر ہوگی\n"
        "- مفت درسی کتب\n"
        "صحت\n"
        "ہر ضلع میں ہسپتال بنایا جائے گا۔\n"
    )
    assert units(text) == [
        ("تعلیم", True),
        ("ہر ضلع میں یونیورسٹی قائم کی جائے گی", False),
        ("ہر گاؤں میں پرائمری اسکول بنایا جائے گا", False),
        ("اساتذہ کی بھرتی میرٹ پر ہوگی", False),
        ("مفت درسی کتب", False),
        ("صحت", True),
        ("ہر ضلع میں ہسپتال بنایا جائے گا۔", False),
    ]


def test_an_unfinished_list_item_runs_on_unless_a_title_follows():
    text = (
        "• free schooling for every child in\n"
        "Punjab and Sindh\n"
        "• a teacher in every classroom\n"
        "Health and Hospitals\n"
        "A hospital in every district.\n"
    )
    assert units(text) == [
        ("free schooling for every child in Punjab and Sindh", False),
        ("a teacher in every classroom", False),
        ("Health and Hospitals", True),
        ("A hospital in every district.", False),
    ]


def test_headings_are_left_out_of_the_denominator():
    analysis = analyse_file(b"EDUCATION\nWe will build schools.\nDefence\nWe will buy ships.\n", "m.txt")
    assert [s.is_heading for s in analysis.sentences] == [True, False, True, False]
    assert analysis.quasi_sentences == 2
    assert analysis.education_share == pytest.approx(50)
