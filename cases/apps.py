from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = "案件办理"

    def ready(self):
        # An archived case is read-only: guards on every model that belongs to a case.
        from cases import readonly

        readonly.connect()
        # Other apps hear of committed steps through cases.signals.
        from cases import signals

        signals.connect()
