from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Installed for the authority's configuration, kept in the database (`cpqa.core.models`)."""

    name = "cpqa.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from cpqa.core.limits import refuse_long_text

        # Every row saved in the apps that hold typed text is checked against its length limit.
        pre_save.connect(refuse_long_text, dispatch_uid="cpqa-text-length-limit")
