"""The demo on a machine without the shared real data: parties and the 2018 election still
exist, so the demo manifestos and pledges have an election to belong to."""

import io

import pytest

from muhim.elections import demo
from muhim.elections.models import Candidacy, Election, Party

pytestmark = pytest.mark.django_db


def test_without_the_real_lists_the_demo_still_has_the_parties_and_the_2018_election(
    settings, tmp_path, gazetteer
):
    settings.MUHIM_SHARED_DATA = tmp_path / "absent"
    out = io.StringIO()
    demo.load(stdout=out)
    demo.load(stdout=out)
    election = Election.objects.get(slug="ge-2018")
    assert election.polling_date.isoformat() == "2018-07-25"
    assert Election.objects.count() == 1
    assert Party.objects.filter(abbreviation="PTI").exists()
    assert not Candidacy.objects.exists()
    assert "no candidates or results imported" in out.getvalue()
