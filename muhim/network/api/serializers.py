"""The network's API shapes. Reading a post tells anyone what it covers, whether someone holds
it and their public name, never their private contacts. Writing goes into the services, whose
refusals come back as 400 with the message."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from muhim.accounts.models import User
from muhim.geography.api.serializers import AreaRefSerializer
from muhim.geography.models import Area

from .. import services
from ..forms_office import unique_post_code
from ..models import Application, ApplicationEvent, Assignment, Post, Specialism, Vacancy


def as_api_error(exc: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError as DRF's: field messages under the field, the rest under
    non_field_errors."""
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(
            {
                ("non_field_errors" if field == "__all__" else field): msgs
                for field, msgs in exc.message_dict.items()
            }
        )
    return serializers.ValidationError({"non_field_errors": exc.messages})


def public_name(user):
    """The name an organiser shows the public (from their public profile), or None."""
    profile = getattr(user, "organiser_profile", None)
    if profile is None:
        return None
    return profile.public_name or None


class PostSerializer(serializers.ModelSerializer):
    # Plain strings here: the choices are documented once, on the write shape (one enum per
    # name keeps the OpenAPI enum names stable).
    kind = serializers.CharField(read_only=True, help_text="regional or specialist")
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    areas = AreaRefSerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField(help_text="covered, vacant or retired")
    holder = serializers.SerializerMethodField(
        help_text="Who holds the post today: their public name and since when; null when vacant."
    )

    class Meta:
        model = Post
        fields = [
            "code",
            "kind",
            "title",
            "title_ur",
            "specialism",
            "province",
            "areas",
            "description",
            "description_ur",
            "status",
            "holder",
        ]

    @staticmethod
    def _current(obj):
        current = getattr(obj, "current", None)
        if current is None:  # not prefetched (a single post just written)
            current = list(obj.assignments.active().select_related("holder__organiser_profile"))
        return current[0] if current else None

    def get_status(self, obj) -> str:
        if not obj.is_active:
            return "retired"
        return "covered" if self._current(obj) else "vacant"

    def get_holder(self, obj) -> dict | None:
        current = self._current(obj)
        if current is None:
            return None
        profile = getattr(current.holder, "organiser_profile", None)
        return {
            "name": public_name(current.holder),
            "name_ur": (profile.public_name_ur or None) if profile else None,
            "since": current.start_date.isoformat(),
        }


class PostWriteSerializer(serializers.ModelSerializer):
    """A new post or changes to one. `areas`: codes of divisions or districts of the post's
    province (regional posts); the code is made from the title when left out."""

    # Declared, so without DRF's uniqueness check: the service checks it with the other rules.
    code = serializers.SlugField(max_length=80, required=False, allow_blank=True)
    province = serializers.SlugRelatedField(
        slug_field="code", queryset=Area.objects.provinces(), required=False, allow_null=True
    )
    areas = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=Area.objects.filter(level__in=[Area.Level.DIVISION, Area.Level.DISTRICT]),
    )
    specialism = serializers.ChoiceField(choices=Specialism.choices, required=False, allow_blank=True)

    class Meta:
        model = Post
        fields = [
            "code",
            "kind",
            "title",
            "title_ur",
            "specialism",
            "province",
            "areas",
            "description",
            "description_ur",
        ]

    def validate(self, attrs):
        instance = self.instance
        if instance is not None:
            if "code" in attrs and attrs["code"] != instance.code:
                raise serializers.ValidationError({"code": _("A post's code cannot change.")})
            if "kind" in attrs and attrs["kind"] != instance.kind:
                raise serializers.ValidationError({"kind": _("A post's kind cannot change.")})
        elif "kind" not in attrs:
            raise serializers.ValidationError({"kind": _("Say whether the post is regional or specialist.")})
        return attrs

    def _save(self, post, validated):
        areas = validated.pop("areas", None)
        for name, value in validated.items():
            setattr(post, name, value)
        if post.kind == Post.Kind.SPECIALIST:
            areas = None
        elif post.pk is None and areas is None:
            areas = []  # a new regional post must cover something: the service says so
        if post.specialism is None:
            post.specialism = ""
        try:
            return services.save_post(post=post, areas=areas, user=self.context["request"].user)
        except DjangoValidationError as exc:
            raise as_api_error(exc) from exc

    def create(self, validated_data):
        post = Post()
        if not validated_data.get("code") and validated_data.get("title"):
            validated_data["code"] = unique_post_code(validated_data["title"])
        return self._save(post, validated_data)

    def update(self, instance, validated_data):
        if not instance.is_active:
            raise serializers.ValidationError({"non_field_errors": [_("This post is retired.")]})
        return self._save(instance, validated_data)


class HolderSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "name"]

    def get_name(self, obj) -> str:
        return public_name(obj) or obj.get_full_name() or obj.username


class AssignmentSerializer(serializers.ModelSerializer):
    post = serializers.SlugRelatedField(slug_field="code", queryset=Post.objects.all())
    post_title = serializers.CharField(source="post.title", read_only=True)
    holder = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        help_text="The holder's username.",
    )
    holder_name = serializers.SerializerMethodField()
    is_active = serializers.BooleanField(read_only=True, help_text="Held today.")
    start_date = serializers.DateField(required=False)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "post",
            "post_title",
            "holder",
            "holder_name",
            "start_date",
            "end_date",
            "note",
            "is_active",
        ]
        read_only_fields = ["end_date"]

    def get_holder_name(self, obj) -> str:
        return public_name(obj.holder) or obj.holder.get_full_name() or obj.holder.username

    def create(self, validated_data):
        try:
            return services.assign(
                post=validated_data["post"],
                holder=validated_data["holder"],
                start_date=validated_data.get("start_date") or timezone.localdate(),
                note=validated_data.get("note", ""),
                user=self.context["request"].user,
            )
        except DjangoValidationError as exc:
            raise as_api_error(exc) from exc


class AssignmentEndSerializer(serializers.ModelSerializer):
    """Ending the current holder's assignment: the post becomes vacant after `end_date`."""

    end_date = serializers.DateField(required=True)
    note = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = Assignment
        fields = ["end_date", "note"]

    def update(self, instance, validated_data):
        if instance.end_date is not None:
            raise serializers.ValidationError(
                {"end_date": [_("This assignment already ended on %(date)s.") % {"date": instance.end_date}]}
            )
        try:
            services.make_vacant(
                post=instance.post,
                end_date=validated_data["end_date"],
                note=validated_data.get("note", ""),
                user=self.context["request"].user,
            )
        except DjangoValidationError as exc:
            raise as_api_error(exc) from exc
        instance.refresh_from_db()
        return instance


class VacancyRefSerializer(serializers.ModelSerializer):
    post = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Vacancy
        fields = ["id", "post", "opens_on", "closes_on", "status"]


class ApplicationEventSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text="The stage reached (see the application's status)."
    )

    class Meta:
        model = ApplicationEvent
        fields = ["status", "date", "note"]


class ApplicationSerializer(serializers.ModelSerializer):
    vacancy = VacancyRefSerializer(read_only=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    phone = serializers.SerializerMethodField()
    events = ApplicationEventSerializer(many=True, read_only=True)
    cv_url = serializers.SerializerMethodField(
        help_text="The CV, through the permission-checked download (each download is audited)."
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "vacancy",
            "full_name",
            "email",
            "phone",
            "sex",
            "district",
            "cover_note",
            "status",
            "events",
            "cv_name",
            "cv_kind",
            "cv_url",
            "created_at",
        ]

    def get_phone(self, obj) -> str:
        return obj.phone.as_e164 if obj.phone else ""

    def get_cv_url(self, obj) -> str:
        url = reverse("network:application-cv", kwargs={"pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url
