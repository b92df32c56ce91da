from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "cpqa.oversight"
    label = "oversight"
    default_auto_field = "django.db.models.BigAutoField"
