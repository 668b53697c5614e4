from django import forms
from django.utils.translation import gettext_lazy as _

from .registry import importers_for

# (.json: the provincial results come as JSON.)
ACCEPT = (
    ".csv,.tsv,.txt,.xlsx,.json,text/csv,application/json,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)


class UploadForm(forms.Form):
    importer = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (any separator, any common encoding) or Excel .xlsx, with a header row; JSON for "
            "the importers that read it (provincial results)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.importers = {cls.slug: cls for cls in importers_for(user)}
        self.fields["importer"].choices = [(slug, cls.label) for slug, cls in self.importers.items()]
        # Each importer's own options, named "<importer>__<option>", shown for that importer only.
        for slug, cls in self.importers.items():
            for option in cls.options:
                name = f"{slug}__{option.name}"
                if option.choices:
                    field = forms.TypedChoiceField(
                        choices=option.choices, coerce=option.type, initial=option.default
                    )
                elif option.type is int:
                    field = forms.IntegerField(initial=option.default)
                else:
                    field = forms.CharField(initial=option.default)
                field.label = option.label
                field.help_text = option.help
                field.required = False
                field.widget.attrs["data-importer"] = slug
                self.fields[name] = field

    def importer_options(self):
        slug = self.cleaned_data["importer"]
        cls = self.importers[slug]
        return {
            o.name: self.cleaned_data.get(f"{slug}__{o.name}")
            for o in cls.options
            if self.cleaned_data.get(f"{slug}__{o.name}") not in (None, "")
        }


class MappingForm(forms.Form):
    """One select per importer field: which column of the file holds it."""

    def __init__(self, *args, importer_cls, headers, initial_map, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in this file —"))] + [(h, h) for h in headers]
        for f in importer_cls.fields:
            self.fields[f.name] = forms.ChoiceField(
                label=f.label,
                choices=choices,
                required=f.required,
                initial=initial_map.get(f.name, ""),
                help_text=f.help,
                error_messages={"required": _("Choose the column that holds this; it is required.")},
            )

    def clean(self):
        cleaned = super().clean()
        used = {}
        for name, header in list(cleaned.items()):  # add_error() removes from cleaned_data
            if not header:
                continue
            if header in used:
                self.add_error(
                    name,
                    _("The column %(column)s is already used for %(other)s.")
                    % {"column": header, "other": self.fields[used[header]].label},
                )
            used[header] = name
        return cleaned

    def column_map(self):
        return {name: header for name, header in self.cleaned_data.items() if header}
