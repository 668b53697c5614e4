"""/api/v1/manifestos/: published manifestos for everyone, all of them for roles that manage
manifestos; an upload (multipart) queues its analysis. /api/v1/manifestos/<id>/sentences/
lists a manifesto's quasi-sentences; PATCH /api/v1/manifestos/<id>/sentences/<sentence id>/
records a reviewer's decision (roles that manage manifestos)."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from muhim.accounts.permissions import Capability, user_can
from muhim.core.api.permissions import ReadOnlyOrCapability
from muhim.manifestos import services
from muhim.manifestos.models import FundingCommitment, Manifesto
from muhim.network.api.serializers import as_api_error

from .filters import ManifestoAPIFilter, SentenceAPIFilter
from .serializers import ManifestoSerializer, ManifestoUploadSerializer, SentenceSerializer


@extend_schema_view(
    list=extend_schema(
        description=(
            "Parties' manifestos with their figures: quasi-sentences (headings not counted), "
            "education quasi-sentences, the education share (per506, per cent to three decimals), "
            "reviewed sentences, whether one commits 4% of GDP, and the funding commitments found. "
            "The public gets published, analysed manifestos; roles that manage manifestos get all "
            "(with their status and progress). Filters: `party` (id, slug or abbreviation), "
            "`election` (id or slug), `language`, `status`, `is_published`."
        )
    ),
    create=extend_schema(
        description=(
            "Upload a manifesto (multipart: `party`, `election`, `title`, `language`, `file`, "
            "`coded`) and queue its analysis; follow `status` and `progress`. The same file "
            "already uploaded for the party and election answers 400 with `existing`, the "
            "earlier manifesto's URL."
        ),
        request=ManifestoUploadSerializer,
        responses={201: ManifestoSerializer},
    ),
)
class ManifestoViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Manifesto.objects.none()  # for the schema; get_queryset() is what runs
    serializer_class = ManifestoSerializer
    filterset_class = ManifestoAPIFilter
    permission_classes = [ReadOnlyOrCapability]
    write_capability = Capability.MANAGE_MANIFESTOS
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _manages(self):
        return user_can(self.request.user, Capability.MANAGE_MANIFESTOS)

    def get_queryset(self):
        manifestos = Manifesto.objects.all() if self._manages() else Manifesto.objects.published()
        return (
            manifestos.select_related("party", "election", "uploaded_by")
            .prefetch_related(
                Prefetch(
                    "funding_commitments",
                    queryset=FundingCommitment.objects.select_related("sentence").order_by(
                        "sentence__position"
                    ),
                )
            )
            .order_by("-created_at", "-pk")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return ManifestoUploadSerializer
        if self.action in ("sentences", "sentence"):
            return SentenceSerializer
        return ManifestoSerializer

    def create(self, request, *args, **kwargs):
        upload = ManifestoUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = dict(upload.validated_data)
        try:
            manifesto = services.create_manifesto(user=request.user, data=data, file=data["file"])
        except services.AlreadyUploaded as exc:
            existing = exc.manifesto
            return Response(
                {
                    "file": exc.messages,
                    "existing": request.build_absolute_uri(f"/api/v1/manifestos/{existing.pk}/"),
                    "existing_id": existing.pk,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        except ValidationError as exc:
            raise as_api_error(exc) from exc
        manifesto = self.get_queryset().get(pk=manifesto.pk)
        return Response(
            ManifestoSerializer(manifesto, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def _sentences_of(self, manifesto):
        return manifesto.sentences.select_related("reviewed_by").order_by("position")

    @extend_schema(
        description=(
            "The manifesto's quasi-sentences in order, each with the automatic decision "
            "(`predicted_education`, `predicted_topic`, `confidence`), the reviewer's "
            "(`reviewed_education`, `reviewed_topic`) and the one counted (`education`, `topic`). "
            "Filters: `education`, `reviewed`, `is_heading`, `topic`."
        ),
        responses=SentenceSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def sentences(self, request, pk=None):
        manifesto = self.get_object()
        filterset = SentenceAPIFilter(request.GET, queryset=self._sentences_of(manifesto), request=request)
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        page = self.paginate_queryset(filterset.qs)
        data = SentenceSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(
        description=(
            "One sentence; PATCH `reviewed_education` (true, false, or null to go back to the "
            "automatic decision) and `reviewed_topic` to review it (roles that manage manifestos). "
            "The manifesto's figures are recounted at once."
        ),
        request=SentenceSerializer,
        responses=SentenceSerializer,
    )
    @action(
        detail=True, methods=["get", "patch"], url_path=r"sentences/(?P<sentence_pk>\d+)", url_name="sentence"
    )
    def sentence(self, request, pk=None, sentence_pk=None):
        manifesto = self.get_object()
        sentence = self._sentences_of(manifesto).filter(pk=sentence_pk).first()
        if sentence is None:
            raise NotFound()
        context = self.get_serializer_context()
        if request.method == "PATCH":
            change = SentenceSerializer(sentence, data=request.data, partial=True, context=context)
            change.is_valid(raise_exception=True)
            values = change.validated_data
            education = values.get("reviewed_education", sentence.reviewed_education)
            if "reviewed_education" not in values and values.get("reviewed_topic") and education is None:
                education = True  # a topic alone: the sentence is education, of that topic
            topic = values.get("reviewed_topic", sentence.topic if education else "")
            try:
                services.review(user=request.user, sentence=sentence, education=education, topic=topic)
            except ValidationError as exc:
                raise as_api_error(exc) from exc
            sentence = self._sentences_of(manifesto).get(pk=sentence.pk)
        return Response(SentenceSerializer(sentence, context=context).data)
