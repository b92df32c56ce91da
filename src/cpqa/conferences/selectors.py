"""Reads for booking and the conference pages. Access checks and logging are the views' (they
load each child through `cpqa.accounts.access.access_child` first)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from cpqa.domain import codes
from cpqa.record import models as m


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the week containing `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


@dataclass(frozen=True)
class ChairWeek:
    chair: m.StaffMember
    conferences: list[m.Conference]


def chair_weeks(day: dt.date) -> list[ChairWeek]:
    """Each active chair with the conferences booked for them in the week of `day` (not cancelled)."""
    monday, sunday = week_of(day)
    booked = m.Conference.objects.filter(cancelled=False, scheduled_date__range=(monday, sunday)).order_by(
        "scheduled_date", "scheduled_time", "pk"
    )
    chairs = (
        m.StaffMember.objects.filter(role="chair", active=True)
        .order_by("name")
        .prefetch_related(Prefetch("chaired_conferences", queryset=booked, to_attr="week_conferences"))
    )
    return [ChairWeek(chair, list(chair.week_conferences)) for chair in chairs]


def conference_with_subjects(pk: int) -> m.Conference:
    return m.Conference.objects.select_related("chair", "minute_taker", "transfer_notification").get(pk=pk)


def subjects_of(conference: m.Conference) -> QuerySet[m.ConferenceSubject]:
    return conference.subjects.select_related("child", "plan", "section47").order_by("child__local_id")


def invitees_of(conference: m.Conference) -> list[m.Invitee]:
    """Agencies first, in the order of the code list, then family members."""
    order = {code: index for index, code in enumerate(codes.AGENCY)}
    invitees = list(conference.invitees.select_related("family_member"))
    return sorted(invitees, key=lambda i: (not i.agency, order.get(i.agency, len(order)), i.pk))
