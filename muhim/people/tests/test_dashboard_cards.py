"""The staff dashboard and the navigation lead each role to the network and volunteer pages it
may open, with figures that match those pages; the home page leads the public to theirs."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from muhim.network.models import Post
from muhim.network.services import open_vacancy
from muhim.people.models import Volunteer

pytestmark = pytest.mark.django_db


def text_of(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_an_organiser_sees_their_regions_volunteers_counted_and_no_office_cards(
    client, network, volunteer_in
):
    volunteer_in("pb-lahore")
    volunteer_in("pb-kasur")
    old = volunteer_in("pb-sheikhupura")
    Volunteer.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    volunteer_in("sd-karachi-south")  # another region's
    client.force_login(network.lahore)
    response = client.get("/accounts/")
    text = text_of(response)
    assert "3 volunteers in your regions." in text
    assert "2 signed up in the last 7 days." in text
    assert 'href="/volunteers/"' in response.content.decode()
    assert "Edit your public profile" in text  # they hold a post
    assert "Posts and holders" not in text and "Recruitment report" not in text


def test_the_office_sees_the_network_and_recruitment_figures(client, network, volunteer_in):
    dg_khan = Post.objects.get(code="rco-pb-dg-khan")
    open_vacancy(post=dg_khan, closes_on=timezone.localdate() + timedelta(days=10))
    volunteer_in("pb-lahore")
    volunteer_in("sd-karachi-south")
    client.force_login(network.office)
    text = text_of(client.get("/accounts/"))
    assert "2 volunteers across the country." in text
    assert "2 of 3 regional posts have an organiser." in text
    assert "1 vacancy is open." in text
    assert "0 applications have not been looked at yet." in text
    assert "Edit your public profile" not in text  # the office holds no post


def test_a_partner_gets_no_volunteer_or_network_links(client, network, make_user):
    client.force_login(make_user("partner"))
    html = client.get("/accounts/").content.decode()
    assert 'href="/volunteers/"' not in html
    assert 'href="/network/manage/posts/"' not in html
    assert 'href="/network/manage/applications/"' not in html


def test_the_navigation_links_the_public_pages_in_the_pages_language(client, network):
    html = client.get("/ur/").content.decode()
    for path in ["/ur/network/", "/ur/volunteer/", "/ur/vacancies/"]:
        assert f'href="{path}"' in html
    assert 'href="/ur/volunteers/"' not in html  # staff pages are not offered to the public


def test_the_home_page_counts_the_open_vacancies_and_searches_for_an_organiser(client, network):
    dg_khan = Post.objects.get(code="rco-pb-dg-khan")
    open_vacancy(post=dg_khan, closes_on=timezone.localdate() + timedelta(days=10))
    response = client.get("/")
    assert "1 organiser's post is open for applications." in text_of(response)
    assert 'action="/network/find/"' in response.content.decode()
    found = client.get("/network/find/", {"q": "Kasur"})
    assert found.status_code == 302 and found["Location"] == "/network/find/pb-kasur/"


def test_the_volunteer_link_of_a_district_page_keeps_the_language(client, network):
    html = client.get("/ur/network/find/pb-kasur/").content.decode()
    assert 'href="/ur/volunteer/?district=pb-kasur"' in html
