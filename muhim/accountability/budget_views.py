"""Education budgets by government and fiscal year against the 4% of GDP target (/budgets/).

Budgets are public figures: the page, its chart and its exports are open to anyone (read only).
Recording and editing a budget need MANAGE_ELECTIONS, through `evidence_services.save_budget`.
The chart is drawn on the server (SVG, no JavaScript); the table under it holds the same figures
for screen readers and for copying."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from muhim.accounts.permissions import Capability, user_can

from . import evidence_services as services
from .evidence_filters import BudgetFilter
from .evidence_forms import BudgetForm, add_service_errors
from .evidence_tables import BudgetTable
from .models import FOUR_PERCENT, EducationBudget
from .survey_views import StaffListView, staff_page

MANAGE_BUDGETS_DENIED = gettext_lazy(
    "Your role may read education budgets but not record or change them. Ask the campaign office or "
    "an election specialist."
)
manage_budgets = staff_page(Capability.MANAGE_ELECTIONS, MANAGE_BUDGETS_DENIED)


class BudgetListView(StaffListView):
    capability = None  # public figures
    model = EducationBudget
    table_class = BudgetTable
    filterset_class = BudgetFilter
    template_name = "accountability/budgets/budget_list.html"
    export_name = "education budgets"

    def count_text(self, count):
        return ngettext("%(count)s budget", "%(count)s budgets", count) % {"count": count}

    def get_queryset(self):
        return EducationBudget.objects.all()

    def get_table_kwargs(self):
        if not user_can(self.request.user, Capability.MANAGE_ELECTIONS):
            return {"exclude": ("edit",)}
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The chart shows every government whatever the filters; the table is the filtered rows.
        context["chart"] = services.share_chart(list(EducationBudget.objects.all()))
        context["target"] = FOUR_PERCENT
        context["latest"] = services.latest_budget_shares()
        context["can_manage"] = user_can(self.request.user, Capability.MANAGE_ELECTIONS)
        return context


def _form_page(request, budget=None):
    if request.method == "POST":
        form = BudgetForm(request.POST, instance=budget or EducationBudget())
        if form.is_valid():
            try:
                services.save_budget(budget=form.instance, user=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("The budget of %(budget)s was saved.") % {"budget": form.instance}
                )
                return redirect("accountability:budget-list")
    else:
        form = BudgetForm(instance=budget or EducationBudget())
    return render(request, "accountability/budgets/budget_form.html", {"form": form, "budget": budget})


@manage_budgets
@require_http_methods(["GET", "POST"])
def budget_create(request):
    return _form_page(request)


@manage_budgets
@require_http_methods(["GET", "POST"])
def budget_edit(request, pk):
    return _form_page(request, get_object_or_404(EducationBudget, pk=pk))


urlpatterns = [
    path("budgets/", BudgetListView.as_view(), name="budget-list"),
    path("budgets/new/", budget_create, name="budget-create"),
    path("budgets/<int:pk>/edit/", budget_edit, name="budget-edit"),
]
