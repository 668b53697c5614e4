"""Recompute the field dashboard's figures from the activities and demands, or check them."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from muhim.activities import stats as activity_stats
from muhim.activities.models import ActivityDistrictStat, ActivityStat
from muhim.demands import stats as demand_stats
from muhim.demands.models import DemandDistrictStat, DemandStat
from muhim.geography.models import Area

# Each table: its bucket (what identifies a row) and its figures.
TABLES = [
    (
        ActivityStat,
        ("month", "province_id", "kind", "status"),
        ("activities", "women", "men", "girls", "boys"),
    ),
    (
        ActivityDistrictStat,
        ("district_id", "kind", "status"),
        ("province_id", "activities", "women", "men", "girls", "boys"),
    ),
    (
        DemandStat,
        ("month", "province_id", "category"),
        ("raised", "resolved", "resolved_on_the_spot", "days_to_resolution"),
    ),
    (DemandDistrictStat, ("district_id", "category", "status"), ("province_id", "demands")),
]
SHOWN = 20  # differences printed per table


def snapshot():
    """{table: {bucket: figures}} of what is stored now."""
    return {
        model: {row[: len(key)]: row[len(key) :] for row in model.objects.values_list(*key, *figures)}
        for model, key, figures in TABLES
    }


def fresh_snapshot():
    """What `rebuild` would store, computed by the same code and rolled back."""
    with transaction.atomic():
        activity_stats.rebuild()
        demand_stats.rebuild()
        fresh = snapshot()
        transaction.set_rollback(True)
    return fresh


class Command(BaseCommand):
    help = (
        "Recompute the field dashboard's figures (activities by month, province, type and status "
        "and by district; demands by month, province and category and by district and status) "
        "from the activities and demands themselves. The services keep them right as data "
        "changes; run this after loading rows around them (a database restore, SQL), or with "
        "--check to compare the stored figures with fresh ones without changing anything (exits "
        "with status 1 and lists the differences if they differ).\n\n"
        "Examples: manage.py rebuild_stats\n          manage.py rebuild_stats --check"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare the stored figures with fresh aggregates; change nothing.",
        )

    def handle(self, *args, check=False, **options):
        if check:
            self.check_figures()
            return
        with transaction.atomic():
            activity_stats.rebuild()
            demand_stats.rebuild()
        for model, _key, _figures in TABLES:
            self.stdout.write(f"{model._meta.verbose_name_plural}: {model.objects.count()} rows recomputed")
        self.stdout.write(self.style.SUCCESS("The dashboard's figures were rebuilt."))

    def check_figures(self):
        stored, fresh = snapshot(), fresh_snapshot()
        codes = dict(Area.objects.filter(level__in=["province", "district"]).values_list("pk", "code"))
        total = 0
        for model, key, figures in TABLES:
            differences = describe(stored[model], fresh[model], key, figures, codes)
            name = model._meta.verbose_name_plural
            if not differences:
                self.stdout.write(f"{name}: {len(stored[model])} rows, all right")
                continue
            total += len(differences)
            self.stdout.write(self.style.ERROR(f"{name}: {len(differences)} rows differ"))
            for line in differences[:SHOWN]:
                self.stdout.write(f"  {line}")
            if len(differences) > SHOWN:
                self.stdout.write(f"  … and {len(differences) - SHOWN} more")
        if total:
            raise CommandError(
                f"{total} stored figures differ from the activities and demands; "
                "run manage.py rebuild_stats to recompute them."
            )
        self.stdout.write(self.style.SUCCESS("The dashboard's figures equal the activities and demands."))


def describe(stored, fresh, key, figures, codes):
    """One line per bucket whose stored figures differ from the fresh ones."""

    def label(bucket):
        parts = []
        for name, value in zip(key, bucket, strict=True):
            shown = codes.get(value, value) if name.endswith("_id") else value
            parts.append(f"{name.removesuffix('_id')}={shown}")
        return " ".join(parts)

    def values(row):
        if row is None:
            return "no row"
        return ", ".join(
            f"{n.removesuffix('_id')}={codes.get(v, v) if n.endswith('_id') else v}"
            for n, v in zip(figures, row, strict=True)
        )

    lines = []
    for bucket in sorted(stored.keys() | fresh.keys(), key=str):
        before, after = stored.get(bucket), fresh.get(bucket)
        if before != after:
            lines.append(f"{label(bucket)}: stored {values(before)}; should be {values(after)}")
    return lines
