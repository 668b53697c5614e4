from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "muhim.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from muhim.core.imports.registry import autodiscover

        autodiscover()
