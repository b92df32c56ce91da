from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cpqa.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Sign-ins, sign-outs, failures and lockouts go to the access log (cpqa.accounts.audit).
        from cpqa.accounts.audit import connect_signals

        connect_signals()
