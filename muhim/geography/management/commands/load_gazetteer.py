from pathlib import Path

from django.core.management.base import BaseCommand

from muhim.geography.gazetteer import GAZETTEER_PATH, load_gazetteer


class Command(BaseCommand):
    help = (
        "Load Pakistan's provinces, territories, divisions and districts (2023 census) with "
        "English and Urdu names, codes, centroids and aliases. Creates what is missing and "
        "keeps edits made since; --update resets existing areas to the shipped names.\n\n"
        "Example: manage.py load_gazetteer"
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=GAZETTEER_PATH, help="Another gazetteer YAML file.")
        parser.add_argument(
            "--update", action="store_true", help="Reset names and centroids of existing areas."
        )

    def handle(self, *args, file, update, **options):
        report = load_gazetteer(path=file, update=update)
        for line in report.changes:
            self.stdout.write(f"  {line}")
        self.stdout.write(
            f"Gazetteer: {report.created} areas created, {report.updated} updated, "
            f"{report.unchanged} already present; {report.aliases_created} aliases added."
        )
