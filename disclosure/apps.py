from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "disclosure"
    verbose_name = "执法公示"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from disclosure import search_choices, signals
        from lawenforce.models import Agency, PowerItem, Region

        signals.connect()
        # The public search's option lists are cached per process (disclosure/search_choices.py).
        for model in (Agency, Region, PowerItem):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                uid = f"disclosure.search_choices.clear_cache:{model.__name__}:{name}"
                signal.connect(search_choices.clear_cache, sender=model, dispatch_uid=uid)
