"""/api/v1/demands/ (staff), /api/v1/public-demands/ (anyone: published demands) and
/api/v1/parental-bodies/ (staff)."""

from django.db.models import Count, Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from muhim.accounts.permissions import Capability
from muhim.activities.api.filters import narrowed_to_regions
from muhim.activities.api.serializers import outside_regions, service_call
from muhim.activities.models import Activity
from muhim.core.api.mixins import EXPORT_FORMATS, ExportableListMixin
from muhim.core.api.permissions import CapabilityRequired
from muhim.demands import services
from muhim.demands.models import Demand, DemandUpdate, ParentalBody, ParentalBodyMember

from .filters import DemandAPIFilter, ParentalBodyAPIFilter, PublicDemandFilter
from .serializers import (
    DemandChangeSerializer,
    DemandCreateSerializer,
    DemandExportSerializer,
    DemandSerializer,
    ParentalBodySerializer,
    ParentalBodyWriteSerializer,
    PublicDemandSerializer,
    StatusUpdateSerializer,
)

FORMAT = OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv", "xlsx"])
OTHER_REGION_DEMAND = "This demand is in another region. Organisers reach only their own regions' demands."
OTHER_REGION_BODY = (
    "This parental body is in another region. Organisers reach only their own regions' parental bodies."
)
AREA_COLUMNS = ("boundary", "bbox")


def _deferred(*paths):
    return [f"{path}__{column}" for path in paths for column in AREA_COLUMNS]


class _RegionObjectMixin:
    """Another region's record is refused (403, saying why), a missing one is 404."""

    other_region_message = ""

    def get_object(self):
        pk = str(self.kwargs.get("pk", ""))
        found = self.get_queryset().filter(pk=pk).first() if pk.isdigit() else None
        if found is None:
            # Only whether the record exists is asked of the whole table, to answer 403 or 404.
            if pk.isdigit() and self.get_queryset().model.objects.filter(pk=pk).exists():
                raise PermissionDenied(self.other_region_message)
            raise NotFound()
        self.check_object_permissions(self.request, found)
        return found

    def get_scope_area(self, obj):
        return obj.district

    def is_export(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format in EXPORT_FORMATS


@extend_schema_view(
    list=extend_schema(
        description=(
            "Parents' demands and where each stands (staff who may see demands: organisers their "
            "regions', national roles all; 403 for others). Who raised a demand "
            "(`raised_by_name`, `raised_by_phone`) is given only to callers who may see personal "
            "data, and the campaign's internal notes in `updates` only to those who manage "
            "demands in the district.\n\n"
            "Filters: `category`, `status`, `district` (an area code; a division or province holds "
            "everything inside it), `province`, `organiser` (username), `parental_body`, "
            "`activity`, `authority`, `raised_from`, `raised_to`, `open`, `overdue`, "
            "`is_published`, `q` (demand, school or EMIS code). Newest first. `?format=csv` or "
            "`xlsx` exports every matching row with its history in one column (recorded in the "
            "audit log)."
        ),
        parameters=[FORMAT],
    ),
    retrieve=extend_schema(description="One demand with its status history. Another region's: 403."),
    create=extend_schema(
        description=(
            "Record a demand (roles that manage demands, in their regions; another region's "
            'district answers 403). Its history starts with "raised" on `raised_on`; with '
            "`resolved_on_the_spot` (and the `activity` it was raised at) it is resolved the same "
            "day. The day cannot be in the future; a parental body must be of the same district "
            "(400 with the reason)."
        ),
        request=DemandCreateSerializer,
        responses={201: DemandSerializer},
    ),
    partial_update=extend_schema(
        description=(
            "Change what a demand is about (not its status: add an update). Changing `raised_on` "
            "moves the first step of its history."
        ),
        request=DemandChangeSerializer,
        responses=DemandSerializer,
    ),
)
class DemandViewSet(
    _RegionObjectMixin,
    ExportableListMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    queryset = Demand.objects.none()  # for the schema; get_queryset() is what runs
    serializer_class = DemandSerializer
    filterset_class = DemandAPIFilter
    permission_classes = [CapabilityRequired]
    read_capability = Capability.VIEW_DEMANDS
    write_capability = Capability.MANAGE_DEMANDS
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    export_name = "demands"
    other_region_message = OTHER_REGION_DEMAND

    def get_queryset(self):
        user = self.request.user
        visible = narrowed_to_regions(Demand.objects.visible_to(user), user, Capability.VIEW_DEMANDS)
        return (
            visible.select_related(
                "district__province", "place", "parental_body", "activity", "organiser", "created_by"
            )
            .defer(*_deferred("district", "district__province", "place"))
            .prefetch_related(
                Prefetch("updates", queryset=DemandUpdate.objects.select_related("by").order_by("date", "pk"))
            )
            .order_by("-raised_on", "-pk")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return DemandCreateSerializer
        if self.action in ("partial_update", "update"):
            return DemandChangeSerializer
        if self.action == "list" and self.is_export():
            return DemandExportSerializer
        return DemandSerializer

    def _read(self, demand, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=demand.pk)
        return Response(DemandSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outside_regions(request.user, Capability.MANAGE_DEMANDS, serializer.validated_data["district"])
        return self._read(serializer.save(), status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        outside_regions(request.user, Capability.MANAGE_DEMANDS, serializer.validated_data.get("district"))
        return self._read(serializer.save())

    @extend_schema(
        description=(
            "Move the demand on: a new step in its history with the day (`on`, today when left "
            "out), what happened (`note`, public once published), a note for the campaign only "
            "and evidence (a link, or a PDF or image file sent as multipart). Only the next "
            "steps a demand can take are accepted (e.g. a resolved demand can only be raised "
            "again); a day in the future or before the last step answers 400 with the reason."
        ),
        request={"application/json": StatusUpdateSerializer, "multipart/form-data": StatusUpdateSerializer},
        responses={201: DemandSerializer},
    )
    @action(detail=True, methods=["post"])
    def updates(self, request, pk=None):
        demand = self.get_object()
        serializer = StatusUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        service_call(
            services.update_status,
            demand=demand,
            status=data["status"],
            on=data["on"],
            note=data["note"],
            internal_note=data["internal_note"],
            evidence=data["evidence"],
            evidence_url=data["evidence_url"],
            user=request.user,
        )
        return self._read(demand, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        description=(
            "Published demands, for anyone: what parents asked for, where, from which authority, "
            "and their status history with its public notes. Never who raised a demand, its "
            "phone number or the campaign's internal notes. Filters: `category`, `status`, "
            "`district`, `province`, `q`. `?format=csv` or `xlsx` exports every matching row."
        ),
        parameters=[FORMAT],
    ),
    retrieve=extend_schema(description="One published demand (404 for any other)."),
)
class PublicDemandViewSet(ExportableListMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Demand.objects.none()
    serializer_class = PublicDemandSerializer
    filterset_class = PublicDemandFilter
    permission_classes = [AllowAny]
    export_name = "public demands"

    def get_queryset(self):
        return (
            Demand.objects.published()
            .select_related("district__province", "place")
            .defer(*_deferred("district", "district__province", "place"))
            .prefetch_related(
                Prefetch(
                    "updates", queryset=DemandUpdate.objects.only("pk", "demand_id", "status", "date", "note")
                )
            )
            .order_by("-raised_on", "-pk")
        )


@extend_schema_view(
    list=extend_schema(
        description=(
            "Parental bodies at union-council and district level (staff who may see demands: "
            "organisers their regions', national roles all). Members come with their roles; their "
            "phone numbers only for callers who may see personal data in the body's district. "
            "Filters: `level`, `district`, `province`, `partner` (id, name or abbreviation), "
            "`is_active`, `q`. `?format=csv` or `xlsx` exports every matching body."
        ),
        parameters=[FORMAT],
    ),
    retrieve=extend_schema(description="One parental body. Another region's: 403."),
    create=extend_schema(
        description=(
            "Record a parental body (roles that manage demands, in their regions). A union-council "
            "body needs a union council inside its district. The partner is given by name and "
            "added to the list of organisations when new."
        ),
        request=ParentalBodyWriteSerializer,
        responses={201: ParentalBodySerializer},
    ),
    partial_update=extend_schema(
        description="Change a parental body of your regions.",
        request=ParentalBodyWriteSerializer,
        responses=ParentalBodySerializer,
    ),
)
class ParentalBodyViewSet(
    _RegionObjectMixin,
    ExportableListMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    queryset = ParentalBody.objects.none()
    serializer_class = ParentalBodySerializer
    filterset_class = ParentalBodyAPIFilter
    permission_classes = [CapabilityRequired]
    read_capability = Capability.VIEW_DEMANDS
    write_capability = Capability.MANAGE_DEMANDS
    http_method_names = ["get", "post", "patch", "head", "options"]
    export_name = "parental bodies"
    other_region_message = OTHER_REGION_BODY

    def get_queryset(self):
        user = self.request.user
        visible = narrowed_to_regions(ParentalBody.objects.visible_to(user), user, Capability.VIEW_DEMANDS)
        return (
            visible.select_related("district__province", "union_council", "partner", "organiser")
            .defer(*_deferred("district", "district__province", "union_council"))
            .annotate(demand_count=Count("demands", distinct=True))
            .prefetch_related(
                Prefetch("members", queryset=ParentalBodyMember.objects.order_by("role", "name")),
                Prefetch("meetings", queryset=Activity.objects.only("pk")),
            )
            .order_by("district__name", "name", "pk")
        )

    def get_serializer_class(self):
        if self.action in ("create", "partial_update", "update"):
            return ParentalBodyWriteSerializer
        return ParentalBodySerializer

    def _read(self, body, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=body.pk)
        return Response(
            ParentalBodySerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outside_regions(request.user, Capability.MANAGE_DEMANDS, serializer.validated_data["district"])
        return self._read(serializer.save(), status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        outside_regions(request.user, Capability.MANAGE_DEMANDS, serializer.validated_data.get("district"))
        return self._read(serializer.save())
