"""The forms of voter-demand surveys (with their ranked demands), media stories and education
budgets. Constituencies are typed as codes ('NA-125'); each form says which code is unknown,
next to its field. The rules of the figures themselves are `evidence_services`' (the API and the
importers check the same)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muhim.demands.forms import add_service_errors
from muhim.elections.models import Election, Party, Person, normalise_name

from . import evidence_services as services
from .models import EducationBudget, MediaStory, VoterSurvey

__all__ = ["BudgetForm", "DemandFormSet", "MediaStoryForm", "SurveyForm", "add_service_errors"]

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _seat_lookup(election):
    return services.SeatLookup(election.delimitation_year if election else None)


class SurveyForm(forms.ModelForm):
    constituency_code = forms.CharField(
        label=gettext_lazy("Constituency"),
        max_length=20,
        help_text=gettext_lazy("Its code, e.g. NA-125 or PP-147."),
        widget=forms.TextInput(attrs={"list": "seat-codes", "autocapitalize": "characters", "dir": "ltr"}),
    )
    organisation = forms.CharField(
        label=gettext_lazy("Conducted by"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "The organisation that ran the survey; added to the list of organisations when new."
        ),
    )

    class Meta:
        model = VoterSurvey
        fields = ["election", "title", "conducted_on", "respondents", "source_url", "is_published"]
        widgets = {"conducted_on": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].queryset = Election.objects.order_by("-polling_date")
        survey = self.instance
        if survey.pk:
            self.initial.setdefault("constituency_code", survey.constituency.code)
            if survey.conducted_by_id:
                self.initial.setdefault("organisation", survey.conducted_by.name)
        self.order_fields(["constituency_code", "election", "title", "organisation", "conducted_on"])

    def clean(self):
        data = super().clean()
        code = data.get("constituency_code")
        if code:
            try:
                self.instance.constituency = _seat_lookup(data.get("election"))(code)
            except ValidationError as exc:
                self.add_error("constituency_code", exc)
            else:
                taken = VoterSurvey.objects.filter(
                    constituency=self.instance.constituency,
                    conducted_on=data.get("conducted_on"),
                    title=data.get("title") or "",
                ).exclude(pk=self.instance.pk)
                if data.get("conducted_on") and taken.exists():
                    self.add_error(
                        "title",
                        _(
                            "%(seat)s already has a survey of that day with this title; edit it, or give this one another title."
                        )
                        % {"seat": self.instance.constituency.code},
                    )
        return data


class DemandForm(forms.Form):
    EDUCATION_CHOICES = [
        ("", gettext_lazy("Read it from the words")),
        ("yes", gettext_lazy("Yes")),
        ("no", gettext_lazy("No")),
    ]
    rank = forms.IntegerField(label=gettext_lazy("Rank"), min_value=1, max_value=99)
    demand = forms.CharField(label=gettext_lazy("Demand"), max_length=200)
    is_education = forms.ChoiceField(
        label=gettext_lazy("About education"), choices=EDUCATION_CHOICES, required=False
    )
    share = forms.DecimalField(
        label=gettext_lazy("Share of respondents (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        required=False,
    )

    def row(self):
        data = self.cleaned_data
        education = {"yes": True, "no": False}.get(data.get("is_education") or "")
        return services.DemandRow(
            rank=data["rank"], demand=data["demand"].strip(), is_education=education, share=data.get("share")
        )


class BaseDemandFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        first = {}
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            rank = form.cleaned_data.get("rank")
            if rank in first:
                form.add_error(
                    "rank",
                    _("Rank %(rank)s is already given to “%(demand)s”; each rank holds one demand.")
                    % {"rank": rank, "demand": first[rank]},
                )
            else:
                first[rank] = form.cleaned_data.get("demand")
        if not first:
            raise ValidationError(_("Give at least one demand voters named, with its rank."))

    def rows(self):
        return [
            form.row()
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form) and form.cleaned_data
        ]

    @classmethod
    def initial_of(cls, survey):
        return [
            {
                "rank": d.rank,
                "demand": d.demand,
                "is_education": "yes" if d.is_education else "no",
                "share": d.share,
            }
            for d in survey.demands.all()
        ]


DemandFormSet = forms.formset_factory(DemandForm, formset=BaseDemandFormSet, extra=3, can_delete=True)


class MediaStoryForm(forms.ModelForm):
    constituency_codes = forms.CharField(
        label=gettext_lazy("Constituencies"),
        required=False,
        help_text=gettext_lazy("Codes separated by ';', e.g. NA-125; PP-147."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocapitalize": "characters"}),
    )
    candidate_names = forms.CharField(
        label=gettext_lazy("Candidates"),
        required=False,
        help_text=gettext_lazy("Names separated by ';', as they stood in the election."),
    )

    class Meta:
        model = MediaStory
        fields = [
            "outlet",
            "published_on",
            "title",
            "url",
            "language",
            "is_education",
            "parties",
            "is_published",
        ]
        widgets = {"published_on": DATE_INPUT, "parties": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = Party.objects.order_by("name")
        self.fields["parties"].required = False
        story = self.instance
        if story.pk:
            self.initial.setdefault(
                "constituency_codes", "; ".join(c.code for c in story.constituencies.all())
            )
            self.initial.setdefault("candidate_names", "; ".join(p.name for p in story.people.all()))
        self.order_fields(
            ["outlet", "published_on", "title", "url", "language", "is_education", "constituency_codes"]
        )
        self.seats, self.people = [], []

    def clean_constituency_codes(self):
        text = self.cleaned_data.get("constituency_codes", "")
        try:
            self.seats = services.SeatLookup().many(text)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return text

    def clean_candidate_names(self):
        text = self.cleaned_data.get("candidate_names", "")
        people, problems = candidates_named(text, self.seats)
        if problems:
            raise ValidationError(problems)
        self.people = people
        return text


def candidates_named(text, seats=()):
    """(people, problems) of a ';'-separated list of candidates' names. A name several people
    share is narrowed to those who stood in one of `seats`."""
    people, problems = {}, []
    for part in (text or "").split(";"):
        name = " ".join(part.split())
        if not name:
            continue
        found = list(Person.objects.filter(normalised=normalise_name(name))[:10])
        if len(found) > 1 and seats:
            found = [p for p in found if p.candidacies.filter(constituency__in=seats).exists()]
        if not found:
            problems.append(_("No candidate is called %(name)r.") % {"name": name})
        elif len(found) > 1:
            problems.append(
                _(
                    "%(count)s candidates are called %(name)r; add the seat they stood for to the constituencies."
                )
                % {"count": len(found), "name": name}
            )
        else:
            people[found[0].pk] = found[0]
    return list(people.values()), problems


class BudgetForm(forms.ModelForm):
    # Longer than it is stored: '2018-2019' and 'FY 2018-19' are read, and stored as '2018-19'.
    fiscal_year = forms.CharField(
        label=gettext_lazy("Fiscal year"),
        max_length=12,
        help_text=gettext_lazy("July to June, written '2018-19'."),
        widget=forms.TextInput(attrs={"placeholder": "2018-19", "dir": "ltr", "inputmode": "numeric"}),
    )

    class Meta:
        model = EducationBudget
        fields = ["government", "fiscal_year", "education_allocation", "gdp", "source_url", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        problems = services.budget_problems(
            fiscal_year_text=data.get("fiscal_year"),
            allocation=data.get("education_allocation"),
            gdp=data.get("gdp"),
        )
        for name, message in problems.items():
            self.add_error(name, message)
        if "fiscal_year" not in problems and data.get("fiscal_year"):
            data["fiscal_year"] = services.fiscal_year(data["fiscal_year"])
            government = data.get("government")
            taken = EducationBudget.objects.filter(government=government, fiscal_year=data["fiscal_year"])
            if government and taken.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "fiscal_year",
                    _("%(government)s already has a budget for %(year)s; edit that one instead.")
                    % {
                        "government": EducationBudget.Government(government).label,
                        "year": data["fiscal_year"],
                    },
                )
        return data
