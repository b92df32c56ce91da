"""The child's record and the family view. ACCESS: what each role gets (the URL-by-role test)."""

from django.urls import path

from cpqa.accounts.access import CHILD_ROLES, Sample, expect
from cpqa.conferences.views import BOOKERS
from cpqa.record import views

urlpatterns = [
    path("children/<int:pk>/", views.child_detail, name="child_detail"),
    path("families/<int:pk>/", views.family_detail, name="family_detail"),
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
    # The sample child is in the social work manager's team, so all four child-level roles see it.
    "child_detail": expect(CHILD_ROLES, {"pk": Sample("child")}),
    "family_detail": expect(CHILD_ROLES, {"pk": Sample("family")}),
    "record_strategy_discussion": expect(BOOKERS, {"pk": Sample("child")}),
    "record_transfer_in_notification": expect(BOOKERS, {"pk": Sample("child")}),
}
