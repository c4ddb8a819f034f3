from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "supervision"
    verbose_name = "执法监督"

    def ready(self):
        from supervision import signals, timeline

        signals.connect()
        timeline.connect()
