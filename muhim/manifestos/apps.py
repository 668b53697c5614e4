from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ManifestosConfig(AppConfig):
    name = "muhim.manifestos"
    label = "manifestos"
    verbose_name = _("Manifestos")
