"""Importer `voter-surveys`: the results of voter-demand surveys, one row per (survey, rank).

A survey is the constituency, the day and the title; its rows give the demands voters named by
rank. A row is matched on (constituency, day, title, rank), so importing the same file twice
changes nothing; a file that gives a rank another demand changes it, and ranks a file leaves
out stay as they are. Whether a demand is about education is read from its words (education,
schools, teachers, تعلیم, اسکول …) unless the file has a column saying so. An unknown
constituency, or a rank given twice to different demands in one survey, rejects the row with
the reason."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muhim.accounts.permissions import Capability
from muhim.activities.importers import OrganisationLookup, count_of, link_of, text_of, yes_no
from muhim.core.imports.base import Field, Importer, Plan, RowError
from muhim.core.imports.registry import register
from muhim.elections.models import Election
from muhim.network.importers import parse_date

from ..evidence_services import SeatLookup, is_education_text
from ..models import SurveyDemand, VoterSurvey

SURVEY_FIELDS = ("respondents", "source_url", "election", "is_published")


def share_of(text, what):
    """A percentage 0–100 ('34', '34.5', '34%'); None for an empty cell."""
    value = (text or "").strip().rstrip("%").strip()
    if not value:
        return None
    try:
        share = Decimal(value.replace(",", "."))
    except InvalidOperation as exc:
        raise RowError(
            _("%(what)s %(text)r is not a number.") % {"what": what, "text": text.strip()}
        ) from exc
    if not share.is_finite():
        raise RowError(_("%(what)s %(text)r is not a number.") % {"what": what, "text": text.strip()})
    if not 0 <= share <= 100:
        raise RowError(
            _("%(what)s is %(text)s; a share is between 0 and 100.") % {"what": what, "text": text.strip()}
        )
    return share.quantize(Decimal("0.01"))


@register
class VoterSurveyImporter(Importer):
    slug = "voter-surveys"
    label = gettext_lazy("Voter-demand surveys")
    description = gettext_lazy(
        "One row per demand of a survey: the constituency's code (NA-125, PP-147 …), the day of "
        "the survey, its title, the organisation that ran it, the number of respondents, the "
        "rank of the demand (1 = named most), the demand in voters' words and the share of "
        "respondents who named it (%). An optional column says whether the demand is about "
        "education (yes/no); without it, it is read from the words. A row is matched on the "
        "constituency, day, title and rank: importing the same file again changes nothing."
    )
    source_hint = gettext_lazy("Survey results from partners and pollsters, one row per ranked demand.")
    capability = Capability.MANAGE_ELECTIONS
    chunk_size = 5000  # a survey's rows are stored together
    fields = [
        Field(
            "constituency",
            gettext_lazy("Constituency"),
            required=True,
            aliases=("constituency code", "seat", "code", "halqa", "حلقہ"),
        ),
        Field(
            "date",
            gettext_lazy("Date"),
            required=True,
            aliases=("conducted on", "survey date", "conducted_on", "تاریخ"),
            help=gettext_lazy("2018-06-30 or 30/06/2018."),
        ),
        Field("title", gettext_lazy("Title"), aliases=("survey", "survey title")),
        Field(
            "organisation", gettext_lazy("Organisation"), aliases=("conducted by", "pollster", "organization")
        ),
        Field("respondents", gettext_lazy("Respondents"), aliases=("sample", "sample size", "n")),
        Field("rank", gettext_lazy("Rank"), required=True, aliases=("position", "priority")),
        Field("demand", gettext_lazy("Demand"), required=True, aliases=("issue", "priority issue", "مطالبہ")),
        Field("share", gettext_lazy("Share (%)"), aliases=("share", "percent", "percentage", "%")),
        Field(
            "education",
            gettext_lazy("About education"),
            aliases=("is education", "is_education", "education"),
            help=gettext_lazy("yes or no; read from the demand's words when empty."),
        ),
        Field("election", gettext_lazy("Election"), aliases=("election slug",)),
        Field("source_url", gettext_lazy("Source link"), aliases=("source", "link", "url")),
        Field("published", gettext_lazy("Published"), aliases=("is_published", "public")),
    ]

    def prepare(self):
        self.seats = {}
        self.organisations = OrganisationLookup()
        self.elections = {}
        for election in Election.objects.all():
            for name in (election.slug, election.name, election.name_ur):
                if name:
                    self.elections[name.casefold()] = election
        self.ranks = {}  # (survey key, rank) → the demand given to it first
        self.surveys = {}  # survey key → its survey-level values, as first given

    def _seat(self, text, election):
        year = election.delimitation_year if election else None
        lookup = self.seats.get(year)
        if lookup is None:
            lookup = self.seats[year] = SeatLookup(year)
        try:
            return lookup(text)
        except ValidationError as exc:
            raise RowError(" ".join(exc.messages)) from exc

    def parse(self, row):
        election = None
        if row["election"].strip():
            election = self.elections.get(row["election"].strip().casefold())
            if election is None:
                raise RowError(_("There is no election %(name)r.") % {"name": row["election"].strip()})
        seat = self._seat(row["constituency"], election)
        day = parse_date(row["date"], _("The date"))
        if day is None:
            raise RowError(_("The date of the survey is empty."))
        title = text_of(row["title"], _("The title"), VoterSurvey._meta.get_field("title").max_length)
        rank = count_of(row["rank"], _("The rank"))
        if not rank:
            raise RowError(_("The rank is empty or 0; ranks start at 1."))
        demand = text_of(row["demand"], _("The demand"), SurveyDemand._meta.get_field("demand").max_length)
        if not demand:
            raise RowError(_("The demand is empty."))
        education = yes_no(row["education"], _("About education"))
        survey_key = (seat.pk, day, title)
        label = f"{seat.code} {day:%Y-%m-%d}{f' {title}' if title else ''}"
        first = self.ranks.setdefault((survey_key, rank), demand)
        if first != demand:
            raise RowError(
                _(
                    "Rank %(rank)s of the survey of %(survey)s is already given to “%(first)s” in an earlier row; each rank holds one demand."
                )
                % {"rank": rank, "survey": label, "first": first}
            )
        survey_values = {
            "respondents": count_of(row["respondents"], _("The number of respondents")),
            "source_url": link_of(row["source_url"], _("The source link")),
            "election": election,
            "is_published": yes_no(row["published"], _("Published")),
            "organisation": self.organisations.clean(row["organisation"]),
        }
        survey_values = {k: v for k, v in survey_values.items() if v not in (None, "")}
        earlier = self.surveys.setdefault(survey_key, survey_values)
        for name, value in survey_values.items():
            if name in earlier and earlier[name] != value:
                raise RowError(
                    _(
                        "An earlier row of the survey of %(survey)s gives %(field)s as %(first)s, this one %(value)s."
                    )
                    % {
                        "survey": label,
                        "field": name.replace("_", " "),
                        "first": earlier[name],
                        "value": value,
                    }
                )
        return Plan(
            key=(seat.pk, day, title, rank),
            values={
                "demand": demand,
                "is_education": is_education_text(demand) if education is None else education,
                "share": share_of(row["share"], _("The share")),
            },
            related={"seat": seat, "survey": survey_values},
            label=f"{label}, {_('rank')} {rank}",
        )

    def fetch_existing(self, plans):
        if not plans:
            return {}
        wanted = {plan.key for plan in plans}
        stored = SurveyDemand.objects.filter(
            survey__constituency_id__in={k[0] for k in wanted},
            survey__conducted_on__in={k[1] for k in wanted},
        ).select_related("survey", "survey__conducted_by", "survey__election")
        found = {}
        for demand in stored:
            key = (
                demand.survey.constituency_id,
                demand.survey.conducted_on,
                demand.survey.title,
                demand.rank,
            )
            if key in wanted:
                found[key] = demand
        return found

    def _survey_changes(self, survey, values):
        diff = {}
        for name, new in values.items():
            if name == "organisation":
                old = survey.conducted_by.name if survey.conducted_by_id else ""
                if not (survey.conducted_by_id and self.organisations.matches(survey.conducted_by, new)):
                    diff[name] = (old, new)
            elif getattr(survey, name) != new:
                diff[name] = (getattr(survey, name), new)
        return diff

    def changes(self, existing, plan):
        diff = {
            name: (getattr(existing, name), new)
            for name, new in plan.values.items()
            if getattr(existing, name) != new
        }
        diff.update(self._survey_changes(existing.survey, plan.related["survey"]))
        return diff

    def write(self, creates, updates):
        surveys = {}
        for _demand, plan in updates:
            surveys[plan.key[:3]] = _demand.survey
        for plan in [*creates, *(p for _d, p in updates)]:
            key = plan.key[:3]
            survey = surveys.get(key)
            if survey is None:
                survey = (
                    VoterSurvey.objects.filter(constituency_id=key[0], conducted_on=key[1], title=key[2])
                    .select_related("conducted_by")
                    .first()
                ) or VoterSurvey(constituency=plan.related["seat"], conducted_on=key[1], title=key[2])
                surveys[key] = survey
            changed = survey.pk is None or self._survey_changes(survey, plan.related["survey"])
            if changed:
                for name, value in plan.related["survey"].items():
                    if name == "organisation":
                        survey.conducted_by = self.organisations.get_or_add(value, self.user)
                    else:
                        setattr(survey, name, value)
                survey._history_user = self.user
                survey._change_reason = self.change_reason
                survey.save()
        SurveyDemand.objects.bulk_create(
            SurveyDemand(survey=surveys[plan.key[:3]], rank=plan.key[3], **plan.values) for plan in creates
        )
        changed = []
        for demand, plan in updates:
            for name, value in plan.values.items():
                setattr(demand, name, value)
            changed.append(demand)
        if changed:
            SurveyDemand.objects.bulk_update(changed, ["demand", "is_education", "share"])
