"""Recording pledges and rating them, and who may see and change which.

A pledge is made by a candidate (a candidacy of the pledge's election) or a party, or both: a
candidate's pledge is their party's too, so it takes the candidate's party when none is given,
and naming another party is refused. A candidate's pledge is for the candidate's seat.

Region rule (MANAGE_PLEDGES is regional for organisers): a pledge belongs to its seat, and a
seat lies in its districts (`Constituency.areas`). An organiser records, edits and rates
pledges of seats with a district inside their regions; a pledge without a seat (a party's
national pledge) is for national roles only. Every refusal says which seat and why.

Reading: staff who record pledges read every pledge, except that organisers read only their
regions' unpublished ones (published pledges are public anyway); other staff roles (partners)
read the published ones, without the private files; the public reads
published pledges only (`published_pledges()`). Who recorded a pledge is personal data.

Files: a pledge's source document and a rating's evidence file are in private storage and are
served only to staff who may see the pledge (pledge_views.source_document / evidence_file);
the public pages and API give the source and evidence *links*, never the files (they may hold
photos of people at a corner meeting or a signed paper with an ID number).

`user=None` is the system itself (the demo)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from muhim.accounts.permissions import Capability, is_regional, scope_filter, user_can, user_regions
from muhim.core.files import check_evidence
from muhim.geography.models import Constituency
from muhim.manifestos.analysis.funding import commits_target

from .models import Pledge, PledgeRating, Rating

# A pledge for an election is made during the term before it (five years) or after it.
TERM_YEARS = 5
WRITABLE = (
    "election",
    "candidacy",
    "party",
    "constituency",
    "made_on",
    "source_type",
    "source_url",
    "text",
    "text_ur",
    "is_education",
    "topic",
    "commits_four_percent",
    "is_published",
)


# --- who sees and changes what ----------------------------------------------------------------


def seats_in_regions(user, capability=Capability.MANAGE_PLEDGES):
    """The seats with a district inside `user`'s scope for `capability` (all for national roles)."""
    return Constituency.objects.filter(scope_filter(user, capability, "areas")).distinct()


def published_pledges():
    """What the public sees: published pledges only."""
    return Pledge.objects.filter(is_published=True)


def reads_drafts(user):
    """Whether `user` works on pledges (records or rates them somewhere), and so reads the ones
    not yet published and the private files: not a partner, who reads what is published."""
    return user_can(user, Capability.MANAGE_PLEDGES)


def visible_pledges(user):
    """The pledges `user` may read on staff pages: all for national staff who work on pledges;
    for organisers their regions' and every published one; published ones for the other staff
    roles (partners); none for those without staff pages."""
    if not user_can(user, Capability.VIEW_STAFF_PAGES):
        return Pledge.objects.none()
    if not is_regional(user):
        return Pledge.objects.all() if reads_drafts(user) else published_pledges()
    mine = Constituency.objects.filter(scope_filter(user, Capability.VIEW_STAFF_PAGES, "areas"))
    return Pledge.objects.filter(Q(is_published=True) | Q(constituency__in=mine.values("pk")))


def editable_pledges(user):
    """The pledges `user` may change and rate."""
    if not user_can(user, Capability.MANAGE_PLEDGES):
        return Pledge.objects.none()
    if not is_regional(user):
        return Pledge.objects.all()
    return Pledge.objects.filter(constituency__in=seats_in_regions(user).values("pk"))


def _regions_text(user):
    return ", ".join(r.display_name for r in user_regions(user)) or _("none")


def _seat_districts(seat):
    return list(seat.areas.defer("boundary", "bbox"))


def region_problem(user, seat):
    """Why `user` may not record a pledge for `seat` (None: a national pledge), or None."""
    if user is None or not is_regional(user):
        return None
    if seat is None:
        return _(
            "A pledge without a seat is a party's national pledge: only the campaign office and "
            "specialists record those. Give the seat where it was made."
        )
    districts = _seat_districts(seat)
    if any(user_can(user, Capability.MANAGE_PLEDGES, area) for area in districts):
        return None
    where = ", ".join(a.display_name for a in districts) or _("no district on record")
    return _(
        "%(seat)s is in %(where)s, outside your regions (%(regions)s). Organisers record pledges "
        "only for seats in their regions."
    ) % {"seat": str(seat), "where": where, "regions": _regions_text(user)}


def may_change(user, pledge):
    return user_can(user, Capability.MANAGE_PLEDGES) and region_problem(user, pledge.constituency) is None


def check_may_change(user, pledge, field="constituency"):
    if user is None:
        return
    if not user_can(user, Capability.MANAGE_PLEDGES):
        raise ValidationError(
            _("Your role may read pledges but not record or rate them."), code="not_allowed"
        )
    problem = region_problem(user, pledge.constituency)
    if problem:
        raise ValidationError({field: ValidationError(problem, code="outside_region")})


# --- checks -----------------------------------------------------------------------------------


def _check_link(value, field, errors):
    if value and not value.lower().startswith(("http://", "https://")):
        errors.setdefault(field, []).append(
            _("Give a web address starting with http:// or https://, e.g. https://www.dawn.com/news/1.")
        )


def _check_file(uploaded, field, errors):
    try:
        check_evidence(uploaded)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)


def _check_day(day, election, errors):
    today = timezone.localdate()
    if day > today:
        errors.setdefault("made_on", []).append(
            _("The date cannot be in the future (today is %(today)s).") % {"today": today.isoformat()}
        )
        return
    polling = election.polling_date
    try:
        earliest = polling.replace(year=polling.year - TERM_YEARS)
    except ValueError:  # 29 February
        earliest = polling.replace(year=polling.year - TERM_YEARS, day=28)
    if day < earliest:
        errors.setdefault("made_on", []).append(
            _(
                "%(day)s is more than %(years)s years before %(election)s (polling day %(polling)s): "
                "check the year."
            )
            % {
                "day": day.isoformat(),
                "years": TERM_YEARS,
                "election": election.display_name,
                "polling": polling.isoformat(),
            }
        )


def _check_maker(pledge, errors):
    """The candidacy and party agree and belong to the election; the seat is the candidate's."""
    candidacy, election = pledge.candidacy, pledge.election
    if candidacy is None and pledge.party_id is None:
        errors.setdefault("candidacy", []).append(
            _("A pledge is made by a candidate or a party: choose the candidate or the party.")
        )
        return
    if candidacy is None:
        seat = pledge.constituency
        if seat is not None and election is not None and seat.delimitation_year != election.delimitation_year:
            errors.setdefault("constituency", []).append(
                _("%(seat)s is a seat of the %(year)s delimitation; %(election)s used the %(used)s one.")
                % {
                    "seat": pledge.constituency.code,
                    "year": pledge.constituency.delimitation_year,
                    "election": election.display_name,
                    "used": election.delimitation_year,
                }
            )
        return
    if election is not None and candidacy.election_id != election.pk:
        errors.setdefault("candidacy", []).append(
            _("%(person)s stood in %(other)s, not in %(election)s: choose a candidate of %(election)s.")
            % {
                "person": candidacy.person.display_name,
                "other": candidacy.election.display_name,
                "election": election.display_name,
            }
        )
    if pledge.constituency_id and pledge.constituency_id != candidacy.constituency_id:
        errors.setdefault("constituency", []).append(
            _("%(person)s stood for %(seat)s; a candidate's pledge is for their seat.")
            % {"person": candidacy.person.display_name, "seat": candidacy.constituency.code}
        )
    pledge.constituency = candidacy.constituency
    if pledge.party_id is None:
        pledge.party = candidacy.party
    elif pledge.party_id != candidacy.party_id:
        if candidacy.party_id is None:
            message = _(
                "%(person)s stood as an independent (%(label)s) in %(seat)s: leave the party empty."
            ) % {
                "person": candidacy.person.display_name,
                "label": candidacy.party_label,
                "seat": candidacy.constituency.code,
            }
        else:
            message = _(
                "%(person)s stood for %(party)s in %(seat)s, so their pledge is %(party)s's, not "
                "%(other)s's. Leave the party empty or choose %(party)s."
            ) % {
                "person": candidacy.person.display_name,
                "party": candidacy.party.short_name,
                "seat": candidacy.constituency.code,
                "other": pledge.party.short_name,
            }
        errors.setdefault("party", []).append(message)


def _check_subject(pledge, errors):
    if not pledge.is_education:
        if pledge.commits_four_percent:
            errors.setdefault("commits_four_percent", []).append(
                # xgettext:no-python-format
                _("Only a pledge about education can commit 4% of GDP to education: tick “about education”.")
            )
        if pledge.topic:
            errors.setdefault("topic", []).append(
                _("The topics are education's: leave the topic empty for a pledge not about education.")
            )


def problems_of(pledge) -> dict[str, list]:
    """What is wrong with `pledge` as it stands, by field (not the region: `region_problem`).
    Fills in the constituency and party a candidacy implies."""
    errors: dict[str, list] = {}
    if pledge.election_id is None:
        errors.setdefault("election", []).append(_("Choose the election the pledge was made for."))
    else:
        _check_maker(pledge, errors)
    if not pledge.text:
        errors.setdefault("text", []).append(_("Write what was promised."))
    if pledge.made_on is None:
        errors.setdefault("made_on", []).append(_("Give the date it was made."))
    elif pledge.election_id is not None:
        _check_day(pledge.made_on, pledge.election, errors)
    if not pledge.source_type:
        errors.setdefault("source_type", []).append(
            _("Choose where it was made (a speech, a corner meeting…).")
        )
    _check_subject(pledge, errors)
    _check_link(pledge.source_url, "source_url", errors)
    return errors


# --- writing ----------------------------------------------------------------------------------


@transaction.atomic
def save_pledge(user, data: dict, pledge: Pledge | None = None) -> Pledge:
    """Record a new pledge (`pledge` None) or change `pledge` with `data`: model field values
    (instances for election, candidacy, party, constituency) for the keys in WRITABLE, and
    `source_document` (an uploaded file; None or absent keeps the stored one, False removes
    it). Keys left out keep what is stored; a new pledge's `commits_four_percent` left out is
    read from its words. ValidationError names the field to fix; a seat
    outside an organiser's regions is an error with code `outside_region`."""
    creating = pledge is None
    if creating:
        pledge = Pledge()
    else:
        pledge = Pledge.objects.select_for_update(of=("self",)).get(pk=pledge.pk)
        # The pledge as stored must be the user's to change, as well as what it becomes.
        check_may_change(user, pledge)
    unknown = set(data) - set(WRITABLE) - {"source_document"}
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    new_candidate = "candidacy" in data and getattr(data["candidacy"], "pk", None) != pledge.candidacy_id
    if not creating and new_candidate and "party" not in data:
        data = {**data, "party": None}  # a new candidate brings their own party
    for name in WRITABLE:
        if name in data:
            value = data[name]
            if isinstance(value, str) and name not in ("source_type", "topic"):
                value = value.strip()
            setattr(pledge, name, value)
    if creating and "commits_four_percent" not in data and pledge.is_education:
        # Not said either way: the pledge's own words tell ("4% of GDP for education").
        pledge.commits_four_percent = commits_target(pledge.text, pledge.text_ur)
    if user is not None and not user_can(user, Capability.MANAGE_PLEDGES):
        raise ValidationError(
            _("Your role may read pledges but not record or rate them."), code="not_allowed"
        )

    errors = problems_of(pledge)
    document = data.get("source_document")
    if document:
        _check_file(document, "source_document", errors)
    if not errors:
        problem = region_problem(user, pledge.constituency)
        if problem:
            field = "candidacy" if pledge.candidacy_id else "constituency"
            raise ValidationError({field: ValidationError(problem, code="outside_region")})
    if errors:
        raise ValidationError(errors)

    if document is False and pledge.source_document:
        pledge.source_document.delete(save=False)
        pledge.source_document = ""
    if creating and user is not None:
        pledge.recorded_by = user
    pledge._history_user = user
    pledge.full_clean(exclude=["source_document"])
    if document:
        pledge.source_document.save(document.name, document, save=False)
    pledge.save()
    return pledge


def current_rating(pledge) -> str:
    """The rating of the latest change by date (the latest recorded on a day wins)."""
    latest = pledge.ratings.order_by("-rated_on", "-pk").values_list("rating", flat=True).first()
    return latest or Rating.NOT_RATED


@transaction.atomic
def rate_pledge(
    user,
    pledge: Pledge,
    rating: str,
    rated_on: date | None = None,
    note: str = "",
    evidence_url: str = "",
    evidence_file=None,
) -> PledgeRating:
    """Record that `pledge` was rated `rating` on `rated_on` (today), with why and the evidence,
    and set the pledge's rating to the latest by date (a change dated earlier than the last one
    goes into the history without changing the current rating)."""
    pledge = Pledge.objects.select_for_update(of=("self",)).select_related("constituency").get(pk=pledge.pk)
    check_may_change(user, pledge, field="rating")
    rated_on = rated_on or timezone.localdate()
    errors: dict[str, list] = {}
    if rating not in Rating.values:
        errors.setdefault("rating", []).append(
            _("Choose one of the ratings: %(ratings)s.")
            % {"ratings": ", ".join(str(r.label) for r in Rating)}
        )
    if rated_on > timezone.localdate():
        errors.setdefault("rated_on", []).append(_("The date of a rating cannot be in the future."))
    elif rated_on < pledge.made_on:
        errors.setdefault("rated_on", []).append(
            _("The pledge was made on %(day)s; it cannot have been rated before.")
            % {"day": pledge.made_on.isoformat()}
        )
    evidence_url = (evidence_url or "").strip()
    _check_link(evidence_url, "evidence_url", errors)
    if evidence_file:
        _check_file(evidence_file, "evidence_file", errors)
    if errors:
        raise ValidationError(errors)
    change = PledgeRating(
        pledge=pledge,
        rating=rating,
        rated_on=rated_on,
        note=(note or "").strip(),
        evidence_url=evidence_url,
        rated_by=user,
    )
    change.full_clean(exclude=["evidence_file"])
    if evidence_file:
        change.evidence_file.save(evidence_file.name, evidence_file, save=False)
    change.save()
    latest = current_rating(pledge)
    if pledge.rating != latest:
        pledge.rating = latest
        pledge._history_user = user
        pledge.save(update_fields=["rating", "updated_at"])
    return change
