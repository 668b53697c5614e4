"""A 100,000-row supporters file through the import framework: the preview, then the import,
with rows per second and the ratio to SQLite's own loading of the same CSV in the same run.

    python -m bench.supporters_import [--rows 100000]

The file is generated the way such lists arrive: mobile numbers written every usual way
(0300-1234567, +923001234567, 300 1234567), districts by code or by name, interests as a
"events;media" list, and 5% invalid rows (a number like "12345", a district that does not
exist, no name) and 5% rows repeated from earlier in the file. The framework normalises each
number to E.164, matches each district, merges repeats by number, rejects the invalid rows with
reasons, and stores volunteers with their change history, interests and an "imported" entry.

Baselines, sqlite3 command-line tool:
1. `.import` into a table with the CSV's own columns;
2. `.import` into a staging table, then SQL into copies of Muhim's volunteer and history tables
   (districts joined by code, repeats dropped by number). It cannot normalise numbers or match
   district names, so it does less than the framework: read its ratio as a lower bound.
"""

import argparse
import csv
import random
import shutil

from bench import common

COLUMNS = ["name", "phone", "email", "district", "interests", "sex"]
INVALID_SHARE = 0.05
DUPLICATE_SHARE = 0.05


def phone_text(n, style):
    digits = f"3{n:09d}"  # a Pakistani mobile number without the leading 0
    return [f"0{digits[:3]}-{digits[3:]}", f"+92{digits}", f"{digits[:3]} {digits[3:]}"][style % 3]


def write_csv(path, rows, districts, rng):
    """Returns (valid unique rows, invalid rows, repeated rows)."""
    written, valid, invalid, repeats = [], 0, 0, 0
    interest_lists = [
        "events",
        "media;social-media",
        "data",
        "school-monitoring;parents",
        "events;outreach",
        "",
    ]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for i in range(rows):
            roll = rng.random()
            if roll < INVALID_SHARE:
                bad = i % 3
                row = [
                    "" if bad == 2 else f"Supporter {i}",
                    "12345" if bad == 0 else phone_text(10_000_000 + i, i),
                    "",
                    "Atlantis" if bad == 1 else rng.choice(districts)[0],
                    "events",
                    "f",
                ]
                invalid += 1
            elif roll < INVALID_SHARE + DUPLICATE_SHARE and written:
                row = rng.choice(written)
                repeats += 1
            else:
                code, name = rng.choice(districts)
                row = [
                    f"Supporter {i}",
                    phone_text(10_000_000 + i, i),
                    f"supporter{i}@example.org" if i % 4 == 0 else "",
                    code if i % 5 else name,
                    rng.choice(interest_lists),
                    rng.choice(["f", "m", "female", "male", ""]),
                ]
                written.append(row)
                valid += 1
            writer.writerow(row)
    return valid, invalid, repeats


def same_end_state_script(csv_path, db):
    now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    values = {
        "name": "s.name",
        "phone": "s.phone",
        "email": "s.email",
        "district_id": "d.id",
        "sex": "s.sex",
        "level": "'supporter'",
        "language": "'ur'",
        "source": "'import'",
        "consent_at": now,
        "created_at": now,
        "updated_at": now,
    }
    columns = [
        (c, values.get(c, "''" if notnull else "NULL"))
        for c, notnull in common.table_columns(db, "people_volunteer")
        if c != "id"
    ]
    history = {
        "history_date": now,
        "history_change_reason": "'baseline'",
        "history_type": "'+'",
        "history_user_id": "NULL",
    }
    history_columns = [
        (c, history.get(c, f"v.{c}"))
        for c, _notnull in common.table_columns(db, "people_historicalvolunteer")
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
            f"INSERT OR IGNORE INTO people_volunteer ({', '.join(c for c, _ in columns)}) "
            f"SELECT {', '.join(v for _, v in columns)} FROM staging s "
            "JOIN geography_area d ON d.code = s.district WHERE s.name <> '' AND length(s.phone) > 9;",
            f"INSERT INTO people_historicalvolunteer ({', '.join(c for c, _ in history_columns)}) "
            f"SELECT {', '.join(v for _, v in history_columns)} FROM people_volunteer v;",
            "INSERT INTO people_interaction (volunteer_id, kind, text, at) "
            f"SELECT id, 'imported', 'baseline', {now} FROM people_volunteer;",
            "COMMIT;",
        ]
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    workdir = common.setup_django()

    from muhim.geography.models import Area

    try:
        rng = random.Random(100_000)
        districts = list(Area.objects.districts().values_list("code", "name"))
        data_csv = workdir / "supporters.csv"
        valid, invalid, repeats = write_csv(data_csv, args.rows, districts, rng)
        before_import = common.snapshot(workdir, "before-import")
        print(
            f"{args.rows:,} rows, {data_csv.stat().st_size / 1e6:.1f} MB CSV: {valid:,} people, "
            f"{invalid:,} invalid rows, {repeats:,} repeated rows"
        )
        preview_seconds, preview = common.timed_import("supporters", data_csv, commit=False)
        print(
            f"preview: {preview.created:,} to create, {preview.unchanged:,} unchanged, "
            f"{preview.errors:,} rejected"
        )
        framework_seconds, run = common.timed_import("supporters", data_csv)
        assert run.created == valid and run.errors == invalid, (run.created, run.errors, valid, invalid)
        common.print_line("preview (dry run)", preview_seconds, args.rows)
        common.print_line("import through Muhim", framework_seconds, args.rows)
        if not common.sqlite3_path():
            print("sqlite3 command-line tool not found: no baseline (apt-get install sqlite3)")
            return
        plain = common.sqlite_plain_import(data_csv, workdir, COLUMNS)
        end_state = common.sqlite_script(before_import, same_end_state_script(data_csv, before_import))
        common.print_line("sqlite3 .import, the CSV's columns", plain, args.rows)
        common.print_line("sqlite3, about the same end state", end_state, args.rows, "(no normalising)")
        common.print_ratio("sqlite3 .import of the CSV", framework_seconds, plain)
        common.print_ratio("sqlite3 reaching about the same end state", framework_seconds, end_state)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
