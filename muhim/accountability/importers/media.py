"""Importer `media-stories`: one row per story, with the constituencies, parties and candidates
it mentions (';'-separated).

A story is matched on its link, or on its outlet, day and title when it has none (a story first
stored without a link is found by those too), so importing the same file twice changes nothing.
Parties are matched by name, Urdu name, abbreviation or alias; a name that matches no party is
reported as a warning and left out, as is a candidate's name that matches nobody. An unknown
constituency code rejects the row. Whether a story is about education is read from its title
unless a column says so. Cells left empty never erase what is stored."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from muhim.accounts.permissions import Capability
from muhim.activities.importers import choice_of, link_of, text_of, yes_no
from muhim.core.imports.base import Field, Importer, Plan, RowError
from muhim.core.imports.registry import register
from muhim.network.importers import parse_date

from ..evidence_forms import candidates_named
from ..evidence_services import PartyLookup, SeatLookup, is_education_text
from ..models import MediaStory

ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
LANGUAGE_WORDS = {"اردو": "ur", "english": "en", "urdu": "ur", "سندھی": "sd", "پشتو": "ps", "پنجابی": "pa"}
RELATED = ("constituencies", "parties", "people")


@register
class MediaStoryImporter(Importer):
    slug = "media-stories"
    label = gettext_lazy("Media stories")
    description = gettext_lazy(
        "One row per story: outlet, date, title, link, language (en, ur, sd, ps, pa, bal or the "
        "language's name), the constituencies it is about (codes separated by ';', e.g. "
        "'NA-125; PP-147'), the parties it mentions (names, abbreviations or other spellings, "
        "separated by ';'), the candidates it mentions (names, ';'), and optionally whether it "
        "is about education (yes/no; read from the title otherwise) and published (yes/no). A "
        "story is matched on its link, or its outlet, date and title: importing the same file "
        "again changes nothing."
    )
    source_hint = gettext_lazy(
        "The media specialist's monitoring sheet, or an export of /api/v1/media-stories/?format=csv."
    )
    capability = Capability.MANAGE_MEDIA
    fields = [
        Field("outlet", gettext_lazy("Outlet"), required=True, aliases=("newspaper", "channel", "source")),
        Field("date", gettext_lazy("Date"), required=True, aliases=("published on", "published_on", "تاریخ")),
        Field("title", gettext_lazy("Title"), required=True, aliases=("headline", "سرخی")),
        Field("url", gettext_lazy("Link"), aliases=("url", "link")),
        Field("language", gettext_lazy("Language"), aliases=("lang",)),
        Field("constituencies", gettext_lazy("Constituencies"), aliases=("constituency", "seats", "seat")),
        Field("parties", gettext_lazy("Parties"), aliases=("party",)),
        Field("people", gettext_lazy("Candidates"), aliases=("candidate", "people", "persons")),
        Field(
            "education",
            gettext_lazy("About education"),
            aliases=("is_education", "is education", "education"),
        ),
        Field("published", gettext_lazy("Published"), aliases=("is_published", "public")),
    ]

    def prepare(self):
        self.seats = SeatLookup()
        self.parties = PartyLookup()

    def _language(self, text, title):
        value = (text or "").strip()
        if not value:
            return MediaStory.Language.URDU if ARABIC_SCRIPT.search(title) else MediaStory.Language.ENGLISH
        if value.casefold() in LANGUAGE_WORDS:
            return LANGUAGE_WORDS[value.casefold()]
        return choice_of(value, MediaStory.Language.choices, _("The language"))

    def parse(self, row):
        outlet = text_of(row["outlet"], _("The outlet"), MediaStory._meta.get_field("outlet").max_length)
        title = text_of(row["title"], _("The title"), MediaStory._meta.get_field("title").max_length)
        if not outlet or not title:
            raise RowError(_("The outlet and the title are both needed."))
        day = parse_date(row["date"], _("The date"))
        if day is None:
            raise RowError(_("The date of the story is empty."))
        url = link_of(row["url"], _("The link"))
        try:
            seats = self.seats.many(row["constituencies"])
        except ValidationError as exc:
            raise RowError(" ".join(exc.messages)) from exc
        warnings = []
        parties, unmatched = self.parties.many(row["parties"])
        for name in unmatched:
            warning = _("No party matches “%(name)s”; it was left out.") % {"name": name}
            hint = self.parties.suggest(name)
            if hint:
                warning += " " + _(
                    "Perhaps %(party)s? Add “%(name)s” as an alias of that party and import again."
                ) % {
                    "party": hint,
                    "name": name,
                }
            warnings.append(warning)
        people, problems = candidates_named(row["people"], seats)
        warnings.extend(f"{p} {_('It was left out.')}" for p in problems)
        education = yes_no(row["education"], _("About education"))
        values = {
            "outlet": outlet,
            "published_on": day,
            "title": title,
            "language": self._language(row["language"], title),
            "is_education": is_education_text(title) if education is None else education,
        }
        if url:
            values["url"] = url
        published = yes_no(row["published"], _("Published"))
        if published is not None:
            values["is_published"] = published
        related = {
            "constituencies": tuple(sorted(s.pk for s in seats)) if row["constituencies"].strip() else None,
            "parties": tuple(sorted(p.pk for p in parties)) if row["parties"].strip() else None,
            "people": tuple(sorted(p.pk for p in people)) if row["people"].strip() else None,
        }
        key = ("url", url) if url else ("story", outlet.casefold(), day, title)
        return Plan(
            key=key,
            values=values,
            related=related,
            warnings=warnings,
            label=f"{outlet}, {day:%Y-%m-%d}: {title[:60]}",
        )

    def fetch_existing(self, plans):
        if not plans:
            return {}
        urls = {p.values["url"] for p in plans if "url" in p.values}
        days = {p.values["published_on"] for p in plans}
        found = {}
        by_url = {s.url: s for s in MediaStory.objects.filter(url__in=urls).prefetch_related(*RELATED)}
        by_story = {
            (s.outlet.casefold(), s.published_on, s.title): s
            for s in MediaStory.objects.filter(published_on__in=days).prefetch_related(*RELATED)
        }
        for plan in plans:
            v = plan.values
            story = by_url.get(v.get("url")) if "url" in v else None
            if story is None:
                story = by_story.get((v["outlet"].casefold(), v["published_on"], v["title"]))
                if story is not None and "url" in v and story.url and story.url != v["url"]:
                    story = None  # another story of the same outlet, day and title
            if story is not None:
                found[plan.key] = story
        return found

    def changes(self, existing, plan):
        diff = {
            name: (getattr(existing, name), new)
            for name, new in plan.values.items()
            if getattr(existing, name) != new
        }
        for name in RELATED:
            wanted = plan.related[name]
            if wanted is None:
                continue
            current = tuple(sorted(obj.pk for obj in getattr(existing, name).all()))
            if current != wanted:
                diff[name] = (
                    [str(o) for o in getattr(existing, name).all()],
                    [str(pk) for pk in wanted],
                )
        return diff

    def write(self, creates, updates):
        for story, plan in [(MediaStory(recorded_by=self.user), p) for p in creates] + list(updates):
            for name, value in plan.values.items():
                setattr(story, name, value)
            story._history_user = self.user
            story._change_reason = self.change_reason
            story.save()
            for name in RELATED:
                if plan.related[name] is not None:
                    getattr(story, name).set(plan.related[name])
