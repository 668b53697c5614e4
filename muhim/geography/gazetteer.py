"""Loading the shipped gazetteer (gazetteer/pakistan.yaml) into the database.

Loading creates what is missing and leaves what exists alone, so that running `make run` again
never undoes an edit made in Muhim (a corrected Urdu spelling, an added alias). `update=True`
brings existing areas back to the shipped names and centroids, reporting each change."""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from .models import Area, AreaAlias

GAZETTEER_PATH = Path(__file__).parent / "gazetteer" / "pakistan.yaml"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    aliases_created: int = 0
    changes: list[str] = field(default_factory=list)


def read_gazetteer(path=GAZETTEER_PATH):
    """The gazetteer as a flat list of (level, parent code, entry) in parent-first order."""
    # libyaml's loader when PyYAML has it: ten times faster than the pure-Python one.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (a safe loader)
    rows = []
    for province in data["provinces"]:
        rows.append((Area.Level.PROVINCE, None, province))
        for division in province.get("divisions", []):
            rows.append((Area.Level.DIVISION, province["code"], division))
            for district in division.get("districts", []):
                rows.append((Area.Level.DISTRICT, division["code"], district))
    return rows


def _values(level, entry):
    lat, lon = entry.get("centroid") or (None, None)
    return {
        "level": level,
        "kind": entry.get("kind", "") if level == Area.Level.PROVINCE else "",
        "name": entry["name"],
        "name_ur": entry.get("name_ur", ""),
        "headquarters": entry.get("headquarters", ""),
        "centroid_lat": Decimal(str(lat)).quantize(Decimal("0.00001")) if lat is not None else None,
        "centroid_lon": Decimal(str(lon)).quantize(Decimal("0.00001")) if lon is not None else None,
    }


@transaction.atomic
def load_gazetteer(*, path=GAZETTEER_PATH, update=False, user=None) -> LoadReport:
    """Level by level (parents first), in bulk: a fresh database gets its 200 areas and their
    change history in a handful of queries."""
    report = LoadReport()
    existing = {a.code: a for a in Area.objects.all()}
    alias_keys = set(AreaAlias.objects.values_list("area__code", "name"))
    if not update:
        # An alias someone removed in Muhim stays removed; `update` brings it back.
        alias_keys |= set(AreaAlias.history.filter(history_type="-").values_list("area__code", "name"))
    rows = read_gazetteer(path)
    new_aliases = []
    for level in (Area.Level.PROVINCE, Area.Level.DIVISION, Area.Level.DISTRICT):
        new_areas = []
        for row_level, parent_code, entry in rows:
            if row_level != level:
                continue
            values = _values(level, entry)
            area = existing.get(entry["code"])
            if area is None:
                parent = existing[parent_code] if parent_code else None
                area = Area(code=entry["code"], parent=parent, **values)
                area.path = area.build_path()
                area.province_id = parent.province_id if parent else None
                area.full_clean(exclude=["province", "parent"])
                new_areas.append(area)
            elif update:
                changed = [k for k, v in values.items() if getattr(area, k) != v]
                for k in changed:
                    report.changes.append(f"{area.code}: {k} {getattr(area, k)!r} → {values[k]!r}")
                    setattr(area, k, values[k])
                if changed:
                    area._history_user = user
                    area.save()
                    report.updated += 1
                else:
                    report.unchanged += 1
            else:
                report.unchanged += 1
        if new_areas:
            created = bulk_create_with_history(
                new_areas, Area, default_user=user, default_change_reason="gazetteer"
            )
            for area in created:
                existing[area.code] = area
            report.created += len(created)
            if level == Area.Level.PROVINCE:
                # A province is its own province, which needs its key first.
                Area.objects.filter(pk__in=[a.pk for a in created]).update(province_id=models.F("pk"))
                for area in created:
                    area.province_id = area.pk
    for _level, _parent_code, entry in rows:
        for alias in entry.get("aliases") or []:
            key = (entry["code"], alias["name"])
            if key not in alias_keys:
                alias_keys.add(key)
                new_aliases.append(
                    AreaAlias(
                        area=existing[entry["code"]], name=alias["name"], kind=alias.get("kind", "spelling")
                    )
                )
    if new_aliases:
        bulk_create_with_history(new_aliases, AreaAlias, default_user=user, default_change_reason="gazetteer")
        report.aliases_created = len(new_aliases)
    return report
