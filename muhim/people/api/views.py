from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from muhim.accounts.permissions import Capability, user_can
from muhim.core.api.mixins import ExportableListMixin
from muhim.core.api.permissions import CapabilityRequired
from muhim.people.forms import tags_from_names
from muhim.people.models import Interaction, Volunteer
from muhim.people.services import sign_up, update_volunteer

from .filters import VolunteerAPIFilter
from .serializers import (
    VolunteerCreateSerializer,
    VolunteerDetailSerializer,
    VolunteerSerializer,
    VolunteerUpdateSerializer,
)

OTHER_REGION = "This volunteer is in another region. Organisers reach only their own regions' volunteers."


@extend_schema_view(
    list=extend_schema(
        description="Volunteers and supporters the caller may see: everyone for the campaign office, "
        "their regions' for organisers; nobody's for other roles (403). Filters: `district` (an area "
        "code; a division or province includes everyone inside), `level`, `interest`, `tag`, `q`. "
        "`?format=csv` or `xlsx` exports every matching row (recorded in the audit log)."
    ),
    retrieve=extend_schema(description="One volunteer with their history. Another region's volunteer: 403."),
    create=extend_schema(
        description="A sign-up, with the form's rules: a known mobile number updates that volunteer "
        "(interests add up, empty answers erase nothing) and answers 200 instead of 201. The "
        "district must lie in the caller's regions.",
        request=VolunteerCreateSerializer,
        responses={200: VolunteerDetailSerializer, 201: VolunteerDetailSerializer},
    ),
    partial_update=extend_schema(
        description="Change the level of involvement, notes or tags (tag names; new ones are created).",
        request=VolunteerUpdateSerializer,
        responses=VolunteerDetailSerializer,
    ),
)
class VolunteerViewSet(
    ExportableListMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    queryset = Volunteer.objects.none()  # for the schema; get_queryset() is what runs
    serializer_class = VolunteerSerializer
    filterset_class = VolunteerAPIFilter
    permission_classes = [CapabilityRequired]
    read_capability = Capability.MANAGE_VOLUNTEERS
    write_capability = Capability.MANAGE_VOLUNTEERS
    http_method_names = ["get", "post", "patch", "head", "options"]
    export_name = "volunteers"

    def get_queryset(self):
        queryset = (
            Volunteer.objects.visible_to(self.request.user)
            .select_related("district", "organiser", "consent_text")
            .prefetch_related("interests", "tags")
            .order_by("-created_at", "-pk")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "interactions", queryset=Interaction.objects.select_related("by").order_by("-at", "-pk")
                )
            )
        return queryset

    def get_scope_area(self, obj):
        return obj.district

    def get_serializer_class(self):
        if self.action == "retrieve":
            return VolunteerDetailSerializer
        if self.action == "create":
            return VolunteerCreateSerializer
        if self.action == "partial_update":
            return VolunteerUpdateSerializer
        return VolunteerSerializer

    def get_object(self):
        """Another region's volunteer is refused (403), not hidden (404)."""
        pk = str(self.kwargs.get("pk", ""))
        volunteer = self.filter_queryset(self.get_queryset()).filter(pk=pk).first() if pk.isdigit() else None
        if volunteer is None:
            # Only whether the record exists is asked of the whole table, to answer 403 or 404.
            if pk.isdigit() and Volunteer.objects.filter(pk=pk).exists():
                raise PermissionDenied(OTHER_REGION)
            raise NotFound()
        self.check_object_permissions(self.request, volunteer)
        return volunteer

    def _detail(self, volunteer):
        volunteer = (
            self.get_queryset()
            .prefetch_related(
                Prefetch(
                    "interactions", queryset=Interaction.objects.select_related("by").order_by("-at", "-pk")
                )
            )
            .get(pk=volunteer.pk)
        )
        return VolunteerDetailSerializer(volunteer, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        if not user_can(user, Capability.MANAGE_VOLUNTEERS, data["district"]):
            raise PermissionDenied("The district is outside your regions.")
        phone = data["phone"].as_e164
        visible = Volunteer.objects.visible_to(user)
        if not visible.filter(phone=phone).exists() and Volunteer.objects.filter(phone=phone).exists():
            raise PermissionDenied("This number belongs to a volunteer in another region.")
        try:
            result = self._sign_up(data, user)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        return Response(
            self._detail(result.volunteer),
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )

    @staticmethod
    def _sign_up(data, user):
        return sign_up(
            name=data["name"],
            phone=data["phone"],
            district=data["district"],
            consent_text=data["consent_version"],
            email=data["email"],
            interests=list(data["interests"]),
            sex=data["sex"],
            language=data["language"],
            source=Volunteer.Source.API,
            user=user,
        )

    def update(self, request, *args, **kwargs):
        volunteer = self.get_object()
        serializer = VolunteerUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            update_volunteer(
                volunteer=volunteer,
                user=request.user,
                level=data.get("level"),
                notes=data.get("notes"),
                tags=tags_from_names(data["tags"]) if "tags" in data else None,
            )
        return Response(self._detail(volunteer))
