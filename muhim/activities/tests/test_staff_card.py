"""The "In the field" card on the staff dashboard: its numbers are the lists they link to."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from muhim.activities.models import Activity
from muhim.activities.tests.factories import ActivityFactory, DemandFactory, district

pytestmark = pytest.mark.django_db


def card_links(html):
    card = html[html.index("In the field") :]
    card = card[: card.index("Field dashboard")]
    return [
        (unescape(href), " ".join(re.sub(r"<[^>]+>", " ", text).split()))
        for href, text in re.findall(r'href="([^"]+)"[^>]*>(.*?)</a>', card, re.S)
    ]


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    match = re.search(r'role="status">\s*([\d,]+)', response.content.decode())
    return int(match.group(1).replace(",", ""))


def test_the_field_card_counts_what_its_lists_show(client, staff):
    today = timezone.localdate()
    ActivityFactory(district=district("pb-kasur"), start_date=today)  # held this month
    ActivityFactory(
        district=district("pb-kasur"), start_date=today + timedelta(days=3), status=Activity.Status.PLANNED
    )
    ActivityFactory(district=district("sd-karachi-south"), start_date=today)  # another region
    DemandFactory(district=district("pb-kasur"), follow_up_on=today - timedelta(days=2))
    DemandFactory(district=district("sd-karachi-south"), follow_up_on=today - timedelta(days=2))
    client.force_login(staff.lahore)
    html = client.get("/accounts/").content.decode()
    links = card_links(html)
    assert [text for _href, text in links] == [
        "1 activity held this month",
        "1 planned for the coming week",
        "1 demand overdue for follow-up",
    ]
    for href, text in links:
        assert listed(client, href) == int(text.split()[0]), href

    client.force_login(staff.office)
    texts = [text for _href, text in card_links(client.get("/accounts/").content.decode())]
    assert texts[0] == "2 activities held this month" and texts[2] == "2 demands overdue for follow-up"


def test_a_partner_sees_activities_but_no_demands_on_the_card(client, staff):
    client.force_login(staff.partner)
    html = client.get("/accounts/").content.decode()
    assert "In the field" in html
    assert "overdue for follow-up" not in html
