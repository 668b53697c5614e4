from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from muhim.core.imports.readers import FileProblem
from muhim.core.imports.runner import create_run, execute


def run_and_report(stdout, slug, data, filename, *, options=None, commit=True):
    """Run `slug` over `data` as `manage.py import` does and print what it did."""
    try:
        run = create_run(importer_slug=slug, data=data, filename=filename, options=options, source="command")
    except FileProblem as exc:
        raise CommandError(str(exc)) from exc
    execute(run, commit=commit)
    run.refresh_from_db()
    if run.status == run.Status.FAILED:
        raise CommandError(run.message)
    stdout.write(
        f"{filename} ({slug}, run #{run.pk}): {run.created} created, {run.updated} updated, "
        f"{run.unchanged} unchanged, {run.errors} rejected, {run.warnings} with warnings"
    )
    for error in run.preview.get("errors", [])[:20]:
        stdout.write(f"  row {error['row']}: {' '.join(error['messages'])}")
    return run


class Command(BaseCommand):
    help = (
        "Import a JSON results file (a list of seats, each with its totals and a list of "
        "results) through a results importer: each seat becomes the rows the importer reads "
        "(totals on the seat's first row, a row per candidate), as `manage.py import` and the "
        "upload page also read it.\n\nExample: manage.py import_results_json pa-results "
        "../shared/data/elections-2018/pa-results-2018.json"
    )

    def add_arguments(self, parser):
        parser.add_argument("importer", choices=["pa-results", "na-results"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--election", default="ge-2018", help="The election's slug (default ge-2018).")
        parser.add_argument("--dry-run", action="store_true", help="Check every row; store nothing.")

    def handle(self, *args, **options):
        path = options["file"]
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        run_and_report(
            self.stdout,
            options["importer"],
            path.read_bytes(),
            path.stem + ".csv",
            options={"election": options["election"]},
            commit=not options["dry_run"],
        )
