"""Importing supporters' lists (CSV/XLSX) with the sign-up form's rules: the mobile number is
who someone is, so a known number updates that volunteer (without erasing what is known, and
interests add up) instead of making a twin.

Files run to 100,000 rows: everything a row is checked against (districts, interests, the
organiser of each district, the consent wording) is loaded once in `prepare()`; no row makes
a query of its own."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muhim.accounts.permissions import Capability, is_regional, scope_filter
from muhim.core.imports.base import Field, ModelImporter, Option, Plan, RowError
from muhim.core.imports.bulk import select_keys
from muhim.core.imports.readers import FileProblem
from muhim.core.imports.registry import register
from muhim.geography.matching import AreaMatcher, Candidate, normalize
from muhim.geography.models import Area, AreaAlias
from muhim.network.models import Sex

from .models import ConsentText, Interaction, Interest, Volunteer
from .services import mobile_number

# Pakistani mobiles written the usual ways: 0300-1234567, +92 300 1234567, 0092…, 300 1234567.
PK_MOBILE = re.compile(r"\s*(?:\+\s*92|0092|0)?[\s\-.]*(3\d\d)[\s\-.]*(\d{3})[\s\-.]*(\d{4})\s*")
_PK = phonenumbers.PhoneMetadata.metadata_for_region("PK")
MOBILE_PATTERN = re.compile(_PK.mobile.national_number_pattern)
LIST_SEPARATORS = re.compile(r"\s*[;,،|/]\s*")

SEX_WORDS = {
    Sex.FEMALE: [
        "f",
        "female",
        "woman",
        "women",
        "girl",
        "w",
        "عورت",
        "خاتون",
        "خواتین",
        "لڑکی",
        "مونث",
        "ف",
    ],
    Sex.MALE: ["m", "male", "man", "men", "boy", "مرد", "لڑکا", "مذکر", "م"],
    Sex.OTHER: ["o", "other", "x", "non-binary", "nonbinary", "transgender", "خواجہ سرا", "دیگر", "دوسرا"],
    "": ["", "-", "—", "prefer not to say", "not given", "unknown", "n/a", "na", "undisclosed"],
}
SEX_BY_WORD = {
    normalize(word) if word.strip("-—") else word: sex for sex, words in SEX_WORDS.items() for word in words
}
LEVEL_WORDS = {
    Volunteer.Level.SUPPORTER: ["supporter", "supporters", "حامی"],
    Volunteer.Level.VOLUNTEER: ["volunteer", "volunteers", "رضاکار"],
    Volunteer.Level.ACTIVE: ["active", "active volunteer", "فعال", "فعال رضاکار"],
    Volunteer.Level.LEADER: ["leader", "volunteer leader", "lead", "رہنما", "رضاکار رہنما"],
}
LEVEL_BY_WORD = {normalize(word): level for level, words in LEVEL_WORDS.items() for word in words}
YES = {"yes", "y", "true", "1", "agreed", "agree", "ok", "ہاں", "جی", "جی ہاں", "x", "✓"}
NO = {"no", "n", "false", "0", "not agreed", "refused", "نہیں", "جی نہیں"}
# The columns of an existing volunteer that a row may change; anything else is set only on
# the volunteers a file creates.
UPDATABLE = ("name", "email", "district_id", "sex", "level")
NAME_MAX_LENGTH = Volunteer._meta.get_field("name").max_length
SUPPORTER = Volunteer.Level.SUPPORTER.value
IMPORTED = Volunteer.Source.IMPORT.value


class Stored:
    """What a row is compared with, of a volunteer already stored."""

    __slots__ = (
        "pk",
        "name",
        "email",
        "district_id",
        "sex",
        "level",
        "organiser_id",
        "consent_text_id",
        "interest_ids",
    )

    def __init__(self, *values):
        for name, value in zip(self.__slots__[:-1], values, strict=True):
            setattr(self, name, value)
        self.interest_ids = set()


def fast_mobile(text):
    """E.164 of a mobile number, by the same rules as `services.mobile_number` (the phone
    library's own pattern of Pakistani mobile numbers), without its cost for the usual
    spellings; anything else goes through `mobile_number`, which explains what is wrong."""
    found = PK_MOBILE.fullmatch(text)
    if found:
        national = "".join(found.groups())
        if MOBILE_PATTERN.fullmatch(national):
            return "+92" + national
    return mobile_number(text).as_e164


def _district_matcher(districts):
    """Districts by English name, alias, spelling variant and Urdu name."""
    aliases = {}
    for area_id, name, kind in AreaAlias.objects.filter(area__level=Area.Level.DISTRICT).values_list(
        "area_id", "name", "kind"
    ):
        aliases.setdefault(area_id, []).append((name, kind))
    entries = []
    for district in districts:
        names = list(aliases.get(district.pk, []))
        if district.name_ur:
            names.append((district.name_ur, "spelling"))
        entries.append(
            (Candidate(district.pk, district.code, district.name, district.level, district.path), names)
        )
    return AreaMatcher(entries)


@register
class SupportersImporter(ModelImporter):
    slug = "supporters"
    label = gettext_lazy("Volunteers and supporters")
    description = gettext_lazy(
        "One row per person: name, mobile number and district, and if known e-mail, interests "
        "(separated by ';' or ','), sex and level. Import only people who agreed to be contacted: "
        "they are recorded as having agreed to the consent wording chosen below (the current one "
        "unless you name another version), and a 'consent' column saying 'no' rejects the row. "
        "A number already known updates that volunteer: nothing known is erased, interests add up."
    )
    source_hint = gettext_lazy(
        "Sign-up sheets from events, supporters' lists from partners, exports of earlier lists. "
        "Numbers may be written 0300-1234567, +92 300 1234567 or 3001234567."
    )
    capability = Capability.MANAGE_VOLUNTEERS
    model = Volunteer
    key_fields = ("phone",)
    chunk_size = 5000
    fields = [
        Field("name", gettext_lazy("Name"), required=True, aliases=("full name", "full_name", "نام")),
        Field(
            "phone",
            gettext_lazy("Mobile number"),
            required=True,
            aliases=("mobile", "phone number", "cell", "contact", "موبائل", "فون", "موبائل نمبر"),
        ),
        Field("email", gettext_lazy("E-mail"), aliases=("e-mail", "email address", "ای میل")),
        Field(
            "district",
            gettext_lazy("District"),
            required=True,
            aliases=("district name", "district code", "ضلع"),
            help=gettext_lazy("Code, name, other spelling or Urdu name."),
        ),
        Field(
            "interests",
            gettext_lazy("Interests"),
            aliases=("interest", "دلچسپی"),
            help=gettext_lazy("Codes or names separated by ';' or ','."),
        ),
        Field("sex", gettext_lazy("Sex"), aliases=("gender", "جنس")),
        Field("level", gettext_lazy("Level"), aliases=("involvement", "level of involvement")),
        Field(
            "consent",
            gettext_lazy("Consent"),
            aliases=("agreed", "consent to contact", "agreed to be contacted"),
            help=gettext_lazy("'yes' or 'no'; rows saying 'no' are not imported."),
        ),
    ]
    options = [
        Option(
            "consent_version",
            gettext_lazy("Consent wording version"),
            default="",
            help=gettext_lazy(
                "The wording these people agreed to be contacted under. Empty: the current one. "
                "Import only people who agreed."
            ),
        )
    ]

    # --- once per run ---------------------------------------------------------------------------

    def prepare(self):
        version = self.options.get("consent_version") or ""
        consent = ConsentText.objects.filter(version=version).first() if version else ConsentText.current()
        if consent is None:
            versions = ", ".join(ConsentText.objects.values_list("version", flat=True)) or _("none")
            raise FileProblem(
                _("There is no consent wording %(version)s; the wordings are: %(versions)s.")
                % {"version": version or _("marked current"), "versions": versions}
            )
        self.consent = consent
        self.consent_id = consent.pk
        self.now = timezone.now()
        districts = list(Area.objects.districts().only("pk", "code", "name", "name_ur", "path", "level"))
        self.districts = {d.pk: d for d in districts}
        self.by_code = {d.code: d for d in districts}
        self.matcher = _district_matcher(districts)
        self.district_cache = {}
        self.sex_cache, self.level_cache, self.interests_cache = {}, {}, {}
        self.organisers = self._organisers_by_district(districts)
        self.interests = {}
        self.interest_names = {}
        for interest in Interest.objects.all():
            self.interest_names[interest.pk] = interest.name
            for word in (interest.code, interest.name, interest.name_ur):
                if word:
                    self.interests[normalize(word)] = interest.pk
                    self.interests[word.casefold()] = interest.pk
        self.foreign_phones = set()
        if self.user is not None and is_regional(self.user):
            # Numbers of volunteers outside the organiser's regions: a row must not move one
            # of them into their region (nor tell them more than that the number is taken).
            self.foreign_phones = set(
                Volunteer.objects.exclude(scope_filter(self.user, Capability.MANAGE_VOLUNTEERS, "district"))
                .annotate(number=Cast("phone", CharField()))
                .values_list("number", flat=True)
            )

    def _organiser_id(self, district):
        return self.organisers.get(district.pk)

    @staticmethod
    def _organisers_by_district(districts):
        """{district id: user id} of the organiser each district's volunteers are routed to,
        in three queries: what `network.services.organiser_for(district).holder` answers
        district by district (the current regional post covering the district or an area
        around it, and that post's current holder)."""
        from muhim.network.models import Assignment, Post, PostArea

        posts = Post.objects.current().regional()
        post_by_path = dict(PostArea.objects.filter(post__in=posts).values_list("area__path", "post_id"))
        holders = {}
        # Assignment's own ordering (post, latest start first), as Post.current_assignment() uses.
        for post_id, holder_id in (
            Assignment.objects.active().filter(post__in=posts).values_list("post_id", "holder_id")
        ):
            holders.setdefault(post_id, holder_id)
        routed = {}
        for district in districts:
            parts = district.path.split("/")
            post_id = next(
                (
                    post_by_path["/".join(parts[:n])]
                    for n in range(len(parts), 0, -1)
                    if "/".join(parts[:n]) in post_by_path
                ),
                None,
            )
            routed[district.pk] = holders.get(post_id)
        return routed

    def _district(self, text):
        """(district, its organiser's id, problem) for a district cell; each spelling is
        matched once per run."""
        found = self.district_cache.get(text)
        if found is not None:
            return found
        district = self.by_code.get(text.lower())
        problem = None
        if district is None:
            match = self.matcher.match(text, levels=[Area.Level.DISTRICT])
            if match.ok and len(match.areas) == 1:
                district = self.districts[match.area.id]
            else:
                hint = (
                    " " + _("Did you mean %(names)s?") % {"names": " or ".join(match.suggestions)}
                    if match.suggestions
                    else ""
                )
                if match.how == "split":
                    problem = _("%(name)s has been split into %(areas)s; give one of them.") % {
                        "name": text,
                        "areas": ", ".join(a.name for a in match.areas),
                    }
                elif match.ambiguous:
                    problem = (
                        _("The district %(name)r could be more than one district.") % {"name": text} + hint
                    )
                else:
                    problem = _("Unknown district %(name)r.") % {"name": text} + hint
        found = (district, self._organiser_id(district) if district else None, problem)
        self.district_cache[text] = found
        return found

    def _sex(self, text):
        if text not in self.sex_cache:
            self.sex_cache[text] = SEX_BY_WORD.get(normalize(text) if text.strip("-—") else text)
        return self.sex_cache[text]

    def _level(self, text):
        if text not in self.level_cache:
            self.level_cache[text] = LEVEL_BY_WORD.get(normalize(text))
        return self.level_cache[text]

    def _interests(self, text):
        """(interest ids, words not understood) for an interests cell."""
        found = self.interests_cache.get(text)
        if found is None:
            ids, unknown = set(), []
            for word in LIST_SEPARATORS.split(text):
                word = word.strip()
                if not word:
                    continue
                interest = self.interests.get(word.casefold()) or self.interests.get(normalize(word))
                if interest is None:
                    unknown.append(word)
                else:
                    ids.add(interest)
            found = (tuple(sorted(ids)), unknown)
            self.interests_cache[text] = found
        return found

    # --- one row --------------------------------------------------------------------------------

    def parse(self, row):
        # Called for each of 100,000 rows: the usual row takes the short way through.
        consent = row["consent"]
        if consent:
            consent = consent.strip().casefold()
            if consent in NO:
                raise RowError(
                    _("This person did not agree to be contacted (consent: %(value)s).")
                    % {"value": row["consent"]}
                )
            if consent and consent not in YES:
                raise RowError(
                    _("Consent %(value)r is neither yes nor no; only people who agreed can be imported.")
                    % {"value": row["consent"]}
                )
        raw_phone = row["phone"].strip()
        if not raw_phone:
            raise RowError(_("The mobile number is empty."))
        try:
            phone = fast_mobile(raw_phone)
        except ValidationError as exc:  # its message says what a good number looks like
            raise RowError(f"{raw_phone!r}: {' '.join(exc.messages)}") from exc
        if phone in self.foreign_phones:
            raise RowError(
                _(
                    "This number belongs to a volunteer outside your regions; the campaign office "
                    "can move them if they have moved."
                )
            )
        name = " ".join(row["name"].split())
        if not name:
            raise RowError(_("The name is empty."))
        if len(name) > NAME_MAX_LENGTH:
            raise RowError(_("The name is longer than %(max)s characters.") % {"max": NAME_MAX_LENGTH})
        district_text = row["district"].strip()
        if not district_text:
            raise RowError(_("The district is empty; it decides who the volunteer's organiser is."))
        district, organiser_id, problem = self._district(district_text)
        if problem:
            raise RowError(problem)
        warnings = []
        email = row["email"].strip()
        if email and not _valid_email(email):
            warnings.append(_("%(value)r is not an e-mail address; it was left out.") % {"value": email})
            email = ""
        sex_text = row["sex"].strip()
        sex = self._sex(sex_text) if sex_text else ""
        if sex is None:
            warnings.append(_("Sex %(value)r was not understood; it was left out.") % {"value": sex_text})
            sex = ""
        level_text = row["level"].strip()
        level = self._level(level_text) if level_text else ""
        if level is None:
            warnings.append(
                _("Level %(value)r is not supporter, volunteer, active or leader; it was left out.")
                % {"value": level_text}
            )
            level = ""
        interests, unknown = self._interests(row["interests"]) if row["interests"] else ((), ())
        for word in unknown:
            warnings.append(_("Interest %(value)r is not known; it was left out.") % {"value": word})
        return Plan(
            key=(phone,),
            values={
                "phone": phone,
                "name": name,
                "email": email,
                "district_id": district.pk,
                "sex": sex,
                "level": level or SUPPORTER,
                "organiser_id": organiser_id,
                "consent_text_id": self.consent_id,
                "source": IMPORTED,
            },
            related={"interests": interests, "level_given": bool(level)},
            warnings=warnings,
            scope_area=district,
            label=f"{name} ({phone})",
        )

    # --- comparing with what is stored ------------------------------------------------------------

    def fetch_existing(self, plans):
        """The stored volunteers the rows name, as light records of what rows compare with:
        making 100,000 model instances would read and parse every phone number again."""
        if not plans:
            return {}
        found = select_keys(Volunteer, ["phone"], {p.key for p in plans})
        if not found:
            return {}
        records = {
            row[0]: Stored(*row)
            for row in Volunteer.objects.filter(pk__in=list(found.values())).values_list(
                *Stored.__slots__[:-1]
            )
        }
        through = Volunteer.interests.through
        for volunteer_id, interest_id in through.objects.filter(volunteer_id__in=list(records)).values_list(
            "volunteer_id", "interest_id"
        ):
            records[volunteer_id].interest_ids.add(interest_id)
        return {key: records[pk] for key, pk in found.items() if pk in records}

    def _updates(self, existing, plan):
        """{attname: new value} a row makes to an existing volunteer. Empty cells never erase;
        a level is changed only when the file gives one; consent is recorded only for someone
        who had none."""
        values = plan.values
        updates = {}
        for attname in UPDATABLE:
            new = values[attname]
            if attname == "level" and not plan.related["level_given"]:
                continue
            if new in ("", None):
                continue
            if getattr(existing, attname) != new:
                updates[attname] = new
        if "district_id" in updates and existing.organiser_id != values["organiser_id"]:
            updates["organiser_id"] = values["organiser_id"]
        if existing.consent_text_id is None:
            updates["consent_text_id"] = self.consent_id
            updates["consent_at"] = self.now
        return updates

    def _new_interests(self, existing, plan):
        return [i for i in plan.related["interests"] if i not in existing.interest_ids]

    def changes(self, existing, plan):
        diff = {}
        for attname, new in self._updates(existing, plan).items():
            old = getattr(existing, attname)
            if attname == "district_id":
                diff["district"] = (self._district_name(old), self._district_name(new))
            elif attname == "organiser_id":
                continue  # follows the district
            elif attname == "consent_text_id":
                diff["consent"] = ("", self.consent.version)
            elif attname != "consent_at":
                diff[attname] = (old, new)
        added = self._new_interests(existing, plan)
        if added:
            old = [self.interest_names[i] for i in sorted(existing.interest_ids)]
            diff["interests"] = (old, old + [self.interest_names[i] for i in added])
        return diff

    def _district_name(self, pk):
        district = self.districts.get(pk)
        return district.name if district else ""

    # --- writing --------------------------------------------------------------------------------

    def write(self, creates, updates):
        from simple_history.utils import bulk_update_with_history

        from muhim.core.imports.bulk import insert_rows

        links, lines = [], []
        if creates:
            keys = insert_rows(
                Volunteer,
                [plan.values for plan in creates],
                key_fields=self.key_fields,
                user=self.user,
                reason=self.change_reason,
            )
            pks = list(keys.values())
            self._complete_new(pks)
            links += [
                (keys[plan.key], interest) for plan in creates for interest in plan.related["interests"]
            ]
        changed, fields = [], set()
        changing = {stored.pk: self._updates(stored, plan) for stored, plan in updates}
        instances = Volunteer.objects.in_bulk([pk for pk, values in changing.items() if values])
        for stored, plan in updates:
            # What changed, in the volunteer's history: "name, interests".
            text = ", ".join(self.changes(stored, plan))
            links += [(stored.pk, interest) for interest in self._new_interests(stored, plan)]
            values = changing[stored.pk]
            if values:
                volunteer = instances[stored.pk]
                for attname, value in values.items():
                    setattr(volunteer, attname, value)
                fields.update(values)
                changed.append(volunteer)
            lines.append((stored.pk, f"{self.change_reason}: {text}"))
        if changed:
            bulk_update_with_history(
                changed,
                Volunteer,
                sorted(fields),
                batch_size=500,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )
        self._insert_interests(links)
        if lines:
            self._insert_imported_lines(lines)

    @staticmethod
    def _key_conditions(pks):
        """SQL conditions selecting exactly `pks`: one key range when they are consecutive (as
        new keys are when nobody else inserts at the same moment), else lists of keys."""
        pk_column = connection.ops.quote_name(Volunteer._meta.pk.column)
        low, high = min(pks), max(pks)
        if high - low + 1 == len(set(pks)) == len(pks):
            return [(f"{pk_column} BETWEEN %s AND %s", [low, high])]
        step = 500
        return [
            (f"{pk_column} IN ({', '.join(['%s'] * len(pks[i : i + step]))})", pks[i : i + step])
            for i in range(0, len(pks), step)
        ]

    def _complete_new(self, pks):
        """What is the same for every volunteer just inserted, written in a few statements
        rather than row by row: the consent time (on the record and its first history record)
        and the "imported" line in their history. The language is the model's default (Urdu)."""
        if not pks:
            return
        quote = connection.ops.quote_name
        meta = Volunteer._meta
        at = meta.get_field("consent_at").get_db_prep_save(self.now, connection)
        column = quote(meta.get_field("consent_at").column)
        tables = [quote(meta.db_table), quote(Volunteer.history.model._meta.db_table)]
        interaction = Interaction._meta
        columns = ", ".join(
            quote(interaction.get_field(name).column) for name in ("volunteer", "kind", "text", "at", "by")
        )
        with connection.cursor() as cursor:
            for condition, params in self._key_conditions(pks):
                for table in tables:
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s WHERE {condition} AND {column} IS NULL",
                        [at, *params],
                    )
                cursor.execute(
                    f"INSERT INTO {quote(interaction.db_table)} ({columns}) "
                    f"SELECT {quote(meta.pk.column)}, %s, %s, %s, %s FROM {quote(meta.db_table)} WHERE {condition}",
                    [
                        Interaction.Kind.IMPORTED.value,
                        self.change_reason,
                        at,
                        getattr(self.user, "pk", None),
                        *params,
                    ],
                )

    def _insert_interests(self, links):
        if not links:
            return
        quote = connection.ops.quote_name
        through = Volunteer.interests.through._meta
        columns = ", ".join(quote(through.get_field(name).column) for name in ("volunteer", "interest"))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {quote(through.db_table)} ({columns}) VALUES (%s, %s)", links)

    def _insert_imported_lines(self, lines):
        """(volunteer id, text): an "imported" line in the history of volunteers a file updated."""
        quote = connection.ops.quote_name
        meta = Interaction._meta
        at = meta.get_field("at").get_db_prep_save(self.now, connection)
        by = getattr(self.user, "pk", None)
        kind = Interaction.Kind.IMPORTED.value
        columns = ", ".join(
            quote(meta.get_field(name).column) for name in ("volunteer", "kind", "text", "at", "by")
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s, %s)",
                [(pk, kind, text, at, by) for pk, text in lines],
            )


# Plain addresses, a subset of what Django's validator accepts; anything else is asked of it.
PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def _valid_email(text):
    if len(text) <= 254 and PLAIN_EMAIL.fullmatch(text):
        return True
    try:
        validate_email(text)
    except ValidationError:
        return False
    return len(text) <= 254
