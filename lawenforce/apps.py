from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LawenforceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lawenforce"
    verbose_name = _("基础数据")

    def ready(self):
        # Make the project's Celery app the current one, so @shared_task binds to it.
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save, pre_save
        from simple_history.signals import post_create_historical_record

        from lawenforce import (
            calendar,
            celery,  # noqa: F401
        )
        from lawenforce.ledger import hooks
        from lawenforce.models import CalendarDay, CalendarYear

        # Every history record of every model becomes a ledger leaf (lawenforce/ledger/hooks.py).
        post_create_historical_record.connect(hooks.record_history, dispatch_uid="lawenforce.ledger.record_history")
        # Models with a per-record salt for their personal fields get it on the first save.
        for model in apps.get_models():
            if getattr(model, "ledger_salt_field", None):
                uid = f"lawenforce.ledger.ensure_salt:{model._meta.label}"
                pre_save.connect(hooks.ensure_salt, sender=model, dispatch_uid=uid)

        # The working-day calendar caches the admin tables per year; every admin edit must reach it.
        for model in (CalendarDay, CalendarYear):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                uid = f"lawenforce.calendar.clear_cache:{model.__name__}:{name}"
                signal.connect(calendar.clear_cache, sender=model, dispatch_uid=uid)
