"""Writes to the gazetteer that touch more than one row."""

from django.db import transaction

from .models import Area, AreaAlias


@transaction.atomic
def update_area(*, area: Area, user, changes: dict, aliases: list[tuple[str, str]] | None = None) -> Area:
    """Apply `changes` (field → value) to `area` and, if given, replace its aliases with
    `aliases` [(name, kind)], recording who did it in the area's history."""
    for field, value in changes.items():
        setattr(area, field, value)
    area._history_user = user
    area.full_clean(exclude=["path", "province", "parent"])
    area.save()
    if aliases is not None:
        wanted = {(name.strip(), kind) for name, kind in aliases if name.strip()}
        current = {(a.name, a.kind): a for a in area.aliases.all()}
        for key, alias in current.items():
            if key not in wanted:
                alias._history_user = user
                alias.delete()
        for name, kind in wanted - set(current):
            alias = AreaAlias(area=area, name=name, kind=kind)
            alias._history_user = user
            alias.save()
    return area
