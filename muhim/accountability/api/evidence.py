"""/api/v1/voter-surveys/ (with their ranked demands), /api/v1/media-stories/ and
/api/v1/education-budgets/ (with the share of GDP and whether it meets 4%).

Reading is open: anyone reads published surveys and stories and every budget; staff also the
unpublished surveys and stories they may see (`evidence_services.visible_*`). Writing needs
MANAGE_ELECTIONS (surveys, budgets) or MANAGE_MEDIA (stories), and goes through
`evidence_services`, whose messages come back as 400s under the field they name. Who recorded
a story is given only to callers who may see personal data."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from muhim.accounts.permissions import Capability, user_can
from muhim.activities.api.serializers import named_choice_field, service_call
from muhim.core.api.mixins import ExportableListMixin
from muhim.core.api.permissions import ReadOnlyOrCapability
from muhim.elections.models import Election, Party, Person
from muhim.partners.services import organisation_named

from .. import evidence_services as services
from ..evidence_filters import MediaStoryFilter, SurveyFilter
from ..models import EducationBudget, MediaStory, SurveyDemand, VoterSurvey

FORMAT = OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv", "xlsx"])
LanguageField = named_choice_field("MediaStoryLanguage", MediaStory.Language.choices)
GovernmentField = named_choice_field("BudgetGovernment", EducationBudget.Government.choices)


class SeatCodeField(serializers.CharField):
    """A constituency by its code ('NA-125'), of the latest delimitation it exists in."""

    def to_representation(self, value):
        return value.code

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return services.SeatLookup()(text)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class SeatCodeListField(serializers.ListField):
    child = SeatCodeField()

    def to_representation(self, data):
        return [seat.code for seat in data.all()]


# --- surveys ---------------------------------------------------------------------------------------


class SurveyDemandSerializer(serializers.ModelSerializer):
    is_education = serializers.BooleanField(
        required=False, allow_null=True, help_text="Left out or null: read from the demand's words."
    )

    class Meta:
        model = SurveyDemand
        fields = ["rank", "demand", "is_education", "share"]
        extra_kwargs = {"rank": {"min_value": 1}, "share": {"min_value": 0, "max_value": 100}}


class VoterSurveySerializer(serializers.ModelSerializer):
    constituency = SeatCodeField(help_text="The constituency's code, e.g. NA-125.")
    election = serializers.SlugRelatedField(
        slug_field="slug", queryset=Election.objects.all(), required=False, allow_null=True
    )
    conducted_by = serializers.CharField(
        required=False, allow_blank=True, help_text="The organisation's name; added to the list when new."
    )
    education_rank = serializers.SerializerMethodField(
        help_text="Where education stands among the demands (1 = first); null when nobody named it."
    )
    demands = SurveyDemandSerializer(many=True)

    class Meta:
        model = VoterSurvey
        fields = [
            "id",
            "constituency",
            "election",
            "title",
            "conducted_by",
            "conducted_on",
            "respondents",
            "source_url",
            "is_published",
            "education_rank",
            "demands",
        ]
        # One survey per seat, day and title: checked when it is saved (a 400 saying so), so that
        # the title may be left out.
        validators = []

    def get_education_rank(self, obj) -> int | None:
        return obj.education_rank

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["conducted_by"] = instance.conducted_by.name if instance.conducted_by_id else ""
        return data

    def validate_demands(self, value):
        rows = [services.DemandRow(**row) for row in value]
        try:
            services.check_demands(rows)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["demands"]) from exc
        return rows

    def _save(self, survey, validated):
        user = self.context["request"].user
        demands = validated.pop("demands", None)
        with transaction.atomic():
            if "conducted_by" in validated:
                name = validated.pop("conducted_by").strip()
                survey.conducted_by = service_call(organisation_named, name=name, user=user) if name else None
            for name, value in validated.items():
                setattr(survey, name, value)
            if demands is None:
                demands = [
                    services.DemandRow(d.rank, d.demand, d.is_education, d.share)
                    for d in survey.demands.all()
                ]
            return service_call(services.save_survey, survey=survey, demands=demands, user=user)

    def create(self, validated_data):
        return self._save(VoterSurvey(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)


class SurveyAPIFilter(SurveyFilter):
    """The list page's filters: `election` (slug), `assembly`, `province` (code), `constituency`
    (code), `education_first`, `published`."""


@extend_schema_view(
    list=extend_schema(
        description=(
            "Voter-demand surveys with their demands, ranked, and where education stands "
            "(`education_rank`). Anyone reads the published ones; staff also the unpublished "
            "ones they may see. Filters: `election` (slug), `assembly` (NA, PP, PS, PK, PB), "
            "`province` (code), `constituency` (code), `education_first`, `published`. "
            "`?format=csv` or `xlsx` exports every matching survey."
        ),
        parameters=[FORMAT],
    ),
    create=extend_schema(
        description=(
            "Record a survey with its demands (MANAGE_ELECTIONS). A rank given twice, a share "
            "outside 0–100 or an unknown constituency answers 400 saying which."
        )
    ),
    partial_update=extend_schema(description="Change a survey; `demands`, when sent, replace its demands."),
)
class VoterSurveyViewSet(
    ExportableListMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    queryset = VoterSurvey.objects.none()
    serializer_class = VoterSurveySerializer
    filterset_class = SurveyAPIFilter
    permission_classes = [ReadOnlyOrCapability]
    write_capability = Capability.MANAGE_ELECTIONS
    http_method_names = ["get", "post", "patch", "head", "options"]
    export_name = "voter-demand surveys"

    def get_queryset(self):
        return (
            services.visible_surveys(self.request.user)
            .select_related("constituency", "election", "conducted_by")
            .prefetch_related(Prefetch("demands", queryset=SurveyDemand.objects.order_by("rank")))
            .order_by("-conducted_on", "pk")
        )


# --- media stories -------------------------------------------------------------------------------


class PersonRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "name"]


class MediaStorySerializer(serializers.ModelSerializer):
    language = LanguageField(required=False)
    constituencies = SeatCodeListField(required=False, help_text='Constituency codes, e.g. ["NA-125"].')
    parties = serializers.SlugRelatedField(
        slug_field="slug", queryset=Party.objects.all(), many=True, required=False, help_text="Party slugs."
    )
    people = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), many=True, required=False, help_text="Candidates (person ids)."
    )
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = MediaStory
        fields = [
            "id",
            "outlet",
            "published_on",
            "title",
            "url",
            "language",
            "is_education",
            "constituencies",
            "parties",
            "people",
            "is_published",
            "recorded_by",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["people"] = PersonRefSerializer(instance.people.all(), many=True).data
        request = self.context.get("request")
        if not user_can(getattr(request, "user", None), Capability.VIEW_PERSONAL_DATA):
            data.pop("recorded_by", None)
        return data

    def _save(self, story, validated):
        related = {
            name: validated.pop(name) for name in ("constituencies", "parties", "people") if name in validated
        }
        for name, value in validated.items():
            setattr(story, name, value)
        if story.pk is None and "is_education" not in validated:
            story.is_education = services.is_education_text(story.title)
        if story.pk is not None:
            for name in ("constituencies", "parties", "people"):
                related.setdefault(name, list(getattr(story, name).all()))
        return service_call(services.save_story, story=story, user=self.context["request"].user, **related)

    def create(self, validated_data):
        return self._save(MediaStory(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)


class MediaStoryAPIFilter(MediaStoryFilter):
    """The list page's filters: `q`, `outlet`, `language`, `education`, `constituency` (code),
    `party` (slug), `month_from`, `month_to` (2018-07)."""

    outlet = django_filters.CharFilter(
        label=gettext_lazy("Outlet"), field_name="outlet", lookup_expr="iexact"
    )
    party = django_filters.CharFilter(label=gettext_lazy("Party (slug)"), method="filter_party_slug")

    def filter_party_slug(self, queryset, name, value):
        party = Party.objects.filter(slug=value.strip()).first()
        return self.filter_party(queryset, name, party) if party else queryset.none()


@extend_schema_view(
    list=extend_schema(
        description=(
            "Media stories by outlet, with the constituencies, parties and candidates they "
            "mention and whether they are about education. Anyone reads the published ones. "
            "Filters: `q`, `outlet`, `language`, `education`, `constituency` (code), `party` "
            "(slug), `month_from`, `month_to` (e.g. 2018-07). `?format=csv` or `xlsx` exports "
            "every matching story."
        ),
        parameters=[FORMAT],
    ),
    create=extend_schema(
        description=(
            "Record a story (MANAGE_MEDIA). Without `is_education` it is read from the title. "
            "A link already recorded answers 400."
        )
    ),
)
class MediaStoryViewSet(
    ExportableListMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    queryset = MediaStory.objects.none()
    serializer_class = MediaStorySerializer
    filterset_class = MediaStoryAPIFilter
    permission_classes = [ReadOnlyOrCapability]
    write_capability = Capability.MANAGE_MEDIA
    http_method_names = ["get", "post", "patch", "head", "options"]
    export_name = "media stories"

    def get_queryset(self):
        return (
            services.visible_stories(self.request.user)
            .select_related("recorded_by")
            .prefetch_related("constituencies", "parties", "people")
            .order_by("-published_on", "-pk")
        )


# --- budgets -----------------------------------------------------------------------------------------


class EducationBudgetSerializer(serializers.ModelSerializer):
    government = GovernmentField()
    fiscal_year = serializers.CharField(max_length=12, help_text="July to June, e.g. 2018-19.")
    share_of_gdp = serializers.DecimalField(
        max_digits=6, decimal_places=2, read_only=True, help_text="100 × allocation ÷ GDP."
    )
    meets_target = serializers.BooleanField(read_only=True, help_text="Whether the share is at least 4%.")

    class Meta:
        model = EducationBudget
        fields = [
            "id",
            "government",
            "fiscal_year",
            "education_allocation",
            "gdp",
            "share_of_gdp",
            "meets_target",
            "source_url",
            "note",
        ]
        validators = []  # the one-per-year rule is checked in validate(), with a message of its own

    def validate(self, attrs):
        instance = self.instance or EducationBudget()
        merged = {
            name: attrs.get(name, getattr(instance, name))
            for name in ("government", "fiscal_year", "education_allocation", "gdp")
        }
        problems = services.budget_problems(
            fiscal_year_text=merged["fiscal_year"],
            allocation=merged["education_allocation"],
            gdp=merged["gdp"],
        )
        if problems:
            raise serializers.ValidationError(problems)
        attrs["fiscal_year"] = merged["fiscal_year"] = services.fiscal_year(merged["fiscal_year"])
        taken = EducationBudget.objects.filter(
            government=merged["government"], fiscal_year=merged["fiscal_year"]
        )
        if taken.exclude(pk=instance.pk).exists():
            raise serializers.ValidationError(
                {
                    "fiscal_year": _("This government already has a budget for %(year)s.")
                    % {"year": merged["fiscal_year"]}
                }
            )
        return attrs

    def _save(self, budget, validated):
        for name, value in validated.items():
            setattr(budget, name, value)
        return service_call(services.save_budget, budget=budget, user=self.context["request"].user)

    def create(self, validated_data):
        return self._save(EducationBudget(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)


class BudgetAPIFilter(django_filters.FilterSet):
    government = django_filters.ChoiceFilter(choices=EducationBudget.Government.choices)
    fiscal_year = django_filters.CharFilter()
    since = django_filters.CharFilter(label=gettext_lazy("From fiscal year (2015-16)"), method="filter_since")

    class Meta:
        model = EducationBudget
        fields = ["government", "fiscal_year", "since"]

    def filter_since(self, queryset, name, value):
        return queryset.filter(Q(fiscal_year__gte=value.strip()))


@extend_schema_view(
    list=extend_schema(
        description=(
            "Education budgets by government and fiscal year (public figures, for anyone), with "
            "`share_of_gdp` (%) and `meets_target` (at least 4%). Amounts in PKR million. "
            "Filters: `government`, `fiscal_year`, `since`. `?format=csv` or `xlsx` exports them."
        ),
        parameters=[FORMAT],
    ),
    create=extend_schema(
        description=(
            "Record a budget (MANAGE_ELECTIONS). The fiscal year must be two consecutive years "
            "(2018-19); GDP more than zero; the allocation not negative nor larger than the GDP."
        )
    ),
)
class EducationBudgetViewSet(
    ExportableListMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    queryset = EducationBudget.objects.order_by("fiscal_year", "government")
    serializer_class = EducationBudgetSerializer
    filterset_class = BudgetAPIFilter
    permission_classes = [ReadOnlyOrCapability]
    write_capability = Capability.MANAGE_ELECTIONS
    http_method_names = ["get", "post", "patch", "head", "options"]
    export_name = "education budgets"


def register(router):
    router.register("voter-surveys", VoterSurveyViewSet, basename="voter-survey")
    router.register("media-stories", MediaStoryViewSet, basename="media-story")
    router.register("education-budgets", EducationBudgetViewSet, basename="education-budget")
