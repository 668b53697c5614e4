"""Importing demands (with where each stands) and parental bodies through the one import
framework.

A demand is matched on its district, school, title and the day it was raised, so importing
the same file twice changes nothing. Every row is checked with the rules of `demands.services`
first (no day in the future, a status only where the demand can go from where it stands,
a mobile number that is one, a district inside the importing organiser's regions). New demands
of a chunk are stored together with their history ("raised" on the day raised and, for a file
that says a demand has moved on, that step on its date) and the dashboard's figures of the
buckets they fall in are recomputed in the same transaction. Demands a file changes go through
`services.save_demand` and `services.update_status`, as on the pages. Empty cells never erase."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from muhim.accounts.permissions import Capability
from muhim.activities.importers import (
    DistrictLookup,
    OrganisationLookup,
    choice_of,
    service_call,
    text_of,
    yes_no,
)
from muhim.activities.stats import month_of
from muhim.core.imports.base import Field, ModelImporter, Plan, RowError
from muhim.core.imports.registry import register
from muhim.geography.matching import AreaMatcher
from muhim.geography.models import Area
from muhim.network.importers import parse_date
from muhim.people.importers import fast_mobile

from . import services, stats
from .models import NEXT_STATUSES, Category, Demand, DemandUpdate, ParentalBody, Status

DEMAND_TEXT = ("title", "school", "school_emis", "authority_name", "raised_by_name")
LENGTHS = {name: Demand._meta.get_field(name).max_length for name in DEMAND_TEXT}


@register
class DemandImporter(ModelImporter):
    slug = "demands"
    label = gettext_lazy("Community demands")
    description = gettext_lazy(
        "One row per demand: what is asked (title), its category (code or name, e.g. "
        "'teachers' or 'Boundary wall'), district, the school or place and its EMIS code, the "
        "responsible authority (e.g. 'education_officer' or 'Elected representative') and its "
        "office, the day it was raised; if known its status now (raised, submitted, "
        "acknowledged, in progress, resolved, rejected, stalled) and since when, a follow-up "
        "date, whether it is published (yes/no), and who raised it (name and mobile number; "
        "private). A status other than 'raised' becomes a step in the demand's history. A "
        "demand is matched on its district, school, title and the day it was raised: importing "
        "the same file again changes nothing, and empty cells never erase what is stored."
    )
    source_hint = gettext_lazy(
        "Demands noted at Kuli Katchehris, jirgas and school visits, kept in a spreadsheet, or "
        "an export of /api/v1/demands/?format=csv."
    )
    capability = Capability.MANAGE_DEMANDS
    model = Demand
    key_fields = ("district", "school", "title", "raised_on")
    chunk_size = 500
    fields = [
        Field("title", gettext_lazy("Demand"), required=True, aliases=("title", "demand", "مطالبہ")),
        Field("category", gettext_lazy("Category"), required=True, aliases=("type", "زمرہ")),
        Field(
            "district",
            gettext_lazy("District"),
            required=True,
            aliases=("district.code", "district code", "district name", "ضلع"),
            help=gettext_lazy("Code, name, other spelling or Urdu name."),
        ),
        Field("school", gettext_lazy("School or place"), aliases=("school name", "place", "سکول")),
        Field("emis", gettext_lazy("EMIS code"), aliases=("school_emis", "emis code", "school emis")),
        Field("authority", gettext_lazy("Responsible authority"), required=True, aliases=("authority type",)),
        Field(
            "authority_name",
            gettext_lazy("Authority's office"),
            aliases=("authority name", "office", "official"),
        ),
        Field(
            "raised_on",
            gettext_lazy("Raised on"),
            required=True,
            aliases=("raised", "date", "date raised"),
            help=gettext_lazy("2026-11-12 or 12/11/2026."),
        ),
        Field("status", gettext_lazy("Status")),
        Field(
            "status_on",
            gettext_lazy("Status since"),
            aliases=("status date", "since", "resolved on", "resolved_on"),
            help=gettext_lazy("The day it reached its status; the day it was raised when left empty."),
        ),
        Field(
            "follow_up_on", gettext_lazy("Follow up by"), aliases=("follow up", "follow-up", "follow up on")
        ),
        Field(
            "published",
            gettext_lazy("Published"),
            aliases=("is_published", "public"),
            help=gettext_lazy("yes or no."),
        ),
        Field("raised_by", gettext_lazy("Raised by"), aliases=("raised by (kind)",)),
        Field(
            "raised_by_name",
            gettext_lazy("Name of who raised it"),
            aliases=("raised by name", "name", "parent's name"),
        ),
        Field(
            "raised_by_phone",
            gettext_lazy("Their mobile number"),
            aliases=("raised by phone", "phone", "mobile", "موبائل"),
        ),
    ]

    def prepare(self):
        self.districts = DistrictLookup()
        self.today = timezone.localdate()

    # --- one row --------------------------------------------------------------------------------

    def _day(self, text, what, *, required=False):
        day = parse_date(text, what)
        if day is None and required:
            raise RowError(_("%(what)s is empty.") % {"what": what})
        if day is not None and day > self.today:
            raise RowError(_("%(what)s cannot be in the future.") % {"what": what})
        return day

    def parse(self, row):
        title = text_of(row["title"], _("The demand"), LENGTHS["title"])
        if not title:
            raise RowError(_("The demand (title) is empty."))
        category = choice_of(row["category"], Category.choices, _("The category"))
        district = self.districts(row["district"])
        school = text_of(row["school"], _("The school"), LENGTHS["school"])
        authority = choice_of(row["authority"], Demand.Authority.choices, _("The responsible authority"))
        raised_on = self._day(row["raised_on"], _("The day it was raised"), required=True)
        values = {
            "title": title,
            "category": category,
            "district": district,
            "school": school,
            "authority": authority,
            "raised_on": raised_on,
        }
        for name, column in (("school_emis", "emis"), ("authority_name", "authority_name")):
            text = text_of(row[column], Demand._meta.get_field(name).verbose_name, LENGTHS[name])
            if text:
                values[name] = text
        follow_up = parse_date(row["follow_up_on"], _("The follow-up date"))
        if follow_up is not None:
            values["follow_up_on"] = follow_up
        published = yes_no(row["published"], _("Published"))
        if published is not None:
            values["is_published"] = published
        if row["raised_by"].strip():
            values["raised_by"] = choice_of(row["raised_by"], Demand.RaisedBy.choices, _("Raised by"))
        name = text_of(row["raised_by_name"], _("The name of who raised it"), LENGTHS["raised_by_name"])
        if name:
            values["raised_by_name"] = name
        phone = row["raised_by_phone"].strip()
        if phone:
            try:
                values["raised_by_phone"] = fast_mobile(phone)
            except ValidationError as exc:
                raise RowError(f"{phone!r}: {' '.join(exc.messages)}") from exc
        warnings = []
        step = self._step(row, values, warnings)
        return Plan(
            key=(district.pk, school, title, raised_on),
            values=values,
            related={"step": step},
            warnings=warnings,
            scope_area=district,
            label=f"{title} ({district.name}, {raised_on:%Y-%m-%d})",
        )

    def _step(self, row, values, warnings):
        """(status, day) the row moves the demand to, or None. Checked against the stored
        demand (one query, only for rows that give a status) with the rules of
        `services.update_status`."""
        if not row["status"].strip():
            return None
        status = choice_of(row["status"], Status.choices, _("The status"))
        raised_on = values["raised_on"]
        on = self._day(row["status_on"], _("The status date"))
        if on is not None and on < raised_on:
            raise RowError(
                _("The status date (%(on)s) is before the day it was raised (%(raised)s).")
                % {"on": on, "raised": raised_on}
            )
        stored = (
            Demand.objects.filter(
                district=values["district"],
                school=values["school"],
                title=values["title"],
                raised_on=raised_on,
            )
            .values("pk", "status")
            .first()
        )
        if stored is None:
            if status == Status.RAISED:
                return None
            if on is None:
                warnings.append(
                    _(
                        "No date is given for the status “%(status)s”; it is dated the day the demand was raised."
                    )
                    % {"status": Status(status).label}
                )
                on = raised_on
            return (status, on)
        if status == stored["status"]:
            return None
        history = list(DemandUpdate.objects.filter(demand_id=stored["pk"]).values_list("status", "date"))
        if any(s == status and (on is None or d == on) for s, d in history):
            warnings.append(
                _("The demand has moved on since this file said “%(status)s”; it is left as it is.")
                % {"status": Status(status).label}
            )
            return None
        current = Status(stored["status"])
        if status not in NEXT_STATUSES[current]:
            raise RowError(
                _("A demand that is “%(current)s” cannot become “%(next)s”.")
                % {"current": current.label, "next": Status(status).label}
            )
        on = on or self.today
        last = max((d for _s, d in history), default=raised_on)
        if on < last:
            raise RowError(
                _("The last update is dated %(date)s; a new one cannot be earlier.") % {"date": last}
            )
        return (status, on)

    # --- comparing with what is stored ------------------------------------------------------------

    def fetch_existing(self, plans):
        if not plans:
            return {}
        wanted = {plan.key for plan in plans}
        stored = Demand.objects.filter(
            district_id__in={k[0] for k in wanted},
            raised_on__in={k[3] for k in wanted},
            title__in={k[2] for k in wanted},
        ).select_related("district")
        found = {}
        for demand in stored:
            key = (demand.district_id, demand.school, demand.title, demand.raised_on)
            if key in wanted:
                found[key] = demand
        return found

    def changes(self, existing, plan):
        diff = {}
        for name, new in plan.values.items():
            if name == "raised_by_phone":
                old = existing.raised_by_phone.as_e164 if existing.raised_by_phone else ""
            elif name == "district":
                continue  # part of the key
            else:
                old = getattr(existing, name)
            if old != new:
                diff[name] = (old, new)
        step = plan.related["step"]
        if step is not None:
            diff["status"] = (existing.status, step[0])
        return diff

    # --- writing --------------------------------------------------------------------------------

    def write(self, creates, updates):
        if creates:
            self._create(creates)
        for demand, plan in updates:
            fields = {name: value for name, value in plan.values.items() if name != "district"}
            changed = {name for name, (old, new) in self.changes(demand, plan).items() if name != "status"}
            if changed:
                for name in changed:
                    setattr(demand, name, fields[name])
                demand._change_reason = self.change_reason
                service_call(services.save_demand, demand=demand, user=self.user)
            step = plan.related["step"]
            if step is not None:
                service_call(
                    services.update_status,
                    demand=demand,
                    status=step[0],
                    on=step[1],
                    note=_("Imported (%(reason)s).") % {"reason": self.change_reason},
                    user=self.user,
                )

    def _create(self, creates):
        new = []
        for plan in creates:
            values = dict(plan.values)
            step = plan.related["step"]
            status, on = step if step is not None else (Status.RAISED, values["raised_on"])
            values.update(
                status=status,
                status_on=on,
                resolved_on=on if status == Status.RESOLVED else None,
                created_by=self.user,
                organiser=self.user,
            )
            new.append(Demand(**values))
        stored = bulk_create_with_history(
            new, Demand, batch_size=500, default_user=self.user, default_change_reason=self.change_reason
        )
        history = []
        keys = set()
        for demand in stored:
            history.append(
                DemandUpdate(demand=demand, status=Status.RAISED, date=demand.raised_on, by=self.user)
            )
            if demand.status != Status.RAISED:
                history.append(
                    DemandUpdate(demand=demand, status=demand.status, date=demand.status_on, by=self.user)
                )
            province = demand.district.province_id
            keys |= {
                stats.MonthKey(month_of(demand.raised_on), province, demand.category),
                stats.DistrictKey(demand.district_id, province, demand.category, demand.status),
            }
            if demand.resolved_on:
                keys.add(stats.MonthKey(month_of(demand.resolved_on), province, demand.category))
        DemandUpdate.objects.bulk_create(history, batch_size=1000)
        stats.refresh(keys)


# --- parental bodies ----------------------------------------------------------------------------


@register
class ParentalBodyImporter(ModelImporter):
    slug = "parental-bodies"
    label = gettext_lazy("Parental bodies")
    description = gettext_lazy(
        "One row per parental body: its name, level (union council or district), district, "
        "for a union-council body its union council (code or name, inside the district), the "
        "partner organisation that set it up (added to the list of organisations when new) and "
        "the day it was formed. A body is matched on its district and name: importing the same "
        "file again changes nothing."
    )
    source_hint = gettext_lazy("Lists of school councils and parents' committees kept with partners.")
    capability = Capability.MANAGE_DEMANDS
    model = ParentalBody
    key_fields = ("district", "name")
    fields = [
        Field("name", gettext_lazy("Name"), required=True, aliases=("body", "parental body", "نام")),
        Field("name_ur", gettext_lazy("Urdu name"), aliases=("name (urdu)",)),
        Field("level", gettext_lazy("Level"), aliases=("type",)),
        Field(
            "district",
            gettext_lazy("District"),
            required=True,
            aliases=("district.code", "district code", "ضلع"),
            help=gettext_lazy("Code, name, other spelling or Urdu name."),
        ),
        Field(
            "union_council",
            gettext_lazy("Union council"),
            aliases=("uc", "union council code", "union_council.code"),
        ),
        Field(
            "partner", gettext_lazy("Partner organisation"), aliases=("partner organisation", "organisation")
        ),
        Field("formed_on", gettext_lazy("Formed on"), aliases=("formed", "date formed")),
    ]
    LEVEL_WORDS = {"uc": ParentalBody.Level.UNION_COUNCIL}

    def prepare(self):
        self.districts = DistrictLookup()
        self.organisations = OrganisationLookup()
        councils = Area.objects.filter(level=Area.Level.UNION_COUNCIL)
        self.councils = {a.pk: a for a in councils.only("pk", "code", "name", "path", "level")}
        self.council_codes = {a.code: a for a in self.councils.values()}
        self.council_matcher = AreaMatcher.from_db(levels=[Area.Level.UNION_COUNCIL])

    def _council(self, text, district):
        value = text.strip()
        council = self.council_codes.get(value.lower())
        if council is None:
            match = self.council_matcher.match(value, levels=[Area.Level.UNION_COUNCIL], within=district.path)
            if match.ambiguous:
                raise RowError(
                    _("%(name)r could be %(areas)s; write its code instead.")
                    % {"name": value, "areas": _(" or ").join(match.suggestions)}
                )
            if match.area is None:
                raise RowError(
                    _("%(name)r is not a union council of %(district)s.")
                    % {"name": value, "district": district.name}
                )
            council = self.councils[match.area.id]
        if not district.contains(council):
            raise RowError(
                _("%(place)s is not a tehsil or union council of %(district)s.")
                % {"place": council.name, "district": district.name}
            )
        return council

    def parse(self, row):
        name = text_of(row["name"], _("The name"), ParentalBody._meta.get_field("name").max_length)
        if not name:
            raise RowError(_("The name is empty."))
        district = self.districts(row["district"])
        council = self._council(row["union_council"], district) if row["union_council"].strip() else None
        level_text = row["level"].strip()
        if level_text.casefold() in self.LEVEL_WORDS:
            level = self.LEVEL_WORDS[level_text.casefold()]
        else:
            default = ParentalBody.Level.UNION_COUNCIL if council else ParentalBody.Level.DISTRICT
            level = choice_of(level_text, ParentalBody.Level.choices, _("The level"), default=default)
        if level == ParentalBody.Level.UNION_COUNCIL and council is None:
            raise RowError(_("A union-council body needs its union council."))
        values = {
            "name": name,
            "district": district,
            "level": level,
            "union_council": council if level == ParentalBody.Level.UNION_COUNCIL else None,
        }
        name_ur = text_of(
            row["name_ur"], _("The Urdu name"), ParentalBody._meta.get_field("name_ur").max_length
        )
        if name_ur:
            values["name_ur"] = name_ur
        formed_on = parse_date(row["formed_on"], _("The day it was formed"))
        if formed_on is not None:
            values["formed_on"] = formed_on
        partner = self.organisations.clean(row["partner"])
        warnings = []
        if partner and self.organisations.find(partner) is None:
            warnings.append(
                _("%(name)s is not in the list of organisations yet; it will be added.") % {"name": partner}
            )
        return Plan(
            key=(district.pk, name),
            values=values,
            related={"partner": partner},
            warnings=warnings,
            scope_area=district,
            label=f"{name} ({district.name})",
        )

    def fetch_existing(self, plans):
        if not plans:
            return {}
        wanted = {plan.key for plan in plans}
        bodies = ParentalBody.objects.filter(
            district_id__in={k[0] for k in wanted}, name__in={k[1] for k in wanted}
        ).select_related("partner", "union_council", "district")
        return {(b.district_id, b.name): b for b in bodies if (b.district_id, b.name) in wanted}

    def related_changes(self, existing, plan):
        partner = plan.related["partner"]
        if not partner or (existing.partner and self.organisations.matches(existing.partner, partner)):
            return {}
        return {"partner": (existing.partner.name if existing.partner else "", partner)}

    def write(self, creates, updates):
        rows = [(ParentalBody(organiser=self.user), plan) for plan in creates] + list(updates)
        for body, plan in rows:
            for name, value in plan.values.items():
                setattr(body, name, value)
            partner = plan.related["partner"]
            if partner and not (body.partner_id and self.organisations.matches(body.partner, partner)):
                body.partner = self.organisations.get_or_add(partner, self.user)
            body._change_reason = self.change_reason
            service_call(services.save_body, body=body, user=self.user)
