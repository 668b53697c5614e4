"""Filters of the staff list of pledges. The choices come from what is recorded; the rows are
already those the user may see (`pledge_services.visible_pledges`)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from muhim.demands.filters import yes_no
from muhim.elections.models import Election, Party, normalise_name
from muhim.geography.models import Area
from muhim.manifestos.models import Topic

from .models import Pledge, Rating
from .pledge_forms import SEAT_CODE


def _parties(request=None):
    return Party.objects.filter(pk__in=Pledge.objects.values("party")).order_by("name")


def _provinces(request=None):
    return (
        Area.objects.provinces()
        .light()
        .filter(pk__in=Pledge.objects.values("constituency__province"))
        .order_by("name")
    )


def search(queryset, text):
    """A seat code ("NA-125", "na 125"), a candidate's or party's name, or words of the pledge."""
    text = (text or "").strip()
    if not text:
        return queryset
    seat = SEAT_CODE.match(text)
    if seat and not seat.group(3):
        code = f"{seat.group(1).upper()}-{int(seat.group(2))}"
        return queryset.filter(constituency__code__iexact=code)
    condition = Q()
    for word in text.split():
        name = normalise_name(word)
        condition &= (
            Q(text__icontains=word)
            | Q(text_ur__icontains=word)
            | Q(candidacy__person__normalised__contains=name or word)
            | Q(candidacy__person__name_ur__icontains=word)
            | Q(party__abbreviation__iexact=word)
            | Q(party__name__icontains=word)
            | Q(constituency__name__icontains=word)
        )
    if text.isdigit():
        condition |= Q(pk=int(text))
    return queryset.filter(condition)


class PledgeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Seat, candidate or words"), method="filter_q")
    election = django_filters.ModelChoiceFilter(
        label=_("Election"), queryset=Election.objects.all(), to_field_name="slug"
    )
    party = django_filters.ModelChoiceFilter(label=_("Party"), queryset=_parties, to_field_name="slug")
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=_provinces, to_field_name="code", field_name="constituency__province"
    )
    source_type = django_filters.ChoiceFilter(label=_("Source"), choices=Pledge.SourceType.choices)
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=Topic.choices)
    education = yes_no(_("About education"), field_name="is_education")
    # xgettext:no-python-format
    four_percent = yes_no(_("Commits 4% of GDP"), field_name="commits_four_percent")
    rating = django_filters.ChoiceFilter(label=_("Rating"), choices=Rating.choices)
    published = yes_no(_("Published"), field_name="is_published")

    class Meta:
        model = Pledge
        fields = [
            "q",
            "election",
            "party",
            "province",
            "source_type",
            "topic",
            "education",
            "four_percent",
            "rating",
            "published",
        ]

    def filter_q(self, queryset, name, value):
        return search(queryset, value)
