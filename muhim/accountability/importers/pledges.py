"""Importing pledges (CSV/XLSX) through the one import framework.

One row per pledge: the election, who made it (a candidate by seat and name; a seat and a
party alone name that party's candidate there; a party alone is the party's national
pledge), the date, the source and what was promised, and optionally the rating it has now.

A pledge is matched on its election, its maker (the candidacy, or the party of a party's
pledge), its date and its text, so importing the same file twice changes nothing. Every row is
checked with the rules of `pledge_services` first, and stored through them (`save_pledge`,
`rate_pledge`): an organiser imports only pledges of seats in their regions. A rating that
differs from the pledge's current one becomes a dated change in its history. Empty cells never
erase what is stored.

Parties are matched as the candidate lists match them (`elections.services.PartyMatcher`)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muhim.accounts.permissions import Capability, is_regional, user_can
from muhim.activities.importers import choice_of, service_call, text_of, yes_no
from muhim.core.imports.base import Field, ModelImporter, Plan, RowError
from muhim.core.imports.registry import register
from muhim.elections.models import Candidacy, Election, normalise_name
from muhim.elections.services import PartyMatcher
from muhim.geography.models import Constituency
from muhim.manifestos.models import Topic
from muhim.network.importers import parse_date

from .. import pledge_services as services
from ..models import Pledge, Rating
from ..pledge_forms import SEAT_CODE

TEXT_LIMIT = 4000
CHANGED = (
    "constituency",
    "source_url",
    "text_ur",
    "is_education",
    "topic",
    "commits_four_percent",
    "is_published",
    "source_type",
)


class PartyLookup:
    """Parties as the candidate lists match them (`elections.services.PartyMatcher`: name,
    abbreviation or alias, normalised); a party string that matches none is the row's error."""

    def __init__(self):
        self.matcher = PartyMatcher()

    def __call__(self, text):
        if not (text or "").strip():
            return None
        found = self.matcher.match(text)
        if found.party is not None:
            return found.party
        if found.independent:
            return None
        raise RowError(found.warning)


class ElectionLookup:
    def __init__(self):
        self.elections = list(Election.objects.all())

    def __call__(self, text):
        value = (text or "").strip()
        if not value:
            raise RowError(_("The election is empty; give its slug, e.g. ge-2018."))
        key = normalise_name(value)
        for election in self.elections:
            if value.casefold() == election.slug.casefold() or key == normalise_name(election.name):
                return election
        if value.isdigit():
            same_year = [e for e in self.elections if e.polling_date.year == int(value)]
            general = [e for e in same_year if e.kind == Election.Kind.GENERAL]
            if len(general) == 1:
                return general[0]
        raise RowError(
            _("%(value)r is not an election we know; use one of: %(slugs)s.")
            % {"value": value, "slugs": ", ".join(e.slug for e in self.elections) or _("none yet")}
        )


@register
class PledgeImporter(ModelImporter):
    slug = "pledges"
    label = gettext_lazy("Pledges")
    description = gettext_lazy(
        "One row per pledge: the election (slug, name or year), the seat (e.g. NA-125) and the "
        "candidate's name, or a party (name, abbreviation or alias) — a seat and a party alone "
        "name that party's candidate there, a party alone its national pledge —, the date, the "
        "source (manifesto, corner meeting, speech, interview, social media, written pledge), "
        "a source link, what was promised (and in Urdu), the topic, whether it is about "
        "education (yes/no, yes when empty) and commits four per cent of GDP, whether it is published, "
        "and its rating now (not yet rated, in the works, stalled, kept, compromise, broken) "
        "with the date of the rating. A pledge is matched on its election, who made it, its "
        "date and its text: importing the same file again changes nothing."
    )
    source_hint = gettext_lazy(
        "Pledges heard at corner meetings or collected from the press, kept in a spreadsheet, "
        "or an export of /api/v1/pledges/?format=csv."
    )
    capability = Capability.MANAGE_PLEDGES
    model = Pledge
    key_fields = ("election", "candidacy", "party", "made_on", "text")
    chunk_size = 200
    fields = [
        Field("election", gettext_lazy("Election"), required=True, aliases=("election slug", "انتخاب")),
        Field("seat", gettext_lazy("Seat"), aliases=("constituency", "seat code", "حلقہ")),
        Field("candidate", gettext_lazy("Candidate"), aliases=("candidate name", "name", "امیدوار")),
        Field("party", gettext_lazy("Party"), aliases=("party name", "جماعت")),
        Field(
            "made_on",
            gettext_lazy("Date"),
            required=True,
            aliases=("made on", "date made", "تاریخ"),
            help=gettext_lazy("2018-07-01 or 01/07/2018."),
        ),
        Field("source_type", gettext_lazy("Source"), required=True, aliases=("source type", "where")),
        Field("source_url", gettext_lazy("Source link"), aliases=("source url", "link", "url")),
        Field(
            "text", gettext_lazy("What was promised"), required=True, aliases=("pledge", "promise", "وعدہ")
        ),
        Field("text_ur", gettext_lazy("What was promised (Urdu)"), aliases=("pledge (urdu)", "urdu")),
        Field("topic", gettext_lazy("Topic")),
        Field("education", gettext_lazy("About education"), aliases=("is_education", "is education")),
        Field(
            "four_percent",
            # xgettext:no-python-format
            gettext_lazy("Commits 4% of GDP"),
            aliases=("commits_four_percent", "4%", "4 percent", "four percent"),
        ),
        Field("published", gettext_lazy("Published"), aliases=("is_published", "public")),
        Field("rating", gettext_lazy("Rating"), aliases=("status", "promise tracker")),
        Field("rated_on", gettext_lazy("Rated on"), aliases=("rating date", "rated")),
    ]

    def prepare(self):
        self.elections = ElectionLookup()
        self.parties = PartyLookup()
        self.seats = {}
        self.candidates = {}
        self.today = timezone.localdate()

    # --- one row --------------------------------------------------------------------------------

    def _seat(self, election, text):
        code = (text or "").strip().upper().replace(" ", "")
        if not code:
            return None
        match = SEAT_CODE.match(code)
        if match:
            code = f"{match.group(1)}-{int(match.group(2))}"
        key = (election.delimitation_year, code)
        if key not in self.seats:
            self.seats[key] = (
                Constituency.objects.filter(code__iexact=code, delimitation_year=election.delimitation_year)
                .prefetch_related("areas")
                .first()
            )
        seat = self.seats[key]
        if seat is None:
            raise RowError(
                _("%(code)s is not a seat of the %(year)s delimitation (%(election)s).")
                % {"code": text.strip(), "year": election.delimitation_year, "election": election.name}
            )
        return seat

    def _candidates(self, election, seat):
        key = (election.pk, seat.pk)
        if key not in self.candidates:
            self.candidates[key] = list(
                Candidacy.objects.filter(election=election, constituency=seat).select_related(
                    "person", "party", "constituency"
                )
            )
        return self.candidates[key]

    def _candidate(self, election, seat, name, party, warnings):
        candidates = self._candidates(election, seat)
        if name:
            wanted = normalise_name(name)
            found = [c for c in candidates if c.person.normalised == wanted]
            if not found:
                found = [c for c in candidates if wanted and wanted in c.person.normalised]
            if len(found) != 1:
                names = ", ".join(c.person.name for c in candidates) or _("none on record")
                if found:
                    raise RowError(
                        _("%(name)r could be more than one candidate for %(seat)s: %(names)s.")
                        % {"name": name, "seat": seat.code, "names": ", ".join(c.person.name for c in found)}
                    )
                raise RowError(
                    _(
                        "No candidate called %(name)r stood for %(seat)s in %(election)s (its candidates: %(names)s)."
                    )
                    % {"name": name, "seat": seat.code, "election": election.name, "names": names}
                )
            return found[0]
        if party is None:
            return None
        found = [c for c in candidates if c.party_id == party.pk]
        if len(found) == 1:
            return found[0]
        warnings.append(
            _("%(party)s had no single candidate for %(seat)s: taken as the party's pledge made there.")
            % {"party": party.short_name, "seat": seat.code}
        )
        return None

    def parse(self, row):
        election = self.elections(row["election"])
        seat = self._seat(election, row["seat"])
        party = self.parties(row["party"])
        name = " ".join(row["candidate"].split())
        warnings = []
        if name and seat is None:
            raise RowError(
                _("Give the seat of %(name)s (e.g. NA-125): names alone are not unique.") % {"name": name}
            )
        candidacy = self._candidate(election, seat, name, party, warnings) if seat else None
        if candidacy is None and party is None:
            raise RowError(
                _("A pledge is made by a candidate or a party: give the seat and candidate, or the party.")
            )
        text = text_of(row["text"], _("What was promised"), TEXT_LIMIT)
        if not text:
            raise RowError(_("What was promised is empty."))
        made_on = parse_date(row["made_on"], _("The date"))
        if made_on is None:
            raise RowError(_("The date is empty."))
        values = {
            "election": election,
            "candidacy": candidacy,
            "party": party,
            "constituency": seat,
            "made_on": made_on,
            "text": text,
            "source_type": choice_of(row["source_type"], Pledge.SourceType.choices, _("The source")),
        }
        for column, field, what in (
            ("education", "is_education", _("About education")),
            # xgettext:no-python-format
            ("four_percent", "commits_four_percent", _("Commits 4% of GDP")),
            ("published", "is_published", _("Published")),
        ):
            answer = yes_no(row[column], what)
            if answer is not None:
                values[field] = answer
        if row["topic"].strip():
            values["topic"] = choice_of(row["topic"], Topic.choices, _("The topic"))
        for column, what in (("source_url", _("The source link")), ("text_ur", _("The Urdu text"))):
            value = text_of(row[column], what, 500 if column == "source_url" else TEXT_LIMIT)
            if value:
                values[column] = value
        rating = None
        if row["rating"].strip():
            rating = choice_of(row["rating"], Rating.choices, _("The rating"))
        rated_on = parse_date(row["rated_on"], _("The rating date"))

        # The services' own checks, without saving: what the preview shows is what saving says.
        probe = Pledge(
            is_education=values.get("is_education", True),
            **{k: v for k, v in values.items() if k != "is_education"},
        )
        problems = services.problems_of(probe)
        if problems:
            raise RowError(" ".join(str(m) for messages in problems.values() for m in messages))
        if rated_on is not None and (rated_on > self.today or rated_on < made_on):
            raise RowError(_("The rating date must be between the pledge's date and today."))
        seat = probe.constituency
        values["party"] = probe.party
        values["constituency"] = seat
        scope_area = None
        if self.user is not None and is_regional(self.user):
            problem = services.region_problem(self.user, seat)
            if problem:
                raise RowError(problem)
            scope_area = next(
                a for a in seat.areas.all() if user_can(self.user, Capability.MANAGE_PLEDGES, a)
            )
        maker = candidacy.person.name if candidacy else probe.party.short_name
        return Plan(
            key=self._key(election.pk, candidacy.pk if candidacy else None, probe.party_id, made_on, text),
            values=values,
            related={"rating": rating, "rated_on": rated_on},
            warnings=warnings,
            scope_area=scope_area,
            label=f"{maker}, {made_on:%Y-%m-%d}: {text[:40]}",
        )

    @staticmethod
    def _key(election_id, candidacy_id, party_id, made_on, text):
        # A candidate's pledge is theirs whatever party it also names.
        return (election_id, candidacy_id, None if candidacy_id else party_id, made_on, text)

    # --- comparing with what is stored ------------------------------------------------------------

    def fetch_existing(self, plans):
        if not plans:
            return {}
        wanted = {plan.key for plan in plans}
        stored = Pledge.objects.filter(
            election_id__in={k[0] for k in wanted},
            made_on__in={k[3] for k in wanted},
            text__in={k[4] for k in wanted},
        ).select_related("constituency")
        found = {}
        for pledge in stored:
            key = self._key(
                pledge.election_id, pledge.candidacy_id, pledge.party_id, pledge.made_on, pledge.text
            )
            if key in wanted:
                found[key] = pledge
        return found

    def changes(self, existing, plan):
        diff = {}
        for name in CHANGED:
            if name in plan.values:
                old, new = getattr(existing, name), plan.values[name]
                if name == "constituency":
                    old, new = existing.constituency_id, getattr(new, "pk", None)
                if old != new:
                    diff[name] = (old, new)
        rating = plan.related["rating"]
        if rating and rating != existing.rating and not self._in_history(existing, plan):
            diff["rating"] = (existing.rating, rating)
        return diff

    # --- writing --------------------------------------------------------------------------------

    def write(self, creates, updates):
        for plan in creates:
            pledge = service_call(services.save_pledge, user=self.user, data=dict(plan.values))
            self._rate(pledge, plan)
        for pledge, plan in updates:
            changed = {name for name in self.changes(pledge, plan) if name != "rating"}
            if changed:
                pledge._change_reason = self.change_reason
                service_call(
                    services.save_pledge,
                    user=self.user,
                    data={name: plan.values[name] for name in changed},
                    pledge=pledge,
                )
            self._rate(pledge, plan)

    def _in_history(self, pledge, plan):
        """Whether the file's rating, on its date, is in the pledge's history already."""
        rated_on = plan.related["rated_on"] or self.today
        return pledge.ratings.filter(rating=plan.related["rating"], rated_on=rated_on).exists()

    def _rate(self, pledge, plan):
        rating = plan.related["rating"]
        if not rating or rating == Pledge.objects.filter(pk=pledge.pk).values_list("rating", flat=True)[0]:
            return
        if self._in_history(pledge, plan):
            return  # re-rated since on the page: the file says nothing new
        service_call(
            services.rate_pledge,
            user=self.user,
            pledge=pledge,
            rating=rating,
            rated_on=plan.related["rated_on"] or self.today,
            note=_("Imported (%(reason)s).") % {"reason": self.change_reason},
        )
