"""Filters of the office's network lists and of the network API (the same FilterSets)."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from muhim.geography.models import Area

from .models import Application, Assignment, Post, Sex, Specialism, Vacancy


def _provinces(request=None):
    return Area.objects.provinces().order_by("name")


class PostFilter(django_filters.FilterSet):
    """Without a status, the posts that exist now (covered or vacant); retired posts only when
    asked for, so that counting what a list returns counts the network as it is."""

    STATUS_CHOICES = [
        ("covered", _("Covered")),
        ("vacant", _("Vacant")),
        ("retired", _("Retired")),
    ]

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Post.Kind.choices)
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=_provinces, to_field_name="code", field_name="province"
    )
    specialism = django_filters.ChoiceFilter(label=_("Specialism"), choices=Specialism.choices)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("Current (all)")
    )

    class Meta:
        model = Post
        fields = ["q", "kind", "province", "specialism", "status"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(is_active=True)
        return queryset

    def filter_status(self, queryset, name, value):
        if value == "retired":
            return queryset.filter(is_active=False)
        held = Assignment.objects.active().filter(post=OuterRef("pk"))
        queryset = queryset.filter(is_active=True)
        return queryset.filter(Exists(held)) if value == "covered" else queryset.exclude(Exists(held))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        holder = (
            Assignment.objects.active()
            .filter(post=OuterRef("pk"))
            .filter(
                Q(holder__first_name__icontains=value)
                | Q(holder__last_name__icontains=value)
                | Q(holder__username__icontains=value)
                | Q(holder__organiser_profile__public_name__icontains=value)
            )
        )
        return queryset.filter(
            Q(title__icontains=value)
            | Q(title_ur__icontains=value)
            | Q(code__icontains=value)
            | Q(pk__in=Post.objects.filter(areas__name__icontains=value).values("pk"))
            | Exists(holder)
        )


class AssignmentFilter(django_filters.FilterSet):
    post = django_filters.CharFilter(label=_("Post (code)"), field_name="post__code")
    holder = django_filters.CharFilter(label=_("Holder (username)"), field_name="holder__username")
    active = django_filters.BooleanFilter(label=_("Held today"), method="filter_active")

    class Meta:
        model = Assignment
        fields = ["post", "holder", "active"]

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        active = Assignment.objects.active().values("pk")
        return queryset.filter(pk__in=active) if value else queryset.exclude(pk__in=active)


def _vacancies(request=None):
    return Vacancy.objects.select_related("post").order_by("-closes_on")


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or e-mail"), method="filter_q")
    vacancy = django_filters.ModelChoiceFilter(label=_("Vacancy"), queryset=_vacancies)
    status = django_filters.ChoiceFilter(label=_("Stage"), choices=Application.Status.choices)
    sex = django_filters.ChoiceFilter(
        label=_("Sex"),
        choices=[(value or "undisclosed", label) for value, label in Sex.choices],
        method="filter_sex",
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=_provinces, to_field_name="code", field_name="vacancy__post__province"
    )

    class Meta:
        model = Application
        fields = ["q", "vacancy", "status", "sex", "province"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.filters["vacancy"].field
        field.label_from_instance = lambda v: f"{v.post.title} ({v.closes_on:%Y-%m-%d})"

    def filter_sex(self, queryset, name, value):
        # "Prefer not to say" is stored as "", which a query string cannot tell from no filter.
        return queryset.filter(sex="" if value == "undisclosed" else value)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(full_name__icontains=value) | Q(email__icontains=value))
