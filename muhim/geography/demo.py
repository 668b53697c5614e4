"""Demo geography: where the project's shared real data is present (MUHIM_SHARED_DATA, by default
../shared/data), import Pakistan's boundaries and the 2018 seat lists through the same code a
user would use. Without it, the map shows a marker per area."""

from django.conf import settings

from muhim.core.imports.runner import create_run, execute, file_digest
from muhim.core.models import ImportRun

from .boundaries import import_boundaries

SEAT_FILES = ["elections-2018/na-seats-2018.csv", "elections-2018/pa-seats-2018.csv"]
BOUNDARY_FILE = "boundaries/pakistan-2023.topojson.json"


def load(*, stdout):
    root = settings.MUHIM_SHARED_DATA
    if not root.is_dir():
        stdout.write(f"  {root} is not here: no boundaries or seats imported (the map shows markers).")
        return
    boundary_path = root / BOUNDARY_FILE
    if boundary_path.is_file():
        report = import_boundaries(boundary_path.read_bytes(), source_name=boundary_path.name)
        stdout.write(
            f"  boundaries: {report.updated} stored, {report.unchanged} already up to date, "
            f"{len(report.unmatched)} features not matched"
        )
    for relative in SEAT_FILES:
        path = root / relative
        if not path.is_file():
            continue
        data = path.read_bytes()
        if ImportRun.objects.filter(
            importer="constituencies", file_sha256=file_digest(data), status=ImportRun.Status.DONE
        ).exists():
            stdout.write(f"  {path.name}: already imported")
            continue
        run = create_run(importer_slug="constituencies", data=data, filename=path.name, source="command")
        execute(run, commit=True)
        run.refresh_from_db()
        stdout.write(
            f"  {path.name}: {run.created} seats created, {run.updated} updated, "
            f"{run.unchanged} unchanged, {run.errors} rejected"
        )
