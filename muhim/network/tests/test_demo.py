"""The demo network that `make run` loads looks like the campaign's own (the seed document):
35 posts, 11/8/7/5 regional posts in the four provinces plus 4 specialists, one vacancy per
province with applications in the pipeline, and volunteers for the demo organisers."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from muhim.network.models import Application, Post, Vacancy
from muhim.people.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path, gazetteer):
    settings.MUHIM_SHARED_DATA = tmp_path / "absent"  # no boundaries needed here
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_the_demo_network_has_the_seeds_posts(demo):
    regional = Counter(Post.objects.regional().values_list("province__code", flat=True))
    assert regional == {"pb": 11, "sd": 8, "kp": 7, "ba": 5}
    assert Post.objects.specialist().count() == 4
    vacant = Counter(Post.objects.vacant().values_list("province__code", flat=True))
    assert vacant == {"pb": 1, "sd": 1, "kp": 1, "ba": 1}
    assert Post.objects.specialist().vacant().count() == 0
    assert "35 posts created (35 in all: 31 held, 4 vacant)" in demo


def test_each_vacant_post_has_an_open_vacancy_with_applications_at_several_stages(demo):
    for post in Post.objects.vacant():
        vacancy = post.open_vacancy()
        assert vacancy is not None, post.code
        assert vacancy.applications.count() >= 3, post.code
    stages = set(Application.objects.values_list("status", flat=True))
    assert {Application.Status.RECEIVED, Application.Status.SHORTLISTED} <= stages
    assert Application.Status.HIRED not in stages  # hiring would fill a post the demo keeps vacant
    for application in Application.objects.all():
        assert application.cv.storage.exists(application.cv.name)


def test_the_demo_organisers_have_volunteers_who_signed_up_over_time(demo):
    lahore = Volunteer.objects.filter(organiser__username="organiser-lahore")
    assert lahore.count() >= 10
    assert Volunteer.objects.count() == 240
    months = {v.created_at.strftime("%Y-%m") for v in Volunteer.objects.only("created_at")}
    assert len(months) > 3


def test_loading_the_demo_again_adds_nothing(demo):
    counts = (
        Post.objects.count(),
        Vacancy.objects.count(),
        Application.objects.count(),
        Volunteer.objects.count(),
    )
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert (
        Post.objects.count(),
        Vacancy.objects.count(),
        Application.objects.count(),
        Volunteer.objects.count(),
    ) == counts
    assert "0 demo applications created" in out.getvalue()
