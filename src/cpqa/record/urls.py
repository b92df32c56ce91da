"""The record's own forms about a child. ACCESS: what each role gets (the URL-by-role test)."""

from django.urls import path

from cpqa.accounts.access import Sample, expect
from cpqa.accounts.roles import CONFERENCE_BOOKERS
from cpqa.record import views

urlpatterns = [
    path(
        "children/<int:pk>/strategy-discussion/",
        views.record_strategy_discussion,
        name="record_strategy_discussion",
    ),
    path(
        "children/<int:pk>/transfer-in/",
        views.record_transfer_in_notification,
        name="record_transfer_in_notification",
    ),
]

ACCESS = {
    "record_strategy_discussion": expect(CONFERENCE_BOOKERS, {"pk": Sample("child")}),
    "record_transfer_in_notification": expect(CONFERENCE_BOOKERS, {"pk": Sample("child")}),
}
