"""Importer `education-budgets`: one row per government and fiscal year, with the education
allocation and the GDP it is measured against.

A row is matched on (government, fiscal year), so importing the same file twice changes
nothing. The government may be written as its name, short name or Urdu name ('Punjab',
'Federal', 'KP', 'Khyber Pakhtunkhwa', 'پنجاب', 'All'); the fiscal year as 2018-19, 2018-2019
or FY2018-19 (stored as 2018-19). The checks are the budget form's: GDP more than zero, an
allocation not negative and not larger than the GDP."""

from decimal import Context, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muhim.accounts.permissions import Capability
from muhim.activities.importers import link_of
from muhim.core.imports.base import Field, ModelImporter, Option, Plan, RowError
from muhim.core.imports.registry import register

from ..evidence_services import budget_problems, fiscal_year, government_named
from ..models import EducationBudget

UNITS = {"million": Decimal(1), "billion": Decimal(1000), "thousand": Decimal("0.001")}


def _limit(name):
    """The first amount a budget's field cannot hold."""
    field = EducationBudget._meta.get_field(name)
    return Decimal(10) ** (field.max_digits - field.decimal_places)


def amount_of(text, what, unit, limit):
    """PKR million from '1,234.5' in `unit`, below `limit`; None for an empty cell."""
    value = (text or "").strip().replace(",", "").replace(" ", "")
    if not value:
        return None
    try:
        amount = Decimal(value) * UNITS[unit]
    except InvalidOperation as exc:
        raise RowError(
            _("%(what)s %(text)r is not a number.") % {"what": what, "text": text.strip()}
        ) from exc
    if not amount.is_finite():
        raise RowError(_("%(what)s %(text)r is not a number.") % {"what": what, "text": text.strip()})
    amount = amount.quantize(Decimal("0.01"), context=Context(prec=40))
    if abs(amount) >= limit:
        raise RowError(
            _(
                "%(what)s %(text)s is too large: at most %(digits)s digits before the decimal point (PKR million)."
            )
            % {"what": what, "text": text.strip(), "digits": len(str(int(limit))) - 1}
        )
    return amount


@register
class EducationBudgetImporter(ModelImporter):
    slug = "education-budgets"
    label = gettext_lazy("Education budgets")
    description = gettext_lazy(
        "One row per government and fiscal year: the government (Federal, Punjab, Sindh, "
        "Khyber Pakhtunkhwa, Balochistan, or All for Pakistan as a whole; short and Urdu names "
        "are read too), the fiscal year (2018-19), the education allocation and Pakistan's GDP "
        "at current prices for the year, both in PKR million (or the unit chosen below), a "
        "source link and a note. A row is matched on the government and fiscal year: importing "
        "the same file again changes nothing."
    )
    source_hint = gettext_lazy(
        "Budget statements of the federal and provincial finance departments, and the Pakistan "
        "Economic Survey for GDP."
    )
    capability = Capability.MANAGE_ELECTIONS
    model = EducationBudget
    key_fields = ("government", "fiscal_year")
    fields = [
        Field("government", gettext_lazy("Government"), required=True, aliases=("province", "حکومت")),
        Field(
            "fiscal_year", gettext_lazy("Fiscal year"), required=True, aliases=("year", "fy", "fiscal year")
        ),
        Field(
            "education_allocation",
            gettext_lazy("Education allocation"),
            required=True,
            aliases=("allocation", "education budget", "education", "education spending"),
        ),
        Field("gdp", gettext_lazy("GDP"), required=True, aliases=("gdp current prices", "gdp (pkr million)")),
        Field("source_url", gettext_lazy("Source link"), aliases=("source", "link", "url")),
        Field("note", gettext_lazy("Note"), aliases=("notes", "comment")),
    ]
    options = [
        Option(
            "unit",
            gettext_lazy("Unit of the amounts"),
            default="million",
            choices=(("million", "PKR million"), ("billion", "PKR billion"), ("thousand", "PKR thousand")),
            help=gettext_lazy(
                "The allocation and GDP columns are in this unit; they are stored in PKR million."
            ),
        )
    ]

    def parse(self, row):
        try:
            government = government_named(row["government"])
            year = fiscal_year(row["fiscal_year"])
        except ValidationError as exc:
            raise RowError(" ".join(exc.messages)) from exc
        unit = self.options["unit"]
        allocation = amount_of(
            row["education_allocation"], _("The education allocation"), unit, _limit("education_allocation")
        )
        gdp = amount_of(row["gdp"], _("The GDP"), unit, _limit("gdp"))
        if allocation is None or gdp is None:
            raise RowError(_("Both the education allocation and the GDP are needed."))
        problems = budget_problems(fiscal_year_text=None, allocation=allocation, gdp=gdp)
        if problems:
            raise RowError(" ".join(problems.values()))
        values = {
            "government": government,
            "fiscal_year": year,
            "education_allocation": allocation,
            "gdp": gdp,
        }
        link = link_of(row["source_url"], _("The source link"))
        if link:
            values["source_url"] = link
        note = row["note"].strip()
        if note:
            values["note"] = note
        return Plan(
            key=(government, year),
            values=values,
            label=f"{EducationBudget.Government(government).label} {year}",
        )
