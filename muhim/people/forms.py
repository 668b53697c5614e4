"""The public sign-up form, the organiser's "add someone I met" form, and what organisers change
on a volunteer's page."""

import re
from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from muhim.geography.models import Area
from muhim.network.models import Sex

from .models import ConsentText, Interaction, Interest, Tag, Volunteer
from .services import mobile_number

# "Prefer not to say" is stored as "" (the same as not answering).
SEX_CHOICES = [
    (Sex.FEMALE, Sex.FEMALE.label),
    (Sex.MALE, Sex.MALE.label),
    (Sex.OTHER, Sex.OTHER.label),
    ("", Sex.UNDISCLOSED.label),
]
TAG_SEPARATORS = re.compile(r"\s*[,،;]\s*")  # the Urdu comma too
CONTACT_KINDS = [
    Interaction.Kind.CALL,
    Interaction.Kind.SMS,
    Interaction.Kind.WHATSAPP,
    Interaction.Kind.MEETING,
    Interaction.Kind.EMAIL,
    Interaction.Kind.NOTE,
]


def district_choices(districts):
    """Districts grouped by province, in the page's language and alphabetical order."""
    groups = {}
    for district in districts:
        groups.setdefault(district.province, []).append(district)
    choices = []
    for province in sorted(groups, key=lambda p: p.display_name):
        members = sorted(groups[province], key=lambda d: d.display_name)
        choices.append((province.display_name, [(d.code, d.display_name) for d in members]))
    return choices


def tags_from_names(names):
    """Tag records for `names`, matched without regard to case and created when new."""
    tags = []
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        if tag not in tags:
            tags.append(tag)
    return tags


def split_tags(text):
    names = []
    for part in TAG_SEPARATORS.split(text or ""):
        part = " ".join(part.split())
        if part and part.casefold() not in {n.casefold() for n in names}:
            names.append(part)
    return names


class MobileNumberField(forms.CharField):
    """A mobile number typed any usual way; cleaned to a PhoneNumber (E.164 when stored)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.update({"autocomplete": "tel", "inputmode": "tel", "dir": "ltr"})

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        return mobile_number(value)


class DistrictField(forms.ChoiceField):
    """A district by its code, offered grouped by province. An unknown code (an old link, a
    typing mistake) gets a message saying so, not a generic "invalid choice"."""

    def __init__(self, *, districts, **kwargs):
        self.districts = {d.code: d for d in districts}
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": gettext_lazy(
                    "%(value)s is not a district we know. Choose your district from the list."
                ),
                "required": gettext_lazy("Choose your district."),
            },
        )
        super().__init__(choices=[("", "—")] + district_choices(self.districts.values()), **kwargs)

    def clean(self, value):
        code = super().clean(value)
        return self.districts.get(code)


class SignUpForm(forms.Form):
    """The public form. Field order follows what people on a phone answer most easily."""

    name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": gettext_lazy("Tell us your name.")},
    )
    phone = MobileNumberField(
        label=gettext_lazy("Mobile number"),
        help_text=gettext_lazy("For example 0300 1234567. Your organiser will call or send an SMS."),
        error_messages={"required": gettext_lazy("Enter your mobile number.")},
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail (optional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    interests = forms.ModelMultipleChoiceField(
        label=gettext_lazy("How would you like to help?"),
        queryset=Interest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    sex = forms.ChoiceField(
        label=gettext_lazy("Sex (optional)"),
        choices=SEX_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=gettext_lazy("I agree to be contacted as described above."),
        error_messages={
            "required": gettext_lazy(
                "Tick the box to agree to be contacted; without it we cannot keep your details."
            )
        },
    )
    consent_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # A field people never see: bots fill every field they find.
    website = forms.CharField(
        label=gettext_lazy("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, districts, consent_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_text = consent_text
        self.fields["district"] = DistrictField(label=_("District"), districts=districts)
        self.order_fields(["name", "phone", "email", "district", "interests", "sex", "consent"])
        self.fields["interests"].queryset = Interest.objects.all()
        if consent_text is not None:
            self.fields["consent_version"].initial = consent_text.version

    @property
    def is_spam(self):
        return bool((self.data.get("website") or "").strip())

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("Tell us your name."), code="required")
        return name

    def clean_consent_version(self):
        """The wording the person saw when the page was made (a new version may have been
        published since): they are recorded as agreeing to that one."""
        version = self.cleaned_data.get("consent_version") or ""
        if version and self.consent_text is not None and version == self.consent_text.version:
            return self.consent_text
        seen = ConsentText.objects.filter(version=version).first() if version else None
        if seen is None:
            if self.consent_text is None:
                raise ValidationError(
                    _("Sign-up is closed for now: there is no consent wording to agree to.")
                )
            raise ValidationError(_("The wording below has changed; read it and tick the box again."))
        return seen

    def clean(self):
        cleaned = super().clean()
        if "consent_version" in self.errors:
            # The box was ticked for another wording: ask again rather than assume.
            self.data = self.data.copy()
            self.data["consent"] = ""
            self.data["consent_version"] = self.consent_text.version if self.consent_text else ""
        return cleaned


class OrganiserAddForm(SignUpForm):
    """An organiser records someone they met, who agreed to be contacted."""

    language = forms.ChoiceField(
        label=gettext_lazy("Their language"),
        choices=[("ur", gettext_lazy("Urdu")), ("en", gettext_lazy("English"))],
        initial="ur",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        self.fields["name"].label = _("Name")
        self.fields["name"].error_messages["required"] = _("Enter their name.")
        self.fields["phone"].label = _("Mobile number")
        self.fields["phone"].help_text = _("For example 0300 1234567.")
        self.fields["email"].label = _("E-mail (optional)")
        self.fields["interests"].label = _("Interests")
        self.fields["district"].error_messages["invalid_choice"] = _(
            "%(value)s is not one of the districts in your regions."
        )
        self.fields["consent"].label = _(
            "They agreed to be contacted with the wording above (read it to them if they have not seen it)."
        )
        self.fields["consent"].error_messages["required"] = _(
            "Only people who agreed to be contacted can be added: tick the box once they have."
        )
        self.fields["language"].initial = get_language() if get_language() in ("ur", "en") else "ur"
        self.order_fields(["name", "phone", "email", "district", "language", "interests", "sex", "consent"])

    @property
    def is_spam(self):
        return False


class VolunteerUpdateForm(forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("Level of involvement"), choices=Volunteer.Level.choices)
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Separated by commas, e.g. 'Lahore team, speaker'. New tags are created."),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_tags(self):
        names = split_tags(self.cleaned_data.get("tags"))
        too_long = [n for n in names if len(n) > Tag._meta.get_field("name").max_length]
        if too_long:
            raise ValidationError(
                _("A tag can have at most %(max)s characters: %(tag)s")
                % {"max": Tag._meta.get_field("name").max_length, "tag": too_long[0]}
            )
        return names

    @classmethod
    def for_volunteer(cls, volunteer, data=None):
        initial = {
            "level": volunteer.level,
            "notes": volunteer.notes,
            "tags": ", ".join(t.name for t in volunteer.tags.all()),
        }
        return cls(data, initial=initial, prefix="update")


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What happened"),
        choices=[(k.value, k.label) for k in CONTACT_KINDS],
        initial=Interaction.Kind.CALL,
    )
    on = forms.DateField(
        label=gettext_lazy("When (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty for now."),
    )
    text = forms.CharField(
        label=gettext_lazy("What was said or agreed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_on(self):
        day = self.cleaned_data.get("on")
        if day and day > timezone.localdate():
            raise ValidationError(_("The date is in the future."))
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Interaction.Kind.NOTE and not (cleaned.get("text") or "").strip():
            self.add_error("text", _("Write the note."))
        return cleaned

    def at(self):
        day = self.cleaned_data.get("on")
        if not day or day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(datetime.combine(day, time(12, 0)))


def districts_for_form(user=None):
    """The districts a form offers: all of them, or (with `user`) the ones in their regions."""
    from muhim.accounts.permissions import Capability, scope_filter

    districts = Area.objects.districts().select_related("province")
    if user is not None:
        districts = districts.filter(scope_filter(user, Capability.MANAGE_VOLUNTEERS))
    return list(districts)
