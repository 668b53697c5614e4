"""Small, realistic election records for the scorecard and objectives tests."""

import datetime
from decimal import Decimal

from muhim.elections.models import Candidacy, ConstituencyResult, Election, Party, Person
from muhim.geography.models import Area, Constituency, ConstituencyArea
from muhim.manifestos.models import FundingCommitment, Manifesto, QuasiSentence

POLLING_DAY = datetime.date(2018, 7, 25)


def election(slug="ge-2018", day=POLLING_DAY):
    return Election.objects.get_or_create(
        slug=slug,
        defaults={"name": f"General election {day.year}", "polling_date": day, "delimitation_year": 2018},
    )[0]


def party(name, abbreviation):
    return Party.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation})[0]


def seat(code="NA-130", district="pb-lahore", name="Lahore-VIII"):
    assembly, number = code.split("-")
    area = Area.objects.get(code=district)
    constituency = Constituency.objects.create(
        code=code,
        assembly=assembly,
        number=int(number),
        name=name,
        delimitation_year=2018,
        province=Area.objects.get(code=district.split("-")[0]),
    )
    ConstituencyArea.objects.create(constituency=constituency, area=area, is_primary=True)
    return constituency


def candidacy(the_election, constituency, name, the_party=None, votes=None, winner=False):
    person = Person.objects.create(name=name, address="House 1, Street 2")
    return Candidacy.objects.create(
        election=the_election,
        constituency=constituency,
        person=person,
        party=the_party,
        votes=votes,
        is_winner=winner,
    )


def result(the_election, constituency, registered=400000, polled=200000, valid=195000):
    return ConstituencyResult.objects.create(
        election=the_election,
        constituency=constituency,
        registered_voters=registered,
        votes_polled=polled,
        valid_votes=valid,
        rejected_votes=polled - valid,
        turnout=Decimal(100 * polled / registered).quantize(Decimal("0.01")),
    )


def manifesto(the_party, the_election, sentences, *, published=True, four_percent=False):
    """`sentences`: (text, education) pairs; a text starting with '#' is a heading."""
    made = Manifesto.objects.create(
        party=the_party,
        election=the_election,
        title=f"{the_party.abbreviation} manifesto",
        source=Manifesto.Source.TEXT,
        status=Manifesto.Status.READY,
        is_published=published,
        analysed_at=datetime.datetime(2018, 6, 1, tzinfo=datetime.UTC),
    )
    rows = [
        QuasiSentence(
            manifesto=made,
            position=i,
            text=text.lstrip("#"),
            is_heading=text.startswith("#"),
            predicted_education=education,
            predicted_topic="access" if education else "",
            confidence=0.9,
        )
        for i, (text, education) in enumerate(sentences)
    ]
    QuasiSentence.objects.bulk_create(rows)
    if four_percent:
        sentence = made.sentences.filter(predicted_education=True).first()
        FundingCommitment.objects.create(
            manifesto=made,
            sentence=sentence,
            text=sentence.text,
            percent=Decimal("4"),
            measure="gdp",
            meets_target=True,
        )
    made.refresh_figures()
    return made
