"""Writes and questions that span the election models: matching a party as a list writes it,
loading the seed parties, the election an import is for, the party report of an election, and
what a seat's scorecard shows (`seat_candidates`).

Party matching is exact: a party string matches a party when, after `normalise_name` and
without spaces, it equals the party's name, abbreviation or one of its aliases. Nothing is
guessed: a string that matches nothing stays on the candidacy as written and is reported; the
closest party by `rapidfuzz` is only *suggested* in the report, for a person to confirm by
adding the alias on the party's page."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rapidfuzz import fuzz, process

from .models import Candidacy, ConstituencyResult, Election, Party, PartyAlias, normalise_name
from .parties import INDEPENDENT_NAMES, SEED_PARTIES

DEFAULT_ELECTION = "ge-2018"
# Elections an import may create when they are not there yet.
KNOWN_ELECTIONS = {
    "ge-2018": {
        "name": "General election 2018",
        "name_ur": "عام انتخابات 2018",
        "kind": Election.Kind.GENERAL,
        "polling_date": datetime.date(2018, 7, 25),
        "delimitation_year": 2018,
    }
}
# A suggestion below this score (rapidfuzz WRatio, 0–100) is not worth showing.
SUGGESTION_SCORE = 75
# A spelling of "Independent" this close is read as independent (and the row says so).
INDEPENDENT_SCORE = 90


def match_key(text):
    """What party strings are compared on: normalised, spaces dropped ('PML N' == 'PMLN')."""
    return normalise_name(str(text or "").replace("&", " and ")).replace(" ", "")


def taken_party_keys(exclude_pk=None):
    """What party matching reads as some party other than `exclude_pk`: match key → that
    party's name (its name, abbreviation and aliases)."""
    from .models import Party

    taken = {}
    for party in Party.objects.exclude(pk=exclude_pk).prefetch_related("aliases"):
        for text in (party.name, party.abbreviation, *(a.alias for a in party.aliases.all())):
            if match_key(text):
                taken.setdefault(match_key(text), party.name)
    return taken


def taken_message(text, party_name):
    return _(
        "“%(text)s” already stands for %(party)s (its name, abbreviation or an alias): "
        "candidate lists could not tell the two apart."
    ) % {"text": text, "party": party_name}


def clean_text(text):
    """Runs of white space (line breaks inside a cell too) become one space."""
    return " ".join(str(text or "").split())


# --- elections ---------------------------------------------------------------------------------


def election_for(slug):
    """The election called `slug`; an unsaved one for a known election not stored yet (an
    import saves it when it writes), or None."""
    slug = (slug or DEFAULT_ELECTION).strip()
    election = Election.objects.filter(slug=slug).first()
    if election is None and slug in KNOWN_ELECTIONS:
        election = Election(slug=slug, **KNOWN_ELECTIONS[slug])
    return election


def ensure_election(slug=DEFAULT_ELECTION):
    election = election_for(slug)
    if election is not None and election.pk is None:
        election.save()
    return election


# --- matching parties ---------------------------------------------------------------------------


@dataclass
class PartyMatch:
    party: Party | None = None
    independent: bool = False
    as_written: str = ""  # kept on the candidacy when nothing matched
    warning: str = ""

    @property
    def matched(self):
        return self.party is not None or self.independent


class PartyMatcher:
    """Party strings → parties, loaded once per import."""

    def __init__(self, parties=None):
        parties = list(parties if parties is not None else Party.objects.prefetch_related("aliases"))
        self.by_key = {}
        self.names = {}
        for party in parties:
            self.add(party, [a.alias for a in party.aliases.all()] if party.pk else [])
        self.unmatched = Counter()

    def add(self, party, aliases=()):
        for text in (party.name, party.abbreviation, party.name_ur, *aliases):
            key = match_key(text)
            if key:
                self.by_key.setdefault(key, party)
        self.names[party.name] = party

    def match(self, text):
        written = clean_text(text).strip(" .")
        key = match_key(written)
        if not key:
            return PartyMatch(independent=True, warning=_("No party is given: recorded as independent."))
        party = self.by_key.get(key)
        if party is not None:
            return PartyMatch(party=party)
        normalised = normalise_name(written)
        if normalised in INDEPENDENT_NAMES or key in {match_key(n) for n in INDEPENDENT_NAMES}:
            return PartyMatch(independent=True)
        if fuzz.ratio(normalised, "independent") >= INDEPENDENT_SCORE:
            return PartyMatch(
                independent=True,
                warning=_("The party “%(party)s” was read as Independent.") % {"party": written},
            )
        self.unmatched[written] += 1
        hint = self.suggest(written)
        message = _(
            "The party “%(party)s” matches no party; it is kept as written. If it is a known "
            "party, add “%(party)s” as an alias on that party's page and import again."
        ) % {"party": written}
        if hint:
            message += " " + _("Perhaps %(party)s?") % {"party": hint}
        return PartyMatch(as_written=written[:200], warning=message)

    def suggest(self, text):
        if not self.names:
            return ""
        found = process.extractOne(normalise_name(text), {n: normalise_name(n) for n in self.names}.values())
        if not found or found[1] < SUGGESTION_SCORE:
            return ""
        for name in self.names:
            if normalise_name(name) == found[0]:
                return name
        return ""

    def summary(self):
        """One line per party string that matched nothing, the most frequent first."""
        return unmatched_lines(self.unmatched.most_common(), self.suggest)


def unmatched_lines(counts, suggest):
    if not counts:
        return []
    lines = [
        ngettext(
            "%(n)s party name matched no party and was kept as written:",
            "%(n)s party names matched no party and were kept as written:",
            len(counts),
        )
        % {"n": len(counts)}
    ]
    for text, n in counts:
        hint = suggest(text)
        line = ngettext("“%(party)s”: %(n)s candidacy", "“%(party)s”: %(n)s candidacies", n) % {
            "party": text,
            "n": n,
        }
        if hint:
            line += " " + _("(perhaps %(party)s?)") % {"party": hint}
        lines.append(line)
    return lines


def unmatched_parties(election):
    """[(party as written, candidacies, suggested party name)] of `election`, most first."""
    rows = (
        Candidacy.objects.filter(election=election, party__isnull=True)
        .exclude(party_as_written="")
        .values("party_as_written")
        .annotate(n=Count("pk"))
        .order_by("-n", "party_as_written")
    )
    matcher = PartyMatcher()
    return [(row["party_as_written"], row["n"], matcher.suggest(row["party_as_written"])) for row in rows]


@transaction.atomic
def rematch_parties(*, election):
    """Candidacies kept with an unmatched party string that a party (or alias) now matches get
    that party: after an alias is added on a party's page. Returns how many changed."""
    matcher = PartyMatcher()
    changed = 0
    stale = Candidacy.objects.filter(election=election, party__isnull=True).exclude(party_as_written="")
    for candidacy in stale:
        match = matcher.match(candidacy.party_as_written)
        if match.party is not None:
            candidacy.party = match.party
            candidacy.party_as_written = ""
            candidacy.save(update_fields=["party", "party_as_written", "updated_at"])
            changed += 1
    return changed


# --- parties -------------------------------------------------------------------------------------


@dataclass
class PartyLoad:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    aliases: int = 0
    skipped_aliases: list[str] = field(default_factory=list)


def add_aliases(party, aliases):
    """Store the aliases `party` does not have yet; an alias that is already another party's
    is skipped (returned), never moved. Returns (added, skipped)."""
    own = {match_key(party.name), match_key(party.abbreviation)}
    stored = {a.normalised: a.party_id for a in PartyAlias.objects.all()}
    added, skipped = 0, []
    for alias in aliases:
        alias = clean_text(alias)
        normalised = normalise_name(alias)
        if not normalised or match_key(alias) in own:
            continue
        holder = stored.get(normalised)
        if holder == party.pk:
            continue
        if holder is not None:
            skipped.append(alias)
            continue
        PartyAlias.objects.create(party=party, alias=alias[:200])
        stored[normalised] = party.pk
        added += 1
    return added, skipped


@transaction.atomic
def load_parties(seed=None):
    """The seed parties (parties.py), matched to stored ones by name, abbreviation or alias:
    loading twice changes nothing; an empty field of a stored party is filled, a filled one
    (perhaps corrected by a person) is left as it is."""
    report = PartyLoad()
    matcher = PartyMatcher()
    for entry in seed if seed is not None else SEED_PARTIES:
        party = None
        for text in (entry["name"], entry.get("abbreviation", ""), *entry.get("aliases", ())):
            party = matcher.by_key.get(match_key(text))
            if party is not None:
                break
        fields = ("name_ur", "abbreviation", "symbol", "symbol_ur", "colour", "website")
        if party is None:
            party = Party(name=entry["name"], **{f: entry.get(f, "") for f in fields})
            party.full_clean(exclude=["slug"])
            party.save()
            report.created += 1
        else:
            missing = [f for f in fields if entry.get(f) and not getattr(party, f)]
            for name in missing:
                setattr(party, name, entry[name])
            if missing:
                party.save()
                report.updated += 1
            else:
                report.unchanged += 1
        added, skipped = add_aliases(party, entry.get("aliases", ()))
        report.aliases += added
        report.skipped_aliases += skipped
        matcher.add(party, entry.get("aliases", ()))
    return report


@transaction.atomic
def save_party(*, party, aliases):
    """A party from its page, with the whole list of its aliases (those left out are removed)."""
    party.full_clean(exclude=["slug"])
    party.save()
    keep = {normalise_name(a) for a in aliases if normalise_name(a)}
    party.aliases.exclude(normalised__in=keep).delete()
    add_aliases(party, aliases)
    return party


def party_symbols_rows(parties_csv: bytes, symbols_csv: bytes):
    """The 2018 party list names each party's symbol by number (symbol_id into symbols.csv):
    joined into rows the `parties` importer reads (name, symbol)."""
    from muhim.core.imports.readers import read_table

    symbols_table = read_table(symbols_csv, "symbols.csv")
    by_number = {}
    for row in symbols_table.rows:
        values = {k.strip().lower(): v for k, v in row.values.items()}
        if values.get("number"):
            by_number[values["number"].strip()] = values.get("name", "").strip()
    parties_table = read_table(parties_csv, "parties.csv")
    out = []
    for row in parties_table.rows:
        values = {k.strip().lower(): v for k, v in row.values.items()}
        out.append(
            {"name": values.get("name", ""), "symbol": by_number.get(values.get("symbol_id", "").strip(), "")}
        )
    return out


# --- what the pages show ---------------------------------------------------------------------


def seat_candidates(election, constituency):
    """(candidacies ordered by votes, most first, then by name; the seat's result or None), for
    a constituency's scorecard. Candidacies carry person and party; no personal data is read."""
    candidacies = list(
        Candidacy.objects.filter(election=election, constituency=constituency)
        .select_related("person", "party")
        .defer("person__address")
        .order_by("-is_winner", "-votes", "person__name")
    )
    # Votes first (None last), the winner among the most votes.
    candidacies.sort(key=lambda c: (c.votes is None, -(c.votes or 0), c.person.name))
    result = ConstituencyResult.objects.filter(election=election, constituency=constituency).first()
    return candidacies, result


def assembly_counts(election):
    """[{assembly, label, seats, candidacies, results}] of the election's assemblies."""
    from muhim.geography.models import Constituency

    labels = dict(Constituency.Assembly.choices)
    rows = (
        Candidacy.objects.filter(election=election)
        .values("constituency__assembly")
        .annotate(
            candidacies=Count("pk"),
            seats=Count("constituency", distinct=True),
            winners=Count("pk", filter=Q(is_winner=True)),
        )
    )
    order = list(labels)
    out = [
        {
            "assembly": row["constituency__assembly"],
            "label": labels.get(row["constituency__assembly"], row["constituency__assembly"]),
            "seats": row["seats"],
            "candidacies": row["candidacies"],
            "winners": row["winners"],
        }
        for row in rows
    ]
    return sorted(out, key=lambda r: order.index(r["assembly"]) if r["assembly"] in order else 99)


def party_standings(election, *, assembly=None):
    """Parties by candidacies and seats won in `election`, most seats first; independents and
    unmatched strings as their own rows (party None)."""
    qs = Candidacy.objects.filter(election=election)
    if assembly:
        qs = qs.filter(constituency__assembly=assembly)
    rows = qs.values("party").annotate(candidacies=Count("pk"), won=Count("pk", filter=Q(is_winner=True)))
    parties = Party.objects.in_bulk([r["party"] for r in rows if r["party"]])
    out = [{"party": parties.get(r["party"]), "candidacies": r["candidacies"], "won": r["won"]} for r in rows]
    return sorted(out, key=lambda r: (-r["won"], -r["candidacies"], str(r["party"] or "")))


def rows_as_csv(rows):
    """[{column: value}] as CSV bytes, for feeding joined or flattened rows to an importer."""
    import csv
    import io

    if not rows:
        return b""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
