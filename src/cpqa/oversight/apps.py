from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "cpqa.oversight"
    label = "oversight"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The record reads (and loads) the QA tables through what this app registers, so the
        # record never imports a workflow.
        from cpqa.oversight.load import load_qa_tables
        from cpqa.oversight.tables import oversight_tables
        from cpqa.record import extensions

        extensions.register_tables(
            "oversight", read=lambda children: oversight_tables(children=children), load=load_qa_tables
        )
