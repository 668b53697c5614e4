from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from muhim.geography.boundaries import (
    DEFAULT_TOLERANCE,
    LEVELS,
    BoundaryFileError,
    feature_collection_size,
    import_boundaries,
)


class Command(BaseCommand):
    help = (
        "Import area boundaries from a TopoJSON or GeoJSON file: each feature is matched to an area "
        "by name (divisions and districts within their province), simplified for maps and stored. "
        "Features that match no area, or several, are listed with suggestions and not stored; "
        "importing the same file again changes nothing.\n\n"
        "Example: manage.py import_boundaries ../shared/data/boundaries/pakistan-2023.topojson.json --dry-run"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE", help="A .topojson or .geojson (.json) file.")
        parser.add_argument(
            "--level",
            choices=LEVELS,
            help="The level of every feature, when the file does not say (by a 'level' property or "
            "an object named e.g. 'districts').",
        )
        parser.add_argument(
            "--object",
            dest="object_name",
            metavar="NAME",
            help="Only this object of a TopoJSON file, e.g. 'districts'.",
        )
        parser.add_argument(
            "--tolerance",
            type=float,
            metavar="DEG",
            help=f"Simplification tolerance in degrees (default {DEFAULT_TOLERANCE}; 0 keeps every point).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Match and report, store nothing.")

    def handle(self, *args, file, level, object_name, tolerance, dry_run, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from None
        try:
            report = import_boundaries(
                data,
                source_name=file.name,
                level=level,
                object_name=object_name,
                tolerance=tolerance,
                dry_run=dry_run,
            )
        except BoundaryFileError as error:
            raise CommandError(f"{file.name}: {error}") from None
        for line in report.summary_lines():
            self.stdout.write(line)
        size = f"{feature_collection_size() / 1024:.0f} KB"
        if dry_run:
            self.stdout.write(f"The map's district FeatureCollection, as stored, is {size}.")
        else:
            self.stdout.write(f"The map's district FeatureCollection is now {size}.")
