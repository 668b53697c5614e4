"""What the benchmarks share: Django on a throwaway SQLite database, timing an import through
the framework, and SQLite's own loading of the same CSV as the baseline, in the same run."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 5.0


def setup_django():
    """A fresh, migrated SQLite database with the gazetteer, in a temporary folder."""
    workdir = Path(tempfile.mkdtemp(prefix="muhim-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["TASK_BACKEND"] = "immediate"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from muhim.geography.gazetteer import load_gazetteer

    call_command("migrate", verbosity=0)
    load_gazetteer()
    return workdir


def snapshot(workdir, name):
    """A copy of the benchmark database as it is now (for the same-end-state baseline)."""
    from django.db import connection

    connection.close()
    copy = workdir / f"{name}.sqlite3"
    shutil.copyfile(workdir / "bench.sqlite3", copy)
    return copy


def timed_import(slug, path, *, commit=True, user=None):
    from muhim.core.imports.runner import create_run, execute

    started = time.perf_counter()
    run = create_run(
        importer_slug=slug, data=path.read_bytes(), filename=path.name, user=user, source="command"
    )
    execute(run, commit=commit)
    seconds = time.perf_counter() - started
    run.refresh_from_db()
    if run.status == run.Status.FAILED:
        raise RuntimeError(run.message)
    return seconds, run


def sqlite3_path():
    return shutil.which("sqlite3")


def sqlite_plain_import(csv_path, workdir, columns, *, unique=None):
    """`.import` of the CSV into a table with the CSV's own columns (and its natural key)."""
    db = workdir / "plain-import.sqlite3"
    definitions = ", ".join(f"{c} TEXT" + (" UNIQUE" if c == unique else "") for c in columns)
    started = time.perf_counter()
    subprocess.run(
        [
            sqlite3_path(),
            str(db),
            f"CREATE TABLE t ({definitions});",
            ".mode csv",
            f".import --skip 1 {csv_path} t",
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def sqlite_script(db, script):
    started = time.perf_counter()
    subprocess.run([sqlite3_path(), str(db)], input=script, text=True, check=True, capture_output=True)
    return time.perf_counter() - started


def table_columns(db, table):
    import sqlite3

    connection = sqlite3.connect(db)
    try:
        return [(r[1], r[3]) for r in connection.execute(f"PRAGMA table_info({table})")]  # name, notnull
    finally:
        connection.close()


def print_line(label, seconds, rows, note=""):
    print(f"{label:38s}{seconds:7.2f} s {rows / seconds:10,.0f} rows/s {note}".rstrip())


def print_ratio(label, framework_seconds, baseline_seconds):
    ratio = framework_seconds / baseline_seconds
    verdict = "within" if ratio <= TARGET_RATIO else "above"
    print(f"ratio Muhim / {label}: {ratio:.2f}x ({verdict} the target of {TARGET_RATIO:.0f}x)")
