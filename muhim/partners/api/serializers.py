"""Shapes of /api/v1/organisations/."""

from rest_framework import serializers

from muhim.activities.api.serializers import named_choice_field
from muhim.partners.models import Organisation

OrganisationKindField = named_choice_field("OrganisationKind", Organisation.Kind.choices)


class OrganisationSerializer(serializers.ModelSerializer):
    kind = OrganisationKindField(read_only=True)
    display_name = serializers.CharField(read_only=True, help_text="The name with its abbreviation.")

    class Meta:
        model = Organisation
        fields = ["id", "name", "name_ur", "abbreviation", "display_name", "kind", "website", "created_at"]


class OrganisationCreateSerializer(serializers.Serializer):
    """An organisation by name: the one the campaign already works with (by name or
    abbreviation, ignoring case), or a new one of `kind`."""

    name = serializers.CharField(max_length=200)
    kind = OrganisationKindField(required=False, default=Organisation.Kind.NGO, help_text="For a new one.")
