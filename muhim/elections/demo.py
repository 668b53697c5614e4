"""Demo elections: the seed parties, and where the project's shared real data is present
(MUHIM_SHARED_DATA) and the seats are loaded (geography's demo runs first), the 2018 party
list, candidate lists and results, through the same importers a user would use. A file
already imported is skipped, so running the demo again is quick and changes nothing."""

from django.conf import settings

from muhim.core.imports.runner import create_run, execute, file_digest
from muhim.core.models import ImportRun
from muhim.geography.models import Constituency

from . import services

FOLDER = "elections-2018"
# (importer, file, seats it needs): candidates before their results.
FILES = [
    ("na-candidates-ecp", "na-candidates-ecp-2018.csv", "NA"),
    ("na-results", "na-results-2018.csv", "NA"),
    ("pa-candidates", "candidates-pp.csv", "PP"),
    ("pa-candidates", "candidates-ps.csv", "PS"),
    ("pa-candidates", "candidates-pk.csv", "PK"),
    ("pa-candidates", "candidates-pb.csv", "PB"),
    ("pa-results", "pa-results-2018.json", "PP"),
]


def _import(stdout, slug, data, filename):
    if ImportRun.objects.filter(
        importer=slug, file_sha256=file_digest(data), status=ImportRun.Status.DONE
    ).exists():
        stdout.write(f"  {filename}: already imported")
        return
    run = create_run(importer_slug=slug, data=data, filename=filename, source="command")
    execute(run, commit=True)
    run.refresh_from_db()
    if run.status == ImportRun.Status.FAILED:
        stdout.write(f"  {filename}: failed: {run.message}")
        return
    stdout.write(
        f"  {filename}: {run.created} created, {run.updated} updated, {run.unchanged} unchanged, "
        f"{run.errors} rejected, {run.warnings} with warnings"
    )


def load(stdout=None):
    import sys

    stdout = stdout or sys.stdout
    report = services.load_parties()
    stdout.write(f"  seed parties: {report.created} created, {report.aliases} aliases added")
    # The 2018 general election, with or without its lists: manifestos and pledges belong to it.
    services.ensure_election()
    root = settings.MUHIM_SHARED_DATA / FOLDER
    if not root.is_dir():
        stdout.write(f"  {root} is not here: no candidates or results imported.")
        return
    if (root / "parties.csv").is_file() and (root / "symbols.csv").is_file():
        rows = services.party_symbols_rows(
            (root / "parties.csv").read_bytes(), (root / "symbols.csv").read_bytes()
        )
        _import(stdout, "parties", services.rows_as_csv(rows), "parties.csv")
    services.ensure_election(services.DEFAULT_ELECTION)
    loaded = set(
        Constituency.objects.filter(delimitation_year=2018).values_list("assembly", flat=True).distinct()
    )
    for slug, name, assembly in FILES:
        path = root / name
        if not path.is_file():
            continue
        if assembly not in loaded:
            stdout.write(f"  {name}: skipped, the {assembly} seats are not loaded")
            continue
        _import(stdout, slug, path.read_bytes(), name)
