from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cpqa.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from cpqa.web.middleware import note_sign_in

        # The absolute session timeout counts from the sign-in (cpqa.web.middleware).
        user_logged_in.connect(note_sign_in, dispatch_uid="cpqa-session-signed-in-at")
