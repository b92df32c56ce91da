from django.apps import AppConfig


class UiConfig(AppConfig):
    """Installed so Django finds the `govuk` template tags and the form kit's templates."""

    name = "cpqa.ui"
    label = "ui"
