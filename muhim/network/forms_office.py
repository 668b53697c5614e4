"""Forms of the campaign office's network pages, and the organiser's own public profile. They
check what a form can check (required fields, formats, an image that is an image); the
network's rules (one holder at a time, one post per district …) are the services' and come
back as form errors."""

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from muhim.core.images import encode
from muhim.geography.models import Area

from .models import Application, OrganiserProfile, Post, Specialism

PHOTO_MAX_SIDE = 600
PHOTO_MAX_BYTES = 5 * 1024 * 1024
URDU = {"lang": "ur", "dir": "rtl"}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form, error: ValidationError):
    """Show a service's ValidationError on `form`: on its fields where it names one the form
    has, above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        if obj.level == Area.Level.DIVISION:
            return _("%(name)s division (all its districts)") % {"name": obj.name}
        return f"\u2003{obj.name}"  # districts indented under their division


def unique_post_code(title, *, exclude_pk=None):
    base = slugify(title)[:70].strip("-") or "post"
    code, n = base, 1
    while Post.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        n += 1
        code = f"{base}-{n}"
    return code


class PostForm(forms.ModelForm):
    """A new post, or a post's details. The areas offered are the chosen province's divisions
    and districts; the kind of a post is fixed once it exists."""

    areas = AreaChoiceField(
        label=_("Covered areas"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_(
            "Regional posts: the divisions or districts the organiser covers (Ctrl or ⌘ to choose "
            "several). A district can belong to one regional post only."
        ),
        widget=forms.SelectMultiple(attrs={"size": 14}),
    )

    class Meta:
        model = Post
        fields = [
            "kind",
            "title",
            "title_ur",
            "code",
            "province",
            "areas",
            "specialism",
            "description",
            "description_ur",
        ]
        widgets = {
            "title_ur": forms.TextInput(attrs=URDU),
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_ur": forms.Textarea(attrs={"rows": 3, **URDU}),
        }
        labels = {
            "kind": _("Kind of post"),
            "province": _("Province"),
            "specialism": _("Specialism"),
            "code": _("Code"),
            "description": _("Description"),
            "description_ur": _("Description (Urdu)"),
        }
        help_texts = {
            "code": _("Left empty, it is made from the title, e.g. 'regional-campaign-organiser-lahore'."),
            "province": _("Regional posts only."),
            "specialism": _("Specialist posts only."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["province"].queryset = Area.objects.provinces().order_by("name")
        self.fields["specialism"].choices = [("", "—"), *Specialism.choices]
        if self.instance.pk:
            # The code is how files and links name the post; the kind decides what it is.
            self.fields["code"].disabled = True
            self.fields["kind"].disabled = True
            self.initial.setdefault("areas", list(self.instance.areas.values_list("pk", flat=True)))
        province = self._chosen_province()
        areas = Area.objects.filter(level__in=[Area.Level.DIVISION, Area.Level.DISTRICT])
        if province is not None:
            areas = areas.filter(province=province)
        self.fields["areas"].queryset = areas.order_by("path")
        self.fields["areas"].widget.choices = self._grouped_choices(areas, grouped=province is None)
        self.province = province

    def _chosen_province(self):
        key = self.add_prefix("province")
        value = self.data.get(key) if self.is_bound else self.initial.get("province")
        if value in (None, "") and self.instance.province_id:
            value = self.instance.province_id
        if isinstance(value, Area):
            return value
        try:
            return Area.objects.provinces().get(pk=value)
        except (Area.DoesNotExist, ValueError, TypeError):
            return None

    def _grouped_choices(self, areas, *, grouped):
        """Without a province (no JavaScript yet), every province's areas under its name."""
        field = self.fields["areas"]
        if not grouped:
            return [(a.pk, field.label_from_instance(a)) for a in areas.order_by("path")]
        groups = {}
        for area in areas.select_related("province").order_by("province__name", "path"):
            groups.setdefault(area.province.name, []).append((area.pk, field.label_from_instance(area)))
        return list(groups.items())

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind") or self.instance.kind
        if kind == Post.Kind.REGIONAL:
            if not cleaned.get("province"):
                self.add_error("province", _("A regional post belongs to a province."))
            if not cleaned.get("areas"):
                self.add_error("areas", _("Choose the divisions or districts the post covers."))
            cleaned["specialism"] = ""
        elif kind == Post.Kind.SPECIALIST:
            if not cleaned.get("specialism"):
                self.add_error("specialism", _("Choose the specialism of the post."))
            cleaned["province"] = None
            cleaned["areas"] = []
        if not self.instance.pk and not cleaned.get("code") and cleaned.get("title"):
            cleaned["code"] = unique_post_code(cleaned["title"])
        return cleaned

    def _post_clean(self):
        # The model's own checks run in the service (save_post), which reports them in words.
        opts = self._meta
        self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)


def staff_choices():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class HolderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        role = obj.get_role_display_text()
        return f"{name} ({obj.username}, {role})" if name else f"{obj.username} ({role})"


class AssignForm(forms.Form):
    """Give the post to an existing staff member, or to someone new (an account is made for
    them and they get an e-mail to choose their password)."""

    holder = HolderChoiceField(
        label=_("Existing staff member"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("— someone new (fill in below) —"),
    )
    full_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        required=False,
        help_text=_("Letters, digits and @ . + - _ only; they sign in with it."),
    )
    start_date = forms.DateField(label=_("Holds the post from"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = staff_choices()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("holder"):
            return cleaned
        missing = False
        for name, message in [
            ("full_name", _("Give the new person's name, or choose someone above.")),
            ("email", _("Give their e-mail: that is where they get the link to choose a password.")),
            ("username", _("Choose a username for them.")),
        ]:
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
                missing = True
        if not missing and cleaned.get("username"):
            from django.contrib.auth.validators import UnicodeUsernameValidator

            try:
                UnicodeUsernameValidator()(cleaned["username"])
            except ValidationError as exc:
                self.add_error("username", exc)
        return cleaned


class MakeVacantForm(forms.Form):
    end_date = forms.DateField(label=_("Last day in the post"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the post became vacant, kept with the assignment."),
    )
    open_vacancy = forms.BooleanField(label=_("Open a vacancy for the post now"), required=False)
    closes_on = forms.DateField(label=_("Closing date for applications"), widget=DATE, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("open_vacancy") and not cleaned.get("closes_on") and "closes_on" not in self.errors:
            self.add_error("closes_on", _("Give the closing date of the vacancy."))
        return cleaned


class VacancyForm(forms.Form):
    closes_on = forms.DateField(label=_("Closing date for applications"), widget=DATE)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_ur = forms.CharField(
        label=_("Description (Urdu)"), required=False, widget=forms.Textarea(attrs={"rows": 3, **URDU})
    )


class MoveApplicationForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"))
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (s, Application.Status(s).label) for s in application.next_statuses()
        ]


class ProfileForm(forms.ModelForm):
    """What an organiser shows the public. Only the ticked contact details are published."""

    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        help_text=_("A JPEG or PNG of your face; it is reduced to at most 600 pixels."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    phone = forms.CharField(
        label=_("Phone"), required=False, help_text=_("A mobile number, e.g. 0300 1234567.")
    )
    whatsapp = forms.CharField(label=_("WhatsApp number"), required=False)

    class Meta:
        model = OrganiserProfile
        fields = [
            "public_name",
            "public_name_ur",
            "photo",
            "bio",
            "bio_ur",
            "phone",
            "whatsapp",
            "email",
            "publish_phone",
            "publish_whatsapp",
            "publish_email",
        ]
        widgets = {
            "public_name_ur": forms.TextInput(attrs=URDU),
            "bio": forms.Textarea(attrs={"rows": 4}),
            "bio_ur": forms.Textarea(attrs={"rows": 4, **URDU}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("phone", "whatsapp"):
            value = getattr(self.instance, name)
            if value and not self.is_bound:
                self.initial[name] = value.as_national

    def _clean_mobile(self, name):
        from muhim.people.services import mobile_number

        text = self.cleaned_data.get(name, "").strip()
        return mobile_number(text) if text else ""

    def clean_phone(self):
        return self._clean_mobile("phone")

    def clean_whatsapp(self):
        return self._clean_mobile("whatsapp")

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo or photo is False or not hasattr(photo, "image"):
            return photo  # unchanged, or cleared
        if photo.size > PHOTO_MAX_BYTES:
            raise ValidationError(_("The photo is larger than 5 MB; choose a smaller one."))
        return scaled_photo(photo)

    def clean(self):
        cleaned = super().clean()
        for flag, field in [
            ("publish_phone", "phone"),
            ("publish_whatsapp", "whatsapp"),
            ("publish_email", "email"),
        ]:
            if cleaned.get(flag) and not cleaned.get(field) and field not in self.errors:
                self.add_error(field, _("Fill this in to publish it, or untick “show”."))
        return cleaned


def scaled_photo(uploaded):
    """The uploaded image (already checked by Pillow as an image) turned upright, at most
    600 px on its longest side, re-encoded (which also drops its metadata, e.g. GPS position)."""
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            photo, _size = encode(
                ImageOps.exif_transpose(image), PHOTO_MAX_SIDE, uuid.uuid4().hex[:12], quality=85
            )
    except (OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("This file could not be read as a photo. Upload a JPEG or PNG image.")
        ) from exc
    return photo
