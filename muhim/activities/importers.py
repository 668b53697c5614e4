"""Importing activities and caravans' stops (CSV/XLSX) through the one import framework.

Activities are matched on district, start date, type and title, so importing the same file
twice changes nothing. Every row is checked with the rules of `activities.services` before
anything is written (an end before the start, negative attendance, a district outside the
importing organiser's regions are rejected with the reason); new activities of a chunk are
stored together and the dashboard's figures of exactly the buckets they fall in are recomputed
in the same transaction, so the dashboard is right after every chunk. Activities a file changes
go through `services.save_activity` one by one, like an edit on the page.

Empty cells never erase: an activity already stored keeps what a file leaves empty, and
partners named in a file add up."""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from muhim.accounts.permissions import Capability, is_regional, user_can
from muhim.core.imports.base import Field, ModelImporter, Plan, RowError
from muhim.core.imports.registry import register
from muhim.geography.matching import normalize
from muhim.geography.models import Area
from muhim.network.importers import parse_date
from muhim.partners.models import Organisation
from muhim.partners.services import organisation_named
from muhim.people.importers import NO, YES, _district_matcher

from . import services, stats
from .models import Activity, ActivityType, CaravanStop

LIST_SEPARATOR = re.compile(r"\s*;\s*")
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+(?:\.0+)?")
LARGEST_COUNT = 2_147_483_647  # a PositiveIntegerField
ATTENDANCE = (
    ("women", gettext_lazy("Women")),
    ("men", gettext_lazy("Men")),
    ("girls", gettext_lazy("Girls")),
    ("boys", gettext_lazy("Boys")),
)


# --- helpers the demands' importers share ---------------------------------------------------------


class DistrictLookup:
    """Districts by code, English name, alias, spelling variant or Urdu name (the matcher the
    supporters' importer uses), each spelling matched once per run."""

    def __init__(self):
        districts = list(
            Area.objects.districts().only("pk", "code", "name", "name_ur", "path", "level", "province_id")
        )
        self.by_pk = {d.pk: d for d in districts}
        self.by_code = {d.code: d for d in districts}
        self.matcher = _district_matcher(districts)
        self.cache = {}

    def __call__(self, text, what=None) -> Area:
        text = (text or "").strip()
        if not text:
            raise RowError(_("The district is empty."))
        found = self.cache.get(text)
        if found is None:
            found = self._find(text)
            self.cache[text] = found
        district, problem = found
        if problem:
            raise RowError(problem)
        return district

    def _find(self, text):
        district = self.by_code.get(text.lower())
        if district is not None:
            return district, None
        match = self.matcher.match(text, levels=[Area.Level.DISTRICT])
        if match.ok and len(match.areas) == 1:
            return self.by_pk[match.area.id], None
        hint = (
            " " + _("Did you mean %(names)s?") % {"names": " or ".join(match.suggestions)}
            if match.suggestions
            else ""
        )
        if match.how == "split":
            return None, _("%(name)s has been split into %(areas)s; give one of them.") % {
                "name": text,
                "areas": ", ".join(a.name for a in match.areas),
            }
        if match.ambiguous:
            return None, _("The district %(name)r could be more than one district.") % {"name": text} + hint
        return None, _("Unknown district %(name)r.") % {"name": text} + hint


def choice_of(text, choices, what, *, default=None):
    """A choice by its code or its English label, in any case and spacing ("Kuli Katchehri",
    "kuli-katchehri"); a label's first part also names it ("Theatre" for "Theatre or puppet
    show")."""
    wanted = normalize(text)
    if not wanted:
        if default is not None:
            return default
        raise RowError(_("%(what)s is empty.") % {"what": what})
    for value, label in choices:
        if wanted in (normalize(value), normalize(str(label))):
            return value
    for value, label in choices:
        head = re.split(r",| or ", str(label))[0]
        if wanted == normalize(head):
            return value
    raise RowError(
        _("%(what)s %(text)r is not one of: %(choices)s.")
        % {"what": what, "text": text.strip(), "choices": ", ".join(str(v) for v, _label in choices)}
    )


def yes_no(text, what):
    """True, False, or None for an empty cell."""
    value = (text or "").strip().casefold()
    if not value:
        return None
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowError(_("%(what)s %(text)r is neither yes nor no.") % {"what": what, "text": text.strip()})


def count_of(text, what):
    """A number of people: None for an empty cell; '1,200' and '40.0' (spreadsheets) are read."""
    value = (text or "").strip()
    if not value:
        return None
    if value.startswith("-") and NUMBER.fullmatch(value[1:].strip()):
        raise RowError(_("%(what)s cannot be negative (%(text)s).") % {"what": what, "text": value})
    if not NUMBER.fullmatch(value):
        raise RowError(_("%(what)s must be a whole number, not %(text)r.") % {"what": what, "text": value})
    number = int(value.replace(",", "").split(".")[0])
    if number > LARGEST_COUNT:
        raise RowError(_("%(what)s is too large (%(text)s).") % {"what": what, "text": value})
    return number


def text_of(text, what, max_length):
    value = " ".join((text or "").split())
    if len(value) > max_length:
        raise RowError(_("%(what)s is longer than %(max)s characters.") % {"what": what, "max": max_length})
    return value


def link_of(text, what, max_length=500):
    """A web address (http or https only: a `javascript:` link would run on the page that shows
    it); "" for an empty cell."""
    value = (text or "").strip()
    if not value:
        return ""
    if len(value) > max_length:
        raise RowError(_("%(what)s is longer than %(max)s characters.") % {"what": what, "max": max_length})
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError as exc:
        raise RowError(
            _("%(what)s %(text)r is not a web address starting with http:// or https://.")
            % {"what": what, "text": value}
        ) from exc
    return value


class UserLookup:
    def __init__(self):
        self.by_name = {
            u.username.casefold(): u
            for u in get_user_model().objects.filter(is_active=True).only("pk", "username")
        }

    def __call__(self, text):
        value = (text or "").strip()
        if not value:
            return None
        user = self.by_name.get(value.casefold())
        if user is None:
            raise RowError(_("There is no staff account %(name)r.") % {"name": value})
        return user


class OrganisationLookup:
    """Partner organisations by name or abbreviation (ignoring case), as `organisation_named`
    finds them; names not known yet are added when the row is stored."""

    def __init__(self):
        self.known = {}
        self.added = set()  # names added by this run: gone again if their chunk was rolled back
        for organisation in Organisation.objects.all():
            self.known.setdefault(organisation.name.casefold(), organisation)
        for organisation in Organisation.objects.exclude(abbreviation=""):
            self.known.setdefault(organisation.abbreviation.casefold(), organisation)

    @staticmethod
    def clean(name):
        return " ".join((name or "").split())

    def names(self, text):
        """The distinct names in a ';'-separated cell."""
        found = {}
        for name in LIST_SEPARATOR.split(text or ""):
            name = self.clean(name)
            if name:
                found.setdefault(name.casefold(), name)
        return tuple(found.values())

    def find(self, name):
        return self.known.get(self.clean(name).casefold())

    def matches(self, organisation, name):
        wanted = self.clean(name).casefold()
        return wanted in (organisation.name.casefold(), organisation.abbreviation.casefold())

    def get_or_add(self, name, user):
        """Called while a chunk is stored: the organisation, added when new."""
        key = self.clean(name).casefold()
        organisation = self.known.get(key)
        if (
            organisation is not None
            and key in self.added
            and not Organisation.objects.filter(pk=organisation.pk).exists()
        ):
            organisation = None
        if organisation is None:
            try:
                organisation = organisation_named(name, user=user)
            except ValidationError as exc:
                raise RuntimeError(" ".join(exc.messages)) from exc
            for word in (organisation.name.casefold(), key):
                self.known[word] = organisation
                self.added.add(word)
        return organisation


def service_call(function, **kwargs):
    """A service's refusal rolls the chunk back with its own words."""
    try:
        return function(**kwargs)
    except ValidationError as exc:
        raise RuntimeError(" ".join(exc.messages)) from exc


# --- activities ---------------------------------------------------------------------------------


@register
class ActivityImporter(ModelImporter):
    slug = "activities"
    label = gettext_lazy("Field activities")
    description = gettext_lazy(
        "One row per activity: its type (code or name, e.g. 'seminar' or 'Kuli Katchehri'), "
        "title, start date and district (code, name, other spelling or Urdu name); if known the "
        "end date, venue, status (planned, held or cancelled; left empty: held for a day already "
        "past, planned otherwise), attendance (women, men, girls, boys), whether it is on the "
        "public calendar (yes/no), the organiser's username (the importing organiser when left "
        "empty) and partner organisations (names separated by ';', added to the list of "
        "organisations when new). An activity is matched on its district, start date, type and "
        "title: importing the same file again changes nothing, and empty cells never erase "
        "what is stored."
    )
    source_hint = gettext_lazy(
        "Activity logs kept in spreadsheets by organisers and partners, or an export of "
        "/api/v1/activities/?format=csv."
    )
    capability = Capability.MANAGE_ACTIVITIES
    model = Activity
    key_fields = ("district", "start_date", "kind", "title")
    chunk_size = 500
    fields = [
        Field("kind", gettext_lazy("Type"), required=True, aliases=("kind", "activity type", "قسم")),
        Field("title", gettext_lazy("Title"), required=True, aliases=("name", "activity title", "عنوان")),
        Field("title_ur", gettext_lazy("Urdu title"), aliases=("title (urdu)", "urdu title")),
        Field(
            "start",
            gettext_lazy("Start date"),
            required=True,
            aliases=("start_date", "date", "starts on", "from", "تاریخ"),
            help=gettext_lazy("2026-11-12 or 12/11/2026."),
        ),
        Field("end", gettext_lazy("End date"), aliases=("end_date", "ends on", "to", "until")),
        Field(
            "district",
            gettext_lazy("District"),
            required=True,
            aliases=("district.code", "district code", "district name", "ضلع"),
            help=gettext_lazy("Code, name, other spelling or Urdu name."),
        ),
        Field("venue", gettext_lazy("Venue"), aliases=("place", "location", "مقام")),
        Field("status", gettext_lazy("Status")),
        Field("women", gettext_lazy("Women"), aliases=("female", "خواتین")),
        Field("men", gettext_lazy("Men"), aliases=("male", "مرد")),
        Field("girls", gettext_lazy("Girls"), aliases=("لڑکیاں",)),
        Field("boys", gettext_lazy("Boys"), aliases=("لڑکے",)),
        Field(
            "public",
            gettext_lazy("Public"),
            aliases=("is_public", "on the public calendar", "show on the public calendar"),
            help=gettext_lazy("yes or no."),
        ),
        Field(
            "organiser", gettext_lazy("Organiser (username)"), aliases=("organiser", "organizer", "username")
        ),
        Field(
            "partners",
            gettext_lazy("Partner organisations"),
            aliases=("partners", "partner", "partner organisations"),
            help=gettext_lazy("Names separated by ';'."),
        ),
    ]
    LENGTHS = {name: Activity._meta.get_field(name).max_length for name in ("title", "title_ur", "venue")}

    def prepare(self):
        self.districts = DistrictLookup()
        self.users = UserLookup()
        self.organisations = OrganisationLookup()
        self.today = timezone.localdate()
        self.default_organiser = self.user if self.user is not None and is_regional(self.user) else None

    def parse(self, row):
        kind = choice_of(row["kind"], ActivityType.choices, _("The type"))
        title = text_of(row["title"], _("The title"), self.LENGTHS["title"])
        if not title:
            raise RowError(_("The title is empty."))
        start = parse_date(row["start"], _("The start date"))
        if start is None:
            raise RowError(_("The start date is empty."))
        end = parse_date(row["end"], _("The end date"))
        if end is not None and end < start:
            raise RowError(
                _("The activity cannot end (%(end)s) before it starts (%(start)s).")
                % {"end": end, "start": start}
            )
        district = self.districts(row["district"])
        values = {"kind": kind, "title": title, "start_date": start, "district": district}
        if end is not None:
            values["end_date"] = end
        for name in ("title_ur", "venue"):
            text = text_of(row[name], Activity._meta.get_field(name).verbose_name, self.LENGTHS[name])
            if text:
                values[name] = text
        if row["status"].strip():
            values["status"] = choice_of(row["status"], Activity.Status.choices, _("The status"))
        for name, label in ATTENDANCE:
            number = count_of(row[name], label)
            if number is not None:
                values[name] = number
        public = yes_no(row["public"], _("Public"))
        if public is not None:
            values["is_public"] = public
        organiser = self.users(row["organiser"])
        if organiser is not None:
            values["organiser"] = organiser
        partners = self.organisations.names(row["partners"])
        warnings = [
            _("%(name)s is not in the list of organisations yet; it will be added.") % {"name": name}
            for name in partners
            if self.organisations.find(name) is None
        ]
        return Plan(
            key=(district.pk, start, kind, title),
            values=values,
            related={"partners": partners},
            warnings=warnings,
            scope_area=district,
            label=f"{title} ({start:%Y-%m-%d}, {district.name})",
        )

    # --- comparing with what is stored ------------------------------------------------------------

    def fetch_existing(self, plans):
        if not plans:
            return {}
        wanted = {plan.key for plan in plans}
        stored = (
            Activity.objects.filter(
                district_id__in={k[0] for k in wanted},
                start_date__in={k[1] for k in wanted},
                title__in={k[3] for k in wanted},
            )
            .select_related("organiser")
            .prefetch_related("partners")
        )
        found = {}
        for activity in stored:
            key = (activity.district_id, activity.start_date, activity.kind, activity.title)
            if key in wanted:
                found[key] = activity
        return found

    def _new_partners(self, existing, plan):
        current = list(existing.partners.all())
        return [
            name
            for name in plan.related["partners"]
            if not any(self.organisations.matches(organisation, name) for organisation in current)
        ]

    def related_changes(self, existing, plan):
        added = self._new_partners(existing, plan)
        if not added:
            return {}
        old = sorted(o.name for o in existing.partners.all())
        return {"partners": (old, old + added)}

    # --- writing --------------------------------------------------------------------------------

    def _status_for_new(self, values):
        return Activity.Status.HELD if values["start_date"] < self.today else Activity.Status.PLANNED

    def write(self, creates, updates):
        if creates:
            new = []
            for plan in creates:
                values = dict(plan.values)
                values.setdefault("status", self._status_for_new(values))
                values.setdefault("organiser", self.default_organiser)
                new.append(Activity(**values, created_by=self.user))
            stored = bulk_create_with_history(
                new,
                Activity,
                batch_size=500,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )
            links = []
            for activity, plan in zip(stored, creates, strict=True):
                for name in plan.related["partners"]:
                    organisation = self.organisations.get_or_add(name, self.user)
                    links.append(
                        Activity.partners.through(activity_id=activity.pk, organisation_id=organisation.pk)
                    )
            Activity.partners.through.objects.bulk_create(links, ignore_conflicts=True)
            stats.refresh(
                {
                    stats.Keys(
                        stats.month_of(a.start_date), a.district.province_id, a.district_id, a.kind, a.status
                    )
                    for a in stored
                }
            )
        for activity, plan in updates:
            for name, value in plan.values.items():
                setattr(activity, name, value)
            partners = None
            added = self._new_partners(activity, plan)
            if added:
                partners = list(activity.partners.all()) + [
                    self.organisations.get_or_add(name, self.user) for name in added
                ]
            activity._change_reason = self.change_reason
            service_call(services.save_activity, activity=activity, user=self.user, partners=partners)


# --- caravans' stops ----------------------------------------------------------------------------


@register
class CaravanStopImporter(ModelImporter):
    slug = "caravan-stops"
    label = gettext_lazy("Caravans' stops")
    description = gettext_lazy(
        "One row per stop of a caravan (an activity of type caravan, already logged): the "
        "caravan's id, or its title (with its start date when two caravans share a title), "
        "the stop's number (1 for the first), its date, district and venue. Stops follow each "
        "other in date order within the caravan's dates; new stops are numbered after the "
        "stops already on the itinerary. A stop is matched on its caravan and number: "
        "importing the same file again changes nothing."
    )
    source_hint = gettext_lazy("A caravan's itinerary planned in a spreadsheet: a stop per day.")
    capability = Capability.MANAGE_ACTIVITIES
    model = CaravanStop
    key_fields = ("caravan", "sequence")
    fields = [
        Field(
            "caravan",
            gettext_lazy("Caravan (id or title)"),
            required=True,
            aliases=("caravan id", "caravan title", "activity", "activity id"),
        ),
        Field(
            "caravan_start", gettext_lazy("Caravan's start date"), aliases=("caravan start", "caravan date")
        ),
        Field(
            "sequence", gettext_lazy("Stop number"), required=True, aliases=("stop", "number", "no", "day")
        ),
        Field("date", gettext_lazy("Date"), required=True, aliases=("stop date", "on")),
        Field(
            "district",
            gettext_lazy("District"),
            required=True,
            aliases=("district.code", "district code", "ضلع"),
            help=gettext_lazy("Code, name, other spelling or Urdu name."),
        ),
        Field("venue", gettext_lazy("Venue"), aliases=("place", "location", "مقام")),
    ]

    def prepare(self):
        self.districts = DistrictLookup()
        self.regional = self.user is not None and is_regional(self.user)
        self.listed = {}  # {caravan id: {sequence: date}} of the rows above
        caravans = Activity.objects.filter(kind=ActivityType.CARAVAN)
        if self.user is not None:
            caravans = caravans.visible_to(self.user)
        self.caravans = {c.pk: c for c in caravans.only("pk", "title", "start_date", "end_date", "kind")}
        self.by_title = {}
        for caravan in self.caravans.values():
            self.by_title.setdefault(caravan.title.casefold(), []).append(caravan)
        # Each caravan's itinerary, {sequence: date}, as the rows above leave it.
        self.itinerary = {}
        self.stored = {}
        for caravan_id, sequence, day in CaravanStop.objects.filter(
            caravan__in=list(self.caravans)
        ).values_list("caravan_id", "sequence", "date"):
            self.itinerary.setdefault(caravan_id, {})[sequence] = day
            self.stored.setdefault(caravan_id, set()).add(sequence)

    def _caravan(self, text, start_text):
        value = (text or "").strip()
        if value.isdigit():
            caravan = self.caravans.get(int(value))
            if caravan is None:
                if Activity.objects.filter(pk=int(value)).exclude(kind=ActivityType.CARAVAN).exists():
                    raise RowError(
                        _("Activity %(id)s is not a caravan; only a caravan has stops.") % {"id": value}
                    )
                raise RowError(_("There is no caravan %(id)s that you can see.") % {"id": value})
            return caravan
        found = self.by_title.get(" ".join(value.split()).casefold(), [])
        start = parse_date(start_text, _("The caravan's start date"))
        if start is not None:
            found = [c for c in found if c.start_date == start]
        if not found:
            raise RowError(_("There is no caravan called %(title)r that you can see.") % {"title": value})
        if len(found) > 1:
            raise RowError(
                _(
                    "%(count)s caravans are called %(title)r; give the caravan's id or its start date (%(dates)s)."
                )
                % {
                    "count": len(found),
                    "title": value,
                    "dates": ", ".join(sorted(f"{c.start_date:%Y-%m-%d}" for c in found)),
                }
            )
        return found[0]

    def parse(self, row):
        caravan = self._caravan(row["caravan"], row["caravan_start"])
        text = row["sequence"].strip()
        if not text.isdigit() or int(text) < 1:
            raise RowError(_("The stop number must be 1 or more, not %(text)r.") % {"text": text})
        sequence = int(text)
        day = parse_date(row["date"], _("The date"))
        if day is None:
            raise RowError(_("The date is empty."))
        if day < caravan.start_date or (caravan.end_date and day > caravan.end_date):
            raise RowError(
                _("The caravan runs from %(start)s to %(end)s; this stop's date is outside it.")
                % {"start": caravan.start_date, "end": caravan.last_date}
            )
        district = self.districts(row["district"])
        # The region is checked here, before the row counts in the itinerary that the rows
        # below it are checked against (the runner would check it only after this).
        if self.regional and not user_can(self.user, self.capability, district):
            raise RowError(services.outside_region(district, self.user).messages[0])
        itinerary = self.itinerary.setdefault(caravan.pk, {})
        if sequence in self.listed.get(caravan.pk, {}) and self.listed[caravan.pk][sequence] != day:
            raise RowError(
                _("Stop %(n)s already appears above with the date %(date)s.")
                % {"n": sequence, "date": self.listed[caravan.pk][sequence]}
            )
        for other, other_day in sorted(itinerary.items()):
            # As in `services.add_stop`: no earlier stop on a later day, no later stop on an
            # earlier day (two stops may share a day).
            if (other < sequence and other_day > day) or (other > sequence and other_day < day):
                raise RowError(
                    _("Stop %(other)s is on %(other_date)s; stops follow each other in date order.")
                    % {"other": other, "other_date": other_day}
                )
        stored = self.stored.get(caravan.pk, set())
        if sequence not in stored:
            later = [n for n in itinerary if n > sequence]
            if later:
                raise RowError(
                    _(
                        "Stop %(n)s would come before stop %(other)s, which is already on the itinerary; "
                        "number new stops after it (the caravan's page can insert a stop and renumber)."
                    )
                    % {"n": sequence, "other": min(later)}
                )
        itinerary[sequence] = day
        self.listed.setdefault(caravan.pk, {})[sequence] = day
        values = {"caravan": caravan, "sequence": sequence, "date": day, "district": district}
        venue = text_of(row["venue"], _("The venue"), CaravanStop._meta.get_field("venue").max_length)
        if venue:
            values["venue"] = venue
        return Plan(
            key=(caravan.pk, sequence),
            values=values,
            scope_area=district,
            label=_("%(caravan)s, stop %(n)s") % {"caravan": caravan.title, "n": sequence},
        )

    def fetch_existing(self, plans):
        if not plans:
            return {}
        wanted = {plan.key for plan in plans}
        stops = CaravanStop.objects.filter(
            caravan_id__in={k[0] for k in wanted}, sequence__in={k[1] for k in wanted}
        ).select_related("caravan", "district")
        return {(s.caravan_id, s.sequence): s for s in stops if (s.caravan_id, s.sequence) in wanted}

    def write(self, creates, updates):
        for stop, plan in updates:
            values = plan.values
            service_call(
                services.update_stop,
                stop=stop,
                date=values["date"],
                district=values["district"],
                venue=values.get("venue", stop.venue),
                user=self.user,
            )
        # New stops in the order of their numbers: each goes after those already stored.
        for plan in sorted(creates, key=lambda p: p.key):
            values = plan.values
            service_call(
                services.add_stop,
                caravan=values["caravan"],
                date=values["date"],
                district=values["district"],
                venue=values.get("venue", ""),
                sequence=values["sequence"],
                user=self.user,
            )
