import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Area, Constituency


class AreaTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    name_ur = tables.Column(verbose_name=_("Urdu name"), attrs={"td": {"lang": "ur", "dir": "rtl"}})
    level = tables.Column(verbose_name=_("Level"))
    parent = tables.Column(verbose_name=_("Part of"), linkify=True, accessor="parent")
    province = tables.Column(verbose_name=_("Province or territory"), accessor="province__name")
    code = tables.Column(verbose_name=_("Code"))

    class Meta:
        model = Area
        fields = ("name", "name_ur", "level", "parent", "province", "code")
        order_by = ("name",)

    def value_parent(self, record):
        return record.parent.name if record.parent_id else ""


class ConstituencyTable(tables.Table):
    code = tables.Column(verbose_name=_("Seat"), linkify=True, order_by=("assembly", "number"))
    name = tables.Column(verbose_name=_("Name"))
    assembly = tables.Column(verbose_name=_("Assembly"))
    province = tables.Column(verbose_name=_("Province or territory"), accessor="province__name")
    areas = tables.Column(verbose_name=_("Districts"), orderable=False, empty_values=())
    delimitation_year = tables.Column(verbose_name=_("Delimitation"))

    class Meta:
        model = Constituency
        fields = ("code", "name", "assembly", "province", "areas", "delimitation_year")

    def render_areas(self, record):
        return ", ".join(str(a) for a in record.areas.all())

    def value_areas(self, record):
        return "; ".join(a.name for a in record.areas.all())
