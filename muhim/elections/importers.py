"""Importing parties, candidate lists and results through the one import framework.

Every importer here has the option `election` (its slug, default 'ge-2018'; the 2018 general
election, polling day 2018-07-25 on the 2018 delimitation, is created when first written).
Seats are never created here: they come from the `constituencies` importer, and a row naming a
seat that is not loaded is rejected saying so; nothing of that row is stored.

Parties are matched exactly (services.PartyMatcher: name, abbreviation, alias); a party string
that matches nothing is kept on the candidacy as written and named in the row's warning with the
closest party as a suggestion (never applied). `summary()` lists every unmatched string with
its number of candidacies.

Idempotent keys:
- a candidacy is its election, seat and the candidate's normalised name (a second, different
  candidate of the same name in the same seat is the name's second occurrence in the file);
  party, symbol and address are updated in place when a corrected file is imported again;
- people: one Person per candidacy row, except that rows of one election with the same
  normalised name AND the same (matched) party are one person standing in several seats (Imran
  Khan's five seats). Independents and unmatched parties are never merged: a common name
  ('Anwar Khan', Independent) in several seats is several people. A person's name and address
  are updated only while the person stands in one seat (a person of several rows keeps what the
  first row gave);
- results: each candidate's votes go to the seat's candidacy of the same normalised name, or a
  close one (rapidfuzz, within the seat, high threshold; the row says which); a name the list
  did not have becomes a new candidacy (the row says so). The seat's winner is recomputed from
  the stored votes (most votes; none on a tie)."""

import re
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from muhim.accounts.permissions import Capability
from muhim.core.imports.base import Field, Importer, Option, Plan, RowError
from muhim.core.imports.registry import register
from muhim.geography.models import Area, Constituency

from . import services
from .models import Candidacy, ConstituencyResult, Party, Person, normalise_name
from .services import PartyMatcher, clean_text, match_key

ELECTION_OPTION = Option(
    "election",
    gettext_lazy("Election"),
    default=services.DEFAULT_ELECTION,
    help=gettext_lazy(
        "The election's short name (slug), e.g. ge-2018. The 2018 general election is created "
        "when it is not there yet; any other must be added first."
    ),
)
NATIONAL = (Constituency.Assembly.NATIONAL,)
PROVINCIAL = (
    Constituency.Assembly.PUNJAB,
    Constituency.Assembly.SINDH,
    Constituency.Assembly.KHYBER_PAKHTUNKHWA,
    Constituency.Assembly.BALOCHISTAN,
)
SEAT_CODE = re.compile(r"^\s*(NA|PP|PS|PK|PB)\s*[-–_. ]*\s*([0-9IlO]+)\s*$", re.IGNORECASE)
SYMBOL_NUMBER = re.compile(r"\s*(?:\(\s*(?:No\.?)?\s*\d+\s*\)|-\s*\d+)\s*$", re.IGNORECASE)
NAME_LENGTH = Person._meta.get_field("name").max_length
SYMBOL_LENGTH = Candidacy._meta.get_field("symbol").max_length
# A fuzzy match of a result's name to a listed candidate of the seat: this close, or this close
# when both name the same party (rapidfuzz, 0–100).
NAME_SCORE = 90
SAME_PARTY_NAME_SCORE = 75
# Two rows of one party this alike (rapidfuzz ratio) are one person in several seats
# ('Imran Ahmad Khan Niazi', 'Imran Ahmed Khan Niazi').
SAME_PERSON_SCORE = 95


# Spellings of the same word in Pakistani names, compared as one when matching results to lists.
NAME_WORDS = {
    "m": "muhammad",
    "mohammad": "muhammad",
    "mohammed": "muhammad",
    "muhammed": "muhammad",
    "mohd": "muhammad",
    "ahmed": "ahmad",
    "sayed": "syed",
    "sayyed": "syed",
    "syyed": "syed",
    "alias": "urf",
}


# Chaudhry is written a dozen ways: Chaudhary, Choudhary, Chowdhry, Chaudri, Ch…
CHAUDHRY = re.compile(r"ch(?:a|o|au|ou|ow|aw)u?d(?:h)?(?:a|e)?r(?:y|i|ee)")


def name_skeleton(norm):
    """A normalised name with its words' common variants made one and doubled letters single:
    'Ch Muhammad Asad Ullah' and 'CHAUDHARY MUHAMMAD ASAD ULLAH' have one skeleton."""
    words = ["ch" if CHAUDHRY.fullmatch(w) else NAME_WORDS.get(w, w) for w in norm.split()]
    return re.sub(r"(.)\1+", r"\1", " ".join(words))


def names_alike(a, b):
    """How alike two normalised names are (0–100): their skeletons' best of plain and
    word-order-free likeness; a name whose words (three at least) are all in the other, 100."""
    a, b = name_skeleton(a), name_skeleton(b)
    score = max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))
    short, long = sorted((a.split(), b.split()), key=len)
    if len(short) >= 3 and set(short) <= set(long):
        score = 100
    return score


def _run_failed(message):
    from muhim.core.imports.runner import RunFailed

    return RunFailed(message)


def clean_person_name(text):
    """'lftikhar ud Din' → 'Iftikhar ud Din', 'SHAF1Q' → 'SHAFIQ': what the list's OCR got
    wrong most often (an 'l' for a capital 'I' before a consonant, digits inside a word)."""
    name = clean_text(text).strip(" ,.")
    name = re.sub(r"\bl(?=[bcdfghjkmnpqrstvwxz])", "I", name, flags=re.IGNORECASE)
    name = re.sub(r"(?<=[A-Z])1(?=[A-Z])", "I", name)
    name = re.sub(r"(?<=[a-z])1(?=[a-z])", "i", name)
    name = re.sub(r"(?<=[A-Z])0(?=[A-Z])", "O", name)
    return name


def clean_symbol(text):
    """'Tiger (No.284)', 'Arrow(12)', 'Book ' → 'Tiger', 'Arrow', 'Book'."""
    return SYMBOL_NUMBER.sub("", clean_text(text)).strip()[:SYMBOL_LENGTH]


def whole_number(text, what, *, required=False):
    text = clean_text(text).replace(",", "")
    if not text:
        if required:
            raise RowError(_("%(what)s is empty.") % {"what": what})
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise RowError(_("%(what)s %(text)r is not a number.") % {"what": what, "text": text}) from exc
    if value < 0 or value != value.to_integral_value():
        raise RowError(
            _("%(what)s %(text)r is not a whole number of 0 or more.") % {"what": what, "text": text}
        )
    return int(value)


def percentage(text, what):
    text = clean_text(text).rstrip("%").strip()
    if not text:
        return None
    try:
        value = Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise RowError(_("%(what)s %(text)r is not a number.") % {"what": what, "text": text}) from exc
    if not 0 <= value <= 100:
        raise RowError(_("%(what)s %(value)s is not between 0 and 100.") % {"what": what, "value": value})
    return value


class _ElectionImporter(Importer):
    capability = Capability.MANAGE_ELECTIONS
    options = [ELECTION_OPTION]
    assemblies: tuple = NATIONAL
    # Results span rows (a seat's totals are on its first row only) and people are merged across
    # rows: one chunk holds a whole file of the sizes the Election Commission publishes.
    chunk_size = 20000

    def prepare(self):
        self.election = services.election_for(self.options["election"])
        if self.election is None:
            raise _run_failed(
                _("There is no election called %(slug)s. Add it first, or import into ge-2018.")
                % {"slug": self.options["election"]}
            )
        year = self.election.delimitation_year
        self.seats = {
            seat.code: seat
            for seat in Constituency.objects.filter(
                delimitation_year=year, assembly__in=self.assemblies
            ).only("id", "code", "assembly", "number", "name", "delimitation_year", "province_id")
        }
        self.matcher = PartyMatcher()
        self.seat_fixes = Counter()

    def summary(self):
        """Lines for the run's report: every unmatched party with its number of candidacies,
        and the seat codes read after correcting them."""
        lines = self.matcher.summary()
        if self.seat_fixes:
            lines.append(
                _("Seat codes read after correcting them: %(fixes)s")
                % {"fixes": ", ".join(f"{a} → {b} ({n})" for (a, b), n in sorted(self.seat_fixes.items()))}
            )
        return lines

    def _save_election(self):
        if self.election.pk is None:
            self.election.save()

    def seat(self, text, warnings):
        written = clean_text(text)
        found = SEAT_CODE.match(written)
        if not found:
            if not written:
                raise RowError(_("The seat is empty."))
            raise RowError(
                _("%(text)r is not a seat code like NA-1, PP-147, PS-1, PK-1 or PB-1.") % {"text": written}
            )
        digits = found.group(2).translate(str.maketrans("IlO", "110"))
        code = f"{found.group(1).upper()}-{int(digits)}"
        if found.group(2) != digits:
            warnings.append(_("The seat %(text)r was read as %(code)s.") % {"text": written, "code": code})
            self.seat_fixes[(written, code)] += 1
        assembly = found.group(1).upper()
        if assembly not in self.assemblies:
            raise RowError(
                _("%(code)s is a seat of the %(assembly)s; this importer reads %(wanted)s seats only.")
                % {
                    "code": code,
                    "assembly": Constituency.Assembly(assembly).label,
                    "wanted": ", ".join(a for a in self.assemblies),
                }
            )
        seat = self.seats.get(code)
        if seat is None:
            raise RowError(
                _(
                    "There is no seat %(code)s of the %(year)s delimitation. Load the seats first "
                    "(the “constituencies” importer, e.g. na-seats-2018.csv and pa-seats-2018.csv), "
                    "or correct the seat code."
                )
                % {"code": code, "year": self.election.delimitation_year}
            )
        return seat

    # --- writing people and candidacies --------------------------------------------------------

    def _create_candidacies(self, rows):
        """rows: [(seat, name, address, person ref, values)]; a person ref is ("db", person
        id), ("row", key) of the row whose new person this one shares, or None. Returns the
        stored candidacies."""
        self._save_election()
        made = getattr(self, "made_people", None)
        if made is None:
            made = self.made_people = {}
        people, fresh = [], []
        for _seat, name, address, ref, _values in rows:
            if ref and ref[0] == "db":
                person = Person(pk=ref[1])
            elif ref and ref in made:
                person = made[ref]
            else:
                person = Person(
                    name=name[:NAME_LENGTH], normalised=normalise_name(name)[:200], address=address
                )
                fresh.append(person)
                if ref:
                    made[ref] = person
            people.append(person)
        if fresh:
            bulk_create_with_history(
                fresh,
                Person,
                batch_size=500,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )
        new = [
            Candidacy(election=self.election, constituency=seat, person_id=person.pk, **values)
            for (seat, _name, _address, _ref, values), person in zip(rows, people, strict=True)
        ]
        return bulk_create_with_history(
            new, Candidacy, batch_size=500, default_user=self.user, default_change_reason=self.change_reason
        )


# --- parties ------------------------------------------------------------------------------------


@register
class PartyImporter(Importer):
    slug = "parties"
    label = gettext_lazy("Political parties")
    description = gettext_lazy(
        "One row per party: its name; if known its abbreviation, Urdu name, election symbol "
        "(and in Urdu), website, colour and other spellings (aliases, separated by ';'). A row "
        "is matched to a stored party by name, abbreviation or alias: importing the same file "
        "again changes nothing, a corrected symbol or name in Urdu updates the party, and a "
        "spelling that differs from the party's name becomes an alias. The 2018 list "
        "parties.csv names symbols by number (symbol_id, into symbols.csv): import the two "
        "together with “manage.py load_parties --parties parties.csv --symbols symbols.csv”, "
        "which joins them and imports through this importer."
    )
    source_hint = gettext_lazy(
        "The Election Commission's list of enlisted parties and their symbols, e.g. parties.csv "
        "with symbols.csv from the 2018 election data (see above)."
    )
    capability = Capability.MANAGE_ELECTIONS
    fields = [
        Field("name", gettext_lazy("Party"), required=True, aliases=("party", "party name", "name_en")),
        Field(
            "abbreviation", gettext_lazy("Abbreviation"), aliases=("abbr", "short name", "party_abbreviation")
        ),
        Field("name_ur", gettext_lazy("Urdu name"), aliases=("urdu", "name (urdu)", "urdu name")),
        Field("symbol", gettext_lazy("Election symbol"), aliases=("symbol_name", "symbol name")),
        Field("symbol_ur", gettext_lazy("Election symbol (Urdu)"), aliases=("symbol urdu",)),
        Field("symbol_id", gettext_lazy("Symbol number"), aliases=("symbol number", "symbol no")),
        Field("website", gettext_lazy("Website"), aliases=("url", "web")),
        Field("colour", gettext_lazy("Colour"), aliases=("color",)),
        Field("aliases", gettext_lazy("Other spellings"), aliases=("alias", "other names")),
    ]
    TEXT = ("abbreviation", "name_ur", "symbol", "symbol_ur", "website", "colour")

    def prepare(self):
        self.matcher = PartyMatcher()

    def parse(self, row):
        name = clean_text(row["name"])
        if not name:
            raise RowError(_("The party's name is empty."))
        if len(name) > 200:
            raise RowError(_("The party's name is longer than 200 characters."))
        aliases = [clean_text(a) for a in re.split(r"[;|]", row["aliases"]) if clean_text(a)]
        values = {f: clean_text(row[f]) for f in self.TEXT if clean_text(row[f])}
        warnings = []
        if row["symbol_id"].strip() and "symbol" not in values:
            warnings.append(
                _(
                    "The symbol is given by number only (%(n)s); numbers are read with the symbol "
                    "list by “manage.py load_parties --parties … --symbols …”. The symbol is left as it is."
                )
                % {"n": row["symbol_id"].strip()}
            )
        colour = values.get("colour")
        if colour and not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            raise RowError(_("The colour %(c)r must look like #1b5e20.") % {"c": colour})
        party = None
        for text in (name, values.get("abbreviation", ""), *aliases):
            party = self.matcher.by_key.get(match_key(text))
            if party is not None:
                break
        if party is not None:
            if match_key(name) not in {match_key(party.name), match_key(party.abbreviation)}:
                aliases.insert(0, name)
            key = ("party", party.pk)
        else:
            values["name"] = name
            key = ("new", match_key(name))
        return Plan(
            key=key, values=values, related={"aliases": tuple(aliases)}, warnings=warnings, label=name
        )

    def fetch_existing(self, plans):
        pks = [p.key[1] for p in plans if p.key[0] == "party"]
        stored = Party.objects.prefetch_related("aliases").in_bulk(pks)
        return {("party", pk): party for pk, party in stored.items()}

    def changes(self, existing, plan):
        diff = {
            name: (getattr(existing, name), new)
            for name, new in plan.values.items()
            if name != "name" and getattr(existing, name) != new
        }
        have = {a.normalised for a in existing.aliases.all()} | {
            normalise_name(existing.name),
            normalise_name(existing.abbreviation),
        }
        new_aliases = [a for a in plan.related["aliases"] if normalise_name(a) not in have]
        if new_aliases:
            diff["aliases"] = ("", new_aliases)
        return diff

    def write(self, creates, updates):
        for plan in creates:
            party = Party(**plan.values)
            party._change_reason = self.change_reason
            party.full_clean(exclude=["slug"])
            party.save()
            services.add_aliases(party, plan.related["aliases"])
        for party, plan in updates:
            changed = [n for n in plan.values if n != "name" and getattr(party, n) != plan.values[n]]
            for name in changed:
                setattr(party, name, plan.values[name])
            if changed:
                party._change_reason = self.change_reason
                party.save()
            services.add_aliases(party, plan.related["aliases"])


# --- candidate lists -------------------------------------------------------------------------


# How candidate lists write the province → the provinces (Area codes) its seats may lie in.
LISTED_PROVINCES = {
    "punjab": {"pb", "is"},
    "sindh": {"sd"},
    "kpk": {"kp"},
    "kp": {"kp"},
    "khyberpakhtunkhwa": {"kp"},
    "nwfp": {"kp"},
    "fata": {"kp"},
    "balochistan": {"ba"},
    "baluchistan": {"ba"},
    "ict": {"is"},
    "islamabad": {"is"},
    "islamabadcapitalterritory": {"is"},
}


class _CandidateListImporter(_ElectionImporter):
    personal_address = False

    def prepare(self):
        super().prepare()
        # province id → (code, name), to check the province a row is listed under.
        self.provinces = {
            pk: (code, name)
            for pk, code, name in Area.objects.filter(level=Area.Level.PROVINCE).values_list(
                "pk", "code", "name"
            )
        }
        # (seat id, normalised name) → [(row values, occurrence, related)] seen in this file.
        self.occurrences = defaultdict(list)
        self.person_seats = Counter()
        # party id → [[normalised name, person ref, {seat ids}]]: who already stands for the
        # party in this election (stored, or in the rows above).
        self.party_people = defaultdict(list)
        if self.election.pk:
            entries = {}
            for row in Candidacy.objects.filter(election=self.election, party__isnull=False).values(
                "party_id", "person_id", "person__normalised", "constituency_id"
            ):
                key = (row["party_id"], row["person_id"])
                if key not in entries:
                    entries[key] = [row["person__normalised"], ("db", row["person_id"]), set()]
                    self.party_people[row["party_id"]].append(entries[key])
                entries[key][2].add(row["constituency_id"])

    def _person_ref(self, seat, norm, name, party, plan_key, warnings):
        """Who this row's candidate is, for a party's candidate: the person standing for the
        same party in another seat under the same (or all but the same) name, else a new one."""
        if party is None:
            return None
        entries = self.party_people[party.pk]
        for entry in entries:
            if entry[0] == norm:
                if seat.pk in entry[2] and entry[1][0] == "db":
                    return entry[1]  # this very candidacy, stored by an earlier import
                if seat.pk not in entry[2]:
                    entry[2].add(seat.pk)
                    return entry[1]
        best, best_score = None, 0
        for entry in entries:
            score = fuzz.ratio(entry[0], norm)
            if score >= SAME_PERSON_SCORE and score > best_score:
                best, best_score = entry, score
        if best is not None and (seat.pk not in best[2] or best[1][0] == "db"):
            if seat.pk not in best[2]:
                warnings.append(
                    _("%(name)s is taken to be %(other)s, who stands for the same party in another seat.")
                    % {"name": name, "other": best[0].title()}
                )
            best[2].add(seat.pk)
            return best[1]
        ref = ("row", plan_key)
        entries.append([norm, ref, {seat.pk}])
        return ref

    def _check_province(self, row, seat):
        """A row listed under another province than its seat's has a wrong seat code (the 2018
        list has Mirpurkhas candidates, in Sindh, under NA-128, a Lahore seat): refused, so that
        no one is filed in the wrong seat. The list puts Islamabad under Punjab and the former
        tribal areas under Khyber Pakhtunkhwa."""
        written = clean_text(row.get("province", ""))
        allowed = LISTED_PROVINCES.get(normalise_name(written).replace(" ", ""))
        if not allowed or seat.province_id is None:
            return
        code, province = self.provinces.get(seat.province_id, (None, None))
        if code and code not in allowed:
            named = clean_text(row.get("seat_name", ""))
            raise RowError(
                _(
                    "%(seat)s is a seat in %(province)s, but this row is listed under %(written)s"
                    "%(named)s: its seat code looks wrong. Correct the seat code and import the file again."
                )
                % {
                    "seat": seat.code,
                    "province": province,
                    "written": written,
                    "named": (_(" (seat name “%(name)s”)") % {"name": named}) if named else "",
                }
            )

    def parse(self, row):
        warnings = []
        seat = self.seat(row["seat"], warnings)
        self._check_province(row, seat)
        name = clean_person_name(row["name"])
        if not name:
            raise RowError(_("The candidate's name is empty."))
        if len(name) > NAME_LENGTH:
            raise RowError(_("The candidate's name is longer than %(n)s characters.") % {"n": NAME_LENGTH})
        match = self.matcher.match(row["party"])
        if match.warning:
            warnings.append(match.warning)
        values = {
            "party": match.party,
            "party_as_written": match.as_written,
            "symbol": clean_symbol(row["symbol"]),
        }
        address = clean_text(row.get("address", "")) if self.personal_address else ""
        person = {"name": name, "address": address}
        norm = normalise_name(name)
        seen = self.occurrences[(seat.pk, norm)]
        earlier = next(((n, related) for v, n, related in seen if v == (values, person)), None)
        if earlier is not None:
            occurrence, related = earlier
        else:
            occurrence = len(seen) + 1
            if occurrence > 1:
                warnings.append(
                    _("A second candidate called %(name)s in %(seat)s: stored as another person.")
                    % {"name": name, "seat": seat.code}
                )
            ref = self._person_ref(seat, norm, name, match.party, (seat.pk, norm, occurrence), warnings)
            related = {"person": person, "seat": seat, "ref": ref}
            seen.append(((values, person), occurrence, related))
        return Plan(
            key=(seat.pk, norm, occurrence),
            values=values,
            related=related,
            warnings=warnings,
            scope_area=seat.province if seat.province_id else None,
            label=f"{seat.code} {name}",
        )

    def fetch_existing(self, plans):
        if not plans or self.election.pk is None:
            return {}
        stored = (
            Candidacy.objects.filter(
                election=self.election,
                constituency_id__in={p.key[0] for p in plans},
                person__normalised__in={p.key[1] for p in plans},
            )
            .select_related("person", "party")
            .order_by("pk")
        )
        found, counts = {}, Counter()
        for candidacy in stored:
            base = (candidacy.constituency_id, candidacy.person.normalised)
            counts[base] += 1
            found[(*base, counts[base])] = candidacy
        # A row taken to be a person stored under another spelling: their candidacy here.
        by_person = {
            (p.key[0], p.related["ref"][1]): p.key
            for p in plans
            if p.key not in found and p.related.get("ref") and p.related["ref"][0] == "db"
        }
        if by_person:
            for candidacy in Candidacy.objects.filter(
                election=self.election,
                constituency_id__in={k[0] for k in by_person},
                person_id__in={k[1] for k in by_person},
            ).select_related("person", "party"):
                key = by_person.get((candidacy.constituency_id, candidacy.person_id))
                if key:
                    found[key] = candidacy
        self.person_seats = Counter(
            Candidacy.objects.filter(
                election=self.election, person_id__in={c.person_id for c in found.values()}
            ).values_list("person_id", flat=True)
        )
        return found

    def _person_changes(self, existing, plan):
        """The person's name and address, while the person stands only here; an empty cell
        never erases."""
        if self.person_seats.get(existing.person_id, 1) > 1:
            return {}
        diff = {}
        for name, new in plan.related["person"].items():
            old = getattr(existing.person, name)
            if new and old != new:
                diff[name] = (old, new)
        return diff

    def changes(self, existing, plan):
        diff = {}
        for name, new in plan.values.items():
            old = getattr(existing, name)
            if old != new:
                diff[name] = (old, new)
        for name, change in self._person_changes(existing, plan).items():
            diff["person " + name if name == "name" else name] = change
        return diff

    def write(self, creates, updates):
        if creates:
            self._create_candidacies(
                [
                    (
                        p.related["seat"],
                        p.related["person"]["name"],
                        p.related["person"]["address"],
                        p.related["ref"],
                        p.values,
                    )
                    for p in creates
                ]
            )
        changed = []
        for candidacy, plan in updates:
            person_diff = self._person_changes(candidacy, plan)
            if person_diff:
                for name, (_old, new) in person_diff.items():
                    setattr(candidacy.person, name, new)
                candidacy.person._change_reason = self.change_reason
                candidacy.person.save()
            for name, value in plan.values.items():
                setattr(candidacy, name, value)
            changed.append(candidacy)
        if changed:
            bulk_update_with_history(
                changed,
                Candidacy,
                ["party", "party_as_written", "symbol", "updated_at"],
                batch_size=500,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )


@register
class NationalCandidatesImporter(_CandidateListImporter):
    slug = "na-candidates-ecp"
    label = gettext_lazy("National Assembly candidates (Election Commission list)")
    description = gettext_lazy(
        "The Election Commission's list of National Assembly candidates as published: one row "
        "per candidate with the seat (NA-1; stray spaces and OCR slips such as NA-I33 are "
        "corrected and reported), name (OCR slips such as 'lftikhar' are corrected), address "
        "(personal data, shown only to staff who may see it), symbol ('Tiger (No.284)' is read "
        "as Tiger) and party (matched by name, abbreviation or alias; 'Independent' is no "
        "party; a party that matches nothing is kept as written and reported). Seats must be "
        "loaded first (the constituencies importer). Rows of one election with the same name "
        "and the same party are one person standing in several seats; otherwise each row is "
        "its own person. Importing the same file again changes nothing."
    )
    source_hint = gettext_lazy("na-candidates-ecp-2018.csv from the 2018 election data.")
    assemblies = NATIONAL
    personal_address = True
    fields = [
        Field(
            "seat",
            gettext_lazy("Seat"),
            required=True,
            aliases=("Constituency Number (ID)", "constituency_id", "constituency"),
        ),
        Field(
            "name",
            gettext_lazy("Candidate"),
            required=True,
            aliases=("Name of candidate", "candidate_name", "candidate"),
        ),
        Field(
            "party", gettext_lazy("Party"), required=True, aliases=("Party Affiliation", "party_abbreviation")
        ),
        Field(
            "symbol",
            gettext_lazy("Election symbol"),
            aliases=("Symbol Alloted", "Symbol Allotted", "symbol_name"),
        ),
        Field(
            "address", gettext_lazy("Address"), aliases=("Address of the contestant", "address of candidate")
        ),
        Field(
            "seat_name",
            gettext_lazy("Seat name"),
            aliases=("Constituency Name",),
            help=gettext_lazy("Not read: the seat code decides."),
        ),
        Field(
            "province",
            gettext_lazy("Province"),
            help=gettext_lazy("Checked against the seat's: a row listed under another province is refused."),
        ),
    ]


@register
class ProvincialCandidatesImporter(_CandidateListImporter):
    slug = "pa-candidates"
    label = gettext_lazy("Provincial assembly candidates")
    description = gettext_lazy(
        "Candidates of the provincial assemblies (PP, PS, PK, PB seats): one row per candidate "
        "with the seat, name, party (abbreviations such as 'PML N', 'PPPP', 'MMA' are matched "
        "like names; 'Independent' is no party; a party that matches nothing is kept as "
        "written and reported) and symbol. Seats must be loaded first (the constituencies "
        "importer with pa-seats-2018.csv). Importing the same file again changes nothing."
    )
    source_hint = gettext_lazy("candidates-pp.csv, candidates-ps.csv, candidates-pk.csv, candidates-pb.csv.")
    assemblies = PROVINCIAL
    fields = [
        Field(
            "seat",
            gettext_lazy("Seat"),
            required=True,
            aliases=("constituency_id", "constituency", "Constituency Number (ID)"),
        ),
        Field(
            "name",
            gettext_lazy("Candidate"),
            required=True,
            aliases=("candidate_name", "Name of candidate", "candidate"),
        ),
        Field(
            "party", gettext_lazy("Party"), required=True, aliases=("party_abbreviation", "Party Affiliation")
        ),
        Field("symbol", gettext_lazy("Election symbol"), aliases=("symbol_name", "Symbol Alloted")),
    ]


# --- results ---------------------------------------------------------------------------------


class _ResultsImporter(_ElectionImporter):
    fields = [
        Field(
            "seat",
            gettext_lazy("Seat"),
            required=True,
            aliases=("constituency", "constituency_id"),
            help=gettext_lazy("On the first row of each seat; rows below with no seat belong to it."),
        ),
        Field(
            "turnout",
            gettext_lazy("Turnout (%)"),
            aliases=("Percentage of Votes Polled to Registered Voters", "turnout"),
        ),
        Field(
            "registered", gettext_lazy("Registered voters"), aliases=("Registered Votes", "registered voters")
        ),
        Field("polled", gettext_lazy("Votes polled"), aliases=("Votes Polled",)),
        Field("valid", gettext_lazy("Valid votes"), aliases=("Valid Votes",)),
        Field("rejected", gettext_lazy("Rejected votes"), aliases=("Rejected Votes",)),
        Field(
            "candidate",
            gettext_lazy("Candidate"),
            required=True,
            aliases=("results__candidate", "candidate_name"),
        ),
        Field("party", gettext_lazy("Party"), aliases=("results__party", "party_abbreviation")),
        Field("votes", gettext_lazy("Votes"), required=True, aliases=("results__votes",)),
    ]
    TOTALS = ("registered_voters", "votes_polled", "valid_votes", "rejected_votes", "turnout")

    def prepare(self):
        super().prepare()
        self.current = None  # (seat, row label) of the seat the rows below belong to
        self.rejected_seat = None
        self.listed = defaultdict(list)  # seat id → [(normalised, candidacy id, party id)]
        self.results = {}
        if self.election.pk:
            for row in (
                Candidacy.objects.filter(
                    election=self.election,
                    constituency__assembly__in=self.assemblies,
                    added_from_results=False,
                )
                .values("pk", "constituency_id", "person__normalised", "party_id")
                .order_by("pk")
            ):
                self.listed[row["constituency_id"]].append(
                    (row["person__normalised"], row["pk"], row["party_id"])
                )
            self.results = {
                r.constituency_id: r
                for r in ConstituencyResult.objects.filter(
                    election=self.election, constituency__assembly__in=self.assemblies
                )
            }
        self.matched = {}
        self.occurrences = Counter()
        self.unmatched_names = []
        self.new_names = Counter()

    def _totals(self, row, warnings):
        """The seat's totals; one that cannot be right is left empty and the row says so (the
        candidate's votes on the row still count)."""
        readers = {
            "registered_voters": (whole_number, "registered", _("Registered voters")),
            "votes_polled": (whole_number, "polled", _("Votes polled")),
            "valid_votes": (whole_number, "valid", _("Valid votes")),
            "rejected_votes": (whole_number, "rejected", _("Rejected votes")),
            "turnout": (percentage, "turnout", _("Turnout")),
        }
        totals = {}
        for name, (read, column, what) in readers.items():
            try:
                totals[name] = read(row[column], what)
            except RowError as exc:
                warnings.append(_("%(problem)s It is left empty.") % {"problem": exc})
                totals[name] = None
        self._fill_turnout(totals, warnings)
        return totals if any(v is not None for v in totals.values()) else None

    @staticmethod
    def _fill_turnout(totals, warnings):
        """A turnout left out, or published as 0% for a seat where votes were polled (some of
        the Election Commission's rows), is worked out from the votes polled and the registered
        voters; the row says so when it replaces a written 0."""
        registered, polled, turnout = totals["registered_voters"], totals["votes_polled"], totals["turnout"]
        if not registered or polled is None or polled > registered:
            return
        if turnout is None or (turnout == 0 and polled > 0):
            worked_out = (Decimal(100) * polled / registered).quantize(Decimal("0.01"))
            if turnout is not None:
                warnings.append(
                    _(
                        "The turnout is written as 0%% although %(polled)s votes were polled: "
                        "%(turnout)s%% is worked out from the votes polled and the registered voters."
                    )
                    % {"polled": polled, "turnout": worked_out}
                )
            totals["turnout"] = worked_out

    def prepare_rows(self, rows):
        """Match each seat's result names to its listed candidates together, so that a name
        never takes a candidate another row names exactly, and the same file gives the same
        matches after its new names were added: first the same names, then the same
        spellings ('M Aslam', 'Muhammad Aslam'), then close ones, closest first."""
        seat, names = None, defaultdict(list)
        # Reading ahead must not count the seat fixes and unknown parties the rows report.
        fixes, unknown = self.seat_fixes.copy(), self.matcher.unmatched.copy()
        for row in rows:
            written = clean_text(row["seat"])
            if written:
                try:
                    seat = self.seat(written, [])
                except RowError:
                    seat = None
            name = clean_person_name(row["candidate"])
            if seat is not None and name:
                names[seat.pk].append((name, self.matcher.match(row["party"]).party))
        self.seat_fixes, self.matcher.unmatched = fixes, unknown
        self.matched = {}  # (seat id, normalised name, nth of that name in the seat) → (pk, note)
        for seat_pk, rows_of_seat in names.items():
            self._match_seat(seat_pk, rows_of_seat)

    def _match_seat(self, seat_pk, rows_of_seat):
        listed = list(self.listed.get(seat_pk, ()))
        taken = set()
        keys, seen = [], Counter()
        for name, _party in rows_of_seat:
            norm = normalise_name(name)
            seen[norm] += 1
            keys.append((seat_pk, norm, seen[norm]))
        open_rows = list(range(len(rows_of_seat)))
        for same in (lambda a: a, lambda a: name_skeleton(a).replace(" ", "")):
            for i in list(open_rows):
                wanted = same(keys[i][1])
                for candidate_norm, pk, _party_id in listed:
                    if pk not in taken and same(candidate_norm) == wanted:
                        note = "" if candidate_norm == keys[i][1] else ("spelling", candidate_norm, 100)
                        self.matched[keys[i]] = (pk, note)
                        taken.add(pk)
                        open_rows.remove(i)
                        break
        pairs = []
        for i in open_rows:
            party = rows_of_seat[i][1]
            for order, (candidate_norm, pk, party_id) in enumerate(listed):
                if pk in taken:
                    continue
                score = names_alike(candidate_norm, keys[i][1])
                same_party = party is not None and party_id == party.pk
                if score >= NAME_SCORE or (same_party and score >= SAME_PARTY_NAME_SCORE):
                    pairs.append((-score, i, order, candidate_norm, pk))
        for negative_score, i, _order, candidate_norm, pk in sorted(pairs):
            if keys[i] in self.matched or pk in taken:
                continue
            self.matched[keys[i]] = (pk, ("close", candidate_norm, -negative_score))
            taken.add(pk)

    def _candidacy(self, seat, name, warnings):
        """The listed candidacy of `seat` this result's name is (as `prepare_rows` matched
        them), or None."""
        norm = normalise_name(name)
        self.occurrences[(seat.pk, norm)] += 1
        pk, note = self.matched.get((seat.pk, norm, self.occurrences[(seat.pk, norm)]), (None, ""))
        if note and note[0] == "spelling":
            warnings.append(
                _("“%(name)s” was matched to the listed candidate “%(listed)s” of %(seat)s.")
                % {"name": name, "listed": note[1], "seat": seat.code}
            )
        elif note:
            warnings.append(
                _(
                    "“%(name)s” was matched to the listed candidate “%(listed)s” of %(seat)s (%(score)s%% alike)."
                )
                % {"name": name, "listed": note[1], "seat": seat.code, "score": round(note[2])}
            )
        return pk

    def parse(self, row):
        warnings = []
        written_seat = clean_text(row["seat"])
        if written_seat:
            self.current, self.rejected_seat = None, None
            try:
                seat = self.seat(written_seat, warnings)
            except RowError as exc:
                self.rejected_seat = written_seat
                raise exc
            self.current = seat
            totals = self._totals(row, warnings)
        else:
            if self.rejected_seat:
                raise RowError(
                    _("This row belongs to the seat %(seat)s above, which was rejected.")
                    % {"seat": self.rejected_seat}
                )
            if self.current is None:
                raise RowError(_("No seat is given above this row: the first row of each seat names it."))
            seat, totals = self.current, None
        name = clean_person_name(row["candidate"])
        if not name:
            raise RowError(_("The candidate's name is empty."))
        votes = whole_number(row["votes"], _("Votes"), required=True)
        match = self.matcher.match(row["party"])
        pk = self._candidacy(seat, name, warnings)
        if pk is not None:
            key = ("listed", pk)
            new = None
        else:
            if match.warning:
                warnings.append(match.warning)
            warnings.append(
                _("%(name)s is not on the candidate list of %(seat)s: added as a candidate.")
                % {"name": name, "seat": seat.code}
            )
            self.unmatched_names.append((seat.code, name))
            norm = normalise_name(name)
            self.new_names[(seat.pk, norm)] += 1
            # Two new candidates of one name in a seat are two people: the first and the second.
            key = ("new", seat.pk, norm, self.new_names[(seat.pk, norm)])
            new = {"name": name, "party": match.party, "party_as_written": match.as_written}
        return Plan(
            key=key,
            values={"votes": votes},
            related={"seat": seat, "totals": totals, "new": new},
            warnings=warnings,
            scope_area=seat.province if seat.province_id else None,
            label=f"{seat.code} {name}",
        )

    def summary(self):
        lines = super().summary()
        if self.unmatched_names:
            lines.append(
                _("%(n)s names in the results were not on the candidate lists and were added: %(names)s")
                % {
                    "n": len(self.unmatched_names),
                    "names": "; ".join(f"{s} {n}" for s, n in self.unmatched_names),
                }
            )
        return lines

    def fetch_existing(self, plans):
        found = {}
        listed = Candidacy.objects.in_bulk([p.key[1] for p in plans if p.key[0] == "listed"])
        for pk, candidacy in listed.items():
            found[("listed", pk)] = candidacy
        new = [p for p in plans if p.key[0] == "new"]
        if new and self.election.pk:
            counts = Counter()
            for candidacy in (
                Candidacy.objects.filter(
                    election=self.election,
                    added_from_results=True,
                    constituency_id__in={p.key[1] for p in new},
                    person__normalised__in={p.key[2] for p in new},
                )
                .select_related("person")
                .order_by("pk")
            ):
                base = (candidacy.constituency_id, candidacy.person.normalised)
                counts[base] += 1
                found[("new", *base, counts[base])] = candidacy
        return found

    def _totals_changes(self, plan):
        totals = plan.related["totals"]
        if totals is None:
            return {}
        stored = self.results.get(plan.related["seat"].pk)
        diff = {}
        for name in self.TOTALS:
            old = getattr(stored, name) if stored else None
            if totals[name] is not None and old != totals[name]:
                diff[name] = (old, totals[name])
        return diff

    def changes(self, existing, plan):
        diff = self._totals_changes(plan)
        if existing.votes != plan.values["votes"]:
            diff["votes"] = (existing.votes, plan.values["votes"])
        return diff

    def write(self, creates, updates):
        self._save_election()
        touched = set()
        if creates:
            self._create_candidacies(
                [
                    (
                        p.related["seat"],
                        p.related["new"]["name"],
                        "",
                        None,
                        {
                            "party": p.related["new"]["party"],
                            "party_as_written": p.related["new"]["party_as_written"],
                            "votes": p.values["votes"],
                            "added_from_results": True,
                        },
                    )
                    for p in creates
                ]
            )
        changed = []
        for candidacy, plan in updates:
            if candidacy.votes != plan.values["votes"]:
                candidacy.votes = plan.values["votes"]
                changed.append(candidacy)
        if changed:
            bulk_update_with_history(
                changed,
                Candidacy,
                ["votes", "updated_at"],
                batch_size=500,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )
        for plan in [*creates, *(p for _c, p in updates)]:
            seat = plan.related["seat"]
            touched.add(seat.pk)
            if self._totals_changes(plan):
                totals = {k: v for k, v in plan.related["totals"].items() if v is not None}
                result, _created = ConstituencyResult.objects.update_or_create(
                    election=self.election, constituency=seat, defaults=totals
                )
                self.results[seat.pk] = result
        mark_winners(self.election, touched)


def mark_winners(election, seat_ids):
    """The candidacy with the most votes in each seat wins; on a tie for the most, none is
    marked (a tie is decided by lot, which a list of votes does not say)."""
    votes = defaultdict(list)
    for pk, seat_id, n, won in Candidacy.objects.filter(
        election=election, constituency_id__in=seat_ids
    ).values_list("pk", "constituency_id", "votes", "is_winner"):
        votes[seat_id].append((pk, n, won))
    winners, losers = [], []
    for rows in votes.values():
        counted = [r for r in rows if r[1] is not None]
        top = max((r[1] for r in counted), default=None)
        leaders = [r[0] for r in counted if r[1] == top] if top else []
        winner = leaders[0] if len(leaders) == 1 else None
        for pk, _n, won in rows:
            if pk == winner and not won:
                winners.append(pk)
            elif pk != winner and won:
                losers.append(pk)
    if winners:
        Candidacy.objects.filter(pk__in=winners).update(is_winner=True)
    if losers:
        Candidacy.objects.filter(pk__in=losers).update(is_winner=False)


@register
class NationalResultsImporter(_ResultsImporter):
    slug = "na-results"
    label = gettext_lazy("National Assembly results")
    description = gettext_lazy(
        "Results by seat: the seat and its totals (registered voters, votes polled, valid and "
        "rejected votes, turnout) on the first row of each seat, then one row per candidate "
        "with their party and votes. Each name is matched to the seat's listed candidate "
        "(exactly, or a very close spelling, which the row reports); a name the list did not "
        "have is added as a candidate and reported. The winner is the candidate with the most "
        "votes. Import the candidate list first; importing the same file again changes nothing."
    )
    source_hint = gettext_lazy("na-results-2018.csv from the 2018 election data.")
    assemblies = NATIONAL


@register
class ProvincialResultsImporter(_ResultsImporter):
    slug = "pa-results"
    label = gettext_lazy("Provincial assembly results")
    description = gettext_lazy(
        "Results of provincial seats, in the same columns as the National Assembly results. The "
        "2018 file pa-results-2018.json is JSON (a list of seats, each with its results): it is "
        "read as these columns, a seat's totals on its first row and a row per candidate."
    )
    source_hint = gettext_lazy("pa-results-2018.json from the 2018 election data (see above).")
    assemblies = PROVINCIAL
