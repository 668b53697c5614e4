"""/api/v1/elections/, /parties/, /people/, /candidacies/ and /results/: the election record,
public to read; changed by roles that manage elections."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from muhim.accounts.permissions import Capability, is_regional, scope_filter
from muhim.core.api.mixins import ExportableListMixin
from muhim.core.api.permissions import ReadOnlyOrCapability
from muhim.elections.models import Candidacy, ConstituencyResult, Election, Party, PartyAlias, Person
from muhim.geography.models import defer_geometry

from .filters import CandidacyFilter, ElectionFilter, PartyFilter, PersonFilter, ResultFilter
from .serializers import (
    CandidacySerializer,
    ElectionSerializer,
    ElectionWriteSerializer,
    PartySerializer,
    PartyWriteSerializer,
    PersonSerializer,
    PersonWriteSerializer,
    ResultSerializer,
    may_see_addresses,
)

FORMAT = OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv", "xlsx"])


class ElectionRecordPermission(ReadOnlyOrCapability):
    """Anyone reads; changing needs MANAGE_ELECTIONS (the campaign office and specialists)."""

    message = _(
        "Your role does not allow changing the election record: that needs a role that manages "
        "elections (the campaign office or a specialist)."
    )


class _ElectionRecordMixin:
    permission_classes = [ElectionRecordPermission]
    write_capability = Capability.MANAGE_ELECTIONS
    http_method_names = ["get", "post", "patch", "head", "options"]
    read_serializer = None
    write_serializer = None

    def get_serializer_class(self):
        if self.action in ("create", "partial_update", "update"):
            return self.write_serializer
        return self.read_serializer

    def _read(self, obj, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.read_serializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._read(serializer.save(), status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self._read(serializer.save())


@extend_schema_view(
    list=extend_schema(
        description=(
            "Elections (general and by-elections), newest first, with the number of candidacies "
            "and of seats contested, and a link to each one's Popolo export. Filters: `kind`, "
            "`year`. Public."
        ),
        parameters=[FORMAT],
    ),
    retrieve=extend_schema(description="One election, by its slug (e.g. `ge-2018`)."),
    create=extend_schema(
        description=(
            "Record an election (roles that manage elections). Its `delimitation_year` must be one "
            "whose seats are loaded (400 saying which are)."
        ),
        request=ElectionWriteSerializer,
        responses={201: ElectionSerializer},
    ),
    partial_update=extend_schema(
        description="Change an election.", request=ElectionWriteSerializer, responses=ElectionSerializer
    ),
)
class ElectionViewSet(
    _ElectionRecordMixin,
    ExportableListMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    queryset = Election.objects.none()
    serializer_class = ElectionSerializer
    read_serializer = ElectionSerializer
    write_serializer = ElectionWriteSerializer
    filterset_class = ElectionFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    export_name = "elections"

    def get_queryset(self):
        return Election.objects.annotate(
            candidacy_count=Count("candidacies", distinct=True),
            seat_count=Count("candidacies__constituency", distinct=True),
        ).order_by("-polling_date", "pk")


@extend_schema_view(
    list=extend_schema(
        description=(
            "Parties with their Urdu names, abbreviations, election symbols and aliases (the other "
            "ways sources write them, used to match candidate lists), and how many candidacies "
            "each has. Filters: `q` (name, Urdu name, abbreviation or alias), `election` (parties "
            "that fielded a candidate in it). Public."
        ),
        parameters=[FORMAT],
    ),
    retrieve=extend_schema(description="One party, by its slug (e.g. `pti`)."),
    create=extend_schema(
        description=(
            "Add a party (roles that manage elections). Its name, abbreviation and slug must be "
            "its own, and each alias must not already name another party (400 saying which "
            "party has it)."
        ),
        request=PartyWriteSerializer,
        responses={201: PartySerializer},
    ),
    partial_update=extend_schema(
        description=(
            "Change a party. `aliases`, when given, replaces its list of aliases (send the whole "
            "list; an empty list removes them all)."
        ),
        request=PartyWriteSerializer,
        responses=PartySerializer,
    ),
)
class PartyViewSet(
    _ElectionRecordMixin,
    ExportableListMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    queryset = Party.objects.none()
    serializer_class = PartySerializer
    read_serializer = PartySerializer
    write_serializer = PartyWriteSerializer
    filterset_class = PartyFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    export_name = "parties"

    def get_queryset(self):
        return (
            Party.objects.annotate(candidacy_count=Count("candidacies"))
            .prefetch_related(Prefetch("aliases", queryset=PartyAlias.objects.order_by("alias")))
            .order_by("name", "pk")
        )


@extend_schema_view(
    list=extend_schema(
        description=(
            "People who stood for election, with their candidacies. A person's `address` is "
            "personal data: it is given only to callers who may see personal data (organisers: "
            "for people standing in a seat of their regions, null for others) and left out for "
            "everyone else. Filters: `q` (name), `election`, `party` (slug or abbreviation), "
            "`constituency` (seat code). Public."
        ),
        parameters=[FORMAT],
    ),
    retrieve=extend_schema(description="One person with their candidacies."),
    partial_update=extend_schema(
        description=(
            "Correct a person's name, Urdu name or gender (roles that manage elections); their "
            "address only for roles that may also see personal data (403 otherwise)."
        ),
        request=PersonWriteSerializer,
        responses=PersonSerializer,
    ),
)
class PersonViewSet(
    _ElectionRecordMixin, ExportableListMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    queryset = Person.objects.none()
    serializer_class = PersonSerializer
    read_serializer = PersonSerializer
    write_serializer = PersonWriteSerializer
    filterset_class = PersonFilter
    http_method_names = ["get", "patch", "head", "options"]
    export_name = "people"

    def get_queryset(self):
        user = self.request.user
        queryset = Person.objects.all()
        if not may_see_addresses(user):
            queryset = queryset.defer("address")
        elif is_regional(user):
            in_regions = Candidacy.objects.filter(person=OuterRef("pk")).filter(
                scope_filter(user, Capability.VIEW_PERSONAL_DATA, "constituency__areas")
            )
            queryset = queryset.annotate(address_visible=Exists(in_regions))
        candidacies = defer_geometry(
            Candidacy.objects.select_related("election", "constituency", "party"), "constituency__province"
        ).order_by("election__polling_date", "constituency__assembly", "constituency__number")
        return queryset.prefetch_related(Prefetch("candidacies", queryset=candidacies)).order_by("name", "pk")

    def update(self, request, *args, **kwargs):
        if "address" in request.data and not may_see_addresses(request.user):
            raise PermissionDenied(_("Only roles that may see personal data can change an address."))
        return super().update(request, *args, **kwargs)


def _winner(field):
    winners = Candidacy.objects.filter(
        election=OuterRef("election"), constituency=OuterRef("constituency"), is_winner=True
    ).order_by("-votes", "pk")
    return Subquery(winners.values(field)[:1])


@extend_schema_view(
    list=extend_schema(
        description=(
            "Who stood where: each candidacy with its seat, person (never their address), party "
            "(null for an independent; `party_as_written` keeps a name the import matched to no "
            "party), symbol, votes and whether it won. Filters: `election` (slug), `assembly` (NA, "
            "PP, PS, PK, PB), `constituency` (seat code), `province`, `party` (slug, abbreviation, "
            "name or alias), `independent`, `winner`, `withdrew`, `person` (id), `q` (name). "
            "Public; `?format=csv` or `xlsx` exports every matching row."
        ),
        parameters=[FORMAT],
    ),
    retrieve=extend_schema(description="One candidacy."),
)
class CandidacyViewSet(ExportableListMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]  # public record, and nothing to change here (405)
    queryset = Candidacy.objects.none()
    serializer_class = CandidacySerializer
    filterset_class = CandidacyFilter
    export_name = "candidacies"

    def get_queryset(self):
        queryset = Candidacy.objects.select_related(
            "election", "constituency__province", "person", "party"
        ).defer("person__address")
        return defer_geometry(queryset, "constituency__province").order_by(
            "election__polling_date", "constituency__assembly", "constituency__number", "-votes", "pk"
        )


@extend_schema_view(
    list=extend_schema(
        description=(
            "Each seat's totals in an election as the Election Commission published them "
            "(registered voters, votes polled, valid and rejected votes, turnout) with the winner. "
            "Filters: `election`, `assembly`, `constituency`, `province`. Public."
        ),
        parameters=[FORMAT],
    ),
    retrieve=extend_schema(description="One seat's result."),
)
class ResultViewSet(ExportableListMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]  # public record, and nothing to change here (405)
    queryset = ConstituencyResult.objects.none()
    serializer_class = ResultSerializer
    filterset_class = ResultFilter
    export_name = "results"

    def get_queryset(self):
        queryset = ConstituencyResult.objects.select_related("election", "constituency__province").annotate(
            winner_person=_winner("person_id"),
            winner_name=_winner("person__name"),
            winner_party=_winner("party__slug"),
            winner_votes=_winner("votes"),
        )
        return defer_geometry(queryset, "constituency__province").order_by(
            "election__polling_date", "constituency__assembly", "constituency__number", "pk"
        )
