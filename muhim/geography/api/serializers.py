from rest_framework import serializers

from muhim.geography.models import Area, Constituency, ConstituencyArea


class AreaRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["code", "name", "name_ur", "level"]


class AreaSerializer(serializers.ModelSerializer):
    parent = AreaRefSerializer(read_only=True)
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    centroid = serializers.SerializerMethodField()
    aliases = serializers.SerializerMethodField()
    has_boundary = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="area-detail", lookup_field="code")

    class Meta:
        model = Area
        fields = [
            "code",
            "name",
            "name_ur",
            "level",
            "kind",
            "parent",
            "province",
            "headquarters",
            "centroid",
            "aliases",
            "has_boundary",
            "url",
        ]

    def get_centroid(self, obj) -> dict | None:
        if not obj.has_centroid:
            return None
        return {"lat": float(obj.centroid_lat), "lon": float(obj.centroid_lon)}

    def get_aliases(self, obj) -> list[dict]:
        return [{"name": a.name, "kind": a.kind} for a in obj.aliases.all()]

    def get_has_boundary(self, obj) -> bool:
        return obj.boundary is not None


class AreaUpdateSerializer(serializers.ModelSerializer):
    """What staff may change through the API: names and the centroid."""

    class Meta:
        model = Area
        fields = ["name", "name_ur", "headquarters", "centroid_lat", "centroid_lon"]


class ConstituencyAreaSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="area.code")
    name = serializers.CharField(source="area.name")
    name_ur = serializers.CharField(source="area.name_ur")
    level = serializers.CharField(source="area.level")

    class Meta:
        model = ConstituencyArea
        fields = ["code", "name", "name_ur", "level", "is_primary"]


class ConstituencySerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    areas = ConstituencyAreaSerializer(source="links", many=True, read_only=True)

    class Meta:
        model = Constituency
        fields = ["id", "code", "assembly", "number", "name", "delimitation_year", "province", "areas"]
