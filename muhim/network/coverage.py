"""Which districts the organiser network covers today, for the public map and its list.

Everything is computed from the posts' real state on each call (no cache to go stale): a
district is *covered* when a current regional post includes it (directly or through its
division) and someone holds that post today, *vacant* when such a post exists but nobody holds
it, and *none* when no regional post includes it. The database work is three queries in
`district_covers`; the rest are pure functions over its result."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from muhim.geography.models import Area

from .models import Assignment, Post, PostArea, Vacancy

COVERED, VACANT, NONE = "covered", "vacant", "none"


def status_labels():
    return {COVERED: _("Organiser in post"), VACANT: _("Post vacant"), NONE: _("No regional organiser")}


@dataclass(frozen=True)
class DistrictCover:
    district: Area
    post: Post | None
    holder_name: str  # the holder's public name; empty when vacant or they have no public profile
    held: bool

    @property
    def status(self):
        if self.post is None:
            return NONE
        return COVERED if self.held else VACANT


def public_name(holder):
    """The holder's public name in the page's language, or '' when they have no public profile
    (their account name is not public)."""
    profile = getattr(holder, "organiser_profile", None)
    return profile.display_name if profile else ""


def post_for_path(path: str, posts_by_path: dict):
    """The post covering the area at `path`: one listed for the area itself or for any area
    above it (a post covering a division covers its districts)."""
    parts = path.split("/")
    for end in range(len(parts), 0, -1):
        post = posts_by_path.get("/".join(parts[:end]))
        if post is not None:
            return post
    return None


def active_assignments(posts, on=None):
    """{post id: assignment} of who holds each of `posts` on `on` (today), with the holder's
    public profile."""
    assignments = (
        Assignment.objects.active(on).filter(post__in=posts).select_related("holder__organiser_profile")
    )
    return {a.post_id: a for a in assignments}


def district_covers(on=None, *, with_geometry=True) -> list[DistrictCover]:
    """Every district with the post covering it and whether that post is held, in three queries."""
    districts = Area.objects.districts().select_related("province").order_by("province__name", "name")
    if not with_geometry:
        districts = districts.defer("boundary", "bbox")
    links = PostArea.objects.filter(post__is_active=True, post__kind=Post.Kind.REGIONAL).select_related(
        "post", "area"
    )
    posts_by_path = {link.area.path: link.post for link in links}
    held = active_assignments({p.pk for p in posts_by_path.values()}, on)
    covers = []
    for district in districts:
        post = post_for_path(district.path, posts_by_path)
        assignment = held.get(post.pk) if post else None
        covers.append(
            DistrictCover(
                district=district,
                post=post,
                holder_name=public_name(assignment.holder) if assignment else "",
                held=assignment is not None,
            )
        )
    return covers


def cover_feature(cover: DistrictCover, labels: dict) -> dict:
    district, post = cover.district, cover.post
    return {
        "type": "Feature",
        "id": district.code,
        "geometry": district.geometry(),
        "properties": {
            "code": district.code,
            "name": district.name,
            "name_ur": district.name_ur,
            "province": district.province.code if district.province_id else None,
            "status": cover.status,
            "status_label": labels[cover.status],
            "post": post.code if post else None,
            "post_title": post.display_title if post else "",
            "holder": cover.holder_name,
            # Reversed in the request's language, so Urdu pages link to Urdu pages.
            "find_url": reverse("network:find-district", kwargs={"code": district.code}),
        },
    }


def coverage_collection(covers: list[DistrictCover]) -> dict:
    labels = status_labels()
    features = [cover_feature(c, labels) for c in covers]
    counts = {COVERED: 0, VACANT: 0, NONE: 0}
    for cover in covers:
        counts[cover.status] += 1
    return {"type": "FeatureCollection", "features": features, "counts": counts}


@dataclass
class PostRow:
    """A post as the public list shows it."""

    post: Post
    holder_name: str
    held: bool
    areas: list
    vacancy: Vacancy | None


def regional_posts(on=None) -> list[PostRow]:
    """Current regional posts by province, each with its areas, today's holder and any open
    vacancy (four queries)."""
    posts = list(
        Post.objects.current()
        .regional()
        .select_related("province")
        .prefetch_related(
            Prefetch("areas", queryset=Area.objects.order_by("name")),
            Prefetch("vacancies", queryset=Vacancy.objects.open(on), to_attr="open_vacancies"),
        )
        .order_by("province__name", "title")
    )
    held = active_assignments(posts, on)
    return [
        PostRow(
            post=post,
            holder_name=public_name(held[post.pk].holder) if post.pk in held else "",
            held=post.pk in held,
            areas=list(post.areas.all()),
            vacancy=post.open_vacancies[0] if post.open_vacancies else None,
        )
        for post in posts
    ]


@dataclass
class SpecialistRow:
    post: Post
    held: bool
    profile: object  # the holder's OrganiserProfile, or None (vacant, or no public profile)


def specialists(on=None) -> list[SpecialistRow]:
    """The current specialist posts with their holders' public profiles (two queries)."""
    posts = list(Post.objects.current().specialist().order_by("title"))
    held = active_assignments(posts, on)
    return [
        SpecialistRow(
            post=post,
            held=post.pk in held,
            profile=getattr(held[post.pk].holder, "organiser_profile", None) if post.pk in held else None,
        )
        for post in posts
    ]
