"""How fast the import framework stores rows, against SQLite's own loading of the same CSV,
measured in the same run on the same machine.

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

from bench import common

COLUMNS = ["level", "name", "name_ur", "parent", "code"]


def write_csv(path, rows, tehsils):
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for i in range(rows):
            tehsil = tehsils[i % len(tehsils)]
            writer.writerow(["union council", f"UC {i}", f"یونین کونسل {i}", tehsil, f"{tehsil}-uc-{i}"])


def same_end_state_script(csv_path, db):
    """SQL that gives the same end state as the import: rows in the area table and a history row
    each, parents joined by code."""
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
        for c, notnull in common.table_columns(db, "geography_area")
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
        for c, _notnull in common.table_columns(db, "geography_historicalarea")
        if c != "history_id"
    ]
    return "\n".join(
        [
            "PRAGMA journal_mode=WAL;",
            "PRAGMA synchronous=NORMAL;",
            "PRAGMA cache_size=-32768;",
            f"CREATE TEMP TABLE staging ({', '.join(f'{c} TEXT' for c in COLUMNS)});",
            ".mode csv",
            f".import --skip 1 {csv_path} staging",
            "BEGIN;",
            f"INSERT INTO geography_area ({', '.join(c for c, _ in area_columns)}) "
            f"SELECT {', '.join(v for _, v in area_columns)} "
            "FROM staging s JOIN geography_area p ON p.code = s.parent;",
            f"INSERT INTO geography_historicalarea ({', '.join(c for c, _ in history_columns)}) "
            f"SELECT {', '.join(v for _, v in history_columns)} "
            "FROM geography_area a JOIN staging s ON s.code = a.code;",
            "COMMIT;",
        ]
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--tehsils", type=int, default=500)
    args = parser.parse_args(argv)
    workdir = common.setup_django()

    from muhim.geography.models import Area

    try:
        districts = list(Area.objects.districts().values_list("code", flat=True))
        tehsil_csv = workdir / "tehsils.csv"
        with tehsil_csv.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["level", "name", "parent"])
            for i in range(args.tehsils):
                writer.writerow(["tehsil", f"Tehsil {i}", districts[i % len(districts)]])
        common.timed_import("areas", tehsil_csv)
        tehsils = list(Area.objects.filter(level="tehsil").values_list("code", flat=True))

        data_csv = workdir / "union-councils.csv"
        write_csv(data_csv, args.rows, tehsils)
        before_import = common.snapshot(workdir, "before-import")
        print(
            f"{args.rows:,} rows, {data_csv.stat().st_size / 1e6:.1f} MB CSV, {len(tehsils)} tehsils as parents"
        )

        preview_seconds, _preview = common.timed_import("areas", data_csv, commit=False)
        framework_seconds, run = common.timed_import("areas", data_csv)
        assert run.created == args.rows and run.errors == 0, (run.created, run.errors)
        repeat_seconds, again = common.timed_import("areas", data_csv)
        assert again.unchanged == args.rows, (again.created, again.updated, again.unchanged)

        common.print_line("preview (dry run)", preview_seconds, args.rows)
        common.print_line("import through Muhim", framework_seconds, args.rows)
        common.print_line("same file again", repeat_seconds, args.rows, "(all unchanged)")
        if not common.sqlite3_path():
            print("sqlite3 command-line tool not found: no baseline (apt-get install sqlite3)")
            return
        plain = common.sqlite_plain_import(data_csv, workdir, COLUMNS, unique="code")
        end_state = common.sqlite_script(before_import, same_end_state_script(data_csv, before_import))
        common.print_line("sqlite3 .import, the CSV's columns", plain, args.rows)
        common.print_line("sqlite3, the same end state", end_state, args.rows, "(area and history tables)")
        common.print_ratio("sqlite3 .import of the CSV", framework_seconds, plain)
        common.print_ratio("sqlite3 reaching the same end state", framework_seconds, end_state)
    finally:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
