"""The party form (staff): the party and, in a formset, the other spellings lists use for it.
A name, abbreviation or alias is checked against every other party's (names, abbreviations and
aliases: the importers match on all three) here, so that a spelling another party has
is refused next to the field instead of failing on save."""

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext as _

from .models import Party, PartyAlias, normalise_name
from .services import match_key, taken_message, taken_party_keys

URDU = {"lang": "ur", "dir": "rtl"}


def refuse_taken(text, party_pk):
    """Another party's name, abbreviation or alias would make the matching read lists wrong."""
    holder = taken_party_keys(party_pk).get(match_key(text))
    if holder is not None:
        raise forms.ValidationError(taken_message(text, holder))


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = ["name", "name_ur", "abbreviation", "symbol", "symbol_ur", "website", "colour"]
        widgets = {
            "name_ur": forms.TextInput(attrs=URDU),
            "symbol_ur": forms.TextInput(attrs=URDU),
            "colour": forms.TextInput(attrs={"type": "color"}),
        }

    def clean_name(self):
        name = " ".join(self.cleaned_data.get("name", "").split())
        if name:
            refuse_taken(name, self.instance.pk)
        return name

    def clean_abbreviation(self):
        abbreviation = self.cleaned_data.get("abbreviation", "").strip()
        if abbreviation:
            refuse_taken(abbreviation, self.instance.pk)
        return abbreviation

    def clean_colour(self):
        colour = self.cleaned_data.get("colour", "")
        # A colour picker always sends a colour; black is what an untouched one sends.
        return "" if colour == "#000000" and not self.instance.colour else colour


class AliasForm(forms.ModelForm):
    class Meta:
        model = PartyAlias
        fields = ["alias"]

    def clean_alias(self):
        alias = " ".join(self.cleaned_data.get("alias", "").split())
        normalised = normalise_name(alias)
        if not normalised:
            raise forms.ValidationError(_("An alias needs letters or digits."))
        other = PartyAlias.objects.filter(normalised=normalised).exclude(party_id=self.instance.party_id)
        if self.instance.pk:
            other = other.exclude(pk=self.instance.pk)
        holder = other.select_related("party").first()
        if holder is not None:
            raise forms.ValidationError(
                _("“%(alias)s” is already an alias of %(party)s.")
                % {"alias": alias, "party": holder.party.name}
            )
        refuse_taken(alias, self.instance.party_id)
        return alias


class BaseAliasFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            alias = form.cleaned_data.get("alias")
            if not alias:
                continue
            key = normalise_name(alias)
            if key in seen:
                form.add_error("alias", _("“%(alias)s” is listed twice.") % {"alias": alias})
            seen[key] = alias


AliasFormSet = inlineformset_factory(
    Party, PartyAlias, form=AliasForm, formset=BaseAliasFormSet, extra=3, can_delete=True
)
