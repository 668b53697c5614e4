"""How fast the import framework stores rows, against SQLite's own `.import` of the same CSV
into an equivalent table, measured in the same run on the same machine.

    python -m bench.import_throughput [--rows 100000]

It builds a throwaway SQLite database (migrated, gazetteer loaded, 500 tehsils imported), writes
a CSV of generated union councils, imports it through the `areas` importer exactly as the web
upload and `manage.py import` do (read, map, validate every row, match parents, look up existing
rows, write in chunks inside transactions, with change history), and then loads the same CSV
with the sqlite3 command-line tool twice:

1. `.import` into a table with the CSV's own columns and its natural key (the plain reading of
   "SQLite's own .import into an equivalent table");
2. `.import` into a staging table, then plain SQL that puts the rows into a copy of Muhim's own
   area table and its history table (same columns, constraints and indexes, parents joined by
   code): the same end state, with none of the checking.

It prints rows per second and the ratio to each; the issue's target is at most 5x.
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 5.0


def write_csv(path, rows, tehsils):
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["level", "name", "name_ur", "parent", "code"])
        for i in range(rows):
            tehsil = tehsils[i % len(tehsils)]
            writer.writerow(["union council", f"UC {i}", f"یونین کونسل {i}", tehsil, f"{tehsil}-uc-{i}"])


def same_end_state_baseline(csv_path, workdir, db_path):
    """SQLite doing the same work without Python: the rows end up in an identical area table
    and history table. Starts from a copy of the benchmark database before the import."""
    sqlite = shutil.which("sqlite3")
    if not sqlite:
        return None
    import sqlite3

    db = workdir / "same-end-state.sqlite3"
    shutil.copyfile(db_path, db)
    connection = sqlite3.connect(db)

    def columns(table):
        return [(r[1], r[3]) for r in connection.execute(f"PRAGMA table_info({table})")]  # name, notnull

    now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    area_values = {
        "code": "s.code",
        "level": "'union_council'",
        "path": "p.path || '/' || s.code",
        "name": "s.name",
        "name_ur": "s.name_ur",
        "parent_id": "p.id",
        "province_id": "p.province_id",
        "created_at": now,
        "updated_at": now,
    }
    area_columns = [
        (c, area_values.get(c, "''" if notnull else "NULL"))
        for c, notnull in columns("geography_area")
        if c != "id"
    ]
    history_values = {
        "history_date": now,
        "history_change_reason": "'baseline'",
        "history_type": "'+'",
        "history_user_id": "NULL",
    }
    history_columns = [
        (c, history_values.get(c, f"a.{c}"))
        for c, _notnull in columns("geography_historicalarea")
        if c != "history_id"
    ]
    connection.close()
    script = "\n".join(
        [
            "PRAGMA journal_mode=WAL;",
            "PRAGMA synchronous=NORMAL;",
            "PRAGMA cache_size=-32768;",
            "CREATE TEMP TABLE staging (level TEXT, name TEXT, name_ur TEXT, parent TEXT, code TEXT);",
            ".mode csv",
            f".import --skip 1 {csv_path} staging",
            "BEGIN;",
            f"INSERT INTO geography_area ({', '.join(c for c, _ in area_columns)}) "
            f"SELECT {', '.join(v for _, v in area_columns)} FROM staging s JOIN geography_area p ON p.code = s.parent;",
            f"INSERT INTO geography_historicalarea ({', '.join(c for c, _ in history_columns)}) "
            f"SELECT {', '.join(v for _, v in history_columns)} FROM geography_area a JOIN staging s ON s.code = a.code;",
            "COMMIT;",
        ]
    )
    started = time.perf_counter()
    subprocess.run([sqlite, str(db)], input=script, text=True, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    check = sqlite3.connect(db)
    stored = check.execute("SELECT count(*) FROM geography_area WHERE level = 'union_council'").fetchone()[0]
    check.close()
    return seconds, stored


def sqlite_baseline(csv_path, workdir):
    sqlite = shutil.which("sqlite3")
    if not sqlite:
        return None
    db = workdir / "baseline.sqlite3"
    # The same columns the framework fills, with the same unique key.
    schema = (
        "CREATE TABLE area (level TEXT NOT NULL, name TEXT NOT NULL, name_ur TEXT NOT NULL, "
        "parent TEXT NOT NULL, code TEXT NOT NULL UNIQUE);"
    )
    started = time.perf_counter()
    subprocess.run(
        [sqlite, str(db), schema, ".mode csv", f".import --skip 1 {csv_path} area"],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--tehsils", type=int, default=500)
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="muhim-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["TASK_BACKEND"] = "immediate"
    sys.path.insert(0, str(ROOT)) if str(ROOT) not in sys.path else None
    import django

    django.setup()
    from django.core.management import call_command

    from muhim.core.imports.runner import create_run, execute
    from muhim.geography.gazetteer import load_gazetteer
    from muhim.geography.models import Area

    try:
        call_command("migrate", verbosity=0)
        load_gazetteer()
        districts = list(Area.objects.districts().values_list("code", flat=True))
        tehsil_csv = workdir / "tehsils.csv"
        with tehsil_csv.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["level", "name", "parent"])
            for i in range(args.tehsils):
                writer.writerow(["tehsil", f"Tehsil {i}", districts[i % len(districts)]])
        run = create_run(
            importer_slug="areas", data=tehsil_csv.read_bytes(), filename="tehsils.csv", source="command"
        )
        execute(run, commit=True)
        tehsils = list(Area.objects.filter(level="tehsil").values_list("code", flat=True))

        data_csv = workdir / "union-councils.csv"
        write_csv(data_csv, args.rows, tehsils)
        from django.db import connection

        connection.close()
        before_import = workdir / "before-import.sqlite3"
        shutil.copyfile(workdir / "bench.sqlite3", before_import)
        size_mb = data_csv.stat().st_size / 1e6
        print(f"{args.rows:,} rows, {size_mb:.1f} MB CSV, {len(tehsils)} tehsils as parents")

        started = time.perf_counter()
        preview = create_run(
            importer_slug="areas", data=data_csv.read_bytes(), filename=data_csv.name, source="command"
        )
        execute(preview, commit=False)
        preview_seconds = time.perf_counter() - started

        started = time.perf_counter()
        run = create_run(
            importer_slug="areas", data=data_csv.read_bytes(), filename=data_csv.name, source="command"
        )
        execute(run, commit=True)
        framework_seconds = time.perf_counter() - started
        run.refresh_from_db()
        assert run.created == args.rows and run.errors == 0, (
            run.status,
            run.message,
            run.created,
            run.errors,
        )

        started = time.perf_counter()
        again = create_run(
            importer_slug="areas", data=data_csv.read_bytes(), filename=data_csv.name, source="command"
        )
        execute(again, commit=True)
        repeat_seconds = time.perf_counter() - started
        again.refresh_from_db()
        assert again.unchanged == args.rows, (again.created, again.updated, again.unchanged)

        baseline_seconds = sqlite_baseline(data_csv, workdir)
        end_state = same_end_state_baseline(data_csv, workdir, before_import)

        def line(label, seconds, note=""):
            print(f"{label:34s}{seconds:7.2f} s {args.rows / seconds:10,.0f} rows/s {note}")

        line("preview (dry run)", preview_seconds)
        line("import through Muhim", framework_seconds)
        line("same file again", repeat_seconds, "(all unchanged)")
        if baseline_seconds is None or end_state is None:
            print("sqlite3 command-line tool not found: no baseline (apt-get install sqlite3)")
            return
        end_seconds, stored = end_state
        assert stored == args.rows, stored
        line("sqlite3 .import, the CSV's columns", baseline_seconds)
        line("sqlite3, the same end state", end_seconds, "(.import + SQL into the area and history tables)")
        for label, seconds in (
            ("sqlite3 .import of the CSV", baseline_seconds),
            ("sqlite3 reaching the same end state", end_seconds),
        ):
            ratio = framework_seconds / seconds
            verdict = "within" if ratio <= TARGET_RATIO else "above"
            print(f"ratio Muhim / {label}: {ratio:.2f}x ({verdict} the target of {TARGET_RATIO:.0f}x)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
