from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Load the demo dataset: each Muhim app's demo.py adds its part (staff accounts for every "
        "role, boundaries and constituencies from ../shared/data when it is there, …). Safe to "
        "run again: existing demo rows are reused, never duplicated.\n\nExample: manage.py load_demo"
    )

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            if not config.name.startswith("muhim."):
                continue
            module_name = f"{config.name}.demo"
            if find_spec(module_name) is None:
                continue
            self.stdout.write(f"Demo data: {config.verbose_name}")
            import_module(module_name).load(stdout=self.stdout)
