from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from muhim.core.imports.readers import FileProblem
from muhim.elections import services
from muhim.elections.management.commands.import_results_json import run_and_report


class Command(BaseCommand):
    help = (
        "Load the seed list of Pakistan's parties (abbreviations, Urdu names, symbols and the "
        "other spellings the 2018 lists use); with --parties and --symbols, also import the "
        "Election Commission's party list, whose symbol_id names a row of the symbol list, "
        "through the `parties` importer. Loading twice changes nothing.\n\n"
        "Example: manage.py load_parties --parties ../shared/data/elections-2018/parties.csv "
        "--symbols ../shared/data/elections-2018/symbols.csv"
    )

    def add_arguments(self, parser):
        parser.add_argument("--parties", type=Path, help="A party list with name and symbol_id columns.")
        parser.add_argument(
            "--symbols", type=Path, help="The symbol list (name, number) symbol_id points into."
        )
        parser.add_argument("--no-seed", action="store_true", help="Do not load the seed list.")

    def handle(self, *args, **options):
        if not options["no_seed"]:
            report = services.load_parties()
            self.stdout.write(
                f"Seed parties: {report.created} created, {report.updated} completed, "
                f"{report.unchanged} unchanged, {report.aliases} aliases added"
            )
            for alias in report.skipped_aliases:
                self.stdout.write(f"  alias {alias!r} skipped: it is another party's")
        if bool(options["parties"]) != bool(options["symbols"]):
            raise CommandError("Give --parties and --symbols together.")
        if options["parties"]:
            for path in (options["parties"], options["symbols"]):
                if not path.is_file():
                    raise CommandError(f"File not found: {path}")
            try:
                rows = services.party_symbols_rows(
                    options["parties"].read_bytes(), options["symbols"].read_bytes()
                )
            except FileProblem as exc:
                raise CommandError(str(exc)) from exc
            run_and_report(self.stdout, "parties", services.rows_as_csv(rows), options["parties"].name)
