"""The import pages, driven with Django's test client: upload → columns → check → import → result.
Tasks run inline (the test settings use the Immediate backend)."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from muhim.accounts.models import Role
from muhim.accounts.permissions import Capability
from muhim.core.imports import registry
from muhim.core.imports.base import Field, ModelImporter, Plan, RowError
from muhim.core.imports.runner import create_run, execute
from muhim.core.models import AuditEvent, ImportRun
from muhim.geography.models import Area, AreaAlias


class AliasImporter(ModelImporter):
    slug = "test-page-aliases"
    label = "Other names of areas (test)"
    description = "One row per other name of an area."
    capability = Capability.EDIT_GAZETTEER
    model = AreaAlias
    key_fields = ("area", "name")
    fields = [
        Field("area", "Area code", required=True, aliases=("district",)),
        Field("name", "Other name", required=True, aliases=("alias",)),
        Field("kind", "Kind"),
    ]

    def prepare(self):
        self.areas = {a.code: a for a in Area.objects.all()}

    def parse(self, row):
        area = self.areas.get(row["area"])
        if area is None:
            raise RowError(f"Unknown area code {row['area']!r}.")
        kind = row["kind"] or "spelling"
        return Plan(
            key=(area, row["name"]),
            values={"area": area, "name": row["name"], "kind": kind},
            scope_area=area,
            label=row["name"],
        )


@pytest.fixture(autouse=True)
def _run_files_in_the_tests_folder(monkeypatch):
    """ImportRun's file fields got their storage when the model class was made, so conftest's
    per-test private folder does not reach them; without this, tests write into var/private."""
    from django.core.files.storage import storages

    for name in ("file", "rejected_file"):
        monkeypatch.setattr(ImportRun._meta.get_field(name), "storage", storages["private"])


@pytest.fixture(autouse=True)
def test_importer():
    registry.register(AliasImporter)
    yield
    registry._IMPORTERS.pop(AliasImporter.slug, None)


@pytest.fixture
def office(make_user):
    return make_user(Role.CAMPAIGN_OFFICE)


@pytest.fixture
def office_client(client, office):
    client.force_login(office)
    return client


ALIASES = """District,Alias,kind
pb-lahore,Lahor,spelling
kp-swat,Swaat,spelling
xx-nowhere,Nowhere,spelling
"""


def upload(client, text, *, importer=AliasImporter.slug, name="aliases.csv", **extra):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        reverse("core:import-new"),
        {"importer": importer, "file": SimpleUploadedFile(name, data, content_type="text/csv"), **extra},
    )


def selected(html, name):
    """The value chosen in the <select name=...> of a page."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, f"no select called {name}"
    chosen = re.search(r'<option value="([^"]*)"[^>]*\bselected\b', select.group(0))
    return chosen.group(1) if chosen else ""


def text_of(html, element_id):
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)<', html, re.S)
    assert found, f"no element #{element_id}"
    return found.group(1).strip()


def detail_url(run):
    return reverse("core:import-detail", kwargs={"pk": run.pk})


def page(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


def make_run(user, text=ALIASES, *, commit=None):
    run = create_run(importer_slug=AliasImporter.slug, data=text.encode(), filename="aliases.csv", user=user)
    if commit is not None:
        execute(run, commit=commit)
        run.refresh_from_db()
    return run


# --- who may see the pages ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["core:import-list", "core:import-new"])
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_visitors_cannot_see_a_run(client, gazetteer, office):
    run = make_run(office)
    response = client.get(detail_url(run))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_partner_may_not_import(client, gazetteer, make_user, office):
    client.force_login(make_user(Role.PARTNER))
    run = make_run(office, commit=True)
    urls = [
        reverse("core:import-list"),
        reverse("core:import-new"),
        detail_url(run),
        reverse("core:import-rejected", kwargs={"pk": run.pk}),
        reverse("core:import-template", kwargs={"slug": "constituencies"}),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    response = upload(client, ALIASES)
    assert response.status_code == 403
    assert ImportRun.objects.count() == 1


def test_someone_elses_run_is_forbidden_unless_they_may_see_all_imports(client, gazetteer, make_user):
    organiser = make_user(Role.ORGANISER, regions=["pb"])
    specialist = make_user(Role.SPECIALIST)
    run = make_run(organiser, commit=False)

    client.force_login(specialist)
    assert client.get(detail_url(run)).status_code == 403
    assert client.post(detail_url(run), {"action": "commit"}).status_code == 403
    assert client.get(reverse("core:import-rejected", kwargs={"pk": run.pk})).status_code == 403
    assert detail_url(run) not in page(client, reverse("core:import-list"))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEWED

    client.force_login(make_user(Role.CAMPAIGN_OFFICE))  # VIEW_ALL_IMPORTS
    html = page(client, detail_url(run))
    assert "aliases.csv" in html


def test_the_upload_form_offers_only_the_users_importers(client, gazetteer, make_user):
    client.force_login(make_user(Role.ORGANISER, regions=["pb"]))
    html = page(client, reverse("core:import-new"))
    assert 'value="areas"' in html
    assert 'value="constituencies"' not in html  # organisers do not manage seats


# --- the whole journey -------------------------------------------------------------------------


def test_upload_check_and_import(office_client, gazetteer, office):
    response = upload(office_client, ALIASES)
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(run)
    assert run.user == office
    assert run.status == ImportRun.Status.UPLOADED

    # The columns were matched by their headers and aliases.
    html = page(office_client, detail_url(run))
    assert "Check the rows" in html
    assert selected(html, "area") == "District"
    assert selected(html, "name") == "Alias"
    assert selected(html, "kind") == "kind"
    assert "3 rows" in html

    # Check the rows: counts and reasons, nothing stored yet.
    response = office_client.post(
        detail_url(run), {"action": "check", "area": "District", "name": "Alias", "kind": "kind"}
    )
    assert response.status_code == 302
    html = page(office_client, detail_url(run))
    assert "What importing would do" in html
    assert text_of(html, "count-create") == "2"
    assert text_of(html, "count-error") == "1"
    assert "Unknown area code &#x27;xx-nowhere&#x27;." in html
    assert "Import 2 rows" in html
    assert not AreaAlias.objects.filter(name__in=["Lahor", "Swaat"]).exists()

    # Import: the result page shows what was done.
    response = office_client.post(detail_url(run), {"action": "commit"})
    assert response.status_code == 302
    html = page(office_client, detail_url(run))
    assert "Result" in html
    assert text_of(html, "count-create") == "2"
    assert text_of(html, "count-error") == "1"
    assert text_of(html, "run-status") == "Imported"
    assert "Import 2 rows" not in html
    assert "Check the rows" not in html
    assert set(AreaAlias.objects.filter(name__in=["Lahor", "Swaat"]).values_list("name", flat=True)) == {
        "Lahor",
        "Swaat",
    }
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT, user=office).count() == 1


def test_the_check_can_use_another_column(office_client, gazetteer):
    upload(office_client, "District,Alias,Spelling\npb-lahore,Lahor,Lahore Cantt\n")
    run = ImportRun.objects.get()
    office_client.post(detail_url(run), {"action": "check", "area": "District", "name": "Spelling"})
    run.refresh_from_db()
    assert run.column_map == {"area": "District", "name": "Spelling"}
    html = page(office_client, detail_url(run))
    assert "Lahore Cantt" in html
    assert selected(html, "name") == "Spelling"
    assert selected(html, "kind") == ""


def test_the_check_refuses_a_missing_required_column_and_one_column_used_twice(office_client, gazetteer):
    upload(office_client, ALIASES)
    run = ImportRun.objects.get()
    response = office_client.post(detail_url(run), {"action": "check", "area": "District", "name": ""})
    assert response.status_code == 200
    assert "Choose the column that holds this; it is required." in response.content.decode()
    response = office_client.post(
        detail_url(run), {"action": "check", "area": "District", "name": "District"}
    )
    assert "The column District is already used for Area code." in response.content.decode()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UPLOADED


def test_nothing_to_import_when_every_row_is_already_stored(office_client, gazetteer, office):
    make_run(office, commit=True)
    run = make_run(office, commit=False)
    html = page(office_client, detail_url(run))
    assert text_of(html, "count-unchanged") == "2"
    assert "Nothing to import" in html
    assert "This exact file was imported before" in html


def test_the_import_button_counts_rows_to_create_and_update(office_client, gazetteer, office):
    make_run(office, commit=True)
    run = make_run(office, ALIASES.replace("Swaat,spelling", "Swaat,former"), commit=False)
    html = page(office_client, detail_url(run))
    assert text_of(html, "count-update") == "1"
    assert "Import 1 row<" in html
    assert "kind: spelling → former" in html


def test_cancel(office_client, gazetteer, office):
    run = make_run(office, commit=False)
    response = office_client.post(detail_url(run), {"action": "cancel"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CANCELLED
    assert office_client.post(detail_url(run), {"action": "commit"}).status_code == 200
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CANCELLED
    assert not AreaAlias.objects.filter(name="Lahor").exists()


def test_a_failed_run_shows_why(office_client, gazetteer, make_user, office):
    specialist = make_user(Role.SPECIALIST)
    run = make_run(specialist, commit=False)
    office_client.force_login(specialist)
    html = page(office_client, detail_url(run))
    assert "You are not allowed to use this importer." in html
    assert 'id="summary"' not in html


# --- rejected rows, progress -------------------------------------------------------------------


def test_rejected_rows_download_is_recorded(office_client, gazetteer, office):
    run = make_run(office, commit=True)
    html = page(office_client, detail_url(run))
    url = reverse("core:import-rejected", kwargs={"pk": run.pk})
    assert url in html
    response = office_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="rejected-rows-{run.pk}.csv"' in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["row", "reason", "District", "Alias", "kind"],
        ["4", "Unknown area code 'xx-nowhere'.", "xx-nowhere", "Nowhere", "spelling"],
    ]
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert event.user == office
    assert event.details == {"run": run.pk}


def test_no_rejected_rows_no_download(office_client, gazetteer, office):
    run = make_run(office, ALIASES.replace("xx-nowhere", "kp-swat"), commit=True)
    assert office_client.get(reverse("core:import-rejected", kwargs={"pk": run.pk})).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


def test_the_progress_poll_of_a_running_import_shows_progress(office_client, gazetteer, office):
    run = make_run(office)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.COMMITTING, processed_rows=1)
    response = office_client.get(detail_url(run), {"poll": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "HX-Refresh" not in response
    assert 'id="progress"' in html
    assert "1 / 3" in html
    assert "<html" not in html  # the fragment alone


def test_the_progress_poll_of_a_finished_run_reloads_the_page(office_client, gazetteer, office):
    run = make_run(office, commit=True)
    response = office_client.get(detail_url(run), {"poll": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"


# --- files the upload refuses ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("aliases.csv", b"", "The submitted file is empty."),
        ("aliases.csv", b"\n\n  \n", "The file is empty."),
        ("aliases.pdf", b"%PDF-1.4\n1 0 obj\n", "This is a PDF. Upload the table as CSV or XLSX."),
        ("aliases.csv", b"District,Alias,kind\n", "no rows under it"),
        ("aliases.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old Excel (.xls)"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_with_the_reason(
    office_client, gazetteer, name, data, reason
):
    response = upload(office_client, data, name=name)
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not ImportRun.objects.exists()


def test_an_importer_the_user_may_not_use_is_refused(client, gazetteer, make_user):
    client.force_login(make_user(Role.ORGANISER, regions=["kp"]))  # may import areas, not seats
    response = upload(client, "Seat,District\nNA-1,Chitral\n", importer="constituencies")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_role_without_importers_is_told_so(client, db, make_user, monkeypatch):
    # A specialist may import activities; with only the gazetteer's importers there is none
    # for them.
    from muhim.core.imports import registry

    everything = registry.all_importers()
    monkeypatch.setattr(
        registry,
        "all_importers",
        lambda: [cls for cls in everything if cls.slug in ("areas", "constituencies")],
    )
    client.force_login(make_user(Role.SPECIALIST))
    assert "Your role has no importers." in page(client, reverse("core:import-new"))


def test_an_importer_option_is_stored_with_the_run(office_client, gazetteer):
    upload(
        office_client,
        "Seat,District\nNA-1,Chitral\n",
        importer="constituencies",
        constituencies__delimitation_year="2002",
    )
    run = ImportRun.objects.get()
    assert run.options == {"delimitation_year": 2002}


# --- the list of imports, templates ------------------------------------------------------------


@pytest.fixture
def three_runs(gazetteer, office):
    done = make_run(office, commit=True)
    previewed = make_run(office, ALIASES.replace("Swaat", "Swat Valley"), commit=False)
    seats = create_run(
        importer_slug="constituencies",
        data=b"Seat,District\nNA-1,Chitral\n",
        filename="seats.csv",
        user=office,
    )
    return done, previewed, seats


def test_the_list_filters_by_importer_and_status(office_client, three_runs):
    done, previewed, seats = three_runs
    url = reverse("core:import-list")
    html = page(office_client, url)
    for run in three_runs:
        assert detail_url(run) in html
    html = page(office_client, url, data={"status": "previewed"})
    assert detail_url(previewed) in html
    assert detail_url(done) not in html
    assert detail_url(seats) not in html
    html = page(office_client, url, data={"importer": "constituencies"})
    assert detail_url(seats) in html
    assert detail_url(done) not in html


def test_filtering_the_list_with_htmx_answers_with_the_results_only(office_client, three_runs):
    done, previewed, seats = three_runs
    response = office_client.get(reverse("core:import-list"), {"status": "done"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results">')
    assert detail_url(done) in html
    assert detail_url(previewed) not in html


def test_the_list_exports_the_filtered_rows_as_csv_and_xlsx(office_client, three_runs):
    url = reverse("core:import-list")
    response = office_client.get(url, {"status": "done", "export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Started", "Importer", "File"]
    assert len(rows) == 2
    assert rows[1][1] == "Other names of areas (test)"
    assert rows[1][2] == "aliases.csv"

    response = office_client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4  # the header and three runs

    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).order_by("created_at")
    assert [(e.details["format"], e.details["rows"]) for e in events] == [("csv", 1), ("xlsx", 3)]


def test_the_list_and_its_export_hold_only_the_users_own_runs(client, three_runs, make_user):
    specialist = make_user(Role.SPECIALIST)
    mine = create_run(
        importer_slug="constituencies", data=b"Seat\nNA-1\n", filename="mine.csv", user=specialist
    )
    client.force_login(specialist)
    html = page(client, reverse("core:import-list"))
    assert detail_url(mine) in html
    assert not any(detail_url(run) in html for run in three_runs)
    response = client.get(reverse("core:import-list"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == ["mine.csv"]


def test_the_template_has_the_importers_field_names(office_client, db):
    response = office_client.get(reverse("core:import-template", kwargs={"slug": "constituencies"}))
    assert response.status_code == 200
    assert 'filename="constituencies-template.csv"' in response["Content-Disposition"]
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == ["seat", "seat_name", "district", "other_districts", "province"]


def test_no_template_for_an_importer_the_user_may_not_use(client, make_user):
    client.force_login(make_user(Role.SPECIALIST))
    assert client.get(reverse("core:import-template", kwargs={"slug": "areas"})).status_code == 404
    assert client.get(reverse("core:import-template", kwargs={"slug": "nope"})).status_code == 404


def test_the_file_picker_offers_json_for_the_results_importers(client, gazetteer, office):
    client.force_login(office)
    page = client.get(reverse("core:import-new")).content.decode()
    accept = re.search(r'accept="([^"]+)"', page).group(1)
    assert {".csv", ".xlsx", ".json"} <= set(accept.split(","))
