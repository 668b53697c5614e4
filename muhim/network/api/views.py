"""/api/v1/posts/, /api/v1/assignments/ and /api/v1/applications/."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from muhim.accounts.permissions import Capability
from muhim.core.api.mixins import ExportableListMixin
from muhim.core.api.permissions import CapabilityRequired, ReadOnlyOrCapability

from .. import services
from ..filters import ApplicationFilter, AssignmentFilter, PostFilter
from ..models import Application, ApplicationEvent, Assignment, Post
from .serializers import (
    ApplicationSerializer,
    AssignmentEndSerializer,
    AssignmentSerializer,
    PostSerializer,
    PostWriteSerializer,
    as_api_error,
)

FORMAT = OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv", "xlsx"])


@extend_schema_view(
    list=extend_schema(
        description=(
            "The organiser network's posts: regional organisers (the divisions or districts each "
            "covers) and national specialists, whether someone holds each today and that "
            "person's public name. Without `status`, the posts that exist now (covered or "
            "vacant); `status=retired` lists retired ones. Open to everyone; `?format=csv` or "
            "`xlsx` exports every matching post."
        ),
        parameters=[FORMAT],
    ),
    retrieve=extend_schema(description="One post, by its code."),
    create=extend_schema(
        description=(
            "Define a post (campaign office). A regional post needs a province and the codes of "
            "the divisions or districts it covers; a district belongs to one current regional "
            "post at most. A specialist post needs a specialism. The code is made from the title "
            "when left out. Broken rules answer 400 with the reason."
        ),
        request=PostWriteSerializer,
        responses=PostSerializer,
    ),
    partial_update=extend_schema(
        description="Change a post's titles, description or covered areas (campaign office). "
        "The code and kind cannot change.",
        request=PostWriteSerializer,
        responses=PostSerializer,
    ),
)
class PostViewSet(
    ExportableListMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    queryset = Post.objects.none()  # for the schema; get_queryset() is what runs
    serializer_class = PostSerializer
    filterset_class = PostFilter
    permission_classes = [ReadOnlyOrCapability]
    write_capability = Capability.MANAGE_NETWORK
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    export_name = "posts"

    def get_queryset(self):
        return (
            Post.objects.select_related("province")
            .prefetch_related(
                "areas",
                Prefetch(
                    "assignments",
                    queryset=Assignment.objects.active().select_related("holder__organiser_profile"),
                    to_attr="current",
                ),
            )
            .order_by("kind", "province__name", "title")
        )

    def get_object(self):
        # Retired posts stay reachable by their code (the list hides them).
        queryset = self.get_queryset()
        obj = get_object_or_404(queryset, code=self.kwargs["code"])
        self.check_object_permissions(self.request, obj)
        return obj

    def get_serializer_class(self):
        if self.action in ("create", "partial_update", "update"):
            return PostWriteSerializer
        return PostSerializer

    def _read(self, post, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=post.pk)
        return Response(PostSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._read(serializer.save(), status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self._read(serializer.save())

    @extend_schema(
        request=None,
        responses=PostSerializer,
        description="Retire a post (campaign office): it keeps its history, frees its areas and "
        "stops counting. Its holder's assignment must have ended first.",
    )
    @action(detail=True, methods=["post"])
    def retire(self, request, code=None):
        post = self.get_object()
        try:
            services.retire_post(post=post, user=request.user)
        except DjangoValidationError as exc:
            raise as_api_error(exc) from exc
        return self._read(post)


@extend_schema_view(
    list=extend_schema(
        description=(
            "Who held which post, from when to when (staff only). Filters: `post` (code), "
            "`holder` (username), `active` (held today)."
        ),
        parameters=[FORMAT],
    ),
    create=extend_schema(
        description=(
            "Give a post to a staff member from `start_date` (campaign office). A post has one "
            "holder at a time, and a new assignment starts after the previous one ended. The "
            "holder gets the organiser role and the post's areas as their regions."
        ),
    ),
    partial_update=extend_schema(
        description=(
            "End the current holder's assignment: send `end_date` (and a `note`). The post is "
            "vacant after that day and the holder loses the post's regions."
        ),
        request=AssignmentEndSerializer,
        responses=AssignmentSerializer,
    ),
)
class AssignmentViewSet(
    ExportableListMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    permission_classes = [CapabilityRequired]
    read_capability = Capability.VIEW_STAFF_PAGES
    write_capability = Capability.MANAGE_NETWORK
    http_method_names = ["get", "post", "patch", "head", "options"]
    export_name = "assignments"

    def get_queryset(self):
        return Assignment.objects.select_related("post", "holder", "holder__organiser_profile").order_by(
            "post__code", "-start_date"
        )

    def get_serializer_class(self):
        if self.action in ("partial_update", "update"):
            return AssignmentEndSerializer
        return AssignmentSerializer

    def update(self, request, *args, **kwargs):
        assignment = self.get_object()
        serializer = self.get_serializer(assignment, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        fresh = self.get_queryset().get(pk=assignment.pk)
        return Response(AssignmentSerializer(fresh, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(
        description=(
            "Applications to vacancies with the steps of their hiring pipeline (campaign office "
            "only; they hold personal data). Read-only: the pipeline moves on the office's pages. "
            "`cv_url` is the permission-checked CV download, audited like every export."
        ),
        parameters=[FORMAT],
    ),
)
class ApplicationViewSet(ExportableListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    permission_classes = [CapabilityRequired]
    read_capability = Capability.MANAGE_RECRUITMENT
    write_capability = Capability.MANAGE_RECRUITMENT
    export_name = "applications"

    def get_queryset(self):
        return (
            Application.objects.select_related("vacancy__post", "district")
            .prefetch_related(
                Prefetch("events", queryset=ApplicationEvent.objects.order_by("date", "created_at"))
            )
            .order_by("-created_at")
        )
