"""The child's record and the family view. ACCESS: what each role gets (the URL-by-role test)."""

from django.urls import path

from cpqa.accounts.access import CHILD_ROLES, Sample, expect
from cpqa.record import views

urlpatterns = [
    path("children/<int:pk>/", views.child_detail, name="child_detail"),
    path("families/<int:pk>/", views.family_detail, name="family_detail"),
]

ACCESS = {
    # The sample child is in the social work manager's team, so all four child-level roles see it.
    "child_detail": expect(CHILD_ROLES, {"pk": Sample("child")}),
    "family_detail": expect(CHILD_ROLES, {"pk": Sample("family")}),
}
