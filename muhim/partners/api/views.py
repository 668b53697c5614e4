"""/api/v1/organisations/: the list of partner organisations."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from muhim.accounts.permissions import Capability
from muhim.activities.api.serializers import service_call
from muhim.core.api.mixins import ExportableListMixin
from muhim.core.api.permissions import CapabilityRequired
from muhim.partners.models import Organisation
from muhim.partners.services import organisation_named

from .serializers import OrganisationCreateSerializer, OrganisationSerializer

FORMAT = OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv", "xlsx"])


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Organisation.Kind.choices)
    q = django_filters.CharFilter(label=_("Name or abbreviation"), method="filter_q")

    class Meta:
        model = Organisation
        fields = ["kind", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)


@extend_schema_view(
    list=extend_schema(
        description=(
            "The organisations the campaign works with (staff only): partners named on "
            "activities and behind parental bodies. Filters: `kind`, `q` (name or abbreviation). "
            "`?format=csv` or `xlsx` exports every matching row (recorded in the audit log)."
        ),
        parameters=[FORMAT],
    ),
    retrieve=extend_schema(description="One organisation."),
    create=extend_schema(
        description=(
            "Name an organisation (roles that log activities): the one already listed under that "
            "name or abbreviation, ignoring case (200), or a new one (201)."
        ),
        request=OrganisationCreateSerializer,
        responses={200: OrganisationSerializer, 201: OrganisationSerializer},
    ),
)
class OrganisationViewSet(ExportableListMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Organisation.objects.none()  # for the schema; get_queryset() is what runs
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    permission_classes = [CapabilityRequired]
    read_capability = Capability.VIEW_STAFF_PAGES
    write_capability = Capability.MANAGE_ACTIVITIES
    export_name = "organisations"

    def get_queryset(self):
        return Organisation.objects.order_by("name", "pk")

    def get_serializer_class(self):
        return OrganisationCreateSerializer if self.action == "create" else OrganisationSerializer

    def create(self, request, *args, **kwargs):
        serializer = OrganisationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        name = " ".join(data["name"].split())
        known = Organisation.objects.filter(Q(name__iexact=name) | Q(abbreviation__iexact=name)).exists()
        organisation = service_call(organisation_named, name=name, kind=data["kind"], user=request.user)
        return Response(
            OrganisationSerializer(organisation, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK if known else status.HTTP_201_CREATED,
        )
