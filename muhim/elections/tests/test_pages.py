"""The election pages: lists, filters, export, who sees addresses, and the staff party pages."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from muhim.elections import services
from muhim.elections.models import Candidacy, Party, PartyAlias, Person
from muhim.elections.tests.test_import_candidates import make_seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(gazetteer):
    services.load_parties()
    election = services.ensure_election()
    na1 = make_seat("NA-1", province="kp", district="kp-swat")
    pp1 = make_seat("PP-1", province="pb", district="pb-lahore")
    pti = Party.objects.get(abbreviation="PTI")
    pmln = Party.objects.get(abbreviation="PML-N")

    def stand(seat, name, party=None, votes=None, won=False, address="", as_written=""):
        person = Person.objects.create(name=name, address=address)
        return Candidacy.objects.create(
            election=election,
            constituency=seat,
            person=person,
            party=party,
            party_as_written=as_written,
            votes=votes,
            is_winner=won,
            symbol="Bat" if party == pti else "",
        )

    stand(na1, "Ayesha Khan", pti, 500, True, address="House 1, Street 2, Mingora")
    stand(na1, "Bilal Ahmed", pmln, 300)
    stand(na1, "Chaudhry Independent", None, 20)
    stand(pp1, "Dawood Shah", pmln, 900, True)
    stand(pp1, "Ejaz Ali", None, 10, as_written="Ch.Nissar")
    return election


def candidates_url(election, **params):
    from urllib.parse import urlencode

    url = reverse("elections:candidate-list", kwargs={"slug": election.slug})
    return f"{url}?{urlencode(params)}" if params else url


def test_election_pages_render(client, election):
    listing = client.get(reverse("elections:election-list"))
    assert listing.status_code == 200
    assert "General election 2018" in listing.content.decode()
    page = client.get(reverse("elections:election-detail", kwargs={"slug": election.slug}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "National Assembly" in html and "Provincial Assembly of the Punjab" in html
    standings = page.context["standings"]
    assert standings[0]["party"].abbreviation == "PML-N"  # a seat won, and the most candidates
    assert (standings[0]["candidacies"], standings[0]["won"]) == (2, 1)
    # The unmatched spellings are for staff.
    assert "Ch.Nissar" not in html


def test_staff_see_the_unmatched_parties(client, election, make_user):
    client.force_login(make_user("campaign_office"))
    html = client.get(reverse("elections:election-detail", kwargs={"slug": election.slug})).content.decode()
    assert "Ch.Nissar" in html
    assert reverse("elections:party-create") + "?alias=Ch.Nissar" in html


def test_candidate_list_and_filters(client, election):
    def names(**params):
        response = client.get(candidates_url(election, **params))
        assert response.status_code == 200
        return sorted(row.record.person.name for row in response.context["table"].rows)

    assert len(names()) == 5
    assert names(assembly="PP") == ["Dawood Shah", "Ejaz Ali"]
    assert names(province="kp") == ["Ayesha Khan", "Bilal Ahmed", "Chaudhry Independent"]
    assert names(party="pml-n") == ["Bilal Ahmed", "Dawood Shah"]
    assert names(independent="true") == ["Chaudhry Independent"]  # 'Ch.Nissar' is not independent
    assert names(winner="true") == ["Ayesha Khan", "Dawood Shah"]
    assert names(q="ayesha") == ["Ayesha Khan"]
    assert names(q="NA-1") == ["Ayesha Khan", "Bilal Ahmed", "Chaudhry Independent"]


def test_addresses_are_for_those_who_may_see_personal_data(client, election, make_user):
    public = client.get(candidates_url(election, export="csv"))
    assert public.status_code == 200
    text = public.content.decode("utf-8-sig")
    assert "Ayesha Khan" in text
    assert "Mingora" not in text and "Address" not in text
    assert "Mingora" not in client.get(candidates_url(election)).content.decode()
    client.force_login(make_user("partner"))
    assert "Mingora" not in client.get(candidates_url(election, export="csv")).content.decode("utf-8-sig")
    client.force_login(make_user("campaign_office"))
    staff = client.get(candidates_url(election, export="csv")).content.decode("utf-8-sig")
    assert "House 1, Street 2, Mingora" in staff
    # An organiser: the addresses of the seats in their regions only (Swat is not Lahore's).
    Person.objects.filter(name="Dawood Shah").update(address="12 Mall Road, Lahore")
    client.force_login(make_user("organiser", ["pb-lahore-division"]))
    for export in ("csv", "xlsx"):
        response = client.get(candidates_url(election, export=export))
        if export == "csv":
            text = response.content.decode("utf-8-sig")
        else:
            rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
            text = "\n".join(" ".join(str(cell) for cell in row if cell is not None) for row in rows)
        assert "12 Mall Road, Lahore" in text and "Mingora" not in text


def test_export_is_the_filtered_rows(client, election):
    response = client.get(candidates_url(election, party="pml-n", export="xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3  # header and two candidacies
    assert {row[1] for row in rows[1:]} == {"Bilal Ahmed", "Dawood Shah"}
    votes = rows[0].index("Votes")
    assert sorted(row[votes] for row in rows[1:]) == [300, 900]  # numbers, not "1,200" as text


def test_party_list(client, election):
    response = client.get(reverse("elections:party-list"))
    assert response.status_code == 200
    first = list(response.context["page"])[0]
    assert (first.abbreviation, first.candidacy_count, first.won_count) == ("PML-N", 2, 1)
    found = client.get(reverse("elections:party-list"), {"q": "PMLN"})
    assert [p.abbreviation for p in found.context["page"]] == ["PML-N"]


def test_party_edit_needs_the_capability(client, election, make_user):
    party = Party.objects.get(abbreviation="PTI")
    url = reverse("elections:party-edit", kwargs={"slug": party.slug})
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert client.get(reverse("elections:party-create")).status_code == 302
    client.force_login(make_user("partner"))
    refused = client.get(url)
    assert refused.status_code == 403
    assert "campaign office" in refused.content.decode()
    assert client.post(url, {"name": "Renamed"}).status_code == 403
    assert Party.objects.get(pk=party.pk).name == "Pakistan Tehreek-e-Insaf"


def _post_party(client, url, party, aliases, **changes):
    data = {
        "name": party.name if party else "",
        "name_ur": party.name_ur if party else "",
        "abbreviation": party.abbreviation if party else "",
        "symbol": party.symbol if party else "",
        "symbol_ur": "",
        "website": "",
        "colour": "#000000",
        "aliases-TOTAL_FORMS": str(len(aliases)),
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    for n, alias in enumerate(aliases):
        data[f"aliases-{n}-alias"] = alias
    data.update(changes)
    return client.post(url, data)


def test_an_alias_added_on_the_page_matches_stored_and_later_candidacies(client, election, make_user):
    client.force_login(make_user("campaign_office"))
    response = _post_party(
        client,
        reverse("elections:party-create"),
        None,
        ["Ch. Nissar"],
        name="Chaudhry Nisar group",
        abbreviation="CNG",
    )
    assert response.status_code == 302
    group = Party.objects.get(name="Chaudhry Nisar group")
    assert list(group.aliases.values_list("alias", flat=True)) == ["Ch. Nissar"]
    # The candidacy kept as written gets the party at once; so will the next import's.
    ejaz = Candidacy.objects.get(person__name="Ejaz Ali")
    assert (ejaz.party, ejaz.party_as_written) == (group, "")
    assert services.PartyMatcher().match("Ch.Nissar").party == group


def test_an_alias_of_another_party_is_refused_next_to_the_field(client, election, make_user):
    client.force_login(make_user("campaign_office"))
    pti = Party.objects.get(abbreviation="PTI")
    PartyAlias.objects.create(party=pti, alias="Insaf")
    pmln = Party.objects.get(abbreviation="PML-N")
    response = _post_party(
        client, reverse("elections:party-edit", kwargs={"slug": pmln.slug}), pmln, ["insaf"]
    )
    assert response.status_code == 200
    assert "already an alias of Pakistan Tehreek-e-Insaf" in response.content.decode()
    assert not pmln.aliases.filter(normalised="insaf").exists()


def test_another_partys_name_or_abbreviation_is_refused_as_an_alias_name_or_abbreviation(
    client, election, make_user
):
    client.force_login(make_user("campaign_office"))
    pmln = Party.objects.get(abbreviation="PML-N")
    url = reverse("elections:party-edit", kwargs={"slug": pmln.slug})
    aliases_before = pmln.aliases.count()
    for changes, aliases in (
        ({}, ["Pakistan Tehreek-e-Insaf"]),
        ({}, ["P.T.I."]),
        ({"abbreviation": "PTI"}, []),
        ({"name": "PAKISTAN TEHREEK E INSAF"}, []),
    ):
        response = _post_party(client, url, pmln, aliases, **changes)
        assert response.status_code == 200
        assert "already stands for Pakistan Tehreek-e-Insaf" in response.content.decode()
    pmln.refresh_from_db()
    assert (pmln.abbreviation, pmln.aliases.count()) == ("PML-N", aliases_before)
    assert services.PartyMatcher().match("Pakistan Tehreek-e-Insaf").party.abbreviation == "PTI"


def test_saving_a_party_returns_to_the_list_searching_for_it(client, election, make_user):
    client.force_login(make_user("campaign_office"))
    response = _post_party(
        client,
        reverse("elections:party-create"),
        None,
        [],
        name="Justice & Development Party",
        abbreviation="",
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?q=Justice+%26+Development+Party")
    listed = client.get(response["Location"])
    assert "Justice &amp; Development Party" in listed.content.decode()


def test_seat_candidates_for_the_scorecard(election):
    from muhim.geography.models import Constituency

    candidacies, result = services.seat_candidates(election, Constituency.objects.get(code="NA-1"))
    assert [c.person.name for c in candidacies] == ["Ayesha Khan", "Bilal Ahmed", "Chaudhry Independent"]
    assert candidacies[0].is_winner
    assert result is None


def test_candidates_the_results_added_are_marked(client, election):
    Candidacy.objects.filter(person__name="Ejaz Ali").update(added_from_results=True)
    html = client.get(candidates_url(election, assembly="PP")).content.decode()
    row = html[html.index("Ejaz Ali") :]
    assert "from the results" in row[: row.index("</tr>")]
    other = html[html.index("Dawood Shah") :]
    assert "from the results" not in other[: other.index("</tr>")]
    text = client.get(candidates_url(election, export="csv")).content.decode("utf-8-sig")
    assert "Added from the results" in text.splitlines()[0]
    assert [line for line in text.splitlines() if "Ejaz Ali" in line][0].endswith("yes")
