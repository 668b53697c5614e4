from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from muhim.accounts.permissions import Capability, user_can
from muhim.core.lists import FilteredListView

from .filters import AreaFilter, ConstituencyFilter
from .forms import AliasFormSet, AreaForm
from .models import Area, Constituency, ConstituencyArea
from .services import update_area
from .tables import AreaTable, ConstituencyTable

MAP_LEVELS = [Area.Level.PROVINCE, Area.Level.DIVISION, Area.Level.DISTRICT]


def map_view(request):
    level = request.GET.get("level", Area.Level.PROVINCE)
    if level not in MAP_LEVELS:
        level = Area.Level.PROVINCE
    counts = dict(
        Area.objects.filter(level__in=MAP_LEVELS)
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    with_boundary = Area.objects.filter(level=level).with_boundary().count()
    return render(
        request,
        "geography/map.html",
        {
            "level": level,
            "levels": [(lv, Area.Level(lv).label, counts.get(lv, 0)) for lv in MAP_LEVELS],
            "with_boundary": with_boundary,
            "total": counts.get(level, 0),
        },
    )


class AreaListView(FilteredListView):
    table_class = AreaTable
    filterset_class = AreaFilter
    template_name = "geography/area_list.html"
    export_name = "areas"

    def count_text(self, count):
        return ngettext("%(count)s area", "%(count)s areas", count) % {"count": count}

    def get_queryset(self):
        return Area.objects.select_related("parent", "province")


def _detail_map(area):
    """What the area page's map shows: the areas inside it where they can be drawn, otherwise
    the area among its neighbours (going up a level while those cannot be drawn either), so
    that imported tehsils without boundaries or centres never leave the map empty."""
    drawable = Q(boundary__isnull=False) | Q(centroid_lat__isnull=False, centroid_lon__isnull=False)
    if area.children.filter(drawable).exists():
        return {"query": f"parent={area.code}", "highlight": ""}
    node = area
    while node.parent_id:
        if Area.objects.filter(parent_id=node.parent_id).filter(drawable).exists():
            return {"query": f"parent={node.parent.code}", "highlight": node.code}
        node = node.parent
    return {"query": f"level={node.level}", "highlight": node.code}


def area_detail(request, code):
    area = get_object_or_404(Area.objects.select_related("parent", "province"), code=code)
    children = area.children.order_by("name")
    seats = (
        Constituency.objects.in_area(area)
        .select_related("province")
        .prefetch_related(Prefetch("links", queryset=ConstituencyArea.objects.select_related("area")))
        .order_by("delimitation_year", "assembly", "number")
    )
    by_assembly = {}
    for seat in seats:
        by_assembly.setdefault((seat.delimitation_year, seat.get_assembly_display()), []).append(seat)
    return render(
        request,
        "geography/area_detail.html",
        {
            "area": area,
            "ancestors": area.ancestors(),
            "children": children,
            "seats_by_assembly": by_assembly,
            "seat_count": len(seats),
            "aliases": area.aliases.all(),
            "map": _detail_map(area),
            "can_edit": user_can(request.user, Capability.EDIT_GAZETTEER, area),
            "can_see_history": user_can(request.user, Capability.VIEW_AUDIT),
        },
    )


@login_required
def area_edit(request, code):
    area = get_object_or_404(Area, code=code)
    if not user_can(request.user, Capability.EDIT_GAZETTEER, area):
        raise PermissionDenied(_("You can edit areas only inside your own regions."))
    form = AreaForm(request.POST or None, instance=area)
    formset = AliasFormSet(request.POST or None, instance=area, prefix="aliases")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        aliases = [
            (f.cleaned_data["name"], f.cleaned_data["kind"])
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name")
        ]
        update_area(area=area, user=request.user, changes=form.cleaned_data, aliases=aliases)
        messages.success(request, _("%(area)s was saved.") % {"area": area.name})
        return redirect(area)
    return render(request, "geography/area_form.html", {"area": area, "form": form, "formset": formset})


@login_required
def area_history(request, code):
    if not user_can(request.user, Capability.VIEW_AUDIT):
        raise PermissionDenied(_("Only administrators can see the change history."))
    area = get_object_or_404(Area, code=code)
    records = list(area.history.select_related("history_user").order_by("-history_date")[:200])
    entries = []
    for newer, older in zip(records, records[1:] + [None], strict=True):
        changes = newer.diff_against(older).changes if older is not None else []
        entries.append({"record": newer, "changes": changes})
    alias_history = (
        area.aliases.model.history.filter(area_id=area.pk)
        .select_related("history_user")
        .order_by("-history_date")[:200]
    )
    return render(
        request,
        "geography/area_history.html",
        {"area": area, "entries": entries, "alias_history": alias_history},
    )


class ConstituencyListView(FilteredListView):
    table_class = ConstituencyTable
    filterset_class = ConstituencyFilter
    template_name = "geography/constituency_list.html"
    export_name = "constituencies"

    def count_text(self, count):
        return ngettext("%(count)s seat", "%(count)s seats", count) % {"count": count}

    def get_queryset(self):
        return Constituency.objects.select_related("province").prefetch_related("areas")


def constituency_detail(request, year, code):
    seat = get_object_or_404(
        Constituency.objects.select_related("province"), delimitation_year=year, code=code.upper()
    )
    links = seat.links.select_related("area", "area__parent").order_by("-is_primary", "area__name")
    return render(
        request,
        "geography/constituency_detail.html",
        {"seat": seat, "links": links, "can_see_history": user_can(request.user, Capability.VIEW_AUDIT)},
    )
