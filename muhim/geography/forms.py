from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from .models import Area, AreaAlias


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["name", "name_ur", "headquarters", "centroid_lat", "centroid_lon"]
        widgets = {"name_ur": forms.TextInput(attrs={"lang": "ur", "dir": "rtl"})}
        help_texts = {
            "name": _("The official English name. Keep the old one as an alias below if you change it."),
            "name_ur": _("In Urdu script, as people in the area write it."),
        }


AliasFormSet = inlineformset_factory(
    Area,
    AreaAlias,
    fields=["name", "kind"],
    extra=2,
    can_delete=True,
    labels={"name": _("Other name"), "kind": _("Kind")},
)
