"""The election record in Popolo (https://www.popoloproject.com/specs/): who stood (persons),
the parties and assemblies (organizations), the seats (posts), the candidacies and the seats
won (memberships) and the constituencies with the districts, divisions and provinces they lie in
(areas). Every object is plain JSON valid against the Popolo JSON Schemas.

Ids are stable, readable and built from the record's own keys:

    person/<person id>                        person/123
    party/<party slug>                        party/pti
    assembly/<assembly code, lower case>      assembly/na, assembly/pp
    post/<seat code>-<delimitation year>      post/NA-1-2018
    area/<seat code>-<delimitation year>      area/NA-1-2018 (the constituency)
    area/<area code>                          area/pb-lahore, area/pb-lahore-division, area/pb
    candidacy/<election>/<seat code>/<person> candidacy/ge-2018/NA-1/123
    member/<election>/<seat code>/<person>    member/ge-2018/NA-1/123 (the seat won)

A candidacy is a membership of the assembly, on the seat's post, with role "Candidate" and
`on_behalf_of_id` its party: in Popolo a membership's post belongs to the membership's
organization, and the seats belong to the assembly, not to the party; `on_behalf_of` is the
spec's way of saying for which party. An independent has no `on_behalf_of_id` (the
Election Commission's word "Independent" is not an organization). A winner has a second
membership, role "Member", from polling day to the polling day of the next general election
where one is recorded.

Each collection is a function that reads what it needs in a fixed number of queries (whatever
the number of rows) and returns an iterator of dicts, so that the API can stream the 2018
record (some 15,000 candidacies) without holding it all in memory. Labels are in the active
language when the function is called; names are the records' own, with the Urdu names as
`other_names`. A person's address is never exported: it is personal data, and this export is
public. Area outlines are never read."""

from collections import defaultdict

from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from muhim.elections.models import Candidacy, Election, Party, PartyAlias, Person
from muhim.geography.models import Area, Constituency, ConstituencyArea

Assembly = Constituency.Assembly
# The assemblies of a general election, always exported; the others when they have seats.
MAIN_ASSEMBLIES = [
    Assembly.NATIONAL,
    Assembly.PUNJAB,
    Assembly.SINDH,
    Assembly.KHYBER_PAKHTUNKHWA,
    Assembly.BALOCHISTAN,
]
ASSEMBLY_ORDER = {code: n for n, code in enumerate(Assembly.values)}


# --- ids ----------------------------------------------------------------------------------------


def person_id(pk):
    return f"person/{pk}"


def party_id(slug):
    return f"party/{slug}"


def assembly_id(assembly):
    return f"assembly/{assembly.lower()}"


def post_id(code, year):
    return f"post/{code}-{year}"


def seat_area_id(code, year):
    return f"area/{code}-{year}"


def area_id(code):
    return f"area/{code}"


def candidacy_id(election_slug, code, person_pk):
    return f"candidacy/{election_slug}/{code}/{person_pk}"


def member_id(election_slug, code, person_pk):
    return f"member/{election_slug}/{code}/{person_pk}"


# --- what is exported ---------------------------------------------------------------------------


def candidacies_of(election=None):
    queryset = Candidacy.objects.all()
    return queryset.filter(election=election) if election is not None else queryset


def seats_of(election=None):
    """The seats contested: those with a candidacy (in `election`, or in any election)."""
    return Constituency.objects.filter(pk__in=candidacies_of(election).values("constituency_id"))


def _assemblies(election=None):
    with_seats = set(seats_of(election).values_list("assembly", flat=True).distinct())
    return sorted(set(MAIN_ASSEMBLIES) | with_seats, key=lambda code: ASSEMBLY_ORDER.get(code, 99))


def _province_of(assembly):
    return Constituency.ASSEMBLY_PROVINCE.get(assembly)


def _timestamp(value):
    return value.isoformat() if value else None


def _role(assembly):
    return _("Member of the %(assembly)s") % {"assembly": Assembly(assembly).label}


def _seat_name(code, name):
    return f"{code} {name}".strip()


def _compact(data):
    """Popolo readers treat a missing property as unknown: leave out what is empty."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


# --- persons ------------------------------------------------------------------------------------


def persons(election=None):
    note = _("Urdu")
    people = (
        Person.objects.filter(pk__in=candidacies_of(election).values("person_id"))
        .values("pk", "name", "name_ur", "gender", "updated_at")
        .order_by("pk")
    )

    def build():
        for person in people.iterator(chunk_size=2000):
            pk = person["pk"]
            yield _compact(
                {
                    "id": person_id(pk),
                    "name": person["name"],
                    "other_names": [{"name": person["name_ur"], "note": note}] if person["name_ur"] else [],
                    "identifiers": [{"identifier": str(pk), "scheme": "muhim-person"}],
                    "gender": person["gender"],
                    "updated_at": _timestamp(person["updated_at"]),
                }
            )

    return build()


# --- organizations ------------------------------------------------------------------------------


def _absolute(base_url, path):
    return f"{base_url.rstrip('/')}{path}" if base_url else None


def _scorecard(party, base_url):
    try:
        return _absolute(base_url, reverse("accountability:party-scorecard", kwargs={"slug": party.slug}))
    except NoReverseMatch:
        return None


def organizations(election=None, *, base_url=""):
    """The assemblies (classification "legislature") and the parties ("party"): with
    `election`, the parties that fielded a candidate in it; without, every party."""
    labels = {
        "urdu": _("Urdu"),
        "abbreviation": _("Abbreviation"),
        "alias": _("Also written"),
        "website": _("Website"),
        "scorecard": _("Scorecard"),
    }
    assemblies = [(code, str(Assembly(code).label), _province_of(code)) for code in _assemblies(election)]
    parties = (
        Party.objects.all()
        if election is None
        else Party.objects.filter(pk__in=candidacies_of(election).values("party_id"))
    )
    parties = parties.prefetch_related(
        Prefetch("aliases", queryset=PartyAlias.objects.only("pk", "party_id", "alias").order_by("alias"))
    ).order_by("name", "pk")

    def build():
        for code, name, province in assemblies:
            yield _compact(
                {
                    "id": assembly_id(code),
                    "name": name,
                    "identifiers": [{"identifier": code, "scheme": "ecp-assembly"}],
                    "classification": "legislature",
                    "area_id": area_id(province) if province else None,
                }
            )
        for party in parties:
            other_names = []
            if party.abbreviation:
                other_names.append({"name": party.abbreviation, "note": labels["abbreviation"]})
            if party.name_ur:
                other_names.append({"name": party.name_ur, "note": labels["urdu"]})
            seen = {party.name.casefold(), party.abbreviation.casefold(), party.name_ur.casefold()}
            for alias in party.aliases.all():
                if alias.alias.casefold() not in seen:
                    seen.add(alias.alias.casefold())
                    other_names.append({"name": alias.alias, "note": labels["alias"]})
            links = []
            if party.website:
                links.append({"url": party.website, "note": labels["website"]})
            scorecard = _scorecard(party, base_url)
            if scorecard:
                links.append({"url": scorecard, "note": labels["scorecard"]})
            yield _compact(
                {
                    "id": party_id(party.slug),
                    "name": party.name,
                    "other_names": other_names,
                    "identifiers": [{"identifier": party.slug, "scheme": "muhim-party"}],
                    "classification": "party",
                    "links": links,
                    "updated_at": _timestamp(party.updated_at),
                }
            )

    return build()


# --- posts --------------------------------------------------------------------------------------


def posts(election=None):
    """One post per seat contested: "Member of the National Assembly for NA-1 Chitral"."""
    label = _("%(role)s for %(seat)s")
    roles = {code: _role(code) for code in Assembly.values}
    seats = (
        seats_of(election)
        .values("code", "name", "assembly", "delimitation_year")
        .order_by("delimitation_year", "assembly", "number")
    )

    def build():
        for seat in seats.iterator(chunk_size=2000):
            code, year, assembly = seat["code"], seat["delimitation_year"], seat["assembly"]
            yield _compact(
                {
                    "id": post_id(code, year),
                    "label": label % {"role": roles[assembly], "seat": _seat_name(code, seat["name"])},
                    "other_label": [code],
                    "role": roles[assembly],
                    "organization_id": assembly_id(assembly),
                    "area_id": seat_area_id(code, year),
                }
            )

    return build()


# --- memberships --------------------------------------------------------------------------------


def _next_general_elections():
    """polling day of each election → polling day of the general election after it."""
    generals = sorted(
        Election.objects.filter(kind=Election.Kind.GENERAL).values_list("polling_date", flat=True)
    )
    return lambda day: next((later for later in generals if later > day), None)


def memberships(election=None):
    """A "Candidate" membership per candidacy; a "Member" one per seat won."""
    labels = {
        "candidate": _("Candidate"),
        "member": _("Member"),
        "candidacy": _("Candidate for %(seat)s, %(election)s"),
        "withdrew": _("Candidate for %(seat)s, %(election)s (withdrew)"),
        "won": _("%(role)s for %(seat)s, elected in %(election)s"),
    }
    roles = {code: _role(code) for code in Assembly.values}
    rows = (
        candidacies_of(election)
        .values(
            "person_id",
            "is_winner",
            "withdrew",
            "updated_at",
            "party__slug",
            "election__slug",
            "election__name",
            "election__polling_date",
            "constituency__code",
            "constituency__name",
            "constituency__assembly",
            "constituency__delimitation_year",
        )
        .order_by("election__polling_date", "constituency__assembly", "constituency__number", "person_id")
    )

    def build():
        next_general = _next_general_elections()
        for row in rows.iterator(chunk_size=2000):
            slug, code = row["election__slug"], row["constituency__code"]
            year, assembly = row["constituency__delimitation_year"], row["constituency__assembly"]
            polling_day = row["election__polling_date"]
            seat = _seat_name(code, row["constituency__name"])
            common = {
                "person_id": person_id(row["person_id"]),
                "organization_id": assembly_id(assembly),
                "post_id": post_id(code, year),
                "on_behalf_of_id": party_id(row["party__slug"]) if row["party__slug"] else None,
                "area_id": seat_area_id(code, year),
            }
            template = labels["withdrew"] if row["withdrew"] else labels["candidacy"]
            yield _compact(
                {
                    "id": candidacy_id(slug, code, row["person_id"]),
                    "label": template % {"seat": seat, "election": row["election__name"]},
                    "role": labels["candidate"],
                    **common,
                    # Candidacies are dated by their election's polling day (no nomination dates
                    # are published).
                    "start_date": polling_day.isoformat(),
                    "end_date": polling_day.isoformat(),
                    "updated_at": _timestamp(row["updated_at"]),
                }
            )
            if row["is_winner"]:
                until = next_general(polling_day)
                yield _compact(
                    {
                        "id": member_id(slug, code, row["person_id"]),
                        "label": labels["won"]
                        % {"role": roles[assembly], "seat": seat, "election": row["election__name"]},
                        "role": labels["member"],
                        **common,
                        "start_date": polling_day.isoformat(),
                        "end_date": until.isoformat() if until else None,
                        "updated_at": _timestamp(row["updated_at"]),
                    }
                )

    return build()


# --- areas --------------------------------------------------------------------------------------


def _common_ancestor(paths):
    """The smallest area holding every path: the district itself when there is one."""
    parts = [path.split("/") for path in paths]
    common = []
    for codes in zip(*parts, strict=False):
        if len(set(codes)) != 1:
            break
        common.append(codes[0])
    return common[-1] if common else None


def areas(election=None):
    """The constituencies (classification "constituency", parent: the smallest area holding the
    districts the seat lies in) and those districts with their divisions and provinces (and the
    provinces of the provincial assemblies), each with its parent."""
    assemblies = _assemblies(election)
    seats_query = seats_of(election)
    seats = list(
        seats_query.values("pk", "code", "name", "assembly", "delimitation_year", "province__code").order_by(
            "delimitation_year", "assembly", "number"
        )
    )
    paths = defaultdict(list)
    for link in ConstituencyArea.objects.filter(constituency__in=seats_query).values(
        "constituency_id", "area__path"
    ):
        paths[link["constituency_id"]].append(link["area__path"])
    codes = {_province_of(assembly) for assembly in assemblies} - {None}
    codes.update(seat["province__code"] for seat in seats if seat["province__code"])
    for seat_paths in paths.values():
        for path in seat_paths:
            codes.update(path.split("/"))
    places = list(
        Area.objects.filter(code__in=codes).values("code", "name", "level", "path").order_by("path")
    )
    known = {place["code"] for place in places}

    def build():
        for seat in seats:
            parent = _common_ancestor(paths[seat["pk"]]) or seat["province__code"]
            parent = parent if parent in known else None
            yield _compact(
                {
                    "id": seat_area_id(seat["code"], seat["delimitation_year"]),
                    "name": _seat_name(seat["code"], seat["name"]),
                    "identifier": seat["code"],
                    "classification": "constituency",
                    "parent_id": area_id(parent) if parent else None,
                }
            )
        for place in places:
            ancestors = place["path"].split("/")[:-1]
            yield _compact(
                {
                    "id": area_id(place["code"]),
                    "name": place["name"],
                    "identifier": place["code"],
                    "classification": place["level"],
                    "parent_id": area_id(ancestors[-1]) if ancestors else None,
                }
            )

    return build()


COLLECTIONS = {
    "persons": persons,
    "organizations": organizations,
    "posts": posts,
    "memberships": memberships,
    "areas": areas,
}


def collection(name, election=None, *, base_url=""):
    if name == "organizations":
        return organizations(election, base_url=base_url)
    return COLLECTIONS[name](election)


def document(election=None, *, base_url=""):
    """The whole export as one dict of lists (for commands and tests; the API streams it)."""
    return {name: list(collection(name, election, base_url=base_url)) for name in COLLECTIONS}
