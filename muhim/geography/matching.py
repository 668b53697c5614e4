"""Matching place names from other people's files to Muhim's areas.

Sources spell districts many ways ("Naushehro Feroze", "NAUSHAHRO FEROZE"), use former names
("Nawabshah", "Bajaur Agency"), or name districts that have since been split ("Chitral" is now
Upper and Lower Chitral). The matcher tries, in order:

1. the official name, after normalising case, punctuation and spacing;
2. the recorded aliases (spellings, former names, split and merged predecessors);
3. a spelling-variant key (consonants only, doubled letters collapsed), accepted only when it
   points to exactly one area and always reported as such.

It never picks one of several candidates: an ambiguous or unknown name comes back unmatched,
with suggestions for the person reading the report. Pure Python; `from_db` loads the areas.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

# Words that decorate a name without changing which area it is.
_NOISE_WORDS = {"district", "distt", "dist", "agency", "tribal", "the"}
_ARABIC_FORMS = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "ه": "ہ", "ۀ": "ہ", "ة": "ہ", "أ": "ا", "إ": "ا"}
)
_MUHAMMAD = re.compile(r"\b(mohammad|mohammed|muhammed|mohamed|mohd|muhamad)\b")


def normalize(name: str) -> str:
    """Lower-case, unaccented, punctuation-free, single-spaced; Urdu letters in their Urdu
    forms without diacritics. 'D.I. Khan' → 'di khan'; 'Kambar-Shahdadkot' → 'kambar shahdadkot'."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", str(name)).translate(_ARABIC_FORMS)
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    text = text.lower().replace("&", " and ").replace("\u200c", "").replace("\u200d", "")
    text = re.sub(r"[\-_/\\,]+", " ", text)
    text = re.sub(r"[^\w\s]", "", text)
    text = _MUHAMMAD.sub("muhammad", text)
    words = [w for w in text.split() if w not in _NOISE_WORDS]
    return " ".join(words)


def variant_key(normalized: str) -> str:
    """A coarse key under which common transliteration differences coincide: vowels dropped
    after the first letter, doubled letters collapsed, q→k. 'naushehro feroze' and
    'naushahro feroze' share one; so do 'sajawal' and 'sujawal'."""
    text = normalized.replace(" ", "").replace("q", "k")
    if not text or not text.isascii():
        return ""
    head, tail = text[0], re.sub(r"[aeiouy]", "", text[1:])
    key = head + tail
    return re.sub(r"(.)\1+", r"\1", key)


@dataclass(frozen=True)
class Candidate:
    id: int
    code: str
    name: str
    level: str
    path: str

    def inside(self, path_prefix: str) -> bool:
        return self.path == path_prefix or self.path.startswith(f"{path_prefix}/")


@dataclass
class Match:
    query: str
    areas: list[Candidate] = field(default_factory=list)
    how: str = ""  # name | spelling | former | split | merged | variant
    ambiguous: bool = False
    suggestions: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.areas) and not self.ambiguous

    @property
    def area(self) -> Candidate | None:
        return self.areas[0] if self.ok and len(self.areas) == 1 else None

    def explain(self) -> str:
        """How the name was matched, in words, for import reports."""
        names = " and ".join(a.name for a in self.areas)
        return {
            "name": names,
            "spelling": f"{self.query!r} is a spelling of {names}",
            "former": f"{self.query!r} is a former name of {names}",
            "split": f"{self.query!r} was split into {names}",
            "merged": f"{self.query!r} was merged into {names}",
            "variant": f"{self.query!r} read as {names} (spelling variant)",
        }.get(self.how, "")


class AreaMatcher:
    def __init__(self, entries):
        """`entries`: iterable of (Candidate, [(alias name, alias kind), ...])."""
        self.by_name = defaultdict(list)
        self.by_alias = defaultdict(list)
        self.by_variant = defaultdict(set)
        self.display = {}
        for candidate, aliases in entries:
            key = normalize(candidate.name)
            self.by_name[key].append(candidate)
            self.display[key] = candidate.name
            self.by_variant[variant_key(key)].add(candidate)
            for alias, kind in aliases:
                akey = normalize(alias)
                if akey == key:
                    continue
                self.by_alias[akey].append((candidate, kind))
                self.display.setdefault(akey, alias)
                if kind in ("spelling", "former"):
                    self.by_variant[variant_key(akey)].add(candidate)
        self.by_variant.pop("", None)

    @classmethod
    def from_db(cls, levels=None):
        from .models import Area, AreaAlias

        areas = Area.objects.all()
        if levels:
            areas = areas.filter(level__in=levels)
        aliases = defaultdict(list)
        for area_id, name, kind in AreaAlias.objects.filter(area__in=areas).values_list(
            "area_id", "name", "kind"
        ):
            aliases[area_id].append((name, kind))
        return cls(
            (Candidate(a.pk, a.code, a.name, a.level, a.path), aliases[a.pk])
            for a in areas.only("pk", "code", "name", "level", "path")
        )

    def match(self, name, *, levels=None, within=None) -> Match:
        """`levels`: allowed area levels; `within`: path of an area the match must lie in."""
        result = Match(query=str(name or "").strip())
        key = normalize(result.query)
        if not key:
            return result

        def keep(candidate):
            return (levels is None or candidate.level in levels) and (
                within is None or candidate.inside(within)
            )

        named = [c for c in self.by_name.get(key, []) if keep(c)]
        if named:
            return self._decide(result, named, "name")
        aliased = [(c, kind) for c, kind in self.by_alias.get(key, []) if keep(c)]
        if aliased:
            kinds = {kind for _, kind in aliased}
            areas = list(dict.fromkeys(c for c, _ in aliased))
            if kinds == {"split"}:
                result.areas, result.how = sorted(areas, key=lambda c: c.code), "split"
                return result
            return self._decide(result, areas, kinds.pop() if len(kinds) == 1 else "spelling")
        variants = [c for c in self.by_variant.get(variant_key(key), ()) if keep(c)]
        if variants:
            return self._decide(result, variants, "variant")
        pool = {k: v for k, v in self.display.items() if any(keep(c) for c in self._candidates_for(k))}
        result.suggestions = [
            pool[k]
            for k, _score, _i in process.extract(
                key, list(pool), scorer=fuzz.WRatio, limit=3, score_cutoff=80
            )
        ]
        return result

    def _candidates_for(self, key):
        return self.by_name.get(key, []) + [c for c, _ in self.by_alias.get(key, [])]

    @staticmethod
    def _decide(result, areas, how):
        areas = sorted(set(areas), key=lambda c: c.code)
        result.areas, result.how = areas, how
        result.ambiguous = len(areas) > 1
        if result.ambiguous:
            # Namesakes ("Bagh" in AJK and in KP) are told apart by their codes.
            names = [a.name for a in areas]
            repeated = len(set(names)) < len(names)
            result.suggestions = [f"{a.name} ({a.code})" if repeated else a.name for a in areas]
        return result
