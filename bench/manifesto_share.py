"""The automatic education share against the Manifesto Project's published per506, on the UK
manifestos of ../shared/data/manifestos/uk-dev (1945–1979): each file's share, per506 and
analysis time, then the Spearman correlation and the mean absolute error (percentage points),
for all files and for each half by election year (one half checks rules drawn on the other).

    python -m bench.manifesto_share
    python -m bench.manifesto_share --data DIR   # any folder laid out the same way

DIR holds per506.csv with the columns doc_id, file (relative to DIR), per506 and, if known,
year and language (en or ur; detected when absent). Targets: Spearman ≥ 0.85, mean absolute
error ≤ 2 points. No database is needed."""

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path

from bench.common import ROOT

DATA = ROOT.parent / "shared" / "data" / "manifestos" / "uk-dev"
SPEARMAN_TARGET = 0.85
MAE_TARGET = 2.0
SPLIT_YEAR = 1960  # the held-out halves: elections before 1960, and from 1960


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def measure(data_dir=DATA):
    """[(doc_id, year, share, per506, quasi_sentences, seconds, words)] for every listed file."""
    from muhim.manifestos.analysis import analyse_file

    rows = []
    with (data_dir / "per506.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            path = data_dir / row["file"]
            data = path.read_bytes()
            started = time.perf_counter()
            analysis = analyse_file(data, path.name, language=row.get("language") or None)
            seconds = time.perf_counter() - started
            share = float(analysis.education_share or 0)
            rows.append(
                (
                    row["doc_id"],
                    int(row["year"]) if row.get("year") else None,
                    share,
                    float(row["per506"]),
                    analysis.quasi_sentences,
                    seconds,
                    len(data.decode("utf-8", "replace").split()) if path.suffix == ".txt" else 0,
                )
            )
    return rows


def agreement(rows):
    shares, published = [r[2] for r in rows], [r[3] for r in rows]
    spearman = statistics.correlation(shares, published, method="ranked")
    mae = sum(abs(a - b) for a, b in zip(shares, published, strict=True)) / len(rows)
    return spearman, mae


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.manifesto_share", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--data", type=Path, default=DATA, help="a folder with per506.csv (default: uk-dev)")
    data_dir = parser.parse_args(argv).data
    if not (data_dir / "per506.csv").exists():
        if data_dir == DATA:
            print(f"skipped: {DATA} is not there (the shared data sits beside the project)")
            return
        parser.error(f"{data_dir / 'per506.csv'} does not exist")
    setup()
    rows = measure(data_dir)
    print(f"{'manifesto':26s}{'share':>8s}{'per506':>8s}{'diff':>7s}{'q-sent.':>9s}{'time':>8s}")
    for doc_id, _year, share, per506, count, seconds, _words in rows:
        print(f"{doc_id:26s}{share:8.2f}{per506:8.2f}{share - per506:+7.2f}{count:9d}{seconds:7.2f}s")
    total = sum(r[5] for r in rows)
    words = sum(r[6] for r in rows)
    speed = f", {words / total:,.0f} words/s" if words and total else ""
    print(f"\nanalysis time: {total:.2f} s for {len(rows)} files{speed}")
    groups = [("all files", rows)]
    if all(r[1] is not None for r in rows):
        groups += [
            (f"before {SPLIT_YEAR}", [r for r in rows if r[1] < SPLIT_YEAR]),
            (f"from {SPLIT_YEAR}", [r for r in rows if r[1] >= SPLIT_YEAR]),
        ]
    for label, subset in groups:
        if len(subset) < 3:
            continue  # too few files to rank
        spearman, mae = agreement(subset)
        rank = "within" if spearman >= SPEARMAN_TARGET else "below"
        error = "within" if mae <= MAE_TARGET else "above"
        print(
            f"{label:14s} n={len(subset):2d}  Spearman {spearman:.3f} ({rank} the target of {SPEARMAN_TARGET})  "
            f"MAE {mae:.2f} points ({error} the target of {MAE_TARGET:.0f})"
        )


if __name__ == "__main__":
    main()
