"""/api/v1/popolo/: the election record as Popolo JSON (persons, organizations, posts,
memberships, areas), whole or one collection at a time, for everyone."""

import json

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from muhim.elections import popolo
from muhim.elections.models import Election

UNKNOWN_ELECTION = OpenApiResponse(
    OpenApiTypes.OBJECT, description="An unknown election: the message under `election` lists the known ones."
)
ELECTION = OpenApiParameter(
    "election",
    OpenApiTypes.STR,
    description="Only this election (its slug, e.g. `ge-2018`); every election when left out.",
)
STREAMING = (
    "Not paginated: the answer is streamed, object by object, from a fixed number of database "
    "queries whatever the number of rows (the 2018 record, some 15,000 candidacies, is one "
    "download of a few megabytes), because Popolo readers load a collection whole and paging "
    "would make them stitch pages together. Every object validates against the Popolo JSON "
    "Schemas (https://www.popoloproject.com/schemas/). Ids are stable: `person/<id>`, "
    "`party/<slug>`, `assembly/na` (`pp`, `ps`, `pk`, `pb`), `post/NA-1-2018`, "
    "`area/NA-1-2018` (a constituency), `area/pb-lahore` (a district, division or province), "
    "`candidacy/ge-2018/NA-1/<person id>` and `member/ge-2018/NA-1/<person id>` (the seat won). "
    "No address or other personal data, and no area outlines."
)
COLLECTION_DESCRIPTIONS = {
    "persons": "Everyone who stood (Popolo persons), with their Urdu names as other names.",
    "organizations": (
        "The assemblies (classification `legislature`: the National Assembly and the provincial "
        "assemblies, with their province as area) and the parties (classification `party`, with "
        "abbreviation, Urdu name and aliases as other names)."
    ),
    "posts": (
        "The seats contested (Popolo posts): label, role (e.g. 'Member of the National "
        "Assembly'), the assembly as organization and the constituency as area."
    ),
    "memberships": (
        "One membership per candidacy: of the assembly, on the seat's post, with role "
        "'Candidate', on behalf of the party (none for an independent), dated by polling day. "
        "A winner has a second membership, role 'Member', from polling day to the next general "
        "election where one is recorded."
    ),
    "areas": (
        "The constituencies (classification `constituency`, whose parent is the smallest area "
        "holding the districts they lie in) and those districts, divisions and provinces."
    ),
}


def _json_array(objects, batch=500):
    yield "["
    buffer, first = [], True
    for obj in objects:
        buffer.append(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
        if len(buffer) >= batch:
            yield ("" if first else ",") + ",".join(buffer)
            buffer, first = [], False
    if buffer:
        yield ("" if first else ",") + ",".join(buffer)
    yield "]"


def _json_document(collections):
    yield "{"
    for n, (name, objects) in enumerate(collections.items()):
        yield f'{"," if n else ""}"{name}":'
        yield from _json_array(objects)
    yield "}"


def _streamed(chunks):
    response = StreamingHttpResponse(chunks, content_type="application/json; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def _collection_schema(name):
    return extend_schema(
        description=f"{COLLECTION_DESCRIPTIONS[name]} A JSON list. {STREAMING}",
        parameters=[ELECTION],
        responses={
            200: OpenApiResponse(
                {"type": "array", "items": {"type": "object"}}, description=f"Popolo {name}."
            ),
            400: UNKNOWN_ELECTION,
        },
    )


class PopoloViewSet(viewsets.ViewSet):
    permission_classes = [AllowAny]
    renderer_classes = [renderers.JSONRenderer]  # errors; the exports stream their own JSON

    def _election(self, request):
        slug = request.query_params.get("election", "").strip()
        if not slug:
            return None
        election = Election.objects.filter(slug=slug).first()
        if election is None:
            known = ", ".join(Election.objects.order_by("-polling_date").values_list("slug", flat=True))
            raise ValidationError(
                {
                    "election": [
                        _("No election has the slug “%(slug)s”. Known elections: %(known)s.")
                        % {"slug": slug, "known": known or _("none yet")}
                    ]
                }
            )
        return election

    def _collection(self, request, name):
        return popolo.collection(name, self._election(request), base_url=request.build_absolute_uri("/"))

    @extend_schema(
        description=(
            "The whole election record as one Popolo document: "
            "`{persons, organizations, posts, memberships, areas}`, each a list. " + STREAMING
        ),
        parameters=[ELECTION],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="A Popolo document."),
            400: UNKNOWN_ELECTION,
        },
    )
    def list(self, request):
        election = self._election(request)
        base_url = request.build_absolute_uri("/")
        # Every collection's setup (its labels, in the request's language) is done now; their
        # rows are read while the answer streams.
        collections = {
            name: popolo.collection(name, election, base_url=base_url) for name in popolo.COLLECTIONS
        }
        return _streamed(_json_document(collections))

    def _one(self, request, name):
        return _streamed(_json_array(self._collection(request, name)))

    @_collection_schema("persons")
    @action(detail=False, methods=["get"])
    def persons(self, request):
        return self._one(request, "persons")

    @_collection_schema("organizations")
    @action(detail=False, methods=["get"])
    def organizations(self, request):
        return self._one(request, "organizations")

    @_collection_schema("posts")
    @action(detail=False, methods=["get"])
    def posts(self, request):
        return self._one(request, "posts")

    @_collection_schema("memberships")
    @action(detail=False, methods=["get"])
    def memberships(self, request):
        return self._one(request, "memberships")

    @_collection_schema("areas")
    @action(detail=False, methods=["get"])
    def areas(self, request):
        return self._one(request, "areas")
