"""How fast the import framework stores rows, against SQLite's own `.import` of the same CSV
into an equivalent table, measured in the same run on the same machine.

    python -m bench.import_throughput [--rows 100000]

It builds a throwaway SQLite database (migrated, gazetteer loaded, 500 tehsils imported), writes
a CSV of generated union councils, imports it through the `areas` importer exactly as the web
upload and `manage.py import` do (read, map, validate every row, match parents, look up existing
rows, write in chunks inside transactions, with change history), and then imports the same CSV
with the sqlite3 command-line tool. It prints rows per second for both and the ratio; the
target is a ratio of at most 5.
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
        run = create_run(importer_slug="areas", data=tehsil_csv.read_bytes(), filename="tehsils.csv", source="command")
        execute(run, commit=True)
        tehsils = list(Area.objects.filter(level="tehsil").values_list("code", flat=True))

        data_csv = workdir / "union-councils.csv"
        write_csv(data_csv, args.rows, tehsils)
        size_mb = data_csv.stat().st_size / 1e6
        print(f"{args.rows:,} rows, {size_mb:.1f} MB CSV, {len(tehsils)} tehsils as parents")

        started = time.perf_counter()
        preview = create_run(importer_slug="areas", data=data_csv.read_bytes(), filename=data_csv.name, source="command")
        execute(preview, commit=False)
        preview_seconds = time.perf_counter() - started

        started = time.perf_counter()
        run = create_run(importer_slug="areas", data=data_csv.read_bytes(), filename=data_csv.name, source="command")
        execute(run, commit=True)
        framework_seconds = time.perf_counter() - started
        run.refresh_from_db()
        assert run.created == args.rows and run.errors == 0, (run.status, run.message, run.created, run.errors)

        started = time.perf_counter()
        again = create_run(importer_slug="areas", data=data_csv.read_bytes(), filename=data_csv.name, source="command")
        execute(again, commit=True)
        repeat_seconds = time.perf_counter() - started
        again.refresh_from_db()
        assert again.unchanged == args.rows, (again.created, again.updated, again.unchanged)

        baseline_seconds = sqlite_baseline(data_csv, workdir)
        print(f"preview (dry run)       {preview_seconds:7.2f} s  {args.rows / preview_seconds:10,.0f} rows/s")
        print(f"import through Muhim    {framework_seconds:7.2f} s  {args.rows / framework_seconds:10,.0f} rows/s")
        print(f"same file again         {repeat_seconds:7.2f} s  {args.rows / repeat_seconds:10,.0f} rows/s (all unchanged)")
        if baseline_seconds is None:
            print("sqlite3 command-line tool not found: no baseline (apt-get install sqlite3)")
            return
        ratio = framework_seconds / baseline_seconds
        print(f"sqlite3 .import         {baseline_seconds:7.2f} s  {args.rows / baseline_seconds:10,.0f} rows/s")
        verdict = "within" if ratio <= TARGET_RATIO else "above"
        print(f"ratio Muhim / sqlite3 .import: {ratio:.2f}x ({verdict} the target of {TARGET_RATIO:.0f}x)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
