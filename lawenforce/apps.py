from django.apps import AppConfig


class LawenforceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lawenforce"
    verbose_name = "基础数据"
