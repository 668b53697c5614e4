"""The forms of the demands pages: recording and editing a demand, adding a step to its
history, parental bodies and their members, and attaching a meeting.

The region rules and the model's checks are the services' (`demands.services`); a form only
turns what was typed into values and offers choices from what the user may see. The services'
errors are shown on the form that was sent (`add_service_errors`), with everything typed."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muhim.accounts.permissions import Capability, scope_filter
from muhim.activities.models import Activity, ActivityType
from muhim.geography.models import Area
from muhim.network.models import Sex
from muhim.partners.models import Organisation
from muhim.people.forms import MobileNumberField, district_choices

from .models import Demand, ParentalBody, ParentalBodyMember

URDU = {"lang": "ur", "dir": "rtl"}
# Dates as the browser's date picker sends them (and shows them again after a failed submit).
DATE = {"type": "date"}
DATE_FORMAT = "%Y-%m-%d"
# At most this many activities are offered in a list; older ones are reached from the
# activity's own page ("record a demand raised here").
ACTIVITY_CHOICES = 60


def date_widget():
    return forms.DateInput(attrs=DATE, format=DATE_FORMAT)


def add_service_errors(form, error: ValidationError):
    """Show a service's ValidationError on `form`: next to the field it names, above the form
    when it names none (or one the form does not have)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def districts_for(user, capability=Capability.MANAGE_DEMANDS):
    """The districts a form offers the user: those inside their regions (all, nationally)."""
    return list(Area.objects.districts().filter(scope_filter(user, capability)).select_related("province"))


def area_code(value):
    """The code of an Area given as an instance, a pk or a code."""
    if isinstance(value, Area):
        return value.code
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return Area.objects.filter(pk=value).values_list("code", flat=True).first() or ""
    return value or ""


class DistrictField(forms.ChoiceField):
    """A district by its code. It offers the districts of the user's regions, grouped by
    province, but takes any district: a district outside the regions (an old link, a form
    sent from another tab) reaches the service, which says that it is outside them and names
    the user's regions — rather than a bare "not one of the choices"."""

    def __init__(self, *, districts, **kwargs):
        kwargs.setdefault("label", gettext_lazy("District"))
        kwargs.setdefault("error_messages", {"required": gettext_lazy("Choose the district.")})
        super().__init__(choices=[("", "—"), *district_choices(districts)], **kwargs)

    def prepare_value(self, value):
        return area_code(value)

    def validate(self, value):
        forms.Field.validate(self, value)  # any code: what it names is checked in clean()

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        district = Area.objects.districts().filter(code=code).select_related("province").first()
        if district is None:
            raise ValidationError(
                _("%(value)s is not a district we know. Choose the district from the list."),
                code="unknown_district",
                params={"value": code},
            )
        return district


class PlaceField(forms.ModelChoiceField):
    """A tehsil or union council, offered from inside the chosen district."""

    def label_from_instance(self, obj):
        if obj.level == Area.Level.UNION_COUNCIL:
            return f"\u2003{obj.display_name}"  # union councils indented under their tehsil
        return _("%(name)s tehsil") % {"name": obj.display_name}


def places_in(district, *, union_councils_only=False):
    levels = (
        [Area.Level.UNION_COUNCIL] if union_councils_only else [Area.Level.TEHSIL, Area.Level.UNION_COUNCIL]
    )
    if district is None:
        return Area.objects.none()
    return district.descendants().filter(level__in=levels).order_by("path")


class ActivityField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        title, kind = obj.display_title, str(obj.get_kind_display())
        # Short enough for a phone's select: the kind only when the title does not say it.
        if kind.casefold() in title.casefold():
            return f"{obj.start_date:%Y-%m-%d} · {title}"
        return f"{obj.start_date:%Y-%m-%d} · {title} ({kind})"


class BodyField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


def _narrow(field, offered, chosen=None):
    """Offer `offered` (and the chosen row, if it is elsewhere) while accepting anything in
    the field's queryset: the service then explains what is wrong with a row from elsewhere."""
    rows = list(offered)
    if chosen is not None and chosen not in rows:
        rows.insert(0, chosen)
    field.widget.choices = [("", field.empty_label or "—")] + [
        (row.pk, field.label_from_instance(row)) for row in rows
    ]


class _DistrictDependent:
    """Forms whose other choices (places, parental bodies, activities) depend on the district
    chosen: from what was sent, else the initial values, else the stored row."""

    district_field = "district"

    def chosen_district(self):
        key = self.add_prefix(self.district_field)
        value = self.data.get(key) if self.is_bound else self.initial.get(self.district_field)
        if value in (None, "") and getattr(self.instance, f"{self.district_field}_id", None):
            return getattr(self.instance, self.district_field)
        code = area_code(value)
        return Area.objects.districts().filter(code=code).first() if code else None

    def chosen(self, name, queryset):
        key = self.add_prefix(name)
        value = self.data.get(key) if self.is_bound else self.initial.get(name)
        if value in (None, "") and getattr(self.instance, f"{name}_id", None):
            value = getattr(self.instance, f"{name}_id")
        if isinstance(value, queryset.model):
            return value
        try:
            return queryset.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None


class DemandForm(_DistrictDependent, forms.ModelForm):
    """A new demand (`creating`: with "resolved on the spot" and a first note) or a demand's
    details. The status is not here: it changes by adding an update."""

    raised_by_phone = MobileNumberField(
        label=gettext_lazy("Their mobile number (private)"),
        required=False,
        help_text=gettext_lazy("For example 0300 1234567. Never shown on public pages."),
    )
    resolved_on_the_spot = forms.BooleanField(
        label=gettext_lazy("Resolved on the spot"),
        required=False,
        help_text=gettext_lazy(
            "Settled at the activity where it was raised (at a Kuli Katchehri an officer often "
            "settles it there and then). Needs the activity above."
        ),
    )
    on_the_spot_note = forms.CharField(
        label=gettext_lazy("How it was settled (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Shown on the public page when the demand is published."),
    )
    note = forms.CharField(
        label=gettext_lazy("First note for the history (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Shown on the public page when the demand is published: no names or numbers."),
    )

    class Meta:
        model = Demand
        fields = [
            "title",
            "title_ur",
            "category",
            "description",
            "school",
            "school_emis",
            "district",
            "place",
            "raised_by",
            "raised_by_name",
            "raised_by_phone",
            "parental_body",
            "activity",
            "authority",
            "authority_name",
            "raised_on",
            "follow_up_on",
            "is_published",
        ]
        field_classes = {"place": PlaceField, "activity": ActivityField, "parental_body": BodyField}
        widgets = {
            "title_ur": forms.TextInput(attrs=URDU),
            "description": forms.Textarea(attrs={"rows": 3}),
            "school_emis": forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
            "raised_on": date_widget(),
            "follow_up_on": date_widget(),
            "raised_by_name": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        labels = {
            "raised_by_name": gettext_lazy("Their name (private)"),
            "title": gettext_lazy("What is asked for"),
        }
        error_messages = {
            "title": {"required": gettext_lazy("Say in a few words what is asked for.")},
            "category": {"required": gettext_lazy("Choose the category.")},
            "authority": {"required": gettext_lazy("Choose who must act on it.")},
            "raised_on": {
                "required": gettext_lazy("Give the day it was raised."),
                "invalid": gettext_lazy("Give the day it was raised as a date, e.g. 2026-11-10."),
            },
            "follow_up_on": {"invalid": gettext_lazy("Give the follow-up date as a date, e.g. 2026-12-01.")},
        }

    def __init__(self, *args, user, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.creating = creating
        if not creating:
            for name in ("resolved_on_the_spot", "on_the_spot_note", "note"):
                del self.fields[name]
        self.fields["district"] = DistrictField(districts=districts_for(user))
        self.order_fields(self._meta.fields)
        if self.instance.district_id and "district" not in self.initial:
            self.initial["district"] = self.instance.district.code
        if self.instance.raised_by_phone and not self.is_bound:
            self.initial["raised_by_phone"] = self.instance.raised_by_phone.as_national
        for name in ("category", "authority"):
            self.fields[name].choices = [("", "—"), *self.fields[name].choices[1:]]
        self.fields["authority_name"].widget.attrs["list"] = "authority-names"
        self.fields["school"].widget.attrs["autocomplete"] = "off"
        self.district = self.chosen_district()
        self._offer_district_choices()

    def _offer_district_choices(self):
        district = self.district
        place = self.fields["place"]
        place.queryset = Area.objects.filter(level__in=[Area.Level.TEHSIL, Area.Level.UNION_COUNCIL])
        place.empty_label = _("— the whole district —")
        _narrow(place, places_in(district), self.chosen("place", place.queryset))
        body = self.fields["parental_body"]
        body.queryset = ParentalBody.objects.visible_to(self.user)
        body.empty_label = _("— none —")
        offered = body.queryset.active().filter(district=district) if district else body.queryset.none()
        _narrow(body, offered.order_by("name"), self.chosen("parental_body", body.queryset))
        activity = self.fields["activity"]
        activity.queryset = Activity.objects.visible_to(self.user)
        activity.empty_label = _("— none —")
        offered = (
            activity.queryset.filter(district=district, start_date__lte=timezone.localdate())
            .exclude(kind=ActivityType.CARAVAN)
            .order_by("-start_date", "-pk")[:ACTIVITY_CHOICES]
            if district
            else activity.queryset.none()
        )
        _narrow(activity, offered, self.chosen("activity", activity.queryset))

    def clean_raised_by_phone(self):
        return self.cleaned_data.get("raised_by_phone") or ""

    def clean(self):
        cleaned = super().clean()
        raised_on, follow_up_on = cleaned.get("raised_on"), cleaned.get("follow_up_on")
        if raised_on and follow_up_on and follow_up_on < raised_on:
            self.add_error(
                "follow_up_on",
                _("The follow-up date is before the day it was raised (%(date)s).") % {"date": raised_on},
            )
        if (
            cleaned.get("resolved_on_the_spot")
            and not cleaned.get("activity")
            and "activity" not in self.errors
        ):
            self.add_error(
                "activity", _("A demand resolved on the spot was resolved at an activity: choose it.")
            )
        return cleaned

    def _post_clean(self):
        # The model's checks run in the service (record_demand / save_demand), which reports
        # them in words next to the fields.
        opts = self._meta
        self.instance = forms.models.construct_instance(self, self.instance, opts.fields, opts.exclude)


class DemandUpdateForm(forms.Form):
    """A new step in a demand's history."""

    status = forms.ChoiceField(label=gettext_lazy("New status"))
    on = forms.DateField(
        label=gettext_lazy("Date"),
        widget=date_widget(),
        error_messages={
            "required": gettext_lazy("Give the date it happened."),
            "invalid": gettext_lazy("Give the date as a date, e.g. 2026-11-10."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("What happened (public)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown on the public page when the demand is published: no names or numbers."),
    )
    internal_note = forms.CharField(
        label=gettext_lazy("Note for the campaign (never public)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.FileField(
        label=gettext_lazy("Evidence file (optional)"),
        required=False,
        help_text=gettext_lazy(
            "A letter, a notification, a photo: PDF or image (JPEG, PNG, WebP), up to 10 MB. Private."
        ),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
    )
    evidence_url = forms.URLField(
        label=gettext_lazy("Evidence link (optional)"),
        required=False,
        assume_scheme="https",
        max_length=500,
        widget=forms.URLInput(attrs={"dir": "ltr", "inputmode": "url"}),
        help_text=gettext_lazy("e.g. a news report or an official notification online."),
        error_messages={"invalid": gettext_lazy("Give a web address, e.g. https://example.org/letter.")},
    )

    def __init__(self, *args, demand, **kwargs):
        kwargs.setdefault("prefix", "update")
        super().__init__(*args, **kwargs)
        self.demand = demand
        self.fields["status"].choices = [("", "—")] + [(s.value, s.label) for s in demand.next_statuses()]
        self.fields["status"].error_messages = {
            "required": _("Choose the new status."),
            "invalid_choice": _(
                "A demand that is “%(current)s” cannot become that; choose one of the statuses offered."
            )
            % {"current": demand.get_status_display()},
        }
        self.fields["on"].initial = timezone.localdate


class PublishForm(forms.Form):
    publish = forms.BooleanField(required=False)


# --- parental bodies --------------------------------------------------------------------------


class BodyForm(_DistrictDependent, forms.ModelForm):
    """A parental body. The partner is typed (with the known organisations offered as the
    user types); a new name becomes a new organisation when the body is saved."""

    partner_name = forms.CharField(
        label=gettext_lazy("Partner organisation (optional)"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "e.g. a rural support programme. A name not known yet is added to the partners."
        ),
        widget=forms.TextInput(attrs={"list": "partner-names", "autocomplete": "off"}),
    )

    class Meta:
        model = ParentalBody
        fields = ["name", "name_ur", "level", "district", "union_council", "formed_on", "is_active", "notes"]
        field_classes = {"union_council": PlaceField}
        widgets = {
            "name_ur": forms.TextInput(attrs=URDU),
            "level": forms.RadioSelect,
            "formed_on": date_widget(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "name": {"required": gettext_lazy("Give the body's name.")},
            "level": {"required": gettext_lazy("Choose whether it is a union-council or a district body.")},
            "formed_on": {"invalid": gettext_lazy("Give the date as a date, e.g. 2026-11-10.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["district"] = DistrictField(districts=districts_for(user))
        self.order_fields([*self._meta.fields[:5], "partner_name"])
        if self.instance.district_id and "district" not in self.initial:
            self.initial["district"] = self.instance.district.code
        if self.instance.partner_id and "partner_name" not in self.initial:
            self.initial["partner_name"] = self.instance.partner.name
        self.fields["level"].choices = ParentalBody.Level.choices
        self.district = self.chosen_district()
        uc = self.fields["union_council"]
        uc.queryset = Area.objects.filter(level__in=[Area.Level.TEHSIL, Area.Level.UNION_COUNCIL])
        uc.required = False
        uc.empty_label = "—"
        uc.help_text = _("For a union-council body: its union council, inside the district.")
        _narrow(
            uc, places_in(self.district, union_councils_only=True), self.chosen("union_council", uc.queryset)
        )

    def clean_partner_name(self):
        return " ".join((self.cleaned_data.get("partner_name") or "").split())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("formed_on") and cleaned["formed_on"] > timezone.localdate():
            self.add_error("formed_on", _("The day it was formed cannot be in the future."))
        return cleaned

    def _post_clean(self):
        opts = self._meta
        self.instance = forms.models.construct_instance(self, self.instance, opts.fields, opts.exclude)


def partner_names():
    return list(Organisation.objects.order_by("name").values_list("name", flat=True)[:500])


class MemberForm(forms.ModelForm):
    """A member of a parental body. The phone is asked only of staff who may see personal data
    (for the others the field is left out, so that saving keeps the stored number)."""

    phone = MobileNumberField(
        label=gettext_lazy("Mobile number (private)"),
        required=False,
        help_text=gettext_lazy("For example 0300 1234567."),
    )

    class Meta:
        model = ParentalBodyMember
        fields = ["name", "role", "sex", "phone", "joined_on", "left_on"]
        widgets = {"joined_on": date_widget(), "left_on": date_widget()}
        labels = {"left_on": gettext_lazy("Left on (only once they have left)")}
        error_messages = {
            "name": {"required": gettext_lazy("Give the member's name.")},
            "joined_on": {"invalid": gettext_lazy("Give the date as a date, e.g. 2026-11-10.")},
            "left_on": {"invalid": gettext_lazy("Give the date as a date, e.g. 2026-11-10.")},
        }

    def __init__(self, *args, personal=False, **kwargs):
        kwargs.setdefault("prefix", "member")
        super().__init__(*args, **kwargs)
        if not personal:
            del self.fields["phone"]
        elif self.instance.phone and not self.is_bound:
            self.initial["phone"] = self.instance.phone.as_national
        self.fields["sex"].choices = [("", "—")] + [(s.value, s.label) for s in Sex if s.value]

    def clean_phone(self):
        return self.cleaned_data.get("phone") or ""

    def clean(self):
        cleaned = super().clean()
        joined, left = cleaned.get("joined_on"), cleaned.get("left_on")
        today = timezone.localdate()
        if joined and joined > today:
            self.add_error("joined_on", _("The day they joined cannot be in the future."))
        if left and left > today:
            self.add_error(
                "left_on", _("Record that they left once they have left; the date is in the future.")
            )
        if joined and left and left < joined:
            self.add_error("left_on", _("They cannot leave before joining (%(date)s).") % {"date": joined})
        return cleaned

    def _post_clean(self):
        opts = self._meta
        self.instance = forms.models.construct_instance(self, self.instance, opts.fields, opts.exclude)


class MeetingForm(forms.Form):
    """Attach a parental-body meeting already logged as an activity in the body's district."""

    activity = ActivityField(
        label=gettext_lazy("A meeting already logged"),
        queryset=Activity.objects.none(),
        error_messages={
            "required": gettext_lazy("Choose the meeting."),
            "invalid_choice": gettext_lazy(
                "Choose one of the parental body meetings of this district that are offered."
            ),
        },
    )

    def __init__(self, *args, body, user, **kwargs):
        kwargs.setdefault("prefix", "meeting")
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = (
            Activity.objects.visible_to(user)
            .filter(kind=ActivityType.PARENTAL_BODY_MEETING, district_id=body.district_id)
            .exclude(pk__in=body.meetings.values("pk"))
            .order_by("-start_date", "-pk")
        )
        self.fields["activity"].empty_label = "—"
