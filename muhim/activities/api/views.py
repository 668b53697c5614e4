"""/api/v1/activities/ and a caravan's stops at /api/v1/activities/<id>/stops/."""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from muhim.accounts.permissions import Capability, user_can
from muhim.activities import services
from muhim.activities.models import (
    Activity,
    ActivityOfficial,
    ActivityPhoto,
    CaravanStop,
    MediaCoverage,
)
from muhim.core.api.mixins import EXPORT_FORMATS, ExportableListMixin
from muhim.core.api.permissions import ReadOnlyOrCapability
from muhim.core.audit import record_export

from .filters import ActivityAPIFilter, narrowed_to_regions
from .serializers import (
    ActivitySerializer,
    ActivityWriteSerializer,
    PublicActivitySerializer,
    PublicStopSerializer,
    StopSerializer,
    StopWriteSerializer,
    outside_regions,
    service_call,
)

FORMAT = OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv", "xlsx"])
OTHER_REGION = "This activity is in another region. Organisers reach only their own regions' activities."
# Areas carry their boundaries; a list of activities needs only their names and codes.
AREA_COLUMNS = ("boundary", "bbox")


def _deferred(*paths):
    return [f"{path}__{column}" for path in paths for column in AREA_COLUMNS]


@extend_schema_view(
    list=extend_schema(
        description=(
            "Field activities: caravans, theatre shows, seminars, Kuli Katchehris, school visits …\n\n"
            "Without signing in (or without access to the field pages) the list holds the public "
            "calendar's activities (public and not cancelled), in the public shape: the fields "
            "below without `url`, `organiser`, `is_public`, `follow_up`, `follow_up_on`, "
            "`is_overdue`, `held_at_stop`, `created_by`, `created_at`, `updated_at`, and stops "
            "without their `id` and `activity`. Staff who may see field activities get those of "
            "their regions (everything for national roles) in the staff shape.\n\n"
            "Filters: `kind`, `status`, `province` (code), `district` (an area code; a division or "
            "province holds everything inside it), `organiser` (username), `from` and `to` (dates: "
            "activities still running on `from` count), `is_public`, `q` (title or venue). "
            "Newest first. Each activity carries its officials present, media coverage, photo "
            "links and, for a caravan, its stops in order and its progress. `?format=csv` or "
            "`xlsx` exports every matching row (recorded in the audit log)."
        ),
        parameters=[FORMAT],
        responses=ActivitySerializer(many=True),
    ),
    retrieve=extend_schema(
        description=(
            "One activity. Staff get it in the staff shape when it is in their regions; a public "
            "activity of another region comes in the public shape, any other activity of another "
            "region answers 403. Without access: public activities only (404 otherwise)."
        ),
        responses=ActivitySerializer,
    ),
    create=extend_schema(
        description=(
            "Log an activity (roles that manage activities, inside their regions: another "
            "region's district answers 403 with the reason). The rules are the pages': an end "
            "before the start, negative attendance, a place outside the district answer 400 "
            "with the field's message. Partners are given by name and added to the list of "
            "organisations when new. The organiser is the caller unless another is named."
        ),
        request=ActivityWriteSerializer,
        responses={201: ActivitySerializer},
    ),
    partial_update=extend_schema(
        description=(
            "Change an activity of your regions (moving it needs the right to both districts). "
            "`partners`, when given, replaces the list."
        ),
        request=ActivityWriteSerializer,
        responses=ActivitySerializer,
    ),
)
class ActivityViewSet(
    ExportableListMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    queryset = Activity.objects.none()  # for the schema; get_queryset() is what runs
    serializer_class = ActivitySerializer
    filterset_class = ActivityAPIFilter
    permission_classes = [ReadOnlyOrCapability]
    write_capability = Capability.MANAGE_ACTIVITIES
    http_method_names = ["get", "post", "patch", "head", "options"]
    export_name = "activities"
    public_shape = False  # set for a public activity of another region

    def is_staff(self):
        return user_can(self.request.user, Capability.VIEW_ACTIVITIES)

    def base_queryset(self):
        user = self.request.user
        if not self.is_staff():
            return Activity.objects.public()
        return narrowed_to_regions(Activity.objects.visible_to(user), user, Capability.VIEW_ACTIVITIES)

    def get_queryset(self, base=None):
        stops = CaravanStop.objects.select_related("district__province", "activity").defer(
            *_deferred("district", "district__province")
        )
        queryset = (
            (base if base is not None else self.base_queryset())
            .select_related(
                "district__province",
                "place",
                "organiser__organiser_profile",
                "created_by",
                "caravan_stop",
            )
            .defer(*_deferred("district", "district__province", "place"))
            .prefetch_related(
                "partners",
                Prefetch("officials", queryset=ActivityOfficial.objects.select_related("constituency")),
                Prefetch("coverage", queryset=MediaCoverage.objects.all()),
                Prefetch(
                    "photos",
                    queryset=ActivityPhoto.objects.only("pk", "activity_id", "caption", "width", "height"),
                ),
                Prefetch("stops", queryset=stops.order_by("sequence")),
            )
        )
        return queryset.order_by("-start_date", "-pk")

    def get_scope_area(self, obj):
        return obj.district

    def get_serializer_class(self):
        if self.action in ("create", "partial_update", "update"):
            return ActivityWriteSerializer
        if self.public_shape or not self.is_staff():
            return PublicActivitySerializer
        return ActivitySerializer

    def get_object(self):
        """Another region's activity is refused (403) unless the public may see it; a missing
        one (or, for the public, one that is not public) is 404."""
        pk = str(self.kwargs.get("pk", ""))
        if not pk.isdigit():
            raise NotFound()
        activity = self.get_queryset().filter(pk=pk).first()
        if activity is None and self.is_staff():
            if self.request.method in ("GET", "HEAD", "OPTIONS"):
                activity = self.get_queryset(Activity.objects.public()).filter(pk=pk).first()
                if activity is not None:
                    self.public_shape = True
                    return activity
            if Activity.objects.filter(pk=pk).exists():
                raise PermissionDenied(OTHER_REGION)
        if activity is None:
            raise NotFound()
        self.check_object_permissions(self.request, activity)
        return activity

    def _read(self, activity, code=status.HTTP_200_OK):
        fresh = self.get_queryset(Activity.objects.all()).get(pk=activity.pk)
        return Response(ActivitySerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outside_regions(request.user, Capability.MANAGE_ACTIVITIES, serializer.validated_data["district"])
        return self._read(serializer.save(), status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        outside_regions(request.user, Capability.MANAGE_ACTIVITIES, serializer.validated_data.get("district"))
        return self._read(serializer.save())

    @extend_schema(
        methods=["GET"],
        description=(
            "A caravan's itinerary in stop order (a stop per day: date, district, venue, the "
            "activity held there). `?format=csv` or `xlsx` exports it (recorded in the audit log)."
        ),
        parameters=[FORMAT],
        responses=StopSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        description=(
            "Add a stop to a caravan: at the end, or at `sequence` (the later stops move one "
            "place down). The stop's date must lie within the caravan's dates and in order with "
            "the other stops (400 with the reason otherwise); its district must lie in the "
            "caller's regions (403 otherwise)."
        ),
        request=StopWriteSerializer,
        responses={201: StopSerializer},
    )
    @action(
        detail=True, methods=["get", "post"], url_path="stops", filterset_class=None, pagination_class=None
    )
    def stops(self, request, pk=None):
        caravan = self.get_object() if request.method == "GET" else self._caravan_to_change(pk)
        if request.method == "POST":
            serializer = StopWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            outside_regions(request.user, Capability.MANAGE_ACTIVITIES, data["district"])
            stop = service_call(
                services.add_stop,
                caravan=caravan,
                date=data["date"],
                district=data["district"],
                venue=data["venue"],
                sequence=data["sequence"],
                user=request.user,
            )
            stop = CaravanStop.objects.select_related("district__province", "activity").get(pk=stop.pk)
            return Response(StopSerializer(stop, context=self.get_serializer_context()).data, status=201)
        stops = list(caravan.stops.all())
        serializer_class = (
            StopSerializer if self.is_staff() and not self.public_shape else PublicStopSerializer
        )
        data = serializer_class(stops, many=True, context=self.get_serializer_context()).data
        if request.accepted_renderer.format in EXPORT_FORMATS:
            record_export(
                request,
                subject=f"API caravan stops of activity {caravan.pk}",
                fmt=request.accepted_renderer.format,
                rows=len(data),
            )
        return Response(data)

    def _caravan_to_change(self, pk):
        """The caravan a stop is added to: one the caller may see (the stop's own district is
        what the region rule asks about, as in `services.add_stop`)."""
        if not str(pk).isdigit():
            raise NotFound()
        caravan = self.get_queryset().filter(pk=pk).first()
        if caravan is None:
            if Activity.objects.filter(pk=pk).exists():
                raise PermissionDenied(OTHER_REGION)
            raise NotFound()
        return caravan
