"""How an importer is declared. An importer says which columns it reads, turns one row into a
`Plan` (or raises `RowError` with a message a non-programmer understands), and knows how to
find, compare and write its records in bulk. The runner (runner.py) does everything else:
reading, mapping, chunks, transactions, counting, the rejected-rows file and progress.

    @register
    class SeatImporter(ModelImporter):
        slug = "na-seats"
        label = _("National Assembly seats")
        model = Constituency
        key_fields = ("code", "delimitation_year")
        fields = [Field("code", _("Seat"), required=True, aliases=["Seat"])]

        def parse(self, row):
            return Plan(key=(row["code"], 2018), values={"code": row["code"], ...})
"""

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class RowError(Exception):
    """This row cannot be imported; `str(exc)` says why and what to fix."""


@dataclass(frozen=True)
class Field:
    name: str
    label: Any
    required: bool = False
    aliases: tuple[str, ...] | list[str] = ()
    help: Any = ""


@dataclass(frozen=True)
class Option:
    """A setting for the whole run, e.g. the delimitation year of a seat list."""

    name: str
    label: Any
    type: type = str
    default: Any = None
    help: Any = ""
    choices: tuple = ()

    def coerce(self, raw):
        if raw in (None, ""):
            return self.default
        try:
            value = self.type(raw)
        except (TypeError, ValueError) as exc:
            kinds = {int: _("a whole number"), float: _("a number")}
            raise ValueError(
                _("%(label)s must be %(kind)s, not %(value)r.")
                % {"label": self.label, "kind": kinds.get(self.type, self.type.__name__), "value": raw}
            ) from exc
        if self.choices and value not in [c[0] for c in self.choices]:
            raise ValueError(
                _("%(label)s must be one of %(choices)s")
                % {"label": self.label, "choices": ", ".join(str(c[0]) for c in self.choices)}
            )
        return value


@dataclass
class Plan:
    """What one valid row will make true."""

    key: tuple
    values: dict[str, Any]
    related: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # The area the row belongs to, for region-scoped importers (organisers import only there).
    scope_area: Any = None
    label: str = ""  # how the row's record is named in messages, e.g. "NA-1"


def header_key(text):
    """Headers compare without case, spaces, punctuation or accents: 'Primary District' ==
    'primary_district' == 'PrimaryDistrict'. Letters of other scripts stay (an Urdu header
    must not shrink to '' and then equal every other Urdu header)."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").casefold()
    return re.sub(r"[\W_]", "", text)


class Importer:
    """Subclass, declare the class attributes, implement the five methods."""

    slug: ClassVar[str]
    label: ClassVar[Any]
    description: ClassVar[Any] = ""
    capability: ClassVar[str]  # muhim.accounts.permissions.Capability
    fields: ClassVar[list[Field]] = []
    options: ClassVar[list[Option]] = []
    chunk_size: ClassVar[int] = 1000
    # Where users get such a file; shown on the upload page.
    source_hint: ClassVar[Any] = ""

    def __init__(self, *, user=None, options=None, change_reason=""):
        self.user = user
        self.options = self.clean_options(options or {})
        self.change_reason = change_reason

    @classmethod
    def clean_options(cls, raw):
        """Raises ValueError (with a message for the user) for an unknown or invalid option."""
        known = {opt.name for opt in cls.options}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(
                _("%(importer)s has no option %(names)s; its options are: %(known)s.")
                % {
                    "importer": cls.slug,
                    "names": ", ".join(unknown),
                    "known": ", ".join(sorted(known)) or _("none"),
                }
            )
        return {opt.name: opt.coerce(raw.get(opt.name)) for opt in cls.options}

    @classmethod
    def auto_map(cls, headers):
        """Importer field → file header, by field name, label or alias."""
        by_key = {}
        for header in headers:
            if key := header_key(header):
                by_key.setdefault(key, header)
        mapping = {}
        for f in cls.fields:
            for candidate in (f.name, str(f.label), *f.aliases):
                header = by_key.get(header_key(candidate) or None)
                if header and header not in mapping.values():
                    mapping[f.name] = header
                    break
        return mapping

    # --- the parts an importer implements ---------------------------------------------------

    def prepare(self):
        """Load what parsing needs (lookup tables) once per run, before the first row."""

    def prepare_rows(self, rows: list[dict[str, str]]):
        """Called once after `prepare` with every readable row (as `parse` will get them), for
        an importer whose rows decide together (a seat's results are matched to its listed
        candidates as a whole). Most importers need nothing here."""

    def parse(self, row: dict[str, str]) -> Plan:
        """`row` maps field names to the row's text ('' when empty or unmapped)."""
        raise NotImplementedError

    def fetch_existing(self, plans: list[Plan]) -> dict[tuple, Any]:
        raise NotImplementedError

    def changes(self, existing, plan: Plan) -> dict[str, tuple]:
        """{field: (old, new)} for what the row would change; empty when unchanged."""
        raise NotImplementedError

    def write(self, creates: list[Plan], updates: list[tuple[Any, Plan]]):
        """Store one chunk. Called inside a transaction; raise to roll the chunk back."""
        raise NotImplementedError

    def summary(self) -> list[str]:
        """Lines about the whole run, shown above its rows (e.g. every party name that matched
        no party, with how many rows named it): what a sample of rows would cut short."""
        return []


def _comparable(value):
    if isinstance(value, models.Model):
        return value.pk
    return value


class ModelImporter(Importer):
    """An importer for one model identified by `key_fields`. `Plan.values` holds model field
    values (model instances for foreign keys). Subclasses with related rows (many-to-many)
    extend `changes` and `write_related`."""

    model: ClassVar[type[models.Model]]
    key_fields: ClassVar[tuple[str, ...]]

    def fetch_existing(self, plans):
        if not plans:
            return {}
        from .bulk import select_keys

        attnames = [self._attname(n) for n in self.key_fields]
        by_key = {tuple(_comparable(v) for v in p.key): p.key for p in plans}
        pks = select_keys(self.model, attnames, by_key)
        if not pks:
            return {}  # all new: the common case of a first import
        # Only the columns rows compare against: existing rows may carry large ones (boundaries).
        compared = set(self.key_fields)
        for plan in plans:
            compared.update(name for name in plan.values if name in self._concrete_names())
        objects = self.queryset().filter(pk__in=list(pks.values())).only(*compared).in_bulk()
        return {by_key[key]: objects[pk] for key, pk in pks.items() if pk in objects}

    def queryset(self):
        return self.model._default_manager.all()

    @classmethod
    def _concrete_names(cls):
        if "_concrete" not in cls.__dict__:
            cls._concrete = {f.name for f in cls.model._meta.concrete_fields} | {
                f.attname for f in cls.model._meta.concrete_fields
            }
        return cls._concrete

    def _attname(self, name):
        f = self.model._meta.get_field(name)
        return f.attname

    def changes(self, existing, plan):
        """{field: (old, new)}; a foreign key's old and new values are the records, so that
        the preview names them instead of showing their ids."""
        diff = {}
        for name, new in plan.values.items():
            attname = self._attname(name)
            old = getattr(existing, attname)
            if old != _comparable(new) and not (old in (None, "") and new in (None, "")):
                if attname != name:
                    diff[name] = (getattr(existing, name), new)
                else:
                    diff[name] = (old, new)
        diff.update(self.related_changes(existing, plan))
        return diff

    def related_changes(self, existing, plan):
        return {}

    def build(self, plan):
        return self.model(**plan.values)

    def write(self, creates, updates):
        from simple_history.utils import bulk_update_with_history

        from .bulk import insert_rows

        created = []
        if creates:
            # New rows go in with executemany (bulk.py), history included; see why there.
            keys = insert_rows(
                self.model,
                [p.values for p in creates],
                key_fields=self.key_fields,
                user=self.user,
                reason=self.change_reason,
            )
            created = [_Stored(pk=keys[tuple(_comparable(v) for v in p.key)]) for p in creates]
        changed_fields = set()
        updated = []
        for obj, plan in updates:
            for name, value in plan.values.items():
                if name not in self.key_fields:
                    setattr(obj, name, value)
                    changed_fields.add(name)
            updated.append(obj)
        if updated and changed_fields:
            if hasattr(self.model, "history"):
                bulk_update_with_history(
                    updated,
                    self.model,
                    sorted(changed_fields),
                    batch_size=500,
                    default_user=self.user,
                    default_change_reason=self.change_reason,
                )
            else:
                self.model._default_manager.bulk_update(updated, sorted(changed_fields), batch_size=500)
        self.write_related(list(zip(created, creates, strict=True)) + [(o, p) for o, p in updates])

    def write_related(self, pairs):
        """Store related rows for (object, plan) pairs just created or updated."""


class _Stored:
    """A row just inserted, as write_related needs it: its primary key."""

    __slots__ = ("pk",)

    def __init__(self, pk):
        self.pk = pk


def field_label(importer_cls, name):
    for f in importer_cls.fields:
        if f.name == name:
            return f.label
    return name


REQUIRED_MESSAGE = gettext_lazy("%(label)s is empty; it is required.")
