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
