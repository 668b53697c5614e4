"""Staff for the field tests: organisers of the Lahore and Karachi divisions, the campaign
office, a specialist and a partner."""

from types import SimpleNamespace

import pytest


@pytest.fixture
def staff(gazetteer, make_user):
    return SimpleNamespace(
        lahore=make_user("organiser", ["pb-lahore-division"], username="rco-lahore"),
        karachi=make_user("organiser", ["sd-karachi-division"], username="rco-karachi"),
        office=make_user("campaign_office", username="office"),
        specialist=make_user("specialist", username="specialist"),
        partner=make_user("partner", username="partner"),
    )
