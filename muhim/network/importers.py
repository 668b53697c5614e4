"""Importers for the organiser network: posts (with the areas they cover) and who held them.

Both go through the network's services, so a file obeys the same rules as the office's pages:
a district is covered by one current regional post, a regional post covers divisions or
districts of its own province, a post has one holder at a time and a new holder starts after
the previous one left. Each row is checked against the database and the rows above it, so the
preview names the rows that would break a rule instead of failing the whole file."""

import re
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from muhim.accounts.permissions import Capability
from muhim.core.imports.base import Field, ModelImporter, Plan, RowError
from muhim.core.imports.registry import register
from muhim.geography.matching import AreaMatcher
from muhim.geography.models import Area

from . import services
from .models import Assignment, Post, PostArea, Specialism

AREA_SEPARATOR = re.compile(r"\s*;\s*")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%d %b %Y")
TIME_OF_DAY = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2})?$")


def parse_date(text, what):
    text = (text or "").strip()
    if not text:
        return None
    text = TIME_OF_DAY.sub("", text)  # spreadsheets add "00:00:00"
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError(
        _("%(what)s %(text)r is not a date; write it as 2024-03-31 (or 31/03/2024).")
        % {"what": what, "text": text}
    )


def _choice(text, choices, what):
    """A choice by its value or its label, in any case."""
    wanted = (text or "").strip().casefold()
    for value, label in choices:
        if wanted in (str(value).casefold(), str(label).casefold()):
            return value
    raise RowError(
        _("%(what)s %(text)r is not one of: %(choices)s.")
        % {"what": what, "text": text, "choices": ", ".join(str(v) for v, _label in choices)}
    )


class _ServiceWriter:
    """Writing rows one by one through the services, in the order of the file."""

    def prepare_order(self):
        self._order = {}

    def remember_order(self, plan):
        self._order.setdefault(plan.key, len(self._order))

    def in_file_order(self, creates, updates):
        rows = [(None, plan) for plan in creates] + list(updates)
        return sorted(rows, key=lambda pair: self._order.get(pair[1].key, 0))

    @staticmethod
    def service_call(function, **kwargs):
        """A service's refusal rolls the chunk back with its own words."""
        try:
            return function(**kwargs)
        except ValidationError as exc:
            raise RuntimeError(" ".join(exc.messages)) from exc


@register
class PostImporter(_ServiceWriter, ModelImporter):
    slug = "posts"
    label = gettext_lazy("Posts of the organiser network")
    description = gettext_lazy(
        "One row per post: its code, kind (regional or specialist), title, and for a regional "
        "post its province and the divisions or districts it covers (codes or names, separated "
        "by ';'); for a specialist post its specialism. A district can be covered by one regional "
        "post only. Posts are matched by code, so importing the same file again changes nothing."
    )
    source_hint = gettext_lazy("The posts list exported from the office's posts page or from /api/v1/posts/.")
    capability = Capability.MANAGE_NETWORK
    model = Post
    key_fields = ("code",)
    fields = [
        Field("code", gettext_lazy("Code"), aliases=("post", "post_code")),
        Field("kind", gettext_lazy("Kind"), required=True, aliases=("type",)),
        Field("title", gettext_lazy("Title"), required=True, aliases=("post title", "name")),
        Field("title_ur", gettext_lazy("Urdu title"), aliases=("title (urdu)", "urdu")),
        Field("specialism", gettext_lazy("Specialism")),
        Field("province", gettext_lazy("Province"), aliases=("province.code", "province_code")),
        Field(
            "areas",
            gettext_lazy("Covered areas"),
            aliases=("covers", "districts", "divisions"),
            help=gettext_lazy("Codes or names of divisions or districts, separated by ';'."),
        ),
    ]

    def prepare(self):
        self.prepare_order()
        levels = [Area.Level.PROVINCE, Area.Level.DIVISION, Area.Level.DISTRICT]
        self.areas = {a.pk: a for a in Area.objects.filter(level__in=levels)}
        self.by_code = {a.code: a for a in self.areas.values()}
        self.matcher = AreaMatcher.from_db(levels=levels)
        self.posts = {p.code: p for p in Post.objects.all()}
        self.districts_of = {}
        for area in self.areas.values():
            if area.level == Area.Level.DISTRICT:
                self.districts_of.setdefault(area.pk, set()).add(area.pk)
                self.districts_of.setdefault(area.parent_id, set()).add(area.pk)
        # Which post covers each district now; rows that pass take their districts over.
        self.claims = {}
        current = PostArea.objects.filter(post__is_active=True, post__kind=Post.Kind.REGIONAL)
        for area_id, code in current.values_list("area_id", "post__code"):
            for district in self.districts_of.get(area_id, ()):
                self.claims[district] = code

    def _province(self, text):
        value = text.strip()
        area = self.by_code.get(value.lower())
        if area is None:
            match = self.matcher.match(value, levels=[Area.Level.PROVINCE])
            area = self.areas[match.area.id] if match.area else None
        if area is None or area.level != Area.Level.PROVINCE:
            raise RowError(_("Unknown province %(name)r.") % {"name": value})
        return area

    def _area(self, text, province, warnings):
        area = self.by_code.get(text.lower())
        if area is None:
            match = self.matcher.match(
                text, levels=[Area.Level.DIVISION, Area.Level.DISTRICT], within=province.path
            )
            districts = [a for a in match.areas if a.level == Area.Level.DISTRICT]
            if match.ambiguous and len(districts) == 1 and len({a.name for a in match.areas}) == 1:
                # Many divisions are named after their main district ("Lahore", "Gujranwala"):
                # the name means the district; the division is named by its code.
                division = next(a for a in match.areas if a.level == Area.Level.DIVISION)
                warnings.append(
                    _(
                        "%(name)s is a division and a district; the district was taken (the division is %(code)s)."
                    )
                    % {"name": districts[0].name, "code": division.code}
                )
                return self.areas[districts[0].id]
            if match.ambiguous:
                raise RowError(
                    _("%(name)r could be %(areas)s; write its code instead.")
                    % {"name": text, "areas": _(" or ").join(f"{a.name} ({a.code})" for a in match.areas)}
                )
            if match.area is None:
                hint = (
                    _(" Did you mean %(names)s?") % {"names": _(" or ").join(match.suggestions)}
                    if match.suggestions
                    else ""
                )
                raise RowError(
                    _("%(name)r is not a division or district of %(province)s.")
                    % {"name": text, "province": province.name}
                    + hint
                )
            area = self.areas[match.area.id]
        if area.level not in (Area.Level.DIVISION, Area.Level.DISTRICT):
            raise RowError(
                _("%(area)s is a %(level)s; a regional post covers divisions or districts.")
                % {"area": area.name, "level": area.get_level_display()}
            )
        if area.province_id != province.pk:
            raise RowError(
                _("%(area)s is not in %(province)s, the post's province.")
                % {"area": area.name, "province": province.name}
            )
        return area

    def parse(self, row):
        title = row["title"].strip()
        if not title:
            raise RowError(_("The title is empty."))
        code = row["code"].strip().lower() or slugify(title)[:80]
        if not re.fullmatch(r"[-a-z0-9_]+", code):
            raise RowError(
                _("The code %(code)r may only hold letters, digits, '-' and '_'.") % {"code": code}
            )
        kind = _choice(row["kind"], Post.Kind.choices, _("Kind"))
        existing = self.posts.get(code)
        if existing is not None and not existing.is_active:
            raise RowError(_("%(code)s is a retired post; an import does not change it.") % {"code": code})
        if existing is not None and existing.kind != kind:
            raise RowError(
                _("%(code)s is a %(kind)s post; the kind of a post cannot change.")
                % {"code": code, "kind": existing.get_kind_display().lower()}
            )
        values = {"code": code, "kind": kind, "title": title, "title_ur": row["title_ur"].strip()}
        warnings = []
        if kind == Post.Kind.SPECIALIST:
            if not row["specialism"].strip():
                raise RowError(_("A specialist post needs a specialism."))
            values.update(
                specialism=_choice(row["specialism"], Specialism.choices, _("Specialism")), province=None
            )
            areas, scope = (), None
        else:
            if not row["province"].strip():
                raise RowError(_("A regional post needs a province."))
            province = self._province(row["province"])
            names = [n for n in AREA_SEPARATOR.split(row["areas"].strip()) if n]
            if not names:
                raise RowError(_("A regional post covers at least one division or district."))
            chosen = [self._area(name, province, warnings) for name in names]
            self._check_claims(code, chosen)
            values.update(specialism="", province=province)
            areas, scope = tuple(sorted({a.pk for a in chosen})), province
        plan = Plan(
            key=(code,),
            values=values,
            related={"areas": areas},
            warnings=warnings,
            scope_area=scope,
            label=code,
        )
        self.remember_order(plan)
        return plan

    def _check_claims(self, code, chosen):
        wanted = set()
        for area in chosen:
            wanted |= self.districts_of.get(area.pk, set())
        taken = {}
        for district in wanted:
            owner = self.claims.get(district)
            if owner and owner != code:
                taken.setdefault(owner, []).append(self.areas[district].name)
        for owner, names in sorted(taken.items()):
            names.sort()
            raise RowError(
                ngettext(
                    "%(districts)s is already covered by %(post)s.",
                    "%(districts)s are already covered by %(post)s.",
                    len(names),
                )
                % {"districts": ", ".join(names), "post": owner}
            )
        for district, owner in list(self.claims.items()):
            if owner == code:
                del self.claims[district]
        for district in wanted:
            self.claims[district] = code

    def fetch_existing(self, plans):
        codes = [plan.key[0] for plan in plans]
        posts = Post.objects.filter(code__in=codes).prefetch_related("areas")
        return {(post.code,): post for post in posts}

    def related_changes(self, existing, plan):
        current = tuple(sorted(a.pk for a in existing.areas.all()))
        if current == plan.related["areas"]:
            return {}
        return {
            "areas": (
                [self.areas[pk].name for pk in current if pk in self.areas],
                [self.areas[pk].name for pk in plan.related["areas"]],
            )
        }

    def write(self, creates, updates):
        for existing, plan in self.in_file_order(creates, updates):
            post = existing or Post()
            for name, value in plan.values.items():
                setattr(post, name, value)
            post._change_reason = self.change_reason
            areas = (
                [self.areas[pk] for pk in plan.related["areas"]] if post.kind == Post.Kind.REGIONAL else None
            )
            self.service_call(services.save_post, post=post, areas=areas, user=self.user)


@register
class AssignmentImporter(_ServiceWriter, ModelImporter):
    slug = "assignments"
    label = gettext_lazy("Holders of the network's posts")
    description = gettext_lazy(
        "One row per time someone held a post: the post's code, the holder's username or e-mail "
        "(their staff account must exist), the first day and, for someone who has left, the last "
        "day. Rows of one post go oldest first: a post has one holder at a time, and each holder "
        "starts after the previous one left. Importing the same file again changes nothing."
    )
    source_hint = gettext_lazy("The assignments exported from /api/v1/assignments/?format=csv.")
    capability = Capability.MANAGE_NETWORK
    model = Assignment
    key_fields = ("post", "holder", "start_date")
    fields = [
        Field("post", gettext_lazy("Post code"), required=True, aliases=("code", "post_code")),
        Field(
            "holder",
            gettext_lazy("Holder (username or e-mail)"),
            required=True,
            aliases=("username", "email", "e-mail", "holder_username"),
        ),
        Field("start", gettext_lazy("From"), required=True, aliases=("start_date", "start date", "since")),
        Field("end", gettext_lazy("Until"), aliases=("end_date", "end date", "until")),
    ]

    def prepare(self):
        self.prepare_order()
        self.posts = {p.code: p for p in Post.objects.all()}
        User = get_user_model()
        self.users_by_name = {}
        self.users_by_email = {}
        for user in User.objects.filter(is_active=True):
            self.users_by_name[user.username.casefold()] = user
            if user.email:
                self.users_by_email.setdefault(user.email.casefold(), []).append(user)
        # Each post's assignments, as the rows above the current one leave them.
        self.timeline = {}
        for a in Assignment.objects.select_related("holder").order_by("start_date"):
            self.timeline.setdefault(a.post_id, []).append(
                {"holder": a.holder, "start": a.start_date, "end": a.end_date, "stored": True}
            )

    def _holder(self, text):
        value = text.strip()
        user = self.users_by_name.get(value.casefold())
        if user is None and "@" in value:
            found = self.users_by_email.get(value.casefold(), [])
            if len(found) > 1:
                raise RowError(
                    _("%(email)s belongs to more than one account (%(names)s); use the username.")
                    % {"email": value, "names": ", ".join(u.username for u in found)}
                )
            user = found[0] if found else None
        if user is None:
            raise RowError(
                _("There is no staff account %(name)r; create it first (or give the post on its page).")
                % {"name": value}
            )
        return user

    @staticmethod
    def _name(user):
        return user.get_full_name() or user.username

    def parse(self, row):
        code = row["post"].strip().lower()
        post = self.posts.get(code)
        if post is None:
            raise RowError(_("There is no post with the code %(code)r.") % {"code": row["post"].strip()})
        if not post.is_active:
            raise RowError(_("%(code)s is a retired post.") % {"code": code})
        holder = self._holder(row["holder"])
        start = parse_date(row["start"], _("The start date"))
        if start is None:
            raise RowError(_("The start date is empty."))
        end = parse_date(row["end"], _("The end date"))
        if end is not None and end < start:
            raise RowError(
                _("The assignment ends (%(end)s) before it starts (%(start)s).")
                % {"end": end, "start": start}
            )
        warnings = []
        timeline = self.timeline.setdefault(post.pk, [])
        same = next((a for a in timeline if a["holder"].pk == holder.pk and a["start"] == start), None)
        if same is not None:
            if same["end"] is not None and end != same["end"]:
                if end is None:
                    warnings.append(
                        _("This assignment has ended since, on %(end)s; it is left as it is.")
                        % {"end": same["end"]}
                    )
                    end = same["end"]
                else:
                    raise RowError(
                        _(
                            "%(name)s's assignment from %(start)s ended on %(end)s; change it on the post's page."
                        )
                        % {"name": self._name(holder), "start": start, "end": same["end"]}
                    )
            same["end"] = end
        else:
            held = next((a for a in timeline if a["end"] is None), None)
            if held is not None:
                raise RowError(
                    _("%(post)s is held by %(holder)s since %(start)s. Mark it vacant first.")
                    % {"post": post.code, "holder": self._name(held["holder"]), "start": held["start"]}
                )
            last_end = max((a["end"] for a in timeline), default=None)
            if last_end and start <= last_end:
                raise RowError(
                    _(
                        "The previous holder of %(post)s held it until %(end)s; the new assignment must "
                        "start after that."
                    )
                    % {"post": post.code, "end": last_end}
                )
            timeline.append({"holder": holder, "start": start, "end": end, "stored": False})
        plan = Plan(
            key=(post, holder, start),
            values={"post": post, "holder": holder, "start_date": start, "end_date": end},
            warnings=warnings,
            scope_area=post.province,
            label=f"{post.code} · {holder.username} · {start}",
        )
        self.remember_order(plan)
        return plan

    def fetch_existing(self, plans):
        if not plans:
            return {}
        wanted = {(p.key[0].pk, p.key[1].pk, p.key[2]): p.key for p in plans}
        query = Q()
        for post_id, holder_id, start in wanted:
            query |= Q(post_id=post_id, holder_id=holder_id, start_date=start)
        found = Assignment.objects.filter(query)
        return {wanted[(a.post_id, a.holder_id, a.start_date)]: a for a in found}

    def write(self, creates, updates):
        for existing, plan in self.in_file_order(creates, updates):
            values = plan.values
            if existing is None:
                self.service_call(
                    services.assign,
                    post=values["post"],
                    holder=values["holder"],
                    start_date=values["start_date"],
                    note=self.change_reason,
                    user=self.user,
                )
            if values["end_date"] is not None and (existing is None or existing.end_date is None):
                self.service_call(
                    services.make_vacant, post=values["post"], end_date=values["end_date"], user=self.user
                )
