"""Forms of the public network pages: finding a district, and applying for a vacancy."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from muhim.geography.models import Area
from muhim.people.services import mobile_number

from . import cv as cv_checks
from .models import Sex


def district_choices():
    """Districts grouped by province for a <select>, in the page's language (one query)."""
    urdu = get_language() == "ur"
    groups = {}
    for district in (
        Area.objects.districts()
        .select_related("province")
        .only("code", "name", "name_ur", "province__name", "province__name_ur")
    ):
        province = district.province
        group = (province.name_ur if urdu and province.name_ur else province.name) if province else ""
        groups.setdefault(group, []).append((district.code, district.display_name))
    return [(group, sorted(items, key=lambda item: item[1])) for group, items in sorted(groups.items())]


class DistrictField(forms.ChoiceField):
    """A district chosen by its code; cleans to the Area. An unknown code (a stale link, a
    tampered form) gets a message a person can act on."""

    default_error_messages = {
        "invalid_choice": _(
            "There is no district with the code “%(value)s”. Choose your district from the list."
        ),
    }

    def __init__(self, **kwargs):
        super().__init__(choices=(), **kwargs)

    def set_choices(self, placeholder):
        self.choices = [("", placeholder), *district_choices()]

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        district = Area.objects.districts().filter(code=code).first()
        if district is None:  # removed between showing the form and sending it
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": code}
            )
        return district


class FindForm(forms.Form):
    """Pick a district, or type its name (English, Urdu or another spelling)."""

    q = forms.CharField(
        label=_("Type your district's name"),
        required=False,
        max_length=120,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "placeholder": _("e.g. Nawabshah"),
                "class": "form-control",
            }
        ),
    )
    district = DistrictField(
        label=_("or choose it from the list"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].set_choices(_("Choose a district"))


class CVField(forms.FileField):
    """The CV: checked by its content (cv.py); `kind` is set to 'pdf' or 'docx' once clean."""

    default_error_messages = {
        "required": _("Choose your CV: a PDF or a Word (.docx) file."),
        "empty": _("This file is empty. Choose the file that holds your CV."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(
                attrs={
                    # Helps phones offer the right files; the server still reads the content.
                    "accept": ".pdf,.docx,application/pdf,"
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                }
            ),
        )
        super().__init__(**kwargs)
        self.kind = ""

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if uploaded:
            self.kind = cv_checks.check_cv(uploaded)
        return uploaded


class ApplicationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=160, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"})
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        help_text=_("For example 0300 1234567."),
        # Numbers read left to right on Urdu pages too.
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}
        ),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        # "Prefer not to say" last; its value is empty, like the model's.
        choices=[
            (Sex.FEMALE, Sex.FEMALE.label),
            (Sex.MALE, Sex.MALE.label),
            (Sex.OTHER, Sex.OTHER.label),
            (Sex.UNDISCLOSED, Sex.UNDISCLOSED.label),
        ],
        widget=forms.RadioSelect,
    )
    district = DistrictField(label=_("Your district"))
    cover_note = forms.CharField(
        label=_("Why do you want this post?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few lines about your work with parents, schools or your community."),
    )
    cv = CVField(label=_("Your CV"), help_text=_("A PDF or a Word (.docx) file, at most 5 MB."))
    consent = forms.BooleanField(
        label=_("Keep my application and CV for this recruitment."),
        help_text=_("Only the campaign office reads them; they are not published."),
        error_messages={
            "required": _(
                "Tick this box so that we may keep your application and CV; without it we cannot consider your application."
            )
        },
    )
    # A field people never see and bots fill in.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].set_choices(_("Choose your district"))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "full_name",
            "email",
            "phone",
            "sex",
            "district",
            "cover_note",
            "cv",
            "consent",
            Div(Field("website"), css_class="muhim-hp", aria_hidden="true"),
        )

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise ValidationError(_("Enter your name."), code="required")
        return name

    def clean_phone(self):
        return mobile_number(self.cleaned_data["phone"])

    @property
    def is_spam(self):
        return bool(self.data.get("website"))

    @property
    def cv_kind(self):
        return self.fields["cv"].kind

    def application_fields(self):
        """The keyword arguments of services.apply, besides the vacancy and the CV."""
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "email": data["email"],
            "phone": data["phone"],
            "sex": data["sex"],
            "district": data["district"],
            "cover_note": data["cover_note"].strip(),
        }
