"""Shapes of /api/v1/activities/. The public shape is what the public calendar shows (no
follow-up, no staff accounts); the staff shape adds the campaign's own fields. Writes go into
`activities.services`, whose refusals come back as 400 with the field's message."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from muhim.accounts.permissions import user_can
from muhim.activities import services
from muhim.activities.models import (
    Activity,
    ActivityOfficial,
    ActivityPhoto,
    ActivityType,
    CaravanStop,
    MediaCoverage,
)
from muhim.activities.services import progress_of
from muhim.geography.models import Area
from muhim.network.api.serializers import as_api_error, public_name
from muhim.partners.services import organisation_named


def named_choice_field(component, choices):
    """A ChoiceField whose OpenAPI enum has a name of its own: "kind" and "status" also name
    other models' choices, which would otherwise share (or fight over) one component."""
    description = "\n".join(f"* `{value}` - {label}" for value, label in choices)

    @extend_schema_field(
        {"type": "string", "enum": [value for value, _label in choices], "description": description},
        component_name=component,
    )
    class NamedChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    NamedChoiceField.__name__ = f"{component}Field"
    return NamedChoiceField


ActivityKindField = named_choice_field("ActivityKind", ActivityType.choices)
ActivityStatusField = named_choice_field("ActivityStatus", Activity.Status.choices)
AttendanceCountField = named_choice_field("AttendanceCount", Activity.Count.choices)
OfficialKindField = named_choice_field("OfficialKind", ActivityOfficial.Kind.choices)
MediumField = named_choice_field("CoverageMedium", MediaCoverage.Medium.choices)


def service_call(function, **kwargs):
    """Call a service; its ValidationError becomes a 400 with the field messages."""
    try:
        return function(**kwargs)
    except DjangoValidationError as exc:
        raise as_api_error(exc) from exc


def outside_regions(user, capability, district, what=None):
    """PermissionDenied (403) with the reason, unless `user` may use `capability` in `district`."""
    if district is None or user_can(user, capability, district):
        return
    if not user_can(user, capability):
        raise PermissionDenied(_("Your role does not allow this."))
    message = services.outside_region(district, user).messages[0]
    raise PermissionDenied(f"{what} {message}" if what else message)


class DistrictRefSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Area
        fields = ["code", "name", "name_ur", "province"]


class PlaceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["code", "name", "name_ur", "level"]


class OfficialSerializer(serializers.ModelSerializer):
    kind = OfficialKindField(read_only=True)
    constituency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ActivityOfficial
        fields = ["kind", "name", "designation", "constituency"]


class CoverageSerializer(serializers.ModelSerializer):
    medium = MediumField(read_only=True)

    class Meta:
        model = MediaCoverage
        fields = ["outlet", "medium", "date", "headline", "url"]


def _absolute(request, url):
    return request.build_absolute_uri(url) if request is not None else url


class PhotoSerializer(serializers.ModelSerializer):
    thumbnail_url = serializers.SerializerMethodField(help_text="The thumbnail, through the photo view.")
    url = serializers.SerializerMethodField(help_text="The photo itself, through the photo view.")

    class Meta:
        model = ActivityPhoto
        fields = ["id", "caption", "width", "height", "thumbnail_url", "url"]

    def get_thumbnail_url(self, obj) -> str:
        return _absolute(self.context.get("request"), reverse("activities:photo", args=[obj.pk, "thumb"]))

    def get_url(self, obj) -> str:
        return _absolute(self.context.get("request"), reverse("activities:photo", args=[obj.pk, "full"]))


class PublicStopSerializer(serializers.ModelSerializer):
    district = DistrictRefSerializer(read_only=True)
    is_held = serializers.BooleanField(read_only=True, help_text="The activity held there has been held.")

    class Meta:
        model = CaravanStop
        fields = ["sequence", "date", "district", "venue", "is_held"]


class StopSerializer(PublicStopSerializer):
    id = serializers.IntegerField(read_only=True)
    activity = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The activity held at the stop (its id), once logged."
    )

    class Meta(PublicStopSerializer.Meta):
        fields = ["id", "sequence", "date", "district", "venue", "activity", "is_held"]


class StopWriteSerializer(serializers.Serializer):
    """A new stop at the end of the itinerary, or at `sequence` (the later stops move down)."""

    date = serializers.DateField()
    district = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.districts())
    venue = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    sequence = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class ProgressSerializer(serializers.Serializer):
    stops = serializers.IntegerField(help_text="Stops planned.")
    held = serializers.IntegerField(help_text="Stops whose activity was held.")
    districts = serializers.IntegerField()
    days = serializers.IntegerField()
    women = serializers.IntegerField()
    men = serializers.IntegerField()
    girls = serializers.IntegerField()
    boys = serializers.IntegerField()
    attendance = serializers.IntegerField()


class PublicActivitySerializer(serializers.ModelSerializer):
    kind = ActivityKindField(read_only=True)
    status = ActivityStatusField(read_only=True)
    attendance_count = AttendanceCountField(read_only=True)
    district = DistrictRefSerializer(read_only=True)
    place = PlaceRefSerializer(read_only=True)
    organiser_name = serializers.SerializerMethodField(
        help_text="The organiser's public name (from their public profile), or null."
    )
    partners = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    attendance = serializers.IntegerField(read_only=True, help_text="Women, men, girls and boys together.")
    officials = OfficialSerializer(many=True, read_only=True)
    coverage = CoverageSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)
    stops = serializers.SerializerMethodField(help_text="A caravan's itinerary in stop order; [] otherwise.")
    progress = serializers.SerializerMethodField(help_text="A caravan's progress; null otherwise.")
    page = serializers.SerializerMethodField(help_text="The activity's public page.")
    stop_serializer = PublicStopSerializer

    class Meta:
        model = Activity
        fields = [
            "id",
            "uid",
            "kind",
            "title",
            "title_ur",
            "description",
            "status",
            "start_date",
            "end_date",
            "start_time",
            "end_time",
            "district",
            "place",
            "venue",
            "organiser_name",
            "partners",
            "women",
            "men",
            "girls",
            "boys",
            "attendance",
            "attendance_count",
            "outcomes",
            "officials",
            "coverage",
            "photos",
            "stops",
            "progress",
            "page",
        ]

    def get_organiser_name(self, obj) -> str | None:
        return public_name(obj.organiser) if obj.organiser_id else None

    def _stops(self, obj):
        return list(obj.stops.all()) if obj.kind == ActivityType.CARAVAN else []

    @extend_schema_field(PublicStopSerializer(many=True))
    def get_stops(self, obj):
        return self.stop_serializer(self._stops(obj), many=True, context=self.context).data

    @extend_schema_field(ProgressSerializer(allow_null=True))
    def get_progress(self, obj):
        if obj.kind != ActivityType.CARAVAN:
            return None
        return ProgressSerializer(progress_of(self._stops(obj))).data

    def get_page(self, obj) -> str:
        return _absolute(self.context.get("request"), obj.get_public_url())


class ActivitySerializer(PublicActivitySerializer):
    """What staff who may see the activity read."""

    organiser = serializers.SlugRelatedField(slug_field="username", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True, help_text="The follow-up date has passed.")
    held_at_stop = serializers.SerializerMethodField(
        help_text="For an activity held at a caravan's stop: the caravan's id and the stop's number."
    )
    url = serializers.HyperlinkedIdentityField(view_name="activity-detail")
    stop_serializer = StopSerializer

    class Meta(PublicActivitySerializer.Meta):
        fields = [
            "id",
            "url",
            *PublicActivitySerializer.Meta.fields[1:],
            "organiser",
            "is_public",
            "follow_up",
            "follow_up_on",
            "is_overdue",
            "held_at_stop",
            "created_by",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(StopSerializer(many=True))
    def get_stops(self, obj):
        return super().get_stops(obj)

    def get_held_at_stop(self, obj) -> dict | None:
        try:
            stop = obj.caravan_stop
        except CaravanStop.DoesNotExist:
            return None
        return {"caravan": stop.caravan_id, "sequence": stop.sequence}

    def get_page(self, obj) -> str:
        return _absolute(self.context.get("request"), obj.get_absolute_url())


class ActivityWriteSerializer(serializers.ModelSerializer):
    """A new activity or changes to one. `district`: a district's code; `place`: the code of a
    tehsil or union council inside it; `partners`: organisations' names (or abbreviations),
    added to the list of partners when new; `organiser`: a username (the caller when left out
    of a new activity)."""

    kind = ActivityKindField()
    status = ActivityStatusField(required=False)
    attendance_count = AttendanceCountField(required=False)
    district = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.districts())
    place = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Area.objects.filter(level__in=[Area.Level.TEHSIL, Area.Level.UNION_COUNCIL]),
        required=False,
        allow_null=True,
    )
    organiser = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    partners = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        help_text="Names of partner organisations; replaces the list.",
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "title_ur",
            "description",
            "status",
            "start_date",
            "end_date",
            "start_time",
            "end_time",
            "district",
            "place",
            "venue",
            "organiser",
            "partners",
            "women",
            "men",
            "girls",
            "boys",
            "attendance_count",
            "outcomes",
            "follow_up",
            "follow_up_on",
            "is_public",
        ]

    def validate(self, attrs):
        instance = self.instance
        start = attrs.get("start_date", getattr(instance, "start_date", None))
        end = attrs.get("end_date", getattr(instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": [_("The activity cannot end before it starts.")]})
        return attrs

    def _save(self, activity, validated):
        names = validated.pop("partners", None)
        for name, value in validated.items():
            setattr(activity, name, value)
        user = self.context["request"].user
        with transaction.atomic():
            partners = None
            if names is not None:
                partners = [
                    service_call(organisation_named, name=n, user=user)
                    for n in dict.fromkeys(names)
                    if n.strip()
                ]
            return service_call(services.save_activity, activity=activity, user=user, partners=partners)

    def create(self, validated_data):
        activity = Activity()
        if "organiser" not in validated_data:
            validated_data["organiser"] = self.context["request"].user
        return self._save(activity, validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)
