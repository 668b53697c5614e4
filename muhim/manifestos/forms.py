"""The upload form and the reviewer's decision on a sentence. What a file may be (its size,
its kind, whether it was uploaded before) is checked by `manifestos.services`; its errors are
shown next to the field they name, on the form as it was sent."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from muhim.elections.models import Election, Party

from . import services
from .models import Language, Topic


def add_service_errors(form, error: ValidationError):
    """A service's ValidationError on `form`: next to the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class UploadForm(forms.Form):
    party = forms.ModelChoiceField(
        label=_("Party"),
        queryset=Party.objects.order_by("name"),
        error_messages={"required": _("Choose the party whose manifesto this is.")},
    )
    election = forms.ModelChoiceField(
        label=_("Election"),
        queryset=Election.objects.order_by("-polling_date"),
        required=False,
        help_text=_("The election the manifesto was written for."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=250,
        help_text=_("As the party calls it, e.g. “Manifesto 2018: Naya Pakistan”."),
        error_messages={"required": _("Give the manifesto a title, e.g. “Manifesto 2018”.")},
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial=Language.ENGLISH)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A PDF with a text layer, a Word document (DOCX), a web page saved from the party's "
            "site (HTML) or plain text; at most %(limit)s."
        )
        % {"limit": filesizeformat(services.MAX_MANIFESTO_BYTES)},
        error_messages={"required": _("Choose the manifesto's file.")},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.html,.htm,.txt,.csv,text/plain,text/html,application/pdf"}
        ),
    )
    coded = forms.BooleanField(
        label=_("The file is pre-coded: rows of text,cmp_code (Manifesto Project coding)"),
        required=False,
        help_text=_("A CSV whose header names a cmp_code column is recognised without this."),
    )

    def clean_title(self):
        return self.cleaned_data["title"].strip()


class ReviewForm(forms.Form):
    """A reviewer's decision: education yes/no (or back to the automatic one) and a topic."""

    CHOICES = (("yes", _("Education")), ("no", _("Not education")), ("clear", _("Back to automatic")))
    education = forms.ChoiceField(choices=CHOICES, error_messages={"required": _("Choose a decision.")})
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", "—"), *Topic.choices], required=False)

    def decision(self):
        return {"yes": True, "no": False, "clear": None}[self.cleaned_data["education"]]

    def topic_for(self, education):
        # "Not education" with a topic still chosen in the list: the topic goes with it.
        return self.cleaned_data["topic"] if education else ""
