"""Urdu as the word lists read it, whoever typed it and with whatever keyboard or font.

- `urdu_letters(text)`: the letters a reader sees, in Urdu's own code points. PDFs often hold
  each letter's joined shape (Arabic presentation forms, "ﺗﻌﻠﯿﻢ" for "تعلیم") and English the
  "ﬁ" ligature: NFKC gives the letters back. Urdu typed on an Arabic keyboard (or set in an
  Arabic font) uses Arabic's yeh, alef maksura, kaf and heh where Urdu has its own letters
  ("تعليم" for "تعلیم"); they become Urdu's. A zero-width non-joiner inside a word
  ("طالب‌علم") is left out. What a reader sees does not change: this is fit for stored text.
- `fold(text)`: for matching only, `urdu_letters` without the short-vowel marks (zabar, zer,
  pesh, tanvin, tashdeed, jazm) that a few writers add: "تَعلیم" is "تعلیم". The superscript
  alef of "اعلیٰ" stays, as the word lists spell it."""

import re
import unicodedata

URDU_LETTERS = str.maketrans(
    {"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0647": "\u06c1", "\u200c": None}
)
# Fathatan … sukun, and the rarer marks after hamza above/below (U+0656–U+065F).
VOWEL_MARKS = re.compile("[\u064b-\u0652\u0656-\u065f]")


def urdu_letters(text: str) -> str:
    if not text or text.isascii():
        return text
    return unicodedata.normalize("NFKC", text).translate(URDU_LETTERS)


def fold(text: str) -> str:
    if not text or text.isascii():
        return text
    return VOWEL_MARKS.sub("", urdu_letters(text))
