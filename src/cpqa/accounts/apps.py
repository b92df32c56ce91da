from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cpqa.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A mistyped group-to-role map stops the service at start-up, not at someone's sign-in.
        from django.conf import settings

        if settings.CPQA_OIDC_ENABLED:
            from cpqa.accounts.oidc import role_map

            role_map()

        # Sign-ins, sign-outs, failures and lockouts go to the access log (cpqa.accounts.audit).
        from cpqa.accounts.audit import connect_signals

        connect_signals()
