"""Running an importer over a file: the same code behind the web upload (as a background task)
and `manage.py import`.

A run reads the whole file, validates every row, and sorts it into create / update /
unchanged / error. A dry run (the preview) stops there. A commit writes chunk by chunk, each
chunk in its own transaction: a chunk that fails is rolled back and its rows reported, the
others stay. Rows are matched to existing records by the importer's natural key, so importing
the same file twice changes nothing the second time.
"""

import csv
import hashlib
import io
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from muhim.accounts.permissions import is_regional, user_can
from muhim.core.models import AuditEvent, ImportRun

from .base import Importer, Plan, RowError
from .readers import FileProblem, read_table
from .registry import get_importer

logger = logging.getLogger(__name__)

SAMPLES_PER_ACTION = 20
ERRORS_LISTED = 500
ACTIONS = ("create", "update", "unchanged", "error")


@dataclass(slots=True)
class Outcome:
    """What happened to one row. One is made per row of a 100,000-row file: keep it light."""

    number: int
    action: str
    label: str = ""
    messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: dict = field(default_factory=dict)
    cells: list[str] = field(default_factory=list)

    def as_sample(self):
        return {
            "row": self.number,
            "label": self.label,
            "messages": self.messages,
            "warnings": self.warnings,
            "changes": {k: [_display(o), _display(n)] for k, (o, n) in self.changes.items()},
        }


def _display(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple | set):
        return ", ".join(sorted(str(v) for v in value))
    return str(value)


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def create_run(*, importer_slug, data: bytes, filename, user=None, options=None, source="web"):
    """Store an uploaded file as a new run and map its columns. Raises FileProblem (with a
    message for the user) when the file cannot be read at all or the options are wrong."""
    importer_cls = get_importer(importer_slug)
    if importer_cls is None:
        raise FileProblem(_("There is no importer called %(slug)s.") % {"slug": importer_slug})
    limit = settings.MUHIM_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise FileProblem(
            _("The file is %(size)s MB; the largest file accepted is %(limit)s MB. Split it into parts.")
            % {"size": round(len(data) / 1e6, 1), "limit": round(limit / 1e6)}
        )
    try:
        cleaned_options = importer_cls.clean_options(options or {})
    except ValueError as exc:
        raise FileProblem(str(exc)) from exc
    table = read_table(data, filename)
    if not table.rows:
        raise FileProblem(
            _("The file has a header row (%(headers)s) but no rows under it.")
            % {"headers": ", ".join(table.headers)}
        )
    run = ImportRun(
        importer=importer_slug,
        user=user,
        source=source,
        original_name=filename[:255],
        file_sha256=file_digest(data),
        file_size=len(data),
        options=cleaned_options,
        column_map=importer_cls.auto_map(table.headers),
        total_rows=len(table),
        preview={"headers": table.headers, "notes": [str(n) for n in table.notes]},
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    run.file.save(filename, ContentFile(data), save=False)
    run.save()
    # Kept for an execute() in this same process (the command line); a worker reads the file.
    run._table = (run.file_sha256, table)
    return run


def missing_required(importer_cls, column_map, headers):
    return [f for f in importer_cls.fields if f.required and column_map.get(f.name) not in headers]


def earlier_runs_of_same_file(run):
    return ImportRun.objects.filter(
        importer=run.importer, file_sha256=run.file_sha256, status=ImportRun.Status.DONE
    ).exclude(pk=run.pk)


class RunFailed(Exception):
    pass


def execute(run: ImportRun, *, commit: bool, progress=None):
    """Preview (commit=False) or import (commit=True) `run`. Never raises for bad rows or a bad
    file: the run ends FAILED with a message instead. `progress(done, total)` is called after
    each chunk. The notes and row errors are written in the language the file was uploaded in,
    also when a worker (which has no request and no language of its own) runs it."""
    with translation.override(run.language or settings.LANGUAGE_CODE):
        return _execute(run, commit=commit, progress=progress)


def _execute(run: ImportRun, *, commit: bool, progress=None):
    importer_cls = run.importer_class()
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.COMMITTING if commit else ImportRun.Status.PREVIEWING,
        started_at=timezone.now(),
        processed_rows=0,
    )
    run.refresh_from_db()
    try:
        if importer_cls is None:
            raise RunFailed(_("The importer %(slug)s no longer exists.") % {"slug": run.importer})
        if run.user is not None and not user_can(run.user, importer_cls.capability):
            raise RunFailed(_("You are not allowed to use this importer."))
        cached = getattr(run, "_table", None)
        if cached is not None and cached[0] == run.file_sha256:
            table = cached[1]
        else:
            with run.file.open("rb") as fh:
                table = read_table(fh.read(), run.original_name)
        missing = missing_required(importer_cls, run.column_map, table.headers)
        if missing:
            raise RunFailed(
                _("The file has no column for %(fields)s. Its columns are: %(headers)s.")
                % {
                    "fields": ", ".join(str(f.label) for f in missing),
                    "headers": ", ".join(table.headers),
                }
            )
        reason = _("import #%(id)s (%(file)s)") % {"id": run.pk, "file": run.original_name}
        importer = importer_cls(user=run.user, options=run.options, change_reason=reason[:100])
        report = _Report(table.headers)
        _process(importer, run, table, commit=commit, report=report, progress=progress)
    except (RunFailed, FileProblem) as exc:
        _finish_failed(run, str(exc))
        return run
    except Exception as exc:
        logger.exception("Import run %s failed", run.pk)
        message = _("The import stopped because of an unexpected error: %(error)s") % {"error": exc}
        saved_up_to = ImportRun.objects.filter(pk=run.pk).values_list("processed_rows", flat=True).first()
        if commit and saved_up_to:
            message += " " + _(
                "The first %(n)s rows were dealt with before it stopped and what they stored stays. "
                "Importing the same file again is safe: it skips what is already stored."
            ) % {"n": saved_up_to}
        _finish_failed(run, message)
        return run

    run.created, run.updated = report.counts["create"], report.counts["update"]
    run.unchanged, run.errors = report.counts["unchanged"], report.counts["error"]
    run.warnings = report.warning_count
    run.total_rows = len(table)
    run.processed_rows = len(table)
    run.preview = {
        "headers": table.headers,
        "notes": [str(n) for n in table.notes],
        "summary": [str(line) for line in importer.summary()],
        "counts": report.counts,
        "samples": report.samples,
        "errors": report.errors,
        "committed": commit,
        "failed_chunks": report.failed_chunks,
    }
    if run.rejected_file:  # the previous check's file; replaced, not left behind
        run.rejected_file.delete(save=False)
    if report.rejected_rows:
        run.rejected_file.save(f"rejected-{run.pk}.csv", ContentFile(report.rejected_csv()), save=False)
    run.status = ImportRun.Status.DONE if commit else ImportRun.Status.PREVIEWED
    run.finished_at = timezone.now()
    run.save()
    if commit:
        AuditEvent.objects.create(
            user=run.user,
            action=AuditEvent.Action.IMPORT,
            subject=str(importer_cls.label),
            details={
                "run": run.pk,
                "file": run.original_name,
                "sha256": run.file_sha256,
                "counts": report.counts,
            },
        )
    return run


def _finish_failed(run, message):
    """A failed run shows why, and no longer the counts or rejected rows of an earlier check,
    which described a different column mapping or file."""
    run.status = ImportRun.Status.FAILED
    run.message = message
    run.finished_at = timezone.now()
    run.created = run.updated = run.unchanged = run.errors = run.warnings = 0
    run.preview = {key: run.preview[key] for key in ("headers", "notes") if key in (run.preview or {})}
    if run.rejected_file:
        run.rejected_file.delete(save=False)
    run.save(
        update_fields=[
            "status",
            "message",
            "finished_at",
            "created",
            "updated",
            "unchanged",
            "errors",
            "warnings",
            "preview",
            "rejected_file",
        ]
    )


class _Report:
    def __init__(self, headers):
        self.headers = headers
        self.counts = dict.fromkeys(ACTIONS, 0)
        self.samples = {action: [] for action in ACTIONS if action != "error"}
        self.errors = []
        self.rejected_rows = []
        self.warning_count = 0
        self.failed_chunks = []

    def add(self, outcome: Outcome):
        self.counts[outcome.action] += 1
        if outcome.warnings:
            self.warning_count += 1
        if outcome.action == "error":
            if len(self.errors) < ERRORS_LISTED:
                self.errors.append(outcome.as_sample())
            self.rejected_rows.append([outcome.number, " ".join(outcome.messages), *outcome.cells])
        elif len(self.samples[outcome.action]) < SAMPLES_PER_ACTION or (
            outcome.warnings and len(self.samples[outcome.action]) < SAMPLES_PER_ACTION * 5
        ):
            self.samples[outcome.action].append(outcome.as_sample())

    def rejected_csv(self):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([_("row"), _("reason"), *self.headers])
        writer.writerows(self.rejected_rows)
        # A byte-order mark so that Excel opens Urdu text correctly.
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _process(importer, run, table, *, commit, report, progress):
    column_map = run.column_map
    index_of = {name: table.headers.index(h) for name, h in column_map.items() if h in table.headers}
    # (field, column index) for mapped fields; unmapped fields read as "".
    mapped = [(f.name, index_of[f.name]) for f in importer.fields if f.name in index_of]
    blank = {f.name: "" for f in importer.fields}
    regional = run.user is not None and is_regional(run.user)
    seen = {}
    importer.prepare()
    rows = table.rows

    def values_of(source):
        cells = source.cells
        width = len(cells)
        values = dict(blank)
        for name, index in mapped:
            if index < width:
                values[name] = cells[index]
        return values

    if type(importer).prepare_rows is not Importer.prepare_rows:
        importer.prepare_rows([values_of(source) for source in rows if not source.problems])
    size = importer.chunk_size
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        outcomes, plans = [], []
        for source in chunk:
            outcome = Outcome(number=source.number, action="error", cells=source.cells)
            if source.warnings:
                outcome.warnings.extend(str(w) for w in source.warnings)
            if source.problems:
                outcome.messages.extend(str(p) for p in source.problems)
                outcomes.append((outcome, None))
                continue
            try:
                plan = importer.parse(values_of(source))
                if regional:
                    _check_scope(importer, run.user, plan)
                first = seen.get(plan.key)
                if first is not None:
                    if first[1] == plan.values and first[2] == plan.related:
                        outcome.warnings.append(_("Same as row %(row)s; counted once.") % {"row": first[0]})
                        outcome.action = "unchanged"
                        outcome.label = plan.label
                        outcomes.append((outcome, None))
                        continue
                    raise RowError(
                        _("%(label)s already appears in row %(row)s with different values.")
                        % {"label": plan.label or plan.key, "row": first[0]}
                    )
                seen[plan.key] = (source.number, plan.values, plan.related)
            except RowError as exc:
                outcome.messages.append(str(exc))
                outcomes.append((outcome, None))
                continue
            outcome.label = plan.label
            outcome.warnings.extend(plan.warnings)
            outcomes.append((outcome, plan))
            plans.append(plan)

        existing = importer.fetch_existing(plans)
        creates, updates = [], []
        for outcome, plan in outcomes:
            if plan is None:
                continue
            current = existing.get(plan.key)
            if current is None:
                outcome.action = "create"
                creates.append(plan)
            else:
                outcome.changes = importer.changes(current, plan)
                if outcome.changes:
                    outcome.action = "update"
                    updates.append((current, plan))
                else:
                    outcome.action = "unchanged"

        if commit and (creates or updates):
            try:
                with transaction.atomic():
                    importer.write(creates, updates)
            except Exception as exc:
                logger.warning("Import run %s: chunk from row %s failed: %s", run.pk, chunk[0].number, exc)
                first_row, last_row = chunk[0].number, chunk[-1].number
                report.failed_chunks.append([first_row, last_row, str(exc)])
                message = _(
                    "Not saved: rows %(first)s–%(last)s are saved together and saving them failed "
                    "(%(error)s). Nothing from these rows was stored; the rest of the file was."
                ) % {"first": first_row, "last": last_row, "error": exc}
                for outcome, _plan in outcomes:
                    if outcome.action in ("create", "update"):
                        outcome.action = "error"
                        outcome.messages.append(message)
        for outcome, _plan in outcomes:
            report.add(outcome)
        done = min(start + size, len(rows))
        ImportRun.objects.filter(pk=run.pk).update(processed_rows=done)
        if progress:
            progress(done, len(rows))


def _check_scope(importer, user, plan: Plan):
    from muhim.accounts.permissions import user_regions

    if plan.scope_area is None:
        raise RowError(
            _("It is not clear which region this row belongs to, so it cannot be checked against yours.")
        )
    if not user_can(user, importer.capability, plan.scope_area):
        raise RowError(
            _("%(area)s is outside your regions (%(regions)s).")
            % {
                "area": plan.scope_area.name,
                "regions": ", ".join(r.name for r in user_regions(user)) or _("none"),
            }
        )
