"""Booking and conference pages. ACCESS is what each role should get (the URL-by-role test)."""

from django.urls import path

from cpqa.accounts.access import Sample, expect
from cpqa.accounts.roles import CONFERENCE_BOOKERS, CONFERENCE_READERS, CONFERENCE_RUNNERS
from cpqa.conferences import core_groups, people, views

urlpatterns = [
    path("book/initial/<int:s47_pk>/", views.book_initial, name="book_initial_conference"),
    path("book/review/<int:plan_pk>/", views.book_review, name="book_review_conference"),
    path(
        "book/transfer-in/<int:notification_pk>/", views.book_transfer_in, name="book_transfer_in_conference"
    ),
    path("<int:pk>/", views.conference_detail, name="conference_detail"),
    path("<int:pk>/staff/", views.conference_staff, name="conference_staff"),
    path("<int:pk>/invitees/", views.conference_invitees, name="conference_invitees"),
    path("<int:pk>/rearrange/", views.conference_rearrange, name="conference_rearrange"),
    path("<int:pk>/cancel/", views.conference_cancel, name="conference_cancel"),
    path("<int:pk>/paperwork/", views.conference_paperwork, name="conference_paperwork"),
    path("<int:pk>/attendance/", views.conference_attendance, name="conference_attendance"),
    path("<int:pk>/record/", views.conference_domains, name="conference_domains"),
    path("children/<int:pk>/participation/", views.subject_participation, name="subject_participation"),
    path("children/<int:pk>/outcome/", views.subject_outcome, name="subject_outcome"),
    path("<int:pk>/invite-person/", people.invite_person, name="conference_invite_person"),
    path("<int:pk>/uninvited-attendee/", people.record_uninvited_attendee, name="conference_uninvited_attendee"),
    path("plans/<int:plan_pk>/core-group/", core_groups.record_core_group, name="record_core_group"),
]

_booked = {"pk": Sample("review_conference")}
ACCESS = {
    "book_initial_conference": expect(CONFERENCE_BOOKERS, {"s47_pk": Sample("s47")}),
    "book_review_conference": expect(CONFERENCE_BOOKERS, {"plan_pk": Sample("plan")}),
    "book_transfer_in_conference": expect(
        CONFERENCE_BOOKERS, {"notification_pk": Sample("transfer_notification")}
    ),
    "conference_detail": expect(CONFERENCE_READERS, {"pk": Sample("conference")}),
    "conference_staff": expect(CONFERENCE_BOOKERS, _booked),
    "conference_invitees": expect(CONFERENCE_BOOKERS, _booked),
    "conference_rearrange": expect(CONFERENCE_BOOKERS, _booked),
    "conference_cancel": expect(CONFERENCE_BOOKERS, _booked),
    "conference_paperwork": expect(CONFERENCE_BOOKERS, {"pk": Sample("conference")}),
    "conference_attendance": expect(CONFERENCE_RUNNERS, _booked),
    "conference_domains": expect(CONFERENCE_RUNNERS, _booked),
    "subject_participation": expect(CONFERENCE_RUNNERS, {"pk": Sample("subject")}),
    "subject_outcome": expect(CONFERENCE_RUNNERS, {"pk": Sample("subject")}),
    "conference_invite_person": expect(CONFERENCE_BOOKERS, _booked),
    "conference_uninvited_attendee": expect(CONFERENCE_RUNNERS, _booked),
    "record_core_group": expect(CONFERENCE_RUNNERS, {"plan_pk": Sample("plan")}),
}
