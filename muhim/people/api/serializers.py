from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from muhim.geography.models import Area
from muhim.network.models import Sex
from muhim.people.forms import split_tags
from muhim.people.models import ConsentText, Interaction, Interest, Volunteer
from muhim.people.services import mobile_number


def _named_enum(name, choices):
    """An enum with a name of its own: "level" and "kind" also name other models' choices
    (areas' levels, posts' kinds), which would otherwise share one component."""
    description = "\n".join(f"* `{value}` - {label}" for value, label in choices)
    return extend_schema_field(
        {"type": "string", "enum": [value for value, _label in choices], "description": description},
        component_name=name,
    )


@_named_enum("VolunteerLevel", Volunteer.Level.choices)
class LevelField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Volunteer.Level.choices, **kwargs)


@_named_enum("InteractionKind", Interaction.Kind.choices)
class InteractionKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Interaction.Kind.choices, **kwargs)


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["code", "name", "name_ur"]


class InteractionSerializer(serializers.ModelSerializer):
    kind = InteractionKindField(read_only=True)
    by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Interaction
        fields = ["kind", "text", "at", "by"]


class VolunteerSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField(help_text="E.164, e.g. +923001234567.")
    phone_national = serializers.SerializerMethodField()
    district = DistrictSerializer(read_only=True)
    interests = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    organiser = serializers.SlugRelatedField(slug_field="username", read_only=True)
    consent_version = serializers.SlugRelatedField(
        source="consent_text", slug_field="version", read_only=True
    )
    level = LevelField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="volunteer-detail")

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "url",
            "name",
            "phone",
            "phone_national",
            "email",
            "district",
            "sex",
            "interests",
            "level",
            "tags",
            "organiser",
            "language",
            "consent_version",
            "consent_at",
            "source",
            "notes",
            "created_at",
            "updated_at",
        ]

    def get_phone(self, obj) -> str:
        return obj.phone.as_e164

    def get_phone_national(self, obj) -> str:
        return obj.phone.as_national


class VolunteerDetailSerializer(VolunteerSerializer):
    history = InteractionSerializer(source="interactions", many=True, read_only=True)

    class Meta(VolunteerSerializer.Meta):
        fields = [*VolunteerSerializer.Meta.fields, "history"]


class VolunteerCreateSerializer(serializers.Serializer):
    """A sign-up through the API, with the form's rules: a known number updates that volunteer."""

    name = serializers.CharField(max_length=120)
    phone = serializers.CharField(max_length=32, help_text="Any usual form: 0300-1234567, +92 300 1234567.")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    district = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.districts())
    interests = serializers.SlugRelatedField(
        slug_field="code", queryset=Interest.objects.all(), many=True, required=False, default=list
    )
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=[("ur", "Urdu"), ("en", "English")], default="ur")
    consent = serializers.BooleanField(help_text="The person agreed to be contacted; must be true.")
    consent_version = serializers.SlugRelatedField(
        slug_field="version",
        queryset=ConsentText.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The wording they agreed to; the current one when left out.",
    )

    def validate_phone(self, value):
        return mobile_number(value)

    def validate_name(self, value):
        value = " ".join(value.split())
        if not value:
            raise serializers.ValidationError(_("The name is empty."))
        return value

    def validate_consent(self, value):
        if not value:
            raise serializers.ValidationError(_("Only people who agreed to be contacted can be added."))
        return value

    def validate(self, attrs):
        if attrs.get("consent_version") is None:
            attrs["consent_version"] = ConsentText.current()
            if attrs["consent_version"] is None:
                raise serializers.ValidationError(
                    {"consent_version": _("There is no current consent wording.")}
                )
        return attrs


class VolunteerUpdateSerializer(serializers.Serializer):
    """What organisers change: level, notes, tags (names; new ones are created)."""

    level = LevelField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, help_text="Tag names; replaces the tags."
    )

    def validate_tags(self, value):
        names = []
        for item in value:
            names += split_tags(item)
        return names
