from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "analytics"
    verbose_name = "执法数据分析"

    def ready(self):
        # Case events, complaints, evaluations and certificates mark what the next refresh recomputes.
        from analytics import receivers

        receivers.connect()
