"""Importing posts and their holders from CSV: the same rules as the office's pages, errors in
words per row, and a second import of the same file changes nothing."""

from datetime import date

import pytest

from muhim.accounts.models import Role
from muhim.core.imports.registry import importers_for
from muhim.core.imports.runner import create_run, execute
from muhim.core.models import ImportRun
from muhim.network import services
from muhim.network.models import Assignment, Post

pytestmark = pytest.mark.django_db

POSTS = """code,kind,title,title_ur,specialism,province,areas
rco-pb-lahore,regional,"Regional Campaign Organiser, Lahore",لاہور,,pb,pb-lahore-division
rco-pb-gujranwala,Regional organiser,"Regional Campaign Organiser, Gujranwala",,,Punjab,Gujranwala; Sialkot ; pb-narowal
rco-sd-karachi,regional,"Regional Campaign Organiser, Karachi",,,sd,Karachi
,specialist,Media engagement specialist,,media,,
specialist-data,Specialist,Data analysis specialist,,Data analysis and interpretation,,
"""


@pytest.fixture(autouse=True)
def _run_files_in_the_tests_folder(monkeypatch):
    from django.core.files.storage import storages

    for name in ("file", "rejected_file"):
        monkeypatch.setattr(ImportRun._meta.get_field(name), "storage", storages["private"])


def run_import(slug, text, user=None, commit=True):
    run = create_run(
        importer_slug=slug, data=text.encode("utf-8"), filename=f"{slug}.csv", user=user, source="command"
    )
    execute(run, commit=commit)
    run.refresh_from_db()
    return run


def errors_of(run):
    return {e["row"]: " ".join(e["messages"]) for e in run.preview["errors"]}


def counts(run):
    return (run.created, run.updated, run.unchanged, run.errors)


def test_posts_are_imported_with_their_areas_and_a_second_run_changes_nothing(gazetteer):
    run = run_import("posts", POSTS)
    assert counts(run) == (5, 0, 0, 0), run.preview.get("errors") or run.message
    gujranwala = Post.objects.get(code="rco-pb-gujranwala")
    assert gujranwala.province.code == "pb"
    assert sorted(gujranwala.areas.values_list("code", flat=True)) == [
        "pb-gujranwala",
        "pb-narowal",
        "pb-sialkot",
    ]
    sample = next(s for s in run.preview["samples"]["create"] if s["label"] == "rco-pb-gujranwala")
    assert sample["warnings"] == [
        "Gujranwala is a division and a district; the district was taken (the division is pb-gujranwala-division)."
    ]
    # "Karachi" is only a division in Sindh's list of divisions and districts.
    assert list(Post.objects.get(code="rco-sd-karachi").areas.values_list("code", flat=True)) == [
        "sd-karachi-division"
    ]
    media = Post.objects.get(code="media-engagement-specialist")
    assert (media.kind, media.specialism, media.province) == ("specialist", "media", None)
    assert Post.objects.get(code="specialist-data").specialism == "data"
    assert Post.objects.get(code="rco-pb-lahore").history.first().history_change_reason.startswith("import #")

    again = run_import("posts", POSTS)
    assert counts(again) == (0, 0, 5, 0)


def test_a_post_import_refuses_districts_another_post_covers(gazetteer):
    run_import("posts", POSTS)
    text = """code,kind,title,province,areas
rco-pb-kasur,regional,RCO Kasur,pb,pb-kasur; pb-lahore
rco-pb-sheikhupura,regional,RCO Sheikhupura,pb,Sheikhupura
rco-pb-nankana,regional,RCO Nankana,pb,pb-nankana-sahib
rco-pb-okara,regional,RCO Okara,pb,pb-okara
"""
    run = run_import("posts", text)
    assert counts(run) == (1, 0, 0, 3)
    # Lahore's post covers the whole division, so every district in it.
    assert errors_of(run) == {
        2: "Kasur, Lahore are already covered by rco-pb-lahore.",
        3: "Sheikhupura is already covered by rco-pb-lahore.",
        4: "Nankana Sahib is already covered by rco-pb-lahore.",
    }
    assert Post.objects.filter(code__startswith="rco-pb-").count() == 3  # Lahore, Gujranwala, Okara


def test_two_rows_of_one_file_cannot_cover_the_same_district(gazetteer):
    text = """code,kind,title,province,areas
rco-a,regional,A,sd,sd-hyderabad; sd-matiari
rco-b,regional,B,sd,Matiari
"""
    run = run_import("posts", text)
    assert counts(run) == (1, 0, 0, 1)
    assert errors_of(run) == {3: "Matiari is already covered by rco-a."}


def test_post_rows_with_wrong_areas_say_what_is_wrong(gazetteer):
    text = """code,kind,title,province,areas,specialism
rco-1,regional,One,pb,sd-karachi-division,
rco-2,regional,Two,pb,Multan; pb-multan,
rco-3,regional,Three,pb,Atlantis,
rco-4,regional,Four,pb,,
rco-5,regional,Five,Narnia,pb-lahore,
rco-6,boss,Six,pb,pb-lahore,
spec-1,specialist,Seven,,,
rco-8,regional,Eight,pb,pb-lahore-tehsil-does-not-exist,
"""
    errors = errors_of(run_import("posts", text))
    assert errors[2] == "Karachi is not in Punjab, the post's province."
    assert 3 not in errors  # "Multan" is the district; the same area twice is the same area
    assert errors[4] == "'Atlantis' is not a division or district of Punjab."
    assert errors[5] == "A regional post covers at least one division or district."
    assert errors[6] == "Unknown province 'Narnia'."
    assert errors[7] == "Kind 'boss' is not one of: regional, specialist."
    assert errors[8] == "A specialist post needs a specialism."
    assert "is not a division or district of Punjab" in errors[9]
    assert list(Post.objects.values_list("code", flat=True)) == ["rco-2"]


def test_an_import_changes_a_posts_areas_but_not_its_kind_nor_a_retired_post(gazetteer, make_user):
    run_import("posts", POSTS)
    holder = make_user()
    services.assign(
        post=Post.objects.get(code="rco-pb-gujranwala"), holder=holder, start_date=date(2024, 1, 1)
    )
    services.retire_post(post=Post.objects.get(code="rco-sd-karachi"))
    text = """code,kind,title,province,areas,specialism
rco-pb-gujranwala,regional,"Regional Campaign Organiser, Gujranwala",pb,pb-gujranwala; pb-hafizabad,
rco-sd-karachi,regional,"Regional Campaign Organiser, Karachi",sd,sd-karachi-division,
specialist-data,regional,Data,pb,pb-okara,
"""
    run = run_import("posts", text)
    assert counts(run) == (0, 1, 0, 2)
    assert errors_of(run) == {
        3: "rco-sd-karachi is a retired post; an import does not change it.",
        4: "specialist-data is a specialist post; the kind of a post cannot change.",
    }
    post = Post.objects.get(code="rco-pb-gujranwala")
    assert sorted(post.areas.values_list("code", flat=True)) == ["pb-gujranwala", "pb-hafizabad"]
    # The holder's regions follow the post's areas.
    assert sorted(holder.regions.values_list("code", flat=True)) == ["pb-gujranwala", "pb-hafizabad"]


def test_the_api_export_of_posts_imports_back_unchanged(client, gazetteer):
    run_import("posts", POSTS)
    exported = client.get("/api/v1/posts/", {"format": "csv"}).content.decode("utf-8-sig")
    run = run_import("posts", exported)
    assert counts(run) == (0, 0, 5, 0), run.preview.get("errors") or run.message


# --- assignments ----------------------------------------------------------------------------------

ASSIGNMENTS = """post,holder,start,end
rco-pb-lahore,rabia,2022-01-01,2023-06-30
rco-pb-lahore,kamran@example.org,1 August 2023 00:00:00,
rco-sd-karachi,zain,2024-02-01,
"""


@pytest.fixture
def people(make_user):
    return {
        "rabia": make_user(username="rabia", first_name="Rabia", last_name="Bibi"),
        "kamran": make_user(
            username="kamran", email="Kamran@example.org", first_name="Kamran", last_name="Ali"
        ),
        "zain": make_user(username="zain"),
    }


def test_holders_are_imported_with_their_history_and_a_second_run_changes_nothing(gazetteer, people):
    run_import("posts", POSTS)
    run = run_import("assignments", ASSIGNMENTS)
    assert counts(run) == (3, 0, 0, 0), run.preview.get("errors") or run.message
    lahore = Post.objects.get(code="rco-pb-lahore")
    assert [
        (a.holder.username, a.start_date, a.end_date) for a in lahore.assignments.order_by("start_date")
    ] == [
        ("rabia", date(2022, 1, 1), date(2023, 6, 30)),
        ("kamran", date(2023, 8, 1), None),
    ]
    # Only the current holder works in the post's areas.
    assert list(people["kamran"].regions.values_list("code", flat=True)) == ["pb-lahore-division"]
    assert people["rabia"].regions.count() == 0
    assert Post.objects.covered().count() == 2
    assert counts(run_import("assignments", ASSIGNMENTS)) == (0, 0, 3, 0)


def test_an_end_date_added_later_makes_the_post_vacant(gazetteer, people):
    run_import("posts", POSTS)
    run_import("assignments", ASSIGNMENTS)
    text = ASSIGNMENTS.replace("rco-sd-karachi,zain,2024-02-01,", "rco-sd-karachi,zain,2024-02-01,2024-09-30")
    run = run_import("assignments", text)
    assert counts(run) == (0, 1, 2, 0)
    assert run.preview["samples"]["update"][0]["changes"] == {"end_date": ["", "2024-09-30"]}
    karachi = Post.objects.get(code="rco-sd-karachi")
    assert karachi.assignments.get().end_date == date(2024, 9, 30)
    assert people["zain"].regions.count() == 0


def test_assignment_rows_that_break_the_rules_are_rejected_in_words(gazetteer, people):
    run_import("posts", POSTS)
    text = """post,holder,start,end
rco-pb-lahore,rabia,2022-01-01,
rco-pb-lahore,kamran,2023-01-01,
rco-pb-gujranwala,rabia,2024-05-01,2024-04-01
rco-pb-nowhere,rabia,2024-01-01,
rco-sd-karachi,nobody,2024-01-01,
rco-sd-karachi,zain,in March,
"""
    run = run_import("assignments", text)
    assert counts(run) == (1, 0, 0, 5)
    assert errors_of(run) == {
        3: "rco-pb-lahore is held by Rabia Bibi since 2022-01-01. Mark it vacant first.",
        4: "The assignment ends (2024-04-01) before it starts (2024-05-01).",
        5: "There is no post with the code 'rco-pb-nowhere'.",
        6: "There is no staff account 'nobody'; create it first (or give the post on its page).",
        7: "The start date 'in March' is not a date; write it as 2024-03-31 (or 31/03/2024).",
    }
    assert Assignment.objects.count() == 1


def test_a_new_holder_must_start_after_the_last_one_left(gazetteer, people):
    run_import("posts", POSTS)
    text = """post,holder,start,end
rco-pb-lahore,rabia,2022-01-01,2023-06-30
rco-pb-lahore,kamran,2023-06-30,
"""
    run = run_import("assignments", text)
    assert errors_of(run) == {
        3: "The previous holder of rco-pb-lahore held it until 2023-06-30; the new assignment must start after that."
    }


def test_an_assignment_ended_on_the_page_is_left_as_it_is(gazetteer, people):
    run_import("posts", POSTS)
    run_import("assignments", ASSIGNMENTS)
    services.make_vacant(post=Post.objects.get(code="rco-sd-karachi"), end_date=date(2024, 10, 1))
    run = run_import("assignments", ASSIGNMENTS)
    assert counts(run) == (0, 0, 3, 0)
    warned = [s for s in run.preview["samples"]["unchanged"] if s["warnings"]]
    assert warned[0]["warnings"] == ["This assignment has ended since, on 2024-10-01; it is left as it is."]


def test_the_network_importers_are_for_the_office(make_user):
    office = {cls.slug for cls in importers_for(make_user(Role.CAMPAIGN_OFFICE))}
    organiser = {cls.slug for cls in importers_for(make_user(Role.ORGANISER, ["pb"]))}
    assert {"posts", "assignments"} <= office
    assert not {"posts", "assignments"} & organiser
