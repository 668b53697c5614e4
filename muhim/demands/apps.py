from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "muhim.demands"
    label = "demands"
    verbose_name = _("Community demands and parental bodies")
