"""Shapes of the demands API. Who raised a demand (name, phone) and members' phones are given
only to callers who may see personal data in the demand's district; the campaign's internal
notes only to those who manage demands there. The public shape never holds either."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from muhim.accounts.permissions import Capability, user_can
from muhim.activities.api.serializers import (
    DistrictRefSerializer,
    PlaceRefSerializer,
    named_choice_field,
    service_call,
)
from muhim.activities.models import Activity
from muhim.demands import services
from muhim.demands.models import Category, Demand, DemandUpdate, ParentalBody, ParentalBodyMember, Status
from muhim.geography.models import Area
from muhim.network.models import Sex
from muhim.partners.services import organisation_named
from muhim.people.services import mobile_number

CategoryField = named_choice_field("DemandCategory", Category.choices)
DemandStatusField = named_choice_field("DemandStatus", Status.choices)
RaisedByField = named_choice_field("DemandRaisedBy", Demand.RaisedBy.choices)
AuthorityField = named_choice_field("DemandAuthority", Demand.Authority.choices)
BodyLevelField = named_choice_field("ParentalBodyLevel", ParentalBody.Level.choices)
MemberRoleField = named_choice_field("ParentalBodyRole", ParentalBodyMember.Role.choices)
SexField = named_choice_field("MemberSex", Sex.choices)

PERSONAL = ("raised_by_name", "raised_by_phone")


def _absolute(request, url):
    return request.build_absolute_uri(url) if request is not None else url


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


# --- reading ------------------------------------------------------------------------------------


class PublicUpdateSerializer(serializers.ModelSerializer):
    status = DemandStatusField(read_only=True)

    class Meta:
        model = DemandUpdate
        fields = ["status", "date", "note"]


class UpdateSerializer(PublicUpdateSerializer):
    """A step of the history as staff read it. `internal_note` is there only for callers who
    manage demands in the demand's district."""

    by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    evidence = serializers.SerializerMethodField(
        help_text="The evidence file, through the permission-checked download; null without one."
    )
    internal_note = serializers.CharField(read_only=True, required=False)

    class Meta(PublicUpdateSerializer.Meta):
        fields = [
            "id",
            "status",
            "date",
            "note",
            "internal_note",
            "evidence_url",
            "evidence",
            "by",
            "created_at",
        ]

    def get_evidence(self, obj) -> str | None:
        if not obj.evidence:
            return None
        return _absolute(self.context.get("request"), reverse("demands:evidence", args=[obj.pk]))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("internal"):
            data.pop("internal_note", None)
        return data


class _Ref(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PublicDemandSerializer(serializers.ModelSerializer):
    """A published demand as its public page shows it: what, where, from which authority and
    where it stands, with the public notes of its history. Never who raised it."""

    category = CategoryField(read_only=True)
    status = DemandStatusField(read_only=True)
    authority = AuthorityField(read_only=True)
    district = DistrictRefSerializer(read_only=True)
    place = PlaceRefSerializer(read_only=True)
    days_to_resolution = serializers.IntegerField(read_only=True, allow_null=True)
    updates = PublicUpdateSerializer(many=True, read_only=True)
    page = serializers.SerializerMethodField(help_text="The demand's public page.")

    class Meta:
        model = Demand
        fields = [
            "id",
            "title",
            "title_ur",
            "description",
            "category",
            "school",
            "school_emis",
            "district",
            "place",
            "authority",
            "authority_name",
            "status",
            "raised_on",
            "status_on",
            "resolved_on",
            "resolved_on_the_spot",
            "days_to_resolution",
            "updates",
            "page",
        ]

    def get_page(self, obj) -> str:
        return _absolute(self.context.get("request"), obj.get_public_url())


class DemandSerializer(serializers.ModelSerializer):
    category = CategoryField(read_only=True)
    status = DemandStatusField(read_only=True)
    authority = AuthorityField(read_only=True)
    raised_by = RaisedByField(read_only=True)
    district = DistrictRefSerializer(read_only=True)
    place = PlaceRefSerializer(read_only=True)
    raised_by_name = serializers.CharField(
        read_only=True, help_text="Private: only for callers who may see personal data in the district."
    )
    raised_by_phone = serializers.SerializerMethodField(
        help_text="E.164. Private: only for callers who may see personal data in the district."
    )
    parental_body = serializers.SerializerMethodField(
        help_text="The parental body that carries it: id and name."
    )
    activity = serializers.SerializerMethodField(help_text="The activity it was raised at: id and title.")
    organiser = serializers.SlugRelatedField(slug_field="username", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    days_to_resolution = serializers.IntegerField(read_only=True, allow_null=True)
    is_open = serializers.BooleanField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True, help_text="Open with its follow-up date passed.")
    updates = serializers.SerializerMethodField(help_text="The status history, oldest first.")
    url = serializers.HyperlinkedIdentityField(view_name="demand-detail")
    page = serializers.SerializerMethodField(help_text="The demand's staff page.")
    public_page = serializers.SerializerMethodField(help_text="Its public page once published; null before.")

    class Meta:
        model = Demand
        fields = [
            "id",
            "url",
            "title",
            "title_ur",
            "description",
            "category",
            "school",
            "school_emis",
            "district",
            "place",
            "raised_by",
            "raised_by_name",
            "raised_by_phone",
            "parental_body",
            "activity",
            "authority",
            "authority_name",
            "status",
            "raised_on",
            "status_on",
            "resolved_on",
            "resolved_on_the_spot",
            "days_to_resolution",
            "is_open",
            "follow_up_on",
            "is_overdue",
            "is_published",
            "organiser",
            "created_by",
            "created_at",
            "updated_at",
            "updates",
            "page",
            "public_page",
        ]

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None and not user_can(user, Capability.VIEW_PERSONAL_DATA):
            for name in PERSONAL:
                fields.pop(name, None)
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = _user(self)
        if any(name in data for name in PERSONAL) and not user_can(
            user, Capability.VIEW_PERSONAL_DATA, instance.district
        ):
            for name in PERSONAL:
                data[name] = None
        return data

    def get_raised_by_phone(self, obj) -> str:
        return obj.raised_by_phone.as_e164 if obj.raised_by_phone else ""

    @extend_schema_field(_Ref(allow_null=True))
    def get_parental_body(self, obj):
        body = obj.parental_body
        return {"id": body.pk, "name": body.name} if body else None

    @extend_schema_field(_Ref(allow_null=True))
    def get_activity(self, obj):
        activity = obj.activity
        return {"id": activity.pk, "name": activity.title} if activity else None

    @extend_schema_field(UpdateSerializer(many=True))
    def get_updates(self, obj):
        internal = user_can(_user(self), Capability.MANAGE_DEMANDS, obj.district)
        context = {**self.context, "internal": internal}
        return UpdateSerializer(obj.updates.all(), many=True, context=context).data

    def get_page(self, obj) -> str:
        return _absolute(self.context.get("request"), obj.get_absolute_url())

    def get_public_page(self, obj) -> str | None:
        return _absolute(self.context.get("request"), obj.get_public_url()) if obj.is_published else None


class DemandExportSerializer(DemandSerializer):
    """The CSV/XLSX rows: the history as one readable cell instead of nested records."""

    history = serializers.SerializerMethodField()

    class Meta(DemandSerializer.Meta):
        fields = [name for name in DemandSerializer.Meta.fields if name != "updates"] + ["history"]

    def get_history(self, obj) -> str:
        return "; ".join(
            f"{u.date.isoformat()} {Status(u.status).label}" + (f": {u.note}" if u.note else "")
            for u in obj.updates.all()
        )


# --- writing ------------------------------------------------------------------------------------


class _VisibleChoices:
    """Parental bodies and activities a demand may link to: those the caller may see."""

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if "parental_body" in fields:
            fields["parental_body"].queryset = ParentalBody.objects.visible_to(user)
        if "activity" in fields:
            fields["activity"].queryset = Activity.objects.visible_to(user)
        return fields


class DemandChangeSerializer(_VisibleChoices, serializers.ModelSerializer):
    """What a demand is about. Its status changes only by adding an update."""

    category = CategoryField(required=False)
    raised_by = RaisedByField(required=False)
    authority = AuthorityField(required=False)
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=Area.objects.districts(), required=False
    )
    place = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Area.objects.filter(level__in=[Area.Level.TEHSIL, Area.Level.UNION_COUNCIL]),
        required=False,
        allow_null=True,
    )
    raised_by_phone = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text="A mobile number in any usual form."
    )
    parental_body = serializers.PrimaryKeyRelatedField(
        queryset=ParentalBody.objects.none(), required=False, allow_null=True
    )
    activity = serializers.PrimaryKeyRelatedField(
        queryset=Activity.objects.none(), required=False, allow_null=True
    )
    organiser = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = Demand
        fields = [
            "title",
            "title_ur",
            "description",
            "category",
            "school",
            "school_emis",
            "district",
            "place",
            "raised_by",
            "raised_by_name",
            "raised_by_phone",
            "parental_body",
            "activity",
            "authority",
            "authority_name",
            "raised_on",
            "follow_up_on",
            "is_published",
            "organiser",
        ]

    def validate_raised_by_phone(self, value):
        if not value.strip():
            return ""
        try:
            return mobile_number(value).as_e164
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def validate(self, attrs):
        stray = [name for name in ("status", "resolved_on", "status_on") if name in self.initial_data]
        if stray:
            message = (
                _("Change the status by adding an update (POST …/updates/).")
                if self.instance is not None
                else _("A new demand starts as raised; move it on by adding an update (POST …/updates/).")
            )
            raise serializers.ValidationError({name: [message] for name in stray})
        return attrs

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return service_call(services.save_demand, demand=instance, user=self.context["request"].user)


class DemandCreateSerializer(DemandChangeSerializer):
    """A new demand: its history starts with "raised" on `raised_on` (today when left out). One
    settled where it was raised (`resolved_on_the_spot`, with the `activity`) is resolved the
    same day."""

    category = CategoryField()
    authority = AuthorityField()
    district = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.districts())
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="What happened when it was raised (public)."
    )
    resolved_on_the_spot = serializers.BooleanField(required=False, default=False)
    on_the_spot_note = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta(DemandChangeSerializer.Meta):
        fields = [*DemandChangeSerializer.Meta.fields, "note", "resolved_on_the_spot", "on_the_spot_note"]

    def create(self, validated_data):
        note = validated_data.pop("note")
        on_the_spot = validated_data.pop("resolved_on_the_spot")
        on_the_spot_note = validated_data.pop("on_the_spot_note")
        return service_call(
            services.record_demand,
            demand=Demand(**validated_data),
            user=self.context["request"].user,
            note=note,
            resolved_on_the_spot=on_the_spot,
            on_the_spot_note=on_the_spot_note,
        )


class StatusUpdateSerializer(serializers.Serializer):
    """A new step in the demand's history (JSON, or multipart with an `evidence` file)."""

    status = DemandStatusField()
    on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="The day; today when left out."
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Public once published."
    )
    internal_note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="For the campaign only."
    )
    evidence_url = serializers.URLField(required=False, allow_blank=True, default="", max_length=500)
    evidence = serializers.FileField(
        required=False, allow_null=True, default=None, help_text="A PDF or an image, checked by its content."
    )


# --- parental bodies ----------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    role = MemberRoleField(read_only=True)
    sex = SexField(read_only=True)
    phone = serializers.SerializerMethodField(
        help_text="E.164. Private: only for callers who may see personal data in the body's district."
    )

    class Meta:
        model = ParentalBodyMember
        fields = ["id", "name", "role", "sex", "phone", "joined_on", "left_on"]

    def get_phone(self, obj) -> str:
        return obj.phone.as_e164 if obj.phone else ""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("personal"):
            data.pop("phone", None)
        return data


class ParentalBodySerializer(serializers.ModelSerializer):
    level = BodyLevelField(read_only=True)
    district = DistrictRefSerializer(read_only=True)
    union_council = PlaceRefSerializer(read_only=True)
    partner = serializers.SerializerMethodField(help_text="The partner organisation: id and name.")
    organiser = serializers.SlugRelatedField(slug_field="username", read_only=True)
    members = serializers.SerializerMethodField(
        help_text="Members with their roles; phones only with personal data."
    )
    meetings = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of its meetings (activities)."
    )
    demands = serializers.IntegerField(source="demand_count", read_only=True, help_text="Demands it carries.")
    url = serializers.HyperlinkedIdentityField(view_name="parental-body-detail")
    page = serializers.SerializerMethodField()

    class Meta:
        model = ParentalBody
        fields = [
            "id",
            "url",
            "name",
            "name_ur",
            "level",
            "district",
            "union_council",
            "partner",
            "formed_on",
            "is_active",
            "notes",
            "organiser",
            "members",
            "meetings",
            "demands",
            "created_at",
            "updated_at",
            "page",
        ]

    @extend_schema_field(_Ref(allow_null=True))
    def get_partner(self, obj):
        return {"id": obj.partner.pk, "name": obj.partner.name} if obj.partner else None

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, obj):
        personal = user_can(_user(self), Capability.VIEW_PERSONAL_DATA, obj.district)
        return MemberSerializer(
            obj.members.all(), many=True, context={**self.context, "personal": personal}
        ).data

    def get_page(self, obj) -> str:
        return _absolute(self.context.get("request"), obj.get_absolute_url())


class ParentalBodyWriteSerializer(serializers.ModelSerializer):
    """A new parental body or changes to one. `union_council`: the code of a union council in
    the district (for a union-council body); `partner`: an organisation's name or abbreviation,
    added to the list of organisations when new."""

    level = BodyLevelField()
    district = serializers.SlugRelatedField(slug_field="code", queryset=Area.objects.districts())
    union_council = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Area.objects.filter(level=Area.Level.UNION_COUNCIL),
        required=False,
        allow_null=True,
    )
    partner = serializers.CharField(max_length=200, required=False, allow_blank=True, allow_null=True)
    organiser = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = ParentalBody
        fields = [
            "name",
            "name_ur",
            "level",
            "district",
            "union_council",
            "partner",
            "formed_on",
            "is_active",
            "notes",
            "organiser",
        ]

    def _save(self, body, validated):
        user = self.context["request"].user
        with transaction.atomic():
            if "partner" in validated:
                name = (validated.pop("partner") or "").strip()
                body.partner = service_call(organisation_named, name=name, user=user) if name else None
            for field, value in validated.items():
                setattr(body, field, value)
            return service_call(services.save_body, body=body, user=user)

    def create(self, validated_data):
        validated_data.setdefault("organiser", self.context["request"].user)
        return self._save(ParentalBody(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)
