"""The staff forms of field activities: logging and editing an activity (phone-first: one
column, numeric keyboards for numbers, every choice limited to the user's regions), and the
small forms of an activity's page (officials, media coverage, photos, caravan stops).

The forms check what a form can (an end before the start, negative attendance, a district
outside the user's regions); the services check everything again and their ValidationErrors
are shown on the form that was sent (`add_service_errors`)."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muhim.accounts.models import Role
from muhim.accounts.permissions import Capability, is_regional, scope_filter, user_can
from muhim.geography.models import Area, Constituency
from muhim.partners.models import Organisation
from muhim.partners.services import organisation_named

from .models import Activity, ActivityOfficial, ActivityType, MediaCoverage
from .services import outside_region_message

# Names typed into "other partners" are separated by commas (the Urdu comma too) or new lines.
PARTNER_SEPARATORS = (",", "،", ";", "\n")
# Roles that log activities: who can be named as an activity's organiser.
ORGANISER_ROLES = (Role.ORGANISER, Role.CAMPAIGN_OFFICE, Role.SPECIALIST, Role.ADMINISTRATOR)


def add_service_errors(form, error: ValidationError):
    """Show a service's ValidationError on `form`: next to the field it names when the form
    has that field, above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def person_name(user):
    return user.get_full_name() or user.get_username()


def districts_for(user, capability=Capability.MANAGE_ACTIVITIES):
    """The districts `user` may choose: all of them, or those in their regions."""
    return Area.objects.districts().filter(scope_filter(user, capability)).select_related("province")


def district_choices(districts):
    """Districts grouped by province, in the page's language and alphabetical order."""
    groups = {}
    for district in districts:
        groups.setdefault(district.province, []).append(district)
    choices = [("", gettext_lazy("Choose the district"))]
    for province in sorted(groups, key=lambda p: p.display_name):
        members = sorted(groups[province], key=lambda d: d.display_name)
        choices.append((province.display_name, [(d.code, d.display_name) for d in members]))
    return choices


class DistrictField(forms.ChoiceField):
    """A district by its code, among the ones the user may choose. A real district outside
    them is refused by name ("Karachi South is outside your regions (Lahore)"), not with the
    generic "not one of the choices"."""

    def __init__(self, *, user, districts=None, **kwargs):
        self.user = user
        districts = list(districts if districts is not None else districts_for(user))
        self.by_code = {d.code: d for d in districts}
        kwargs.setdefault("label", gettext_lazy("District"))
        kwargs.setdefault(
            "error_messages", {"required": gettext_lazy("Choose the district where it takes place.")}
        )
        super().__init__(choices=district_choices(districts), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Area):
            return value
        district = self.by_code.get(str(value))
        if district is not None:
            return district
        elsewhere = Area.objects.districts().filter(code=str(value)).first()
        if elsewhere is not None:
            raise ValidationError(outside_region_message(elsewhere, self.user), code="outside_region")
        raise ValidationError(_("Choose one of the districts in the list."), code="invalid_choice")

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def prepare_value(self, value):
        return value.code if isinstance(value, Area) else value


class PlaceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.get_level_display()})"


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class PartnerField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ConstituencyField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.delimitation_year})"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once. Their content is checked by `activities.services.add_photo`
    when they are stored, not here (that reads each file once)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not items:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(PhotosField, self).clean(item, initial) for item in items]


def numeric(**attrs):
    """A text box with the phone's number pad: `type=number` would refuse Urdu digits, which
    Python reads as numbers (۴۰ is 40)."""
    return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr", **attrs})


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


ATTENDANCE = ("women", "men", "girls", "boys")


def attendance_field(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=1_000_000,
        widget=numeric(),
        error_messages={
            "min_value": gettext_lazy("Attendance cannot be negative: write 0 if nobody came."),
            "max_value": gettext_lazy("That is more people than any activity holds; check the number."),
            "invalid": gettext_lazy("Write a whole number, e.g. 40."),
        },
    )


class ActivityForm(forms.ModelForm):
    """Log a new activity or edit one. Partners are picked from the organisations the
    campaign knows, or typed as new names (created when the activity is saved)."""

    new_partners = forms.CharField(
        label=gettext_lazy("Other partner organisations"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy("Not in the list? Type their names, separated by commas."),
    )
    women = attendance_field(gettext_lazy("Women"))
    men = attendance_field(gettext_lazy("Men"))
    girls = attendance_field(gettext_lazy("Girls"))
    boys = attendance_field(gettext_lazy("Boys"))
    photos = PhotosField(
        label=gettext_lazy("Photos (optional)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=gettext_lazy("JPEG, PNG or WebP, one or several; you can add more later."),
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "title_ur",
            "status",
            "start_date",
            "end_date",
            "start_time",
            "end_time",
            "district",
            "place",
            "venue",
            "organiser",
            "partners",
            "women",
            "men",
            "girls",
            "boys",
            "attendance_count",
            "description",
            "outcomes",
            "follow_up",
            "follow_up_on",
            "is_public",
        ]
        widgets = {
            "start_date": date_input(),
            "end_date": date_input(),
            "follow_up_on": date_input(),
            "start_time": time_input(),
            "end_time": time_input(),
            "attendance_count": forms.RadioSelect,
            "status": forms.RadioSelect,
            "title_ur": forms.TextInput(attrs={"dir": "rtl", "lang": "ur"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcomes": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, with_photos=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        fields = self.fields
        fields["kind"].choices = [("", _("Choose the type")), *ActivityType.choices]
        fields["kind"].error_messages["required"] = _("Choose the type of activity.")
        fields["title"].error_messages["required"] = _("Give the activity a title.")
        fields["start_date"].error_messages["required"] = _("Give the date it starts (or started).")
        fields["start_date"].error_messages["invalid"] = _("Write the date as YYYY-MM-DD.")
        fields["end_date"].error_messages["invalid"] = _("Write the date as YYYY-MM-DD.")
        fields["start_time"].required = fields["end_time"].required = False
        fields["start_time"].label = _("Starts at (optional)")
        fields["end_time"].label = _("Ends at (optional)")

        districts = list(districts_for(user))
        current = self.instance.district if self.instance.district_id else None
        if current is not None and current not in districts:
            districts.append(current)  # shown as it is; the service decides whether it may stay
        fields["district"] = DistrictField(user=user, districts=districts)
        if current is not None:
            self.initial["district"] = current.code  # (the model's initial is its pk)
        elif len(districts) == 1:
            self.initial.setdefault("district", districts[0].code)

        fields["place"] = PlaceField(
            label=_("Tehsil or union council (optional)"),
            queryset=self.places_of(self.chosen_district()),
            required=False,
            empty_label=_("The whole district"),
            help_text=_("Where the gazetteer has them for the district."),
        )
        fields["organiser"] = PersonField(
            label=_("Organiser"),
            queryset=self.organisers(),
            required=False,
            empty_label=_("Not chosen"),
            help_text=_("The campaign organiser responsible for it."),
        )
        if not self.instance.pk and self.user.effective_role == Role.ORGANISER:
            self.initial.setdefault("organiser", self.user.pk)
        fields["partners"] = PartnerField(
            label=_("Partner organisations"),
            queryset=Organisation.objects.order_by("name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        if not with_photos:
            del fields["photos"]

    # --- choices ----------------------------------------------------------------------------

    def chosen_district(self):
        """The district the form is about: what was sent, else what is stored."""
        code = self.data.get(self.add_prefix("district")) if self.is_bound else self.initial.get("district")
        if code:
            found = self.fields["district"].by_code.get(code)
            if found is not None:
                return found
        return self.instance.district if self.instance.district_id else None

    @staticmethod
    def places_of(district):
        if district is None:
            return Area.objects.none()
        return (
            district.descendants()
            .filter(level__in=[Area.Level.TEHSIL, Area.Level.UNION_COUNCIL])
            .order_by("path")
        )

    def organisers(self):
        users = get_user_model().objects.filter(is_active=True)
        staff = users.filter(Q(role__in=ORGANISER_ROLES) | Q(is_superuser=True))
        if is_regional(self.user):
            # An organiser names themselves or an organiser working inside their regions.
            staff = staff.filter(
                Q(pk=self.user.pk) | scope_filter(self.user, Capability.MANAGE_ACTIVITIES, "regions")
            )
        keep = Q(pk__in=staff.values("pk"))
        if self.instance.organiser_id:
            keep |= Q(pk=self.instance.organiser_id)
        return users.filter(keep).distinct().order_by("first_name", "last_name", "username")

    # --- cleaning -----------------------------------------------------------------------------

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_new_partners(self):
        text = self.cleaned_data.get("new_partners") or ""
        for separator in PARTNER_SEPARATORS[1:]:
            text = text.replace(separator, PARTNER_SEPARATORS[0])
        names = []
        for part in text.split(PARTNER_SEPARATORS[0]):
            name = " ".join(part.split())
            if name and name.casefold() not in {n.casefold() for n in names}:
                limit = Organisation._meta.get_field("name").max_length
                if len(name) > limit:
                    raise ValidationError(
                        _("An organisation's name can have at most %(max)s characters: %(name)s")
                        % {"max": limit, "name": name[:40] + "…"}
                    )
                names.append(name)
        return names

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                _("The activity cannot end before it starts: the end date is before %(start)s.")
                % {"start": start.isoformat()},
            )
        start_time, end_time = cleaned.get("start_time"), cleaned.get("end_time")
        same_day = start and (end is None or end == start)
        if same_day and start_time and end_time and end_time < start_time:
            self.add_error("end_time", _("On a one-day activity the end time must be after the start time."))
        district, place = cleaned.get("district"), cleaned.get("place")
        if district is not None and place is not None and not district.contains(place):
            self.add_error("place", _("This place is not in the district chosen."))
        return cleaned

    def partners_to_save(self):
        """The organisations picked and the ones typed (created now if new). Call inside the
        transaction that saves the activity."""
        chosen = list(self.cleaned_data.get("partners") or [])
        for name in self.cleaned_data.get("new_partners") or []:
            organisation = organisation_named(name, user=self.user)
            if organisation not in chosen:
                chosen.append(organisation)
        return chosen


class OfficialForm(forms.ModelForm):
    """Who was there: for a Kuli Katchehri, the elected representatives and officials parents
    met."""

    class Meta:
        model = ActivityOfficial
        fields = ["kind", "name", "designation", "constituency"]

    def __init__(self, *args, activity, **kwargs):
        kwargs.setdefault("prefix", "official")
        super().__init__(*args, **kwargs)
        self.instance.activity = activity
        self.fields["name"].error_messages["required"] = _("Write their name.")
        self.fields["designation"].error_messages["required"] = _(
            "Write their office, e.g. 'MPA, PP-160' or 'District Education Officer'."
        )
        self.fields["constituency"] = ConstituencyField(
            label=_("Constituency (optional)"),
            empty_label=_("None"),
            queryset=Constituency.objects.in_area(activity.district).order_by(
                "-delimitation_year", "assembly", "number"
            ),
            required=False,
            help_text=_("For an elected representative: their seat."),
        )


class CoverageForm(forms.ModelForm):
    class Meta:
        model = MediaCoverage
        fields = ["outlet", "medium", "date", "headline", "url"]
        widgets = {
            "date": date_input(),
            "url": forms.URLInput(attrs={"dir": "ltr", "inputmode": "url", "placeholder": "https://"}),
        }

    def __init__(self, *args, activity, **kwargs):
        kwargs.setdefault("prefix", "coverage")
        super().__init__(*args, **kwargs)
        self.instance.activity = activity
        self.fields["outlet"].error_messages["required"] = _("Name the newspaper, channel or website.")
        self.fields["date"].error_messages["required"] = _("Give the date it appeared.")
        self.fields["url"].error_messages["invalid"] = _("Give the full link, starting with https://")
        if not self.is_bound:
            self.initial.setdefault("date", activity.last_date)


class PhotoForm(forms.Form):
    photos = PhotosField(
        label=gettext_lazy("Photos"),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=gettext_lazy("JPEG, PNG or WebP; choose one or several."),
        error_messages={"required": gettext_lazy("Choose at least one photo.")},
    )
    caption = forms.CharField(
        label=gettext_lazy("Caption (optional)"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("For all the photos chosen."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "photo")
        super().__init__(*args, **kwargs)


class StopForm(forms.Form):
    """A stop of a caravan's itinerary."""

    date = forms.DateField(
        label=gettext_lazy("Date"),
        widget=date_input(),
        error_messages={
            "required": gettext_lazy("Give the stop's date."),
            "invalid": gettext_lazy("Write the date as YYYY-MM-DD."),
        },
    )
    venue = forms.CharField(label=gettext_lazy("Venue (optional)"), required=False, max_length=200)

    def __init__(self, *args, user, stop=None, with_sequence=False, **kwargs):
        kwargs.setdefault("prefix", "stop")
        if stop is not None:
            kwargs.setdefault(
                "initial", {"date": stop.date, "district": stop.district.code, "venue": stop.venue}
            )
        super().__init__(*args, **kwargs)
        districts = list(districts_for(user))
        if stop is not None and stop.district not in districts:
            districts.append(stop.district)
        self.fields["district"] = DistrictField(user=user, districts=districts)
        self.order_fields(["date", "district", "venue"])
        if with_sequence:
            self.fields["sequence"] = forms.IntegerField(
                label=_("Stop number (optional)"),
                required=False,
                min_value=1,
                widget=numeric(),
                help_text=_(
                    "Leave empty to add it at the end; a number puts it there and moves the later stops on."
                ),
                error_messages={"min_value": _("Stops are numbered from 1.")},
            )


def can_manage(user, activity):
    return user_can(user, Capability.MANAGE_ACTIVITIES, activity.district)
