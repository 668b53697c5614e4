"""Urdu as the word lists read it: Urdu's own letters whatever the keyboard, the marks kept for
the reader and left out for matching."""

from muhim.core.text import fold, urdu_letters


def test_arabic_letter_forms_and_joined_shapes_become_urdus_letters():
    assert urdu_letters("تعليم كا بجٹ") == "تعلیم کا بجٹ"
    assert urdu_letters("ﺗﻌﻠﯿﻢ") == "تعلیم"  # presentation forms, as PDFs hold them
    assert urdu_letters("طالب\u200cعلم") == "طالبعلم"
    assert urdu_letters("qualiﬁed") == "qualified"
    assert urdu_letters("تَعلِیم") == "تَعلِیم"  # what a reader sees is kept


def test_folding_leaves_out_short_vowel_marks_but_not_the_superscript_alef():
    assert fold("تَعلِیم") == "تعلیم"
    assert fold("مُختّص") == "مختص"
    assert fold("اعلیٰ تعليم") == "اعلیٰ تعلیم"
    assert fold("Plain English.") == "Plain English."
