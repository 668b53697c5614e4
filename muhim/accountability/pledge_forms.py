"""The forms of the pledge pages: recording or editing a pledge, and rating it.

A candidate is chosen by typing: the seat code or a part of the name, with the matching
candidates offered as one types (an HTMX-filled datalist; without JavaScript the typed text is
matched when the form is sent). The rules (who may record what, where; a party that agrees
with the candidate's) are the services' (`pledge_services`); their errors are shown next to
the field, on the form as it was sent."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muhim.elections.models import Candidacy, Election, Party, normalise_name
from muhim.geography.models import Constituency
from muhim.manifestos.models import Topic

from .models import Pledge, Rating

URDU = {"lang": "ur", "dir": "rtl"}
DATE_FORMAT = "%Y-%m-%d"
# How many candidates the typing offers at a time.
OFFERED = 30
TRAILING_ID = re.compile(r"#(\d+)\s*$")
SEAT_CODE = re.compile(r"^\s*([A-Za-z]{2,3})\s*-?\s*(\d{1,3})\b\s*(.*)$")
FILE_TYPES = "application/pdf,image/jpeg,image/png,image/webp"


def date_widget():
    return forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT)


def candidacy_label(candidacy):
    """How a candidacy is offered and shown in the field; the number at the end picks it."""
    return (
        f"{candidacy.constituency.code} · {candidacy.person.display_name} "
        f"({candidacy.party_label}) #{candidacy.pk}"
    )


def candidacies_of(election):
    queryset = Candidacy.objects.select_related("person", "party", "constituency")
    if election is not None:
        queryset = queryset.filter(election=election)
    return queryset.defer("constituency__created_at")


def search_candidacies(election, text, seats=None):
    """Candidacies of `election` whose seat code or person's name matches `text` ("NA-125",
    "na 125 ali", "Imran"), within `seats` when given (an organiser's), seat order."""
    queryset = candidacies_of(election)
    if seats is not None:
        queryset = queryset.filter(constituency__in=seats)
    text = (text or "").strip()
    match = TRAILING_ID.search(text)
    if match:
        return queryset.filter(pk=int(match.group(1)))
    seat = SEAT_CODE.match(text)
    if seat:
        code = f"{seat.group(1).upper()}-{int(seat.group(2))}"
        queryset = queryset.filter(constituency__code__iexact=code)
        text = seat.group(3)
    for word in normalise_name(text).split():
        queryset = queryset.filter(Q(person__normalised__contains=word) | Q(person__name_ur__contains=word))
    return queryset.order_by("constituency__assembly", "constituency__number", "person__name")


def seat_of(election, code):
    code = (code or "").strip().upper().replace(" ", "")
    if not code:
        return None
    match = SEAT_CODE.match(code)
    if match:
        code = f"{match.group(1)}-{int(match.group(2))}"
    seats = Constituency.objects.filter(code__iexact=code)
    if election is not None:
        seats = seats.filter(delimitation_year=election.delimitation_year)
    return seats.order_by("-delimitation_year").first()


class ElectionField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class PartyField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.abbreviation and obj.abbreviation != obj.display_name:
            return f"{obj.display_name} ({obj.abbreviation})"
        return obj.display_name


class PledgeForm(forms.Form):
    election = ElectionField(
        label=gettext_lazy("Election"),
        queryset=Election.objects.all(),
        empty_label=None,
        error_messages={
            "required": gettext_lazy("Choose the election the pledge was made for."),
            "invalid_choice": gettext_lazy("Choose one of the elections offered."),
        },
    )
    candidacy = forms.CharField(
        label=gettext_lazy("Candidate"),
        required=False,
        max_length=300,
        help_text=gettext_lazy(
            "Type the seat (e.g. NA-125) or a part of the name and choose from the list. Leave "
            "empty for a party's own pledge."
        ),
        widget=forms.TextInput(attrs={"list": "candidacy-options", "autocomplete": "off"}),
    )
    party = PartyField(
        label=gettext_lazy("Party"),
        queryset=Party.objects.all(),
        required=False,
        empty_label=gettext_lazy("— the candidate's party —"),
        help_text=gettext_lazy("For a party's pledge. A candidate's pledge is their party's."),
        error_messages={"invalid_choice": gettext_lazy("Choose one of the parties offered.")},
    )
    constituency = forms.CharField(
        label=gettext_lazy("Seat where it was made"),
        required=False,
        max_length=20,
        help_text=gettext_lazy(
            "For a party's pledge made at a seat (e.g. a leader's speech in PP-150). A "
            "candidate's pledge is for their own seat; leave it empty."
        ),
        widget=forms.TextInput(attrs={"list": "seat-options", "autocomplete": "off", "dir": "ltr"}),
    )
    made_on = forms.DateField(
        label=gettext_lazy("Date"),
        widget=date_widget(),
        error_messages={
            "required": gettext_lazy("Give the date it was made."),
            "invalid": gettext_lazy("Give the date as a date, e.g. 2018-07-01."),
        },
    )
    source_type = forms.ChoiceField(
        label=gettext_lazy("Where it was made"),
        choices=[("", "—"), *Pledge.SourceType.choices],
        error_messages={"required": gettext_lazy("Choose where it was made (a speech, a corner meeting…).")},
    )
    text = forms.CharField(
        label=gettext_lazy("What was promised"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Write what was promised.")},
    )
    text_ur = forms.CharField(
        label=gettext_lazy("What was promised (Urdu)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, **URDU}),
    )
    is_education = forms.BooleanField(label=gettext_lazy("About education"), required=False, initial=True)
    topic = forms.ChoiceField(
        label=gettext_lazy("Topic"), required=False, choices=[("", "—"), *Topic.choices]
    )
    commits_four_percent = forms.BooleanField(
        # xgettext:no-python-format
        label=gettext_lazy("Commits at least 4% of GDP to education"),
        required=False,
        help_text=gettext_lazy(
            # xgettext:no-python-format
            "Left unticked on a new pledge, it is ticked when the words promise 4% of GDP or more."
        ),
    )
    source_url = forms.URLField(
        label=gettext_lazy("Source link (optional)"),
        required=False,
        assume_scheme="https",
        max_length=500,
        widget=forms.URLInput(attrs={"dir": "ltr", "inputmode": "url"}),
        help_text=gettext_lazy("A news report, a video, a post."),
        error_messages={"invalid": gettext_lazy("Give a web address, e.g. https://www.dawn.com/news/1.")},
    )
    source_document = forms.FileField(
        label=gettext_lazy("Source document (optional)"),
        required=False,
        help_text=gettext_lazy(
            "A photo of a written pledge or a scan: PDF or image (JPEG, PNG, WebP), up to 10 MB. "
            "Private: staff only."
        ),
        widget=forms.FileInput(attrs={"accept": FILE_TYPES}),
    )
    is_published = forms.BooleanField(
        label=gettext_lazy("Published"),
        required=False,
        help_text=gettext_lazy("Shown on the public pages and scorecards (never who recorded it)."),
    )

    def __init__(self, *args, user, pledge=None, seats=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.pledge = pledge
        self.seats = seats
        if pledge is not None:
            self.fields["commits_four_percent"].help_text = ""  # (read from the words only when new)
        if pledge is not None and not self.is_bound:
            self.initial.update(self.initial_of(pledge))
        elif not self.is_bound and "election" not in self.initial:
            latest = Election.objects.order_by("-polling_date").first()
            if latest is not None:
                self.initial["election"] = latest.pk
        if not self.is_bound:
            self.initial.setdefault("made_on", timezone.localdate())
        self.fields["election"].widget.attrs["id"] = "id_election"

    @staticmethod
    def initial_of(pledge):
        return {
            "election": pledge.election_id,
            "candidacy": candidacy_label(pledge.candidacy) if pledge.candidacy_id else "",
            "party": pledge.party_id if not pledge.candidacy_id else None,
            "constituency": pledge.constituency.code
            if pledge.constituency_id and not pledge.candidacy_id
            else "",
            "made_on": pledge.made_on,
            "source_type": pledge.source_type,
            "text": pledge.text,
            "text_ur": pledge.text_ur,
            "is_education": pledge.is_education,
            "topic": pledge.topic,
            "commits_four_percent": pledge.commits_four_percent,
            "source_url": pledge.source_url,
            "is_published": pledge.is_published,
        }

    def chosen_election(self):
        value = self.data.get(self.add_prefix("election")) if self.is_bound else self.initial.get("election")
        if isinstance(value, Election):
            return value
        if value and str(value).isdigit():
            return Election.objects.filter(pk=int(value)).first()
        return None

    def _candidacy(self, election, text):
        if not text:
            return None
        found = list(search_candidacies(election, text)[:6])
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(
                _(
                    "No candidate of %(election)s matches “%(text)s”. Type the seat (e.g. NA-125) and choose from the list."
                )
                % {"election": election.display_name, "text": text},
                code="no_candidate",
            )
        names = "; ".join(candidacy_label(c).rsplit(" #", 1)[0] for c in found[:5])
        raise ValidationError(
            _("“%(text)s” could be more than one candidate (%(names)s): choose one from the list.")
            % {"text": text, "names": names},
            code="ambiguous_candidate",
        )

    def clean(self):
        cleaned = super().clean()
        election = cleaned.get("election")
        text = (cleaned.get("candidacy") or "").strip()
        if election is not None:
            try:
                cleaned["candidacy"] = self._candidacy(election, text)
            except ValidationError as exc:
                self.add_error("candidacy", exc)
            code = (cleaned.get("constituency") or "").strip()
            seat = seat_of(election, code)
            if code and seat is None:
                self.add_error(
                    "constituency",
                    _(
                        "%(code)s is not a seat of %(election)s (%(year)s delimitation), e.g. NA-125 or PP-150."
                    )
                    % {"code": code, "election": election.display_name, "year": election.delimitation_year},
                )
            cleaned["constituency"] = seat
        else:
            cleaned["candidacy"] = None
            cleaned["constituency"] = None
        return cleaned

    def service_data(self):
        """The values for `pledge_services.save_pledge`."""
        data = {name: self.cleaned_data.get(name) for name in self.fields if name != "source_document"}
        for name in ("text_ur", "source_url", "topic"):
            data[name] = data.get(name) or ""
        data["source_document"] = self.cleaned_data.get("source_document") or None
        return data


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=gettext_lazy("Rating"),
        choices=[("", "—"), *[(r.value, r.label) for r in Rating if r != Rating.NOT_RATED]],
        error_messages={
            "required": gettext_lazy("Choose the rating."),
            "invalid_choice": gettext_lazy("Choose one of the ratings offered."),
        },
    )
    rated_on = forms.DateField(
        label=gettext_lazy("Since"),
        widget=date_widget(),
        error_messages={
            "required": gettext_lazy("Give the date of the rating."),
            "invalid": gettext_lazy("Give the date as a date, e.g. 2019-06-30."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Why (public once the pledge is published)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_url = forms.URLField(
        label=gettext_lazy("Evidence link (optional)"),
        required=False,
        assume_scheme="https",
        max_length=500,
        widget=forms.URLInput(attrs={"dir": "ltr", "inputmode": "url"}),
        help_text=gettext_lazy("e.g. the budget document or a news report."),
        error_messages={
            "invalid": gettext_lazy("Give a web address, e.g. https://www.finance.gov.pk/budget.")
        },
    )
    evidence_file = forms.FileField(
        label=gettext_lazy("Evidence file (optional)"),
        required=False,
        help_text=gettext_lazy("PDF or image (JPEG, PNG, WebP), up to 10 MB. Private: staff only."),
        widget=forms.FileInput(attrs={"accept": FILE_TYPES}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "rate")
        super().__init__(*args, **kwargs)
        self.fields["rated_on"].initial = timezone.localdate
