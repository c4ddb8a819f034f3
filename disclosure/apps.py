from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosure"
    verbose_name = "执法公示"

    def ready(self):
        from disclosure import signals

        signals.connect()
