import json

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, renderers, viewsets
from rest_framework.response import Response

from muhim.accounts.permissions import Capability
from muhim.core.api.mixins import ExportableListMixin
from muhim.geography.filters import AreaFilter, ConstituencyFilter
from muhim.geography.geojson import area_feature, feature_collection
from muhim.geography.models import Area, AreaAlias, Constituency, ConstituencyArea
from muhim.geography.services import update_area

from .serializers import AreaSerializer, AreaUpdateSerializer, ConstituencySerializer


class GeoJSONRenderer(renderers.BaseRenderer):
    media_type = "application/geo+json"
    format = "geojson"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Compact separators: the district map is downloaded on slow phones.
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@extend_schema_view(
    list=extend_schema(
        description=(
            "Provinces and territories, divisions, districts (and tehsils and union councils where "
            "imported). `?format=geojson` returns every matching area as a GeoJSON "
            "FeatureCollection: boundary polygons where imported, centroid points otherwise."
        ),
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "geojson", "csv", "xlsx"])],
    ),
    partial_update=extend_schema(
        description="Change an area's names or centroid. Administrators and the campaign office "
        "everywhere; organisers inside their own regions only (403 elsewhere).",
        request=AreaUpdateSerializer,
    ),
)
class AreaViewSet(ExportableListMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Area.objects.none()  # for the schema; get_queryset() is what runs
    serializer_class = AreaSerializer
    filterset_class = AreaFilter
    lookup_field = "code"
    lookup_value_regex = "[-a-z0-9_]+"
    http_method_names = ["get", "patch", "head", "options"]
    renderer_classes = [*viewsets.ReadOnlyModelViewSet.renderer_classes, GeoJSONRenderer]
    write_capability = Capability.EDIT_GAZETTEER
    export_name = "areas"

    def get_queryset(self):
        queryset = Area.objects.select_related("parent", "province").order_by("level", "name")
        renderer = getattr(self.request, "accepted_renderer", None)
        if renderer is not None and renderer.format == "geojson":
            return queryset  # the features need no aliases
        return queryset.prefetch_related(Prefetch("aliases", queryset=AreaAlias.objects.order_by("name")))

    def get_scope_area(self, obj):
        return obj

    def get_serializer_class(self):
        if self.action == "partial_update":
            return AreaUpdateSerializer
        return AreaSerializer

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format != "geojson":
            return super().list(request, *args, **kwargs)
        areas = self.filter_queryset(self.get_queryset())
        features = [area_feature(a) for a in areas if a.boundary or a.has_centroid]
        response = Response(feature_collection(features))
        response["Cache-Control"] = "public, max-age=300"
        return response

    def retrieve(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "geojson":
            return Response(area_feature(self.get_object()))
        return super().retrieve(request, *args, **kwargs)

    def perform_update(self, serializer):
        update_area(area=serializer.instance, user=self.request.user, changes=serializer.validated_data)

    def update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        super().update(request, *args, **kwargs)
        area = self.get_object()
        return Response(AreaSerializer(area, context=self.get_serializer_context()).data)


class ConstituencyViewSet(ExportableListMixin, viewsets.ReadOnlyModelViewSet):
    """National and provincial assembly seats with the districts they lie in."""

    serializer_class = ConstituencySerializer
    filterset_class = ConstituencyFilter
    export_name = "constituencies"

    def get_queryset(self):
        return (
            Constituency.objects.select_related("province")
            .prefetch_related(
                Prefetch(
                    "links",
                    # The seat's main district first, as the Election Commission lists it.
                    queryset=ConstituencyArea.objects.select_related("area").order_by(
                        "-is_primary", "area__name"
                    ),
                )
            )
            .order_by("delimitation_year", "assembly", "number")
        )
