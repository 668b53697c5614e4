"""Media stories the campaign follows, by outlet, constituency, candidate and party, and how many
there are month by month (/media-stories/).

Who sees what: the list, its exports and the counts page are staff pages (VIEW_STAFF_PAGES);
a published story's own page is public. Recording and editing need MANAGE_MEDIA. Who recorded
a story is shown only to staff who may see personal data.

The counts page filters with the list's own `MediaStoryFilter`, and every count links to the
list with the same filters narrowed to its month (and to education): the count is the length
of that list."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Min, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from muhim.accounts.permissions import Capability, user_can
from muhim.core.forms import style_form

from . import evidence_services as services
from .evidence_filters import MediaStoryFilter
from .evidence_forms import MediaStoryForm, add_service_errors
from .evidence_tables import PERSONAL_COLUMNS, MediaStoryTable
from .models import MediaStory
from .survey_views import VIEW_DENIED, StaffListView, not_visible, staff_page

MANAGE_MEDIA_DENIED = gettext_lazy(
    "Your role may read media stories but not record or change them. Ask the campaign office or the "
    "media specialist."
)
# The counts page shows at most this many months (the latest ones) when no range is chosen.
LONGEST_SPAN = 60
SUMMARY_ROWS = 15

view_stories = staff_page(Capability.VIEW_STAFF_PAGES, VIEW_DENIED)
manage_stories = staff_page(Capability.MANAGE_MEDIA, MANAGE_MEDIA_DENIED)


def _stories(user):
    return (
        services.visible_stories(user)
        .select_related("recorded_by")
        .prefetch_related("constituencies", "parties", "people")
    )


class MediaStoryListView(StaffListView):
    model = MediaStory
    table_class = MediaStoryTable
    filterset_class = MediaStoryFilter
    template_name = "accountability/media/story_list.html"
    export_name = "media stories"

    def count_text(self, count):
        return ngettext("%(count)s story", "%(count)s stories", count) % {"count": count}

    def get_queryset(self):
        return _stories(self.request.user)

    def get_table_kwargs(self):
        if not user_can(self.request.user, Capability.VIEW_PERSONAL_DATA):
            return {"exclude": PERSONAL_COLUMNS}
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = user_can(self.request.user, Capability.MANAGE_MEDIA)
        return context


def story_detail(request, pk):
    story = _stories(request.user).filter(pk=pk).first()
    if story is None:
        return not_visible(request, MediaStory, pk, _("story"))
    return render(
        request,
        "accountability/media/story_detail.html",
        {
            "story": story,
            "can_manage": user_can(request.user, Capability.MANAGE_MEDIA),
            "is_staff": user_can(request.user, Capability.VIEW_STAFF_PAGES),
            "personal": user_can(request.user, Capability.VIEW_PERSONAL_DATA),
        },
    )


def _form_page(request, story=None):
    if request.method == "POST":
        form = MediaStoryForm(request.POST, instance=story or MediaStory())
        if form.is_valid():
            pk = form.instance.pk
            try:
                services.save_story(
                    story=form.instance,
                    constituencies=form.seats,
                    parties=form.cleaned_data.get("parties") or [],
                    people=form.people,
                    user=request.user,
                )
            except ValidationError as exc:
                form.instance.pk = pk
                add_service_errors(form, exc)
            else:
                messages.success(request, _("“%(title)s” was saved.") % {"title": form.instance.title})
                return redirect("accountability:story-detail", pk=form.instance.pk)
    else:
        form = MediaStoryForm(instance=story or MediaStory())
    return render(
        request,
        "accountability/media/story_form.html",
        {
            "form": form,
            "story": story,
            "cancel_url": reverse("accountability:story-detail", args=[story.pk])
            if story
            else reverse("accountability:story-list"),
        },
    )


@manage_stories
@require_http_methods(["GET", "POST"])
def story_create(request):
    return _form_page(request)


@manage_stories
@require_http_methods(["GET", "POST"])
def story_edit(request, pk):
    story = _stories(request.user).filter(pk=pk).first()
    if story is None:
        raise Http404(_("There is no such story."))
    return _form_page(request, story)


# --- counts ---------------------------------------------------------------------------------------


def _list_url(base, **override):
    query = base.copy()
    for key, value in override.items():
        query[key] = value
    return f"{reverse('accountability:story-list')}?{query.urlencode()}"


@view_stories
@require_GET
def story_counts(request):
    """Stories per month, about education and all, of the stories the filters keep; and the
    parties and constituencies they mention most."""
    filterset = MediaStoryFilter(
        request.GET or None, queryset=services.visible_stories(request.user), request=request
    )
    style_form(filterset.form, small=True)
    stories = filterset.qs.order_by()
    base = request.GET.copy()
    for key in ("page", "export", "sort"):
        base.pop(key, None)
    data = filterset.form.cleaned_data if filterset.form.is_valid() else {}
    span = stories.aggregate(first=Min("published_on"), last=Max("published_on"))
    first = data.get("month_from") or span["first"]
    last = data.get("month_to") or span["last"]
    months = services.month_span(first, last)[-LONGEST_SPAN:] if first and last else []
    rows = []
    for month, education, total in services.month_counts(stories, months):
        key = month.strftime("%Y-%m")
        rows.append(
            {
                "month": month,
                "education": education,
                "total": total,
                "education_url": _list_url(base, month_from=key, month_to=key, education="true")
                if education
                else "",
                "total_url": _list_url(base, month_from=key, month_to=key) if total else "",
            }
        )
    most = max((row["total"] for row in rows), default=0) or 1
    for row in rows:
        row["width"] = round(100 * row["total"] / most)
        row["education_width"] = round(100 * row["education"] / most)
        row["other_width"] = row["width"] - row["education_width"]
    by_party = (
        stories.filter(parties__isnull=False)
        .values("parties__slug", "parties__name", "parties__abbreviation")
        .annotate(
            total=Count("pk", distinct=True),
            education=Count("pk", distinct=True, filter=Q(is_education=True)),
        )
        .order_by("-total", "parties__name")[:SUMMARY_ROWS]
    )
    by_seat = (
        stories.filter(constituencies__isnull=False)
        .values("constituencies__code", "constituencies__assembly", "constituencies__number")
        .annotate(
            total=Count("pk", distinct=True),
            education=Count("pk", distinct=True, filter=Q(is_education=True)),
        )
        .order_by("-total", "constituencies__assembly", "constituencies__number")[:SUMMARY_ROWS]
    )
    context = {
        "filter": filterset,
        "rows": rows,
        "total": {"education": sum(r["education"] for r in rows), "total": sum(r["total"] for r in rows)},
        "all_url": _list_url(base),
        "by_party": [
            {
                "name": row["parties__abbreviation"] or row["parties__name"],
                "total": row["total"],
                "education": row["education"],
                "url": _list_url(base, party=row["parties__slug"]),
                "counts_url": f"{request.path}?{urlencode({**base.dict(), 'party': row['parties__slug']})}",
            }
            for row in by_party
        ],
        "by_seat": [
            {
                "code": row["constituencies__code"],
                "total": row["total"],
                "education": row["education"],
                "url": _list_url(base, constituency=row["constituencies__code"]),
                "counts_url": f"{request.path}?{urlencode({**base.dict(), 'constituency': row['constituencies__code']})}",
            }
            for row in by_seat
        ],
        "truncated": first and last and len(services.month_span(first, last)) > LONGEST_SPAN,
    }
    template = "accountability/media/story_counts.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


urlpatterns = [
    path("media-stories/", MediaStoryListView.as_view(), name="story-list"),
    path("media-stories/new/", story_create, name="story-create"),
    path("media-stories/counts/", story_counts, name="story-counts"),
    path("media-stories/<int:pk>/", story_detail, name="story-detail"),
    path("media-stories/<int:pk>/edit/", story_edit, name="story-edit"),
]
