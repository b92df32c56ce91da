from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Installed for the authority's configuration, kept in the database (`cpqa.core.models`)."""

    name = "cpqa.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"
