from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "cpqa.conferences"
    label = "conferences"
    default_auto_field = "django.db.models.BigAutoField"
