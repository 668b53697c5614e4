"""Shapes of /api/v1/manifestos/. Who uploaded a manifesto or reviewed a sentence is given only
to callers who may see personal data."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from muhim.accounts.permissions import Capability, user_can
from muhim.activities.api.serializers import named_choice_field
from muhim.elections.models import Election, Party
from muhim.manifestos.models import FundingCommitment, Language, Manifesto, QuasiSentence, Topic

StatusField = named_choice_field("ManifestoStatus", Manifesto.Status.choices)
SourceField = named_choice_field("ManifestoSource", Manifesto.Source.choices)
LanguageField = named_choice_field("ManifestoLanguage", Language.choices)
MeasureField = named_choice_field("FundingMeasure", FundingCommitment.Measure.choices)
TopicField = named_choice_field("EducationTopic", [("", "none"), *Topic.choices])


def _absolute(request, url):
    return request.build_absolute_uri(url) if request is not None else url


def _personal(serializer):
    request = serializer.context.get("request")
    return request is not None and user_can(request.user, Capability.VIEW_PERSONAL_DATA)


class PartyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "name", "name_ur", "abbreviation", "slug"]


class ElectionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Election
        fields = ["id", "name", "slug", "polling_date"]


class CommitmentSerializer(serializers.ModelSerializer):
    measure = MeasureField(read_only=True)
    sentence = serializers.IntegerField(source="sentence_id", read_only=True, allow_null=True)
    position = serializers.IntegerField(source="sentence.position", read_only=True, allow_null=True)
    set_aside = serializers.SerializerMethodField(
        help_text="True when a reviewer decided its sentence is not education: it does not count."
    )

    class Meta:
        model = FundingCommitment
        fields = ["text", "percent", "measure", "meets_target", "set_aside", "sentence", "position"]

    def get_set_aside(self, obj) -> bool:
        return obj.sentence is not None and obj.sentence.reviewed_education is False


class ManifestoSerializer(serializers.ModelSerializer):
    party = PartyRefSerializer(read_only=True)
    election = ElectionRefSerializer(read_only=True, allow_null=True)
    language = LanguageField(read_only=True)
    source = SourceField(read_only=True)
    status = StatusField(read_only=True)
    funding_commitments = CommitmentSerializer(many=True, read_only=True)
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="manifesto-detail")
    sentences = serializers.SerializerMethodField(help_text="Its sentences (list; review by PATCH).")
    file = serializers.SerializerMethodField(help_text="The original file, through the checked download.")
    page = serializers.SerializerMethodField(help_text="The staff page.")

    class Meta:
        model = Manifesto
        fields = [
            "id",
            "url",
            "title",
            "party",
            "election",
            "language",
            "source",
            "original_name",
            "status",
            "progress",
            "message",
            "pages",
            "quasi_sentences",
            "education_sentences",
            "education_share",
            "reviewed_sentences",
            "commits_four_percent",
            "funding_commitments",
            "is_published",
            "analysed_at",
            "uploaded_by",
            "created_at",
            "sentences",
            "file",
            "page",
        ]

    def get_sentences(self, obj) -> str:
        return _absolute(self.context.get("request"), reverse("manifesto-sentences", args=[obj.pk]))

    def get_file(self, obj) -> str | None:
        if not obj.file:
            return None
        return _absolute(self.context.get("request"), reverse("manifestos:file", args=[obj.pk]))

    def get_page(self, obj) -> str:
        return _absolute(self.context.get("request"), obj.get_absolute_url())

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not _personal(self):
            data.pop("uploaded_by", None)
        return data


@extend_schema_field({"type": "string", "description": "An id or a slug."})
class IdOrSlugField(serializers.RelatedField):
    """A party or election by its id or its slug."""

    default_error_messages = {"missing": "There is no {name} with the id or slug “{value}”."}

    def __init__(self, name, **kwargs):
        self.name_of = name
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = str(data).strip()
        queryset = self.get_queryset()
        found = (
            queryset.filter(pk=int(value)).first() if value.isdigit() else queryset.filter(slug=value).first()
        )
        if found is None:
            self.fail("missing", name=self.name_of, value=value)
        return found

    def to_representation(self, value):
        return value.pk


class ManifestoUploadSerializer(serializers.Serializer):
    """An upload: multipart with the file. The analysis is queued at once."""

    party = IdOrSlugField("party", queryset=Party.objects.all(), help_text="The party's id or slug.")
    election = IdOrSlugField(
        "election",
        queryset=Election.objects.all(),
        required=False,
        allow_null=True,
        help_text="The election's id or slug.",
    )
    title = serializers.CharField(max_length=250)
    language = LanguageField(required=False, default=Language.ENGLISH)
    file = serializers.FileField(help_text="PDF, DOCX, plain text, or a CSV of text,cmp_code rows.")
    coded = serializers.BooleanField(required=False, default=False, help_text="The file is pre-coded.")


class SentenceSerializer(serializers.ModelSerializer):
    predicted_topic = TopicField(read_only=True)
    reviewed_topic = TopicField(required=False, allow_blank=True)
    reviewed_education = serializers.BooleanField(
        allow_null=True,
        required=False,
        help_text="true / false, or null to go back to the automatic decision.",
    )
    education = serializers.BooleanField(source="is_education", read_only=True, help_text="As decided now.")
    topic = serializers.CharField(read_only=True, help_text="As decided now.")
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = QuasiSentence
        fields = [
            "id",
            "position",
            "text",
            "page",
            "is_heading",
            "cmp_code",
            "predicted_education",
            "predicted_topic",
            "confidence",
            "reviewed_education",
            "reviewed_topic",
            "education",
            "topic",
            "reviewed_by",
            "reviewed_at",
        ]
        read_only_fields = [
            "position",
            "text",
            "page",
            "is_heading",
            "cmp_code",
            "predicted_education",
            "confidence",
            "reviewed_at",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not _personal(self):
            data.pop("reviewed_by", None)
        return data
