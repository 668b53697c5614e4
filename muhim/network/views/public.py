"""Public pages of the organiser network: the coverage map, finding your organiser by
district, the public page of a post, vacancies and applying for one with a CV.

Nothing here is cached: every page and the map's GeoJSON are computed from the posts' state at
the time of the request, so a post made vacant or filled shows at once."""

import hashlib
import json
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag, urlencode
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET
from django_ratelimit.core import is_ratelimited

from muhim.geography.matching import AreaMatcher
from muhim.geography.models import Area

from .. import coverage, services
from ..contacts import contact_links, office_contact
from ..cv import UploadSizeGuard
from ..forms_public import ApplicationForm, FindForm
from ..models import Post, Vacancy

# Applications (every attempt, good or bad) one address may send per hour: enough for a family
# or an office sharing a connection, too few for a flood.
APPLY_RATE = "10/h"

# A search listing more districts than this asks for more of the name instead.
MAX_RESULTS = 40


def _profile_of(assignment):
    if assignment is None:
        return None
    return getattr(assignment.holder, "organiser_profile", None)


# --- the map ------------------------------------------------------------------------------


@require_GET
def network_map(request):
    by_province = services.coverage_by_province()
    rows = coverage.regional_posts()
    counted = {province.pk for province, _posts, _covered in by_province}
    return render(
        request,
        "network/public/map.html",
        {
            "provinces": [
                {"area": province, "posts": posts, "covered": covered, "vacant": posts - covered}
                for province, posts, covered in by_province
            ],
            "total_posts": sum(posts for _p, posts, _c in by_province),
            "total_covered": sum(covered for _p, _n, covered in by_province),
            "posts_by_province": [
                (province, list(items))
                for province, items in groupby(rows, key=lambda row: row.post.province)
            ],
            "specialists": coverage.specialists(),
            "uncounted": Area.objects.provinces().exclude(pk__in=counted).order_by("name"),
            "status_labels": coverage.status_labels(),
        },
    )


@require_GET
def coverage_geojson(request):
    """One feature per district with its coverage status, computed now. The ETag lets a phone
    that already has today's map skip the download; `no-cache` makes it ask every time."""
    collection = coverage.coverage_collection(coverage.district_covers())
    body = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    etag = quote_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    response = HttpResponse(body, content_type="application/geo+json")
    response["ETag"] = etag
    patch_cache_control(response, no_cache=True)
    return get_conditional_response(request, etag=etag, response=response)


# --- find your organiser ------------------------------------------------------------------


def search_districts(text):
    """Districts matching `text`: by name or recorded other name through the matcher, else by
    any part of the English or Urdu name. Returns (districts, suggestions)."""
    matcher = AreaMatcher.from_db(levels=[Area.Level.DISTRICT])
    match = matcher.match(text, levels={Area.Level.DISTRICT})
    districts = Area.objects.districts().select_related("province")
    if match.areas:  # one, or several (a split district, namesakes)
        return list(districts.filter(pk__in=[c.id for c in match.areas]).order_by("name")), []
    found = list(districts.search(text).order_by("name")[: MAX_RESULTS + 1])
    return found, ([] if found else match.suggestions)


def _find_page(request, form, *, status=200, **extra):
    return render(request, "network/public/find.html", {"form": form, **extra}, status=status)


@require_GET
def find(request):
    form = FindForm(request.GET or None)
    if not request.GET:
        return _find_page(request, form)
    if not form.is_valid():
        return _find_page(request, form)
    district = form.cleaned_data["district"]
    if district is not None:
        return redirect("network:find-district", code=district.code)
    query = form.cleaned_data["q"].strip()
    if not query:
        return _find_page(request, form, empty_query=True)
    results, suggestions = search_districts(query)
    if len(results) == 1:
        return redirect("network:find-district", code=results[0].code)
    return _find_page(
        request,
        form,
        query=query,
        results=results[:MAX_RESULTS],
        more=len(results) > MAX_RESULTS,
        suggestions=suggestions,
        searched=True,
    )


@require_GET
def find_district(request, code):
    district = Area.objects.districts().select_related("province", "parent").filter(code=code).first()
    if district is None:
        # A 404 that still helps: the same search, with what went wrong.
        return _find_page(request, FindForm(), status=404, unknown_code=code)
    cover = services.organiser_for(district)
    profile = _profile_of(cover.assignment)
    vacancy = cover.post.open_vacancy() if cover.post and cover.assignment is None else None
    return render(
        request,
        "network/public/find_district.html",
        {
            "district": district,
            "cover": cover,
            "profile": profile,
            "contacts": contact_links(profile),
            "vacancy": vacancy,
            "office": office_contact(),
            "volunteer_url": f"{reverse('people:signup')}?{urlencode({'district': district.code})}",
        },
    )


# --- posts --------------------------------------------------------------------------------


@require_GET
def post_detail(request, code):
    post = get_object_or_404(
        Post.objects.current()
        .select_related("province")
        .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("name"))),
        code=code,
    )
    assignment = post.current_assignment()
    areas = []
    for area in post.areas.all():
        inside = (
            list(area.descendants().districts().order_by("name")) if area.level != Area.Level.DISTRICT else []
        )
        areas.append((area, inside))
    profile = _profile_of(assignment)
    return render(
        request,
        "network/public/post_detail.html",
        {
            "post": post,
            "areas": areas,
            "assignment": assignment,
            "profile": profile,
            "contacts": contact_links(profile),
            "vacancy": post.open_vacancy() if assignment is None else None,
            "office": office_contact(),
        },
    )


# --- vacancies and applying ---------------------------------------------------------------


def _vacancies():
    return Vacancy.objects.select_related("post", "post__province").prefetch_related(
        Prefetch("post__areas", queryset=Area.objects.order_by("name"))
    )


@require_GET
def vacancy_list(request):
    vacancies = _vacancies().open().filter(post__is_active=True).order_by("closes_on", "post__title")
    return render(request, "network/public/vacancy_list.html", {"vacancies": vacancies})


@require_GET
def vacancy_detail(request, pk):
    vacancy = get_object_or_404(_vacancies(), pk=pk)
    return render(
        request, "network/public/vacancy_detail.html", {"vacancy": vacancy, "office": office_contact()}
    )


def _typed(data):
    """What the applicant typed, to show again (the honeypot and the token are not theirs)."""
    return {key: value for key, value in data.items() if key not in ("csrfmiddlewaretoken", "website")}


@csrf_exempt
def apply(request, pk):
    # The upload size guard must be in place before anything reads the request body, and the
    # CSRF check reads it; so the check runs inside, once the guard is set (Django's documented
    # way of changing upload handlers in a view).
    guard = None
    if request.method == "POST":
        guard = UploadSizeGuard(request)
        request.upload_handlers.insert(0, guard)
    return _apply(request, pk, guard)


@csrf_protect
def _apply(request, pk, guard):
    vacancy = get_object_or_404(_vacancies(), pk=pk)
    if not vacancy.is_open:
        status = 200 if request.method == "GET" else 409
        return render(
            request,
            "network/public/vacancy_detail.html",
            {"vacancy": vacancy, "office": office_contact(), "refused": request.method == "POST"},
            status=status,
        )
    context = {"vacancy": vacancy}
    if request.method == "POST":
        # Counted before the form is read, so that a flood costs no CV checking.
        if is_ratelimited(
            request, group="network:apply", key="ip", rate=APPLY_RATE, method="POST", increment=True
        ):
            form = ApplicationForm(initial=_typed(request.POST))
            return render(
                request,
                "network/public/apply.html",
                {**context, "form": form, "rate_limited": True},
                status=429,
            )
        guard.true_sizes(request.FILES)
        form = ApplicationForm(request.POST, request.FILES)
        if form.is_spam:
            # Look like success to the bot, store nothing.
            return redirect("network:applied", pk=vacancy.pk)
        if form.is_valid():
            try:
                services.apply(
                    vacancy=vacancy,
                    cv=form.cleaned_data["cv"],
                    cv_kind=form.cv_kind,
                    **form.application_fields(),
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                return redirect("network:applied", pk=vacancy.pk)
    elif request.method == "GET":
        form = ApplicationForm(initial={"district": request.GET.get("district", "")})
    else:
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    return render(request, "network/public/apply.html", {**context, "form": form})


@require_GET
def applied(request, pk):
    vacancy = get_object_or_404(_vacancies(), pk=pk)
    return render(request, "network/public/applied.html", {"vacancy": vacancy})


urlpatterns = [
    path("network/", network_map, name="map"),
    path("network/coverage.geojson", coverage_geojson, name="coverage-geojson"),
    path("network/find/", find, name="find"),
    path("network/find/<slug:code>/", find_district, name="find-district"),
    path("network/posts/<slug:code>/", post_detail, name="post-detail"),
    path("vacancies/", vacancy_list, name="vacancy-list"),
    path("vacancies/<int:pk>/", vacancy_detail, name="vacancy-detail"),
    path("vacancies/<int:pk>/apply/", apply, name="apply"),
    path("vacancies/<int:pk>/applied/", applied, name="applied"),
]
