"""The party form (staff): the party and, in a formset, the other spellings lists use for it.
A name, abbreviation or alias is checked against every other party's (names, abbreviations and
aliases: the importers match on all three) here, so that a spelling another party has
is refused next to the field instead of failing on save."""

from functools import cached_property

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext as _

from .models import Party, PartyAlias, normalise_name
from .services import match_key, taken_message, taken_party_keys

URDU = {"lang": "ur", "dir": "rtl"}


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = ["name", "name_ur", "abbreviation", "symbol", "symbol_ur", "website", "colour"]
        widgets = {
            "name_ur": forms.TextInput(attrs=URDU),
            "symbol_ur": forms.TextInput(attrs=URDU),
            "colour": forms.TextInput(attrs={"type": "color"}),
        }

    @cached_property
    def taken(self):
        """Other parties' names, abbreviations and aliases (match key → party name)."""
        return taken_party_keys(self.instance.pk)

    def _refuse_taken(self, text):
        # Another party's spelling would make the matching read lists wrong.
        holder = self.taken.get(match_key(text)) if text else None
        if holder is not None:
            raise forms.ValidationError(taken_message(text, holder))

    def clean_name(self):
        name = " ".join(self.cleaned_data.get("name", "").split())
        self._refuse_taken(name)
        return name

    def clean_abbreviation(self):
        abbreviation = self.cleaned_data.get("abbreviation", "").strip()
        self._refuse_taken(abbreviation)
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
        return alias


class BaseAliasFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen, taken = {}, None
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
            if taken is None:
                taken = taken_party_keys(self.instance.pk)  # (once, for all the aliases)
            holder = taken.get(match_key(alias))
            if holder is not None:
                form.add_error("alias", taken_message(alias, holder))


AliasFormSet = inlineformset_factory(
    Party, PartyAlias, form=AliasForm, formset=BaseAliasFormSet, extra=3, can_delete=True
)
