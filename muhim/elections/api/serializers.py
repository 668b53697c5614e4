"""Shapes of the elections API. Everything here is public record except a person's address,
given only to callers who may see personal data (organisers: for people standing in a seat of
their regions)."""

import re

from django.db.models.functions import Lower
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from muhim.accounts.permissions import Capability, is_regional, user_can
from muhim.activities.api.serializers import named_choice_field, service_call
from muhim.elections import services
from muhim.elections.models import (
    Candidacy,
    ConstituencyResult,
    Election,
    Party,
    Person,
    normalise_name,
)
from muhim.elections.services import match_key, taken_message, taken_party_keys
from muhim.geography.models import Constituency

ElectionKindField = named_choice_field("ElectionKind", Election.Kind.choices)
SeatAssemblyField = named_choice_field("SeatAssembly", Constituency.Assembly.choices)
GenderField = named_choice_field("PersonGender", Person.Gender.choices)
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _user(serializer):
    return getattr(serializer.context.get("request"), "user", None)


def _absolute(request, url):
    return request.build_absolute_uri(url) if request is not None else url


def may_see_addresses(user):
    return user_can(user, Capability.VIEW_PERSONAL_DATA)


# --- small shapes shared by the lists -----------------------------------------------------------


class ContestedSeatSerializer(serializers.ModelSerializer):
    assembly = SeatAssemblyField(read_only=True)
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Constituency
        fields = ["id", "code", "assembly", "name", "delimitation_year", "province"]


class CandidatePartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["slug", "name", "name_ur", "abbreviation"]


class CandidatePersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "name", "name_ur"]


# --- elections ----------------------------------------------------------------------------------


class ElectionSerializer(serializers.ModelSerializer):
    kind = ElectionKindField(read_only=True)
    candidacies = serializers.IntegerField(source="candidacy_count", read_only=True)
    seats = serializers.IntegerField(source="seat_count", read_only=True, help_text="Seats with a candidate.")
    url = serializers.HyperlinkedIdentityField(view_name="election-detail", lookup_field="slug")
    popolo = serializers.SerializerMethodField(help_text="The election's Popolo export.")

    class Meta:
        model = Election
        fields = [
            "slug",
            "name",
            "name_ur",
            "kind",
            "polling_date",
            "delimitation_year",
            "candidacies",
            "seats",
            "url",
            "popolo",
        ]

    def get_popolo(self, obj) -> str:
        return _absolute(self.context.get("request"), f"{reverse('popolo-list')}?election={obj.slug}")


class ElectionWriteSerializer(serializers.ModelSerializer):
    kind = ElectionKindField(required=False)
    slug = serializers.SlugField(
        max_length=80, help_text="e.g. 'ge-2018'. Used in links: letters, digits and hyphens."
    )

    class Meta:
        model = Election
        fields = ["slug", "name", "name_ur", "kind", "polling_date", "delimitation_year"]

    def validate_slug(self, value):
        others = Election.objects.exclude(pk=getattr(self.instance, "pk", None))
        if others.filter(slug__iexact=value).exists():
            raise serializers.ValidationError(
                _("An election with the slug “%(slug)s” already exists.") % {"slug": value}
            )
        return value.lower()

    def validate_delimitation_year(self, value):
        if not Constituency.objects.filter(delimitation_year=value).exists():
            years = sorted(set(Constituency.objects.values_list("delimitation_year", flat=True)))
            known = ", ".join(str(y) for y in years) or _("none yet")
            raise serializers.ValidationError(
                _(
                    "No seats of the %(year)s delimitation are loaded (loaded: %(known)s). Import the "
                    "constituencies first."
                )
                % {"year": value, "known": known}
            )
        return value


# --- parties ------------------------------------------------------------------------------------


def _scorecard_url(request, party):
    try:
        return _absolute(request, party.get_absolute_url())
    except NoReverseMatch:
        return None


class PartySerializer(serializers.ModelSerializer):
    aliases = serializers.SerializerMethodField(help_text="Other ways sources write the party.")
    candidacies = serializers.IntegerField(source="candidacy_count", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="party-detail", lookup_field="slug")
    page = serializers.SerializerMethodField(help_text="The party's public scorecard.")

    class Meta:
        model = Party
        fields = [
            "id",
            "slug",
            "name",
            "name_ur",
            "abbreviation",
            "symbol",
            "symbol_ur",
            "website",
            "colour",
            "aliases",
            "candidacies",
            "url",
            "page",
            "updated_at",
        ]

    def get_aliases(self, obj) -> list[str]:
        return [alias.alias for alias in obj.aliases.all()]

    def get_page(self, obj) -> str | None:
        return _scorecard_url(self.context.get("request"), obj)


class PartyWriteSerializer(serializers.ModelSerializer):
    """A party, or changes to one. `aliases`, when given, replaces the party's list of other
    spellings (the importers match parties by name, abbreviation and these)."""

    slug = serializers.SlugField(
        max_length=120, required=False, help_text="Made from the abbreviation or name when left out."
    )
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, help_text="Replaces the list."
    )

    class Meta:
        model = Party
        fields = [
            "slug",
            "name",
            "name_ur",
            "abbreviation",
            "symbol",
            "symbol_ur",
            "website",
            "colour",
            "aliases",
        ]

    def _others(self):
        return Party.objects.exclude(pk=getattr(self.instance, "pk", None))

    def _taken(self):
        """What the matching reads as another party: match key → that party's name."""
        if not hasattr(self, "_taken_keys"):
            self._taken_keys = taken_party_keys(getattr(self.instance, "pk", None))
        return self._taken_keys

    def _refuse_taken(self, value):
        holder = self._taken().get(match_key(value))
        if holder is not None:
            raise serializers.ValidationError(taken_message(value, holder))

    def validate_name(self, value):
        value = " ".join(value.split())
        if not match_key(value):
            raise serializers.ValidationError(_("A party's name needs at least one letter."))
        if self._others().annotate(lower=Lower("name")).filter(lower=value.lower()).exists():
            raise serializers.ValidationError(_("A party with this name already exists."))
        self._refuse_taken(value)
        return value

    def validate_abbreviation(self, value):
        value = value.strip()
        if value:
            self._refuse_taken(value)
        return value

    def validate_slug(self, value):
        if self._others().filter(slug=value).exists():
            raise serializers.ValidationError(_("Another party has the slug “%(slug)s”.") % {"slug": value})
        return value

    def validate_colour(self, value):
        if value and not COLOUR.match(value):
            raise serializers.ValidationError(
                _("Give the colour as # and six hexadecimal digits, e.g. #1b5e20.")
            )
        return value.lower()

    def validate_aliases(self, values):
        errors, kept, seen = [], [], set()
        for value in values:
            alias = " ".join(value.split())
            key = match_key(alias)
            if not key:
                errors.append(_("“%(alias)s” has no letters or digits.") % {"alias": value})
                continue
            try:
                self._refuse_taken(alias)
            except serializers.ValidationError as exc:
                errors.extend(exc.detail)
                continue
            if key not in seen:
                seen.add(key)
                kept.append(alias)
        if errors:
            raise serializers.ValidationError(errors)
        return kept

    def _save(self, party, validated):
        aliases = validated.pop("aliases", None)
        if aliases is None:
            aliases = [alias.alias for alias in party.aliases.all()] if party.pk else []
        for field, value in validated.items():
            setattr(party, field, value)
        return service_call(services.save_party, party=party, aliases=aliases)

    def create(self, validated_data):
        return self._save(Party(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)


# --- people -------------------------------------------------------------------------------------


class CandidacyOfPersonSerializer(serializers.ModelSerializer):
    election = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    constituency = serializers.CharField(source="constituency.code", read_only=True)
    party = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    party_label = serializers.CharField(read_only=True)

    class Meta:
        model = Candidacy
        fields = ["id", "election", "constituency", "party", "party_label", "votes", "is_winner"]


class PersonSerializer(serializers.ModelSerializer):
    gender = GenderField(read_only=True)
    address = serializers.CharField(
        read_only=True,
        help_text=(
            "Private: only for callers who may see personal data (organisers: for people standing "
            "in their regions; null for others)."
        ),
    )
    candidacies = CandidacyOfPersonSerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="person-detail")

    class Meta:
        model = Person
        fields = ["id", "name", "name_ur", "gender", "address", "candidacies", "url", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        if not may_see_addresses(_user(self)):
            fields.pop("address", None)
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # A regional role sees the addresses of the people standing in its regions only
        # (`address_visible` is annotated by the view for them).
        if "address" in data and is_regional(_user(self)) and not getattr(instance, "address_visible", False):
            data["address"] = None
        return data


class PersonWriteSerializer(serializers.ModelSerializer):
    gender = GenderField(required=False, allow_blank=True)

    class Meta:
        model = Person
        fields = ["name", "name_ur", "gender", "address"]

    def validate_name(self, value):
        if not normalise_name(value):
            raise serializers.ValidationError(_("A name needs at least one letter."))
        return " ".join(value.split())


# --- candidacies and results --------------------------------------------------------------------


class CandidacySerializer(serializers.ModelSerializer):
    election = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    constituency = ContestedSeatSerializer(read_only=True)
    person = CandidatePersonSerializer(read_only=True)
    party = CandidatePartySerializer(read_only=True, allow_null=True)
    party_label = serializers.CharField(read_only=True, help_text="The party's short name, or 'Independent'.")
    is_independent = serializers.BooleanField(read_only=True)

    class Meta:
        model = Candidacy
        fields = [
            "id",
            "election",
            "constituency",
            "person",
            "party",
            "party_as_written",
            "party_label",
            "is_independent",
            "symbol",
            "votes",
            "is_winner",
            "withdrew",
            "added_from_results",
            "updated_at",
        ]


class SeatWinnerSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    name = serializers.CharField()
    party = serializers.CharField(allow_null=True, help_text="The party's slug; null for an independent.")
    votes = serializers.IntegerField(allow_null=True)


class ResultSerializer(serializers.ModelSerializer):
    election = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    constituency = ContestedSeatSerializer(read_only=True)
    winner = serializers.SerializerMethodField(help_text="The candidate who won the seat; null until known.")

    class Meta:
        model = ConstituencyResult
        fields = [
            "id",
            "election",
            "constituency",
            "registered_voters",
            "votes_polled",
            "valid_votes",
            "rejected_votes",
            "turnout",
            "winner",
        ]

    @extend_schema_field(SeatWinnerSerializer(allow_null=True))
    def get_winner(self, obj):
        if getattr(obj, "winner_person", None) is None:
            return None
        return {
            "person": obj.winner_person,
            "name": obj.winner_name,
            "party": obj.winner_party,
            "votes": obj.winner_votes,
        }
