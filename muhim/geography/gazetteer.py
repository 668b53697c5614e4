"""Loading the shipped gazetteer (gazetteer/pakistan.yaml) into the database.

Loading creates what is missing and leaves what exists alone, so that running `make run` again
never undoes an edit made in Muhim (a corrected Urdu spelling, an added alias). `update=True`
brings existing areas back to the shipped names and centroids, reporting each change."""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction

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
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
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
def load_gazetteer(*, path=GAZETTEER_PATH, update=False) -> LoadReport:
    report = LoadReport()
    existing = {a.code: a for a in Area.objects.all()}
    alias_keys = set(AreaAlias.objects.values_list("area__code", "name"))
    for level, parent_code, entry in read_gazetteer(path):
        values = _values(level, entry)
        area = existing.get(entry["code"])
        if area is None:
            parent = existing[parent_code] if parent_code else None
            area = Area(code=entry["code"], parent=parent, **values)
            area.path = area.build_path()
            area.province = parent.province if parent else None
            area.full_clean(exclude=["province"])
            area.save()
            if area.province_id is None:
                area.province = area
                area.save(update_fields=["province"])
            existing[area.code] = area
            report.created += 1
        elif update:
            changed = [k for k, v in values.items() if getattr(area, k) != v]
            for k in changed:
                report.changes.append(f"{area.code}: {k} {getattr(area, k)!r} → {values[k]!r}")
                setattr(area, k, values[k])
            if changed:
                area.save()
                report.updated += 1
            else:
                report.unchanged += 1
        else:
            report.unchanged += 1
        for alias in entry.get("aliases") or []:
            if (area.code, alias["name"]) not in alias_keys:
                AreaAlias.objects.create(area=area, name=alias["name"], kind=alias.get("kind", "spelling"))
                alias_keys.add((area.code, alias["name"]))
                report.aliases_created += 1
    return report
