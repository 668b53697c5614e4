"""/api/v1/pledges/: pledges with their rating history.

Reading is open: the public (and anyone without staff pages) gets published pledges only,
without who recorded them and without the private files; staff get what
`pledge_services.visible_pledges` gives them. Writing (MANAGE_PLEDGES) goes through
`pledge_services` with the rules of the form: an organiser's pledge for a seat outside their
regions, or without a seat, answers 403 with the reason; any other bad value 400 under its
field. `POST /api/v1/pledges/<id>/rate/` records a rating change."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from muhim.accounts.permissions import Capability, user_can
from muhim.activities.api.serializers import named_choice_field
from muhim.core.api.mixins import ExportableListMixin
from muhim.core.api.permissions import ReadOnlyOrCapability
from muhim.elections.models import Candidacy, Election, Party
from muhim.manifestos.models import Topic
from muhim.network.api.serializers import as_api_error

from .. import pledge_services as services
from ..models import Pledge, PledgeRating, Rating
from ..pledge_filters import search
from ..pledge_forms import seat_of

FORMAT = OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv", "xlsx"])
RatingField = named_choice_field("PledgeRating", Rating.choices)
SourceTypeField = named_choice_field("PledgeSourceType", Pledge.SourceType.choices)
TopicField = named_choice_field("PledgeTopic", Topic.choices)


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def _absolute(request, url):
    return request.build_absolute_uri(url) if request is not None else url


# --- reading ------------------------------------------------------------------------------------


class RatingChangeSerializer(serializers.ModelSerializer):
    rating = RatingField(read_only=True)
    evidence_file = serializers.SerializerMethodField(
        help_text="Staff only: the evidence file, through the permission-checked download; null without one."
    )

    class Meta:
        model = PledgeRating
        fields = ["id", "rating", "rated_on", "note", "evidence_url", "evidence_file", "created_at"]

    def get_evidence_file(self, obj) -> str | None:
        if not obj.evidence_file or not self.context.get("files"):
            return None
        return _absolute(
            self.context.get("request"), reverse("accountability:pledge-evidence", args=[obj.pk])
        )


class _CandidacyRef(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.CharField()
    constituency = serializers.CharField()
    party = serializers.CharField(allow_null=True)


class PledgeSerializer(serializers.ModelSerializer):
    election = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    party = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    constituency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    candidacy = serializers.SerializerMethodField(help_text="The candidate: id, name, seat and party slug.")
    source_type = SourceTypeField(read_only=True)
    topic = serializers.CharField(read_only=True)
    rating = RatingField(read_only=True, help_text="The latest rating by date.")
    ratings = serializers.SerializerMethodField(help_text="The rating history, newest first.")
    source_document = serializers.SerializerMethodField(
        help_text="Staff only: the source document's download; null without one (and for the public)."
    )
    recorded_by = serializers.SerializerMethodField(
        help_text="Username; only for callers who may see personal data."
    )
    page = serializers.SerializerMethodField()

    class Meta:
        model = Pledge
        fields = [
            "id",
            "election",
            "candidacy",
            "party",
            "constituency",
            "made_on",
            "source_type",
            "source_url",
            "source_document",
            "text",
            "text_ur",
            "is_education",
            "topic",
            "commits_four_percent",
            "rating",
            "ratings",
            "is_published",
            "recorded_by",
            "created_at",
            "updated_at",
            "page",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if not user_can(_user(self), Capability.VIEW_PERSONAL_DATA):
            fields.pop("recorded_by")
        if not self.context.get("files"):
            fields.pop("source_document")
        return fields

    @extend_schema_field(_CandidacyRef(allow_null=True))
    def get_candidacy(self, obj):
        candidacy = obj.candidacy
        if candidacy is None:
            return None
        return {
            "id": candidacy.pk,
            "person": candidacy.person.name,
            "constituency": candidacy.constituency.code,
            "party": candidacy.party.slug if candidacy.party_id else None,
        }

    @extend_schema_field(RatingChangeSerializer(many=True))
    def get_ratings(self, obj):
        changes = sorted(obj.ratings.all(), key=lambda r: (r.rated_on, r.pk), reverse=True)
        return RatingChangeSerializer(changes, many=True, context=self.context).data

    def get_source_document(self, obj) -> str | None:
        if not obj.source_document:
            return None
        return _absolute(self.context.get("request"), reverse("accountability:pledge-source", args=[obj.pk]))

    def get_recorded_by(self, obj) -> str | None:
        return obj.recorded_by.username if obj.recorded_by_id else None

    def get_page(self, obj) -> str:
        return _absolute(self.context.get("request"), obj.get_absolute_url())


class PledgeExportSerializer(PledgeSerializer):
    """CSV/XLSX rows: the candidate and history as readable cells."""

    candidacy = serializers.SerializerMethodField()
    ratings = serializers.SerializerMethodField()

    def get_candidacy(self, obj) -> str:
        c = obj.candidacy
        return f"{c.constituency.code} {c.person.name}" if c else ""

    def get_ratings(self, obj) -> str:
        changes = sorted(obj.ratings.all(), key=lambda r: (r.rated_on, r.pk))
        return "; ".join(f"{r.rated_on.isoformat()} {r.rating}" for r in changes)


# --- writing ------------------------------------------------------------------------------------


class PledgeWriteSerializer(serializers.Serializer):
    election = serializers.SlugRelatedField(
        slug_field="slug", queryset=Election.objects.all(), required=False
    )
    candidacy = serializers.PrimaryKeyRelatedField(
        queryset=Candidacy.objects.select_related("person", "party", "constituency", "election"),
        required=False,
        allow_null=True,
    )
    party = serializers.SlugRelatedField(
        slug_field="slug", queryset=Party.objects.all(), required=False, allow_null=True
    )
    constituency = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="Seat code, e.g. NA-125."
    )
    made_on = serializers.DateField(required=False)
    source_type = SourceTypeField(required=False)
    source_url = serializers.CharField(required=False, allow_blank=True, max_length=500)
    source_document = serializers.FileField(required=False, allow_null=True)
    text = serializers.CharField(required=False, allow_blank=True)
    text_ur = serializers.CharField(required=False, allow_blank=True)
    is_education = serializers.BooleanField(required=False)
    topic = serializers.ChoiceField(choices=Topic.choices, required=False, allow_blank=True)
    commits_four_percent = serializers.BooleanField(required=False)
    is_published = serializers.BooleanField(required=False)

    def validate(self, attrs):
        pledge = self.instance
        if pledge is None and "election" not in attrs:
            raise serializers.ValidationError(
                {"election": [_("Give the election (its slug, e.g. ge-2018).")]}
            )
        if "constituency" in attrs:
            election = attrs.get("election") or (pledge.election if pledge else None)
            code = (attrs["constituency"] or "").strip()
            seat = seat_of(election, code) if code else None
            if code and seat is None:
                raise serializers.ValidationError(
                    {"constituency": [_("%(code)s is not a seat of this election.") % {"code": code}]}
                )
            attrs["constituency"] = seat
        if pledge is None:
            attrs.setdefault("is_education", True)
        return attrs


class RateSerializer(serializers.Serializer):
    rating = RatingField()
    rated_on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out.")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    evidence_url = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    evidence_file = serializers.FileField(required=False, allow_null=True, default=None)


def _service(function, *args, **kwargs):
    """A service's refusal: a region's as 403 with its words, anything else as 400 by field."""
    try:
        return function(*args, **kwargs)
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            for errors in exc.error_dict.values():
                for error in errors:
                    if error.code in ("outside_region", "not_allowed"):
                        raise PermissionDenied(" ".join(error.messages)) from exc
        elif exc.code in ("outside_region", "not_allowed"):
            raise PermissionDenied(" ".join(exc.messages)) from exc
        raise as_api_error(exc) from exc


class PledgeAPIFilter(django_filters.FilterSet):
    election = django_filters.CharFilter(label=_("Election (slug)"), field_name="election__slug")
    party = django_filters.CharFilter(label=_("Party (slug)"), field_name="party__slug")
    constituency = django_filters.CharFilter(
        label=_("Seat code, e.g. NA-125"), field_name="constituency__code", lookup_expr="iexact"
    )
    candidacy = django_filters.NumberFilter(label=_("Candidacy (id)"), field_name="candidacy_id")
    province = django_filters.CharFilter(label=_("Province code"), field_name="constituency__province__code")
    source_type = django_filters.ChoiceFilter(label=_("Source"), choices=Pledge.SourceType.choices)
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=Topic.choices)
    is_education = django_filters.BooleanFilter(label=_("About education"))
    # xgettext:no-python-format
    commits_four_percent = django_filters.BooleanFilter(label=_("Commits 4% of GDP"))
    rating = django_filters.ChoiceFilter(label=_("Rating"), choices=Rating.choices)
    is_published = django_filters.BooleanFilter(label=_("Published"))
    q = django_filters.CharFilter(label=_("Seat, candidate or words"), method="filter_q")

    class Meta:
        model = Pledge
        fields = [
            "election",
            "party",
            "constituency",
            "candidacy",
            "province",
            "source_type",
            "topic",
            "is_education",
            "commits_four_percent",
            "rating",
            "is_published",
            "q",
        ]

    def filter_q(self, queryset, name, value):
        return search(queryset, value)


@extend_schema_view(
    list=extend_schema(
        description=(
            "Pledges by candidates and parties with their promise-tracker rating and its history "
            "(newest first). Anyone: published pledges only. Staff: their pledges (organisers: "
            "their regions' and every published one); the source document's and evidence files' "
            "downloads for staff only; `recorded_by` only for callers who may see personal data. "
            "Filters: `election`, `party` (slugs), `constituency` (seat code), `candidacy`, "
            "`province`, `source_type`, `topic`, `is_education`, `commits_four_percent`, "
            "`rating`, `is_published`, `q`. `?format=csv` or `xlsx` exports every matching row."
        ),
        parameters=[FORMAT],
    ),
    retrieve=extend_schema(description="One pledge (the public: a published one; 404 otherwise)."),
    create=extend_schema(
        description=(
            "Record a pledge (roles that manage pledges). It names a `candidacy` (id) or a "
            "`party` (slug) or both (the party must be the candidate's); `election` (slug), "
            "`made_on` (not in the future, not more than five years before polling day), "
            "`source_type`, `text`; optionally `constituency` (seat code, for a party's pledge "
            "made at a seat), `source_url` (http/https), `source_document` (PDF or image, "
            "multipart), `is_education` (default true), `topic`, `commits_four_percent` (only "
            "with `is_education`), `is_published`. An organiser's pledge for a seat outside "
            "their regions, or without a seat, answers 403 with the reason."
        ),
        request=PledgeWriteSerializer,
        responses={201: PledgeSerializer},
    ),
    partial_update=extend_schema(
        description="Change a pledge, with the rules of recording one (fields left out stay).",
        request=PledgeWriteSerializer,
        responses=PledgeSerializer,
    ),
)
class PledgeViewSet(
    ExportableListMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    queryset = Pledge.objects.none()
    serializer_class = PledgeSerializer
    filterset_class = PledgeAPIFilter
    permission_classes = [ReadOnlyOrCapability]
    write_capability = Capability.MANAGE_PLEDGES
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    export_name = "pledges"

    def is_staff(self):
        return user_can(self.request.user, Capability.VIEW_STAFF_PAGES)

    def get_queryset(self):
        user = self.request.user
        pledges = services.visible_pledges(user) if self.is_staff() else services.published_pledges()
        return (
            pledges.select_related(
                "election",
                "party",
                "constituency",
                "candidacy__person",
                "candidacy__party",
                "candidacy__constituency",
                "recorded_by",
            )
            .prefetch_related(Prefetch("ratings", queryset=PledgeRating.objects.order_by("-rated_on", "-pk")))
            .order_by("-made_on", "-pk")
        )

    def get_object(self):
        pk = str(self.kwargs.get("pk", ""))
        found = self.get_queryset().filter(pk=pk).first() if pk.isdigit() else None
        if found is None:
            if pk.isdigit() and self.is_staff() and Pledge.objects.filter(pk=pk).exists():
                raise PermissionDenied(
                    _("This pledge is for a seat outside your regions and is not published.")
                )
            raise NotFound()
        self.check_object_permissions(self.request, found)
        return found

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "staff": self.is_staff(),
            "files": services.reads_drafts(self.request.user),
        }

    def get_serializer_class(self):
        if self.action in ("create", "partial_update", "update"):
            return PledgeWriteSerializer
        renderer = getattr(self.request, "accepted_renderer", None)
        if self.action == "list" and renderer is not None and renderer.format in ("csv", "xlsx"):
            return PledgeExportSerializer
        return PledgeSerializer

    def _read(self, pledge, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=pledge.pk)
        return Response(PledgeSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pledge = _service(services.save_pledge, request.user, dict(serializer.validated_data))
        return self._read(pledge, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        pledge = self.get_object()
        serializer = self.get_serializer(pledge, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        _service(services.save_pledge, request.user, dict(serializer.validated_data), pledge=pledge)
        return self._read(pledge)

    @extend_schema(
        description=(
            "Rate the pledge: `rating`, `rated_on` (today when left out; not in the future nor "
            "before the pledge), `note`, `evidence_url`, `evidence_file` (PDF or image, "
            "multipart). The pledge's rating becomes the latest by date."
        ),
        request={"application/json": RateSerializer, "multipart/form-data": RateSerializer},
        responses={201: PledgeSerializer},
    )
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        pledge = self.get_object()
        serializer = RateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _service(
            services.rate_pledge,
            request.user,
            pledge,
            data["rating"],
            data.get("rated_on"),
            data["note"],
            data["evidence_url"],
            data["evidence_file"],
        )
        return self._read(pledge, status.HTTP_201_CREATED)


def register(router):
    router.register("pledges", PledgeViewSet, basename="pledge")
