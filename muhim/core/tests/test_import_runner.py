"""The import runner: preview, commit, chunks, idempotence, rejected rows, permissions."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from openpyxl import Workbook

from muhim.accounts.models import Role
from muhim.accounts.permissions import Capability
from muhim.core.imports import registry
from muhim.core.imports.base import Field, Importer, ModelImporter, Option, Plan, RowError
from muhim.core.imports.readers import FileProblem
from muhim.core.imports.runner import create_run, execute
from muhim.core.models import AuditEvent, ImportRun
from muhim.geography.models import Area, AreaAlias


class AliasImporter(ModelImporter):
    """Other names of areas, keyed by (area, name): a small importer over a model with history."""

    slug = "test-aliases"
    label = "Other names of areas (test)"
    capability = Capability.EDIT_GAZETTEER
    model = AreaAlias
    key_fields = ("area", "name")
    chunk_size = 2
    fields = [
        Field("area", "Area code", required=True, aliases=("district",)),
        Field("name", "Other name", required=True),
        Field("kind", "Kind"),
    ]

    def prepare(self):
        self.areas = {a.code: a for a in Area.objects.all()}

    def parse(self, row):
        area = self.areas.get(row["area"])
        if area is None:
            raise RowError(f"Unknown area code {row['area']!r}.")
        if not row["name"]:
            raise RowError("The other name is empty.")
        kind = row["kind"] or AreaAlias.Kind.SPELLING
        if kind not in AreaAlias.Kind.values:
            raise RowError(f"Kind {kind!r} is not one of {', '.join(AreaAlias.Kind.values)}.")
        return Plan(
            key=(area, row["name"]),
            values={"area": area, "name": row["name"], "kind": kind},
            scope_area=area,
            label=f"{row['name']} ({area.code})",
        )


class FailingAliasImporter(AliasImporter):
    """Writes its chunk, then fails when the chunk holds the name 'boom' — the rows written
    before the failure must be rolled back with it."""

    slug = "test-failing-aliases"

    def write(self, creates, updates):
        super().write(creates, updates)
        if any(plan.values["name"] == "boom" for plan in creates):
            raise ValueError("the database said no")


STORE = {}


class DictImporter(Importer):
    """A model-less importer: key → value in a dict."""

    slug = "test-dict"
    label = "Key-value pairs (test)"
    capability = Capability.RUN_IMPORTS
    fields = [Field("key", "Key", required=True), Field("value", "Value")]
    options = [Option("prefix", "Prefix", default="")]

    def parse(self, row):
        if not row["key"]:
            raise RowError("The key is empty.")
        return Plan(
            key=(row["key"],), values={"value": self.options["prefix"] + row["value"]}, label=row["key"]
        )

    def fetch_existing(self, plans):
        return {plan.key: STORE[plan.key[0]] for plan in plans if plan.key[0] in STORE}

    def changes(self, existing, plan):
        return {} if existing == plan.values["value"] else {"value": (existing, plan.values["value"])}

    def write(self, creates, updates):
        for plan in [*creates, *(p for _existing, p in updates)]:
            STORE[plan.key[0]] = plan.values["value"]


TEST_IMPORTERS = [AliasImporter, FailingAliasImporter, DictImporter]


@pytest.fixture(autouse=True)
def _run_files_in_the_tests_folder(monkeypatch):
    """ImportRun's file fields got their storage when the model class was made, so conftest's
    per-test private folder does not reach them; without this, tests write into var/private."""
    from django.core.files.storage import storages

    for name in ("file", "rejected_file"):
        monkeypatch.setattr(ImportRun._meta.get_field(name), "storage", storages["private"])


@pytest.fixture(autouse=True)
def test_importers():
    for cls in TEST_IMPORTERS:
        registry.register(cls)
    STORE.clear()
    yield
    for cls in TEST_IMPORTERS:
        registry._IMPORTERS.pop(cls.slug, None)
    STORE.clear()


@pytest.fixture
def office(make_user):
    return make_user(Role.CAMPAIGN_OFFICE)


def run_import(
    text, *, slug="test-aliases", user=None, commit=True, options=None, name="aliases.csv", **kwargs
):
    data = text.encode("utf-8") if isinstance(text, str) else text
    run = create_run(importer_slug=slug, data=data, filename=name, user=user, options=options)
    return execute(run, commit=commit, **kwargs)


def counts(run):
    return {"create": run.created, "update": run.updated, "unchanged": run.unchanged, "error": run.errors}


def alias_names(area_code):
    return set(AreaAlias.objects.filter(area__code=area_code).values_list("name", flat=True))


def rejected_rows(run):
    data = run.rejected_file.open("rb").read()
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to open Urdu correctly"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


ALIASES = """area,name,kind
pb-lahore,Lahor,spelling
pb-lahore,لہور,spelling
kp-swat,Swaat,spelling
"""


# --- preview and commit -------------------------------------------------------------------------


def test_preview_counts_every_kind_of_row_and_stores_nothing(gazetteer, office):
    lahore = gazetteer("pb-lahore")
    AreaAlias.objects.create(area=lahore, name="Lahor", kind="former")  # will be updated
    AreaAlias.objects.create(area=lahore, name="Lahore City", kind="spelling")  # unchanged
    aliases_before = AreaAlias.objects.count()
    history_before = AreaAlias.history.count()
    text = """area,name,kind
pb-lahore,Lahor,spelling
pb-lahore,Lahore City,spelling
kp-swat,Swaat,spelling
xx-nowhere,Nowhere,spelling
"""
    run = run_import(text, user=office, commit=False)

    assert run.status == ImportRun.Status.PREVIEWED
    assert counts(run) == {"create": 1, "update": 1, "unchanged": 1, "error": 1}
    assert run.preview["counts"] == {"create": 1, "update": 1, "unchanged": 1, "error": 1}
    [update] = run.preview["samples"]["update"]
    assert update["row"] == 2
    assert update["changes"] == {"kind": ["former", "spelling"]}
    assert [s["row"] for s in run.preview["samples"]["create"]] == [4]
    assert [e["row"] for e in run.preview["errors"]] == [5]
    assert AreaAlias.objects.count() == aliases_before
    assert AreaAlias.history.count() == history_before
    assert AreaAlias.objects.get(area=lahore, name="Lahor").kind == "former"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_commit_stores_the_rows(gazetteer, office):
    run = run_import(ALIASES, user=office)
    assert run.status == ImportRun.Status.DONE
    assert counts(run) == {"create": 3, "update": 0, "unchanged": 0, "error": 0}
    assert {"Lahor", "لہور"} <= alias_names("pb-lahore")
    assert "Swaat" in alias_names("kp-swat")
    history = AreaAlias.history.filter(name="Lahor").get()
    assert history.history_user == office
    assert f"import #{run.pk}" in history.history_change_reason


def test_commit_after_preview_uses_the_same_run(gazetteer, office):
    run = run_import(ALIASES, user=office, commit=False)
    assert "Swaat" not in alias_names("kp-swat")
    run = execute(run, commit=True)
    assert run.status == ImportRun.Status.DONE
    assert run.created == 3
    assert "Swaat" in alias_names("kp-swat")


def test_importing_the_same_file_twice_changes_nothing_the_second_time(gazetteer, office):
    first = run_import(ALIASES, user=office)
    aliases, history = AreaAlias.objects.count(), AreaAlias.history.count()

    second = run_import(ALIASES, user=office)

    assert counts(first) == {"create": 3, "update": 0, "unchanged": 0, "error": 0}
    assert counts(second) == {"create": 0, "update": 0, "unchanged": 3, "error": 0}
    assert AreaAlias.objects.count() == aliases
    assert AreaAlias.history.count() == history


def test_a_changed_row_updates_the_record_and_leaves_history(gazetteer, office):
    run_import(ALIASES, user=office)
    run = run_import(ALIASES.replace("kp-swat,Swaat,spelling", "kp-swat,Swaat,former"), user=office)
    assert counts(run) == {"create": 0, "update": 1, "unchanged": 2, "error": 0}
    alias = AreaAlias.objects.get(name="Swaat")
    assert alias.kind == "former"
    assert [h.kind for h in alias.history.all()] == ["former", "spelling"]


def test_a_model_less_importer_with_an_option(db):
    STORE["a"] = "x-1"
    run = run_import("key,value\na,1\nb,2\n", slug="test-dict", options={"prefix": "x-"})
    assert counts(run) == {"create": 1, "update": 0, "unchanged": 1, "error": 0}
    assert STORE == {"a": "x-1", "b": "x-2"}
    assert run.options == {"prefix": "x-"}


# --- rejected rows -----------------------------------------------------------------------------


BAD_ROWS = """area,name,kind
pb-lahore,Lahor,spelling
xx-nowhere,Nowhere,spelling
kp-swat,,spelling
kp-swat,سوات شریف,nickname
kp-swat,Swaat,spelling
"""


def test_row_errors_are_listed_with_row_numbers_and_reasons_and_good_rows_are_stored(gazetteer, office):
    run = run_import(BAD_ROWS, user=office)
    assert run.status == ImportRun.Status.DONE
    assert counts(run) == {"create": 2, "update": 0, "unchanged": 0, "error": 3}
    errors = {e["row"]: " ".join(e["messages"]) for e in run.preview["errors"]}
    assert errors == {
        3: "Unknown area code 'xx-nowhere'.",
        4: "The other name is empty.",
        5: "Kind 'nickname' is not one of spelling, former, split, merged.",
    }
    assert "Lahor" in alias_names("pb-lahore")
    assert alias_names("kp-swat") >= {"Swaat"}
    assert "سوات شریف" not in alias_names("kp-swat")


def test_rejected_csv_holds_exactly_the_bad_rows_with_a_reason_and_their_original_cells(gazetteer, office):
    run = run_import(BAD_ROWS, user=office)
    rows = rejected_rows(run)
    assert rows[0] == ["row", "reason", "area", "name", "kind"]
    assert rows[1:] == [
        ["3", "Unknown area code 'xx-nowhere'.", "xx-nowhere", "Nowhere", "spelling"],
        ["4", "The other name is empty.", "kp-swat", "", "spelling"],
        [
            "5",
            "Kind 'nickname' is not one of spelling, former, split, merged.",
            "kp-swat",
            "سوات شریف",
            "nickname",
        ],
    ]


def test_rejected_csv_includes_rows_the_reader_could_not_read(gazetteer, office):
    data = b"area,name,kind\npb-lahore,Lahor,spelling\nkp-swat,Sw\x00at,spelling\nkp-swat,Swat,x,y\n"
    run = run_import(data, user=office)
    assert run.created == 1
    errors = {e["row"]: " ".join(e["messages"]) for e in run.preview["errors"]}
    assert "bytes that are not valid text" in errors[3]
    assert "4 values" in errors[4]
    assert "3 columns" in errors[4]
    assert [row[0] for row in rejected_rows(run)[1:]] == ["3", "4"]
    assert rejected_rows(run)[2][2:] == ["kp-swat", "Swat", "x", "y"]


def test_checking_then_importing_keeps_one_rejected_file(gazetteer, office):
    run = run_import(BAD_ROWS, user=office, commit=False)
    run = execute(run, commit=True)
    files = list(Path(settings.PRIVATE_MEDIA_ROOT).rglob("rejected-*.csv"))
    assert [f.name for f in files] == [Path(run.rejected_file.name).name]
    assert len(rejected_rows(run)) == 4


def test_no_rejected_file_when_every_row_is_good(gazetteer, office):
    run = run_import(ALIASES, user=office)
    assert not run.rejected_file


def test_a_commit_that_rejects_nothing_removes_the_preview_rejected_file(gazetteer, office):
    run = run_import("key,value\n,1\nb,2\n", slug="test-dict", commit=False)
    assert run.rejected_file
    run.column_map = {"key": "value"}  # now every row has a key
    run.save()
    run = execute(run, commit=True)
    assert run.errors == 0
    assert not run.rejected_file


# --- duplicates within a file ------------------------------------------------------------------


def test_a_repeated_row_is_counted_once_with_a_warning(gazetteer, office):
    text = "area,name,kind\npb-lahore,Lahor,spelling\nkp-swat,Swaat,spelling\npb-lahore,Lahor,spelling\n"
    run = run_import(text, user=office)
    assert counts(run) == {"create": 2, "update": 0, "unchanged": 1, "error": 0}
    assert run.warnings == 1
    [repeat] = [s for s in run.preview["samples"]["unchanged"] if s["row"] == 4]
    assert repeat["warnings"] == ["Same as row 2; counted once."]
    assert AreaAlias.objects.filter(name="Lahor").count() == 1


def test_a_repeated_key_with_different_values_is_rejected_naming_the_first_row(gazetteer, office):
    text = "area,name,kind\npb-lahore,Lahor,spelling\nkp-swat,Swaat,spelling\npb-lahore,Lahor,former\n"
    run = run_import(text, user=office)
    assert counts(run) == {"create": 2, "update": 0, "unchanged": 0, "error": 1}
    [error] = run.preview["errors"]
    assert error["row"] == 4
    assert "already appears in row 2" in error["messages"][0]
    assert "Lahor (pb-lahore)" in error["messages"][0]
    assert AreaAlias.objects.get(name="Lahor").kind == "spelling"


# --- chunks ------------------------------------------------------------------------------------


def test_a_failing_chunk_is_rolled_back_alone_and_its_rows_reported(gazetteer, office):
    text = """area,name,kind
pb-lahore,One,spelling
pb-lahore,Two,spelling
pb-lahore,Three,spelling
pb-lahore,boom,spelling
pb-lahore,Five,spelling
"""
    history_before = AreaAlias.history.count()
    run = run_import(text, slug="test-failing-aliases", user=office)

    assert run.status == ImportRun.Status.DONE
    # Chunks of two: rows 2–3, 4–5 (fails: "Three" was written before the error), 6.
    assert alias_names("pb-lahore") >= {"One", "Two", "Five"}
    assert not alias_names("pb-lahore") & {"Three", "boom"}
    assert AreaAlias.history.count() == history_before + 3
    assert counts(run) == {"create": 3, "update": 0, "unchanged": 0, "error": 2}
    errors = {e["row"]: " ".join(e["messages"]) for e in run.preview["errors"]}
    assert set(errors) == {4, 5}
    for message in errors.values():
        assert "rows 4–5" in message
        assert "the database said no" in message
        assert "Nothing from these rows was stored" in message
    assert run.preview["failed_chunks"] == [[4, 5, "the database said no"]]
    assert [row[0] for row in rejected_rows(run)[1:]] == ["4", "5"]


def test_progress_reaches_the_total_after_each_chunk(gazetteer, office):
    text = "area,name\n" + "".join(f"pb-lahore,Name {n}\n" for n in range(5))
    seen = []
    run = run_import(text, user=office, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(2, 5), (4, 5), (5, 5)]
    run.refresh_from_db()
    assert (run.processed_rows, run.total_rows) == (5, 5)
    assert run.progress_percent == 100


# --- whole-run failures ------------------------------------------------------------------------


def test_a_missing_required_column_fails_the_run_listing_the_files_columns(gazetteer, office):
    run = run_import("district,alias\npb-lahore,Lahor\n", user=office)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "Other name" in run.message
    assert "district, alias" in run.message
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_a_user_without_the_importers_capability_gets_a_failed_run(gazetteer, make_user):
    specialist = make_user(Role.SPECIALIST)  # may run imports, but not edit the gazetteer
    run = run_import(ALIASES, user=specialist)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "not allowed" in run.message
    assert "Swaat" not in alias_names("kp-swat")


def test_an_unexpected_error_fails_the_run_with_a_message(gazetteer, office, monkeypatch):
    def broken_prepare(self):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(AliasImporter, "prepare", broken_prepare)
    run = run_import(ALIASES, user=office)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "unexpected error" in run.message
    assert "division by zero" in run.message


def test_an_organiser_imports_only_inside_their_regions(gazetteer, make_user):
    organiser = make_user(Role.ORGANISER, regions=["kp-malakand-division"])
    text = """level,name,parent
tehsil,Babuzai,kp-swat
tehsil,Raiwind,pb-lahore
tehsil,Mastuj,kp-upper-chitral
"""
    run = run_import(text, slug="areas", user=organiser)
    assert run.status == ImportRun.Status.DONE
    assert counts(run) == {"create": 2, "update": 0, "unchanged": 0, "error": 1}
    [error] = run.preview["errors"]
    assert error["row"] == 3
    assert "Lahore is outside your regions (Malakand)" in error["messages"][0]
    tehsils = set(Area.objects.filter(level=Area.Level.TEHSIL).values_list("code", flat=True))
    assert tehsils == {"kp-swat-babuzai", "kp-upper-chitral-mastuj"}
    assert Area.objects.get(code="kp-swat-babuzai").path.startswith("kp/kp-malakand-division/kp-swat/")


def test_a_changed_parent_is_shown_by_name_in_the_preview(gazetteer, office):
    run_import("level,name,parent,code\ntehsil,Babuzai,kp-swat,kp-babuzai\n", slug="areas", user=office)
    run = run_import(
        "level,name,parent,code\ntehsil,Babuzai,kp-buner,kp-babuzai\n",
        slug="areas",
        user=office,
        commit=False,
    )
    assert run.updated == 1
    [sample] = run.preview["samples"]["update"]
    assert sample["changes"]["parent"] == ["Swat", "Buner"]


def test_an_organiser_without_regions_cannot_import(gazetteer, make_user):
    organiser = make_user(Role.ORGANISER)
    run = run_import("level,name,parent\ntehsil,Babuzai,kp-swat\n", slug="areas", user=organiser)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert not Area.objects.filter(level=Area.Level.TEHSIL).exists()


def test_a_failed_check_no_longer_shows_the_counts_of_an_earlier_one(gazetteer, office):
    run = run_import(BAD_ROWS, user=office, commit=False)
    assert run.errors == 3
    assert run.rejected_file
    run.column_map = {"area": "area", "name": "kind"}
    run.column_map.pop("name")  # the user unmapped a required column
    run.save()
    run = execute(run, commit=False)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert counts(run) == {"create": 0, "update": 0, "unchanged": 0, "error": 0}
    assert "counts" not in run.preview
    assert run.preview["headers"] == ["area", "name", "kind"]
    assert not run.rejected_file


def test_an_unexpected_error_midway_says_what_was_stored(gazetteer, office, monkeypatch):
    original = AliasImporter.parse

    def parse_with_a_bug(self, row):
        if row["name"] == "Three":
            raise TypeError("a bug in the importer")
        return original(self, row)

    monkeypatch.setattr(AliasImporter, "parse", parse_with_a_bug)
    text = "area,name\npb-lahore,One\npb-lahore,Two\npb-lahore,Three\npb-lahore,Four\n"
    run = run_import(text, user=office)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "a bug in the importer" in run.message
    assert "The first 2 rows were dealt with" in run.message
    assert "Importing the same file again is safe" in run.message
    assert alias_names("pb-lahore") >= {"One", "Two"}


# --- the audit log -----------------------------------------------------------------------------


def test_an_audit_event_is_recorded_on_commit_only(gazetteer, office):
    run = run_import(ALIASES, user=office, commit=False)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()
    execute(run, commit=True)
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert event.user == office
    assert event.subject == "Other names of areas (test)"
    assert event.details["run"] == run.pk
    assert event.details["file"] == "aliases.csv"
    assert event.details["counts"] == {"create": 3, "update": 0, "unchanged": 0, "error": 0}


# --- the background tasks ----------------------------------------------------------------------


def test_a_commit_task_queued_twice_imports_once(gazetteer, office):
    from muhim.core.imports.tasks import commit_import, preview_import

    run = run_import(ALIASES, user=office, commit=False)
    commit_import.enqueue(run.pk)
    commit_import.enqueue(run.pk)  # a second click, or a retried job
    preview_import.enqueue(run.pk)  # a stale preview must not reopen the import either
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE
    assert counts(run) == {"create": 3, "update": 0, "unchanged": 0, "error": 0}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count() == 1


def test_a_cancelled_run_is_not_imported_by_a_queued_task(gazetteer, office):
    from muhim.core.imports.tasks import commit_import

    run = run_import(ALIASES, user=office, commit=False)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.CANCELLED)
    commit_import.enqueue(run.pk)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CANCELLED
    assert "Swaat" not in alias_names("kp-swat")


# --- files the runner refuses ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"area,name,kind\n", "no rows"),
        (b"%PDF-1.4\n", "PDF"),
    ],
)
def test_create_run_refuses_files_without_rows_and_stores_nothing(db, data, message):
    with pytest.raises(FileProblem, match=message):
        create_run(importer_slug="test-aliases", data=data, filename="aliases.csv")
    assert not ImportRun.objects.exists()


def test_create_run_refuses_an_unknown_importer_and_a_bad_option(db):
    with pytest.raises(FileProblem, match="no importer called nope"):
        create_run(importer_slug="nope", data=b"a\n1\n", filename="x.csv")
    with pytest.raises(FileProblem, match="Delimitation year must be a whole number, not 'twenty'"):
        create_run(
            importer_slug="constituencies",
            data=b"seat\nNA-1\n",
            filename="x.csv",
            options={"delimitation_year": "twenty"},
        )
    assert not ImportRun.objects.exists()


@override_settings(MUHIM_IMPORT_MAX_BYTES=1000)
def test_create_run_refuses_a_file_over_the_limit(db):
    with pytest.raises(FileProblem, match="largest file accepted"):
        create_run(importer_slug="test-aliases", data=b"area,name\n" + b"x,y\n" * 500, filename="big.csv")


def test_an_xlsx_file_goes_through_the_same_way(db):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Key", "Value"])
    sheet.append(["count", 12])
    sheet.append(["day", date(2018, 7, 25)])
    sheet.append([None, "no key"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    run = run_import(buffer.getvalue(), slug="test-dict", name="pairs.xlsx")
    assert counts(run) == {"create": 2, "update": 0, "unchanged": 0, "error": 1}
    assert STORE == {"count": "12", "day": "2018-07-25"}
    assert run.preview["errors"] == [
        {"row": 4, "label": "", "messages": ["The key is empty."], "warnings": [], "changes": {}}
    ]


def test_auto_map_tells_urdu_headers_apart():
    class UrduLabels(DictImporter):
        fields = [Field("key", "کلید", required=True), Field("value", "قدر")]

    assert UrduLabels.auto_map(["قدر", "کلید"]) == {"key": "کلید", "value": "قدر"}
    assert UrduLabels.auto_map(["ضلع", "تحصیل"]) == {}
    assert AliasImporter.auto_map(["ضلع", "نام", "AREA_CODE"]) == {"area": "AREA_CODE"}


def test_create_run_maps_columns_by_name_label_and_alias(db):
    run = create_run(
        importer_slug="test-aliases", data=b"District,Other Name,KIND\nx,y,z\n", filename="a.csv"
    )
    assert run.column_map == {"area": "District", "name": "Other Name", "kind": "KIND"}
    assert run.total_rows == 1
    assert run.status == ImportRun.Status.UPLOADED
