"""Two short demo manifestos, written for the demo (fictional text, not any party's words), for
two of the demo's parties: analysed at once (not by the background worker), the first
published. Runs after the elections' demo, whose parties it uses; without parties it adds
nothing. Loaded once: a second run adds nothing."""

import hashlib

from muhim.elections.models import Election, Party

from . import services
from .models import Language, Manifesto

PREFERRED = ("PTI", "PML-N", "PPPP", "PPP")

FIRST = """A Nation That Learns (demo)

Every child in school
We will enrol every out-of-school child between five and sixteen within five years.
Article 25-A of the Constitution will be enforced in every district.
Girls in rural areas will receive a monthly stipend to continue to secondary school.
Ten thousand classrooms will be added to crowded primary schools.

Paying for education
We will raise public spending on education to 4% of GDP by the end of our term.
Provincial education budgets will be protected from mid-year cuts.

Teachers and learning
Teachers will be recruited on merit through an independent testing service.
Every school will assess reading and arithmetic in grade three each year.

A stronger economy
We will broaden the tax base and simplify returns for small traders.
Electricity losses will be cut through new metering and better distribution.
Exports will be supported through lower energy tariffs for industry.
A national water policy will protect farmers in the dry months.
"""

SECOND = """Progress for Every Province (demo)

Jobs and growth
We will create a million jobs in construction and agriculture.
Small businesses will get loans without collateral.
The motorway network will reach every provincial capital.
Gas supply to homes will be guaranteed through the winter.

Health
Every district hospital will have an emergency ward open day and night.
A health card will cover families below the poverty line.

Education
The education budget will rise to 3% of GDP.
New universities will open in the southern districts.
Technical and vocational training centres will be built in every division.

Governance
Local governments will be elected within a year of the general election.
Police stations will record every complaint online.
"""


def _party_for(exclude):
    parties = Party.objects.exclude(pk__in=exclude)
    for abbreviation in PREFERRED:
        party = parties.filter(abbreviation__iexact=abbreviation).first()
        if party is not None:
            return party
    return parties.order_by("name").first()


def load(stdout=None):
    def say(text):
        if stdout is not None:
            stdout.write(text)

    if not Party.objects.exists():
        say("  manifestos: no parties yet, none added")
        return
    election = Election.objects.order_by("-polling_date").first()
    used = []
    for index, text in enumerate((FIRST, SECOND)):
        existing = Manifesto.objects.filter(title__startswith=text.split("\n", 1)[0]).first()
        if existing is not None:
            used.append(existing.party_id)
            continue
        party = _party_for(used)
        if party is None:
            break
        used.append(party.pk)
        data = text.encode("utf-8")
        manifesto = services._store_upload(
            user=None,
            data={
                "party": party,
                "election": election,
                "title": text.split("\n", 1)[0],
                "language": Language.ENGLISH,
            },
            file_bytes=data,
            filename=f"{party.slug}-manifesto-demo.txt",
            sha256=hashlib.sha256(data).hexdigest(),
            source=Manifesto.Source.TEXT,
        )
        manifesto = services.analyse(manifesto)
        if index == 0 and manifesto.status == Manifesto.Status.READY:
            services.publish(user=None, manifesto=manifesto, published=True)
        say(f"  manifestos: {manifesto.title} for {party}: {manifesto.get_status_display()}")
