from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from muhim.core.imports.readers import FileProblem
from muhim.core.imports.registry import all_importers, get_importer
from muhim.core.imports.runner import create_run, execute, missing_required


def _pairs(values, what):
    out = {}
    for item in values or []:
        if "=" not in item:
            raise CommandError(f"{what} must look like name=value, not {item!r}")
        key, value = item.split("=", 1)
        out[key.strip()] = value.strip()
    return out


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX file through one of Muhim's importers, exactly as the web upload "
        "does: every row is checked, rejected rows are reported, good rows are stored in chunks, "
        "and importing the same file twice changes nothing.\n\n"
        "Example: manage.py import constituencies ../shared/data/elections-2018/na-seats-2018.csv --dry-run\n"
        "List the importers: manage.py import --list"
    )

    def add_arguments(self, parser):
        parser.add_argument("importer", nargs="?", help="Importer name (see --list).")
        parser.add_argument("file", nargs="?", type=Path, help="The CSV or XLSX file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and report; store nothing."
        )
        parser.add_argument(
            "--map",
            action="append",
            metavar="FIELD=COLUMN",
            help="Read FIELD from the column COLUMN (repeatable).",
        )
        parser.add_argument(
            "--option",
            action="append",
            metavar="NAME=VALUE",
            help="An importer option (repeatable), e.g. delimitation_year=2018.",
        )
        parser.add_argument(
            "--user", help="Record the import as made by this username (default: none, a system import)."
        )
        parser.add_argument("--list", action="store_true", help="List the importers and their columns.")
        parser.add_argument(
            "--show-errors",
            type=int,
            default=20,
            metavar="N",
            help="How many rejected rows to print (default 20).",
        )

    def handle(self, *args, **options):
        if options["list"] or not options["importer"]:
            for cls in all_importers():
                self.stdout.write(f"{cls.slug}: {cls.label}")
                for f in cls.fields:
                    self.stdout.write(f"    {f.name}{' (required)' if f.required else ''}: {f.label}")
                for o in cls.options:
                    self.stdout.write(f"    option {o.name} (default {o.default}): {o.label}")
            return
        cls = get_importer(options["importer"])
        if cls is None:
            raise CommandError(f"No importer called {options['importer']!r}. Run with --list to see them.")
        path = options["file"]
        if path is None or not path.is_file():
            raise CommandError(f"File not found: {path}")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user called {options['user']!r}")
        try:
            run = create_run(
                importer_slug=cls.slug,
                data=path.read_bytes(),
                filename=path.name,
                user=user,
                options=_pairs(options["option"], "--option"),
                source="command",
            )
        except FileProblem as exc:
            raise CommandError(str(exc)) from exc
        mapping = _pairs(options["map"], "--map")
        unknown = set(mapping) - {f.name for f in cls.fields}
        if unknown:
            raise CommandError(f"{cls.slug} has no field {', '.join(sorted(unknown))}")
        headers = run.preview["headers"]
        absent = {field: column for field, column in mapping.items() if column not in headers}
        if absent:
            run.status = run.Status.CANCELLED
            run.save(update_fields=["status"])
            raise CommandError(
                "The file has no column "
                + ", ".join(f"{column!r} (for {field})" for field, column in absent.items())
                + f". Its columns: {', '.join(headers)}."
            )
        if mapping:
            run.column_map.update(mapping)
            run.save(update_fields=["column_map"])
        missing = missing_required(cls, run.column_map, headers)
        if missing:
            run.status = run.Status.CANCELLED
            run.save(update_fields=["status"])
            names = ", ".join(f.name for f in missing)
            raise CommandError(
                f"The file has no column for {names}. Its columns: {', '.join(headers)}. "
                f"Map them with --map FIELD=COLUMN."
            )
        for note in run.preview.get("notes", []):
            self.stdout.write(f"Note: {note}")
        verb = "Checking" if options["dry_run"] else "Importing"
        self.stdout.write(f"{verb} {run.total_rows} rows of {path.name} as {cls.label} (run #{run.pk})")

        def progress(done, total):
            self.stdout.write(f"  {done}/{total} rows")

        execute(run, commit=not options["dry_run"], progress=progress if options["verbosity"] > 1 else None)
        run.refresh_from_db()
        if run.status == run.Status.FAILED:
            raise CommandError(run.message)
        would = "would be " if options["dry_run"] else ""
        self.stdout.write(
            f"{run.created} {would}created, {run.updated} {would}updated, {run.unchanged} unchanged, "
            f"{run.errors} rejected; {run.warnings} rows with warnings"
            + (" (-v 2 lists them)." if run.warnings and options["verbosity"] < 2 else ".")
        )
        for line in run.preview.get("summary", []):
            self.stdout.write(f"  {line}")
        for error in run.preview.get("errors", [])[: options["show_errors"]]:
            self.stdout.write(f"  row {error['row']}: {' '.join(error['messages'])}")
        if run.errors > options["show_errors"]:
            self.stdout.write(f"  … and {run.errors - options['show_errors']} more")
        if run.rejected_file:
            self.stdout.write(
                f"Rejected rows with reasons: {run.rejected_file.storage.path(run.rejected_file.name)}"
            )
        if options["verbosity"] > 1:
            for action, rows in run.preview.get("samples", {}).items():
                for sample in rows:
                    if sample["warnings"]:
                        self.stdout.write(f"  row {sample['row']} ({action}): {' '.join(sample['warnings'])}")
