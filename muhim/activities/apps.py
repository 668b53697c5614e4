from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "muhim.activities"
    label = "activities"
    verbose_name = _("Field activities")

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from muhim.demands.models import Demand

        from .dashboard import schedule_warm
        from .models import Activity

        def history_written(sender, **kwargs):
            schedule_warm()

        # Every change through the services writes a history row: the dashboard's fingerprint.
        for model in (Activity, Demand):
            post_create_historical_record.connect(
                history_written,
                sender=model.history.model,
                weak=False,
                dispatch_uid=f"warm-dashboard-{model.__name__}",
            )
