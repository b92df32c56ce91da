"""The authority's configuration: the administrator changes it on a page, each change is logged
(who, old value, new value), bad values are refused in the user's words, and every screen,
tracker, report and export follows the new values at once.

The record for the follow-through tests (all fake): a child born 1 June 2012 with a strategy
discussion on Tuesday 5 March 2024 (ICPC due 5 March + 15 working days = 26 March 2024: 6, 7, 8,
11, 12, 13, 14, 15, 18, 19, 20, 21, 22, 25, 26) and an initial conference held on 22 March 2024.
The service's day is Wednesday 27 March 2024.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cpqa.accounts.models import Role
from cpqa.cli import main
from cpqa.conferences import running
from cpqa.conferences import services as svc
from cpqa.core import config as configuration
from cpqa.core.models import ClosureDay, ConfigurationChange
from cpqa.oversight import services as qa_services
from cpqa.record import models as m
from tests.conferences import builders as b
from tests.support.html import tables, text

D = dt.date


@pytest.fixture
def people(db: None, settings: Any) -> dict[str, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CPQA_TODAY = "2024-03-27"
    made = {role: b.user(role) for role in (Role.ADMINISTRATOR, Role.QA_MANAGER, Role.CHAIR, Role.BUSINESS_SUPPORT)}
    m.StaffMember.objects.create(name="Chair Fakestaff", role="chair", user=made[Role.CHAIR])
    return made


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _configure(people: dict[str, Any], **values: object) -> None:
    configuration.do_update_authority_settings(by=people[Role.ADMINISTRATOR], values=values)


def _form(**changes: object) -> dict[str, object]:
    """The settings form as the page shows it with the defaults, with `changes` typed over it."""
    defaults = configuration.authority_config()
    data: dict[str, object] = {
        "name": defaults.name, "la_code": defaults.la_code,
        "prebirth_days_before_delivery": defaults.prebirth_days_before_delivery,
        "quoracy_social_care_required": "yes", "quoracy_other_agencies_required": 2,
        "quoracy_counted_agencies": sorted(defaults.quoracy.counted_agencies),
        "participation_booklet_from": 8, "participation_advocacy_from": 11, "participation_attendance_from": 12,
        "report_shared_days_initial": 3, "report_shared_days_review": 5, "agency_report_days_initial": 2,
        "agency_report_days_review": 5, "invitation_days_after_booking": 1, "invitation_days_before_review": 20,
        "decision_letter_days": 1, "minutes_days": 15, "escalation_stage_1_days": 5, "escalation_stage_2_days": 5,
        "escalation_stage_3_days": 10, "long_plan_flag_months": "9, 12, 15, 18", "core_group_interval_weeks": 4,
    }
    data.update(changes)
    return data


# --- The page ---------------------------------------------------------------------------------


def test_the_administrator_changes_settings_and_each_change_is_logged(people: dict[str, Any]) -> None:
    admin = _as(people[Role.ADMINISTRATOR])
    assert admin.get(reverse("configuration")).status_code == 200
    response = admin.post(reverse("configuration"), _form(name="Testshire (fake)", minutes_days=10))
    assert response.status_code == 302
    changes = [(c.username, c.setting, c.old_value, c.new_value) for c in ConfigurationChange.objects.order_by("pk")]
    assert changes == [
        ("fake-administrator", "name", "Example Borough (synthetic)", "Testshire (fake)"),
        ("fake-administrator", "minutes_days", "15", "10"),
    ]
    page = admin.get(reverse("configuration")).content.decode()
    assert tables(page)["The latest 50 changes, newest first"][1][2:] == [
        "Minutes: working days after the conference", "15", "10"
    ]
    # Saving again with nothing changed logs nothing.
    admin.post(reverse("configuration"), _form(name="Testshire (fake)", minutes_days=10))
    assert ConfigurationChange.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("la_code", "12", "Enter the DfE code as 3 digits, like 306"),
        ("minutes_days", "-1", "The number of working days cannot be negative"),
        ("minutes_days", "61", "Enter a number of working days from 0 to 60"),
        ("long_plan_flag_months", "9, soon", "Enter whole months from 1 to 60 separated by commas, like 9, 12, 15, 18"),
        ("participation_advocacy_from", "5", "Advocacy usually starts at or after the age of the booklet: enter an age of 8 or more"),
        ("name", "", "Enter the name of the authority"),
    ],
)
def test_a_bad_value_is_refused_in_words_and_changes_nothing(
    people: dict[str, Any], field: str, value: str, message: str
) -> None:
    response = _as(people[Role.ADMINISTRATOR]).post(reverse("configuration"), _form(**{field: value}))
    assert response.status_code == 200
    assert message in text(response.content.decode())
    assert ConfigurationChange.objects.count() == 0
    assert configuration.authority_config().name == "Example Borough (synthetic)"


def test_closure_days_are_added_and_removed_with_the_change_logged(people: dict[str, Any]) -> None:
    admin = _as(people[Role.ADMINISTRATOR])
    saturday = admin.post(reverse("closure_day_add"), {**b.date_fields("day", D(2024, 3, 30)), "description": "Test"})
    assert "30 March 2024 is a Saturday, which is never a working day anyway" in text(saturday.content.decode())
    admin.post(reverse("closure_day_add"), {**b.date_fields("day", D(2024, 3, 13)), "description": "Closure (test)"})
    assert list(ClosureDay.objects.values_list("day", flat=True)) == [D(2024, 3, 13)]
    assert configuration.authority_config().closure_days == frozenset({D(2024, 3, 13)})
    admin.post(reverse("closure_day_remove"), {"day": "2024-03-13"})
    assert not ClosureDay.objects.exists()
    assert [(c.old_value, c.new_value) for c in ConfigurationChange.objects.order_by("pk")] == [
        ("", "2024-03-13 Closure (test)"), ("2024-03-13 Closure (test)", ""),
    ]


def test_only_the_administrator_may_open_the_configuration(people: dict[str, Any]) -> None:
    for role in (Role.QA_MANAGER, Role.CHAIR, Role.BUSINESS_SUPPORT):
        assert _as(people[role]).get(reverse("configuration")).status_code == 403


# --- Everything follows -----------------------------------------------------------------------


@pytest.fixture
def held(people: dict[str, Any]) -> dict[str, Any]:
    """An enquiry from 5 March 2024 and its initial conference held on 22 March, with a plan."""
    child = b.child("CONF-0001")
    waiting = b.child("CONF-0002")
    b.enquiry(waiting, D(2024, 3, 5))
    enquiry = b.enquiry(child, D(2024, 3, 5))
    conference = svc.do_book_initial_conference(
        section47=enquiry, scheduled_date=D(2024, 3, 22), by=people[Role.BUSINESS_SUPPORT]
    )
    running.do_record_outcome(
        conference=conference, child=child, outcome="plan", held_date=D(2024, 3, 22), categories=["NEG"],
        by=people[Role.CHAIR],
    )
    return {"child": child, "conference": conference, "waiting": waiting}


def _awaiting_row(people: dict[str, Any]) -> list[str]:
    page = _as(people[Role.QA_MANAGER]).get(reverse("today")).content.decode()
    return tables(page)["Section 47 enquiries awaiting an initial conference"][1]


def _report(people: dict[str, Any]) -> dict[str, Any]:
    response = _as(people[Role.QA_MANAGER]).get(reverse("annual_report", args=["2023-24", "json"]))
    return json.loads(b"".join(response.streaming_content) if response.streaming else response.content)


def test_the_name_follows_on_every_page_and_in_the_report(people: dict[str, Any], held: dict[str, Any]) -> None:
    _configure(people, name="Testshire (fake)")
    assert "Testshire (fake)" in text(_as(people[Role.QA_MANAGER]).get(reverse("today")).content.decode())
    assert _report(people)["authority"] == "Testshire (fake)"


def test_closure_days_move_the_due_dates_on_today_and_in_the_report(
    people: dict[str, Any], held: dict[str, Any]
) -> None:
    # Default: due 26 March; on 27 March the waiting enquiry is overdue.
    assert _awaiting_row(people)[3:] == ["26 March 2024", "", "Overdue"]
    # Two closure days (7 and 8 March) push the due date two working days on: 27 and 28 March.
    ClosureDay.objects.create(day=D(2024, 3, 7), description="Closure (test)")
    ClosureDay.objects.create(day=D(2024, 3, 8), description="Closure (test)")
    assert _awaiting_row(people)[3:] == ["28 March 2024", "", "Due within 3 working days"]
    # Its conference is held today, 27 March: late by England's calendar (due 26 March), in time
    # by the authority's (due 28 March), so the report counts 2 of 2 held in time, not 1 of 2.
    waiting = held["waiting"]
    conference = svc.do_book_initial_conference(
        section47=waiting.referrals.get().section47s.get(), scheduled_date=D(2024, 3, 27),
        by=people[Role.BUSINESS_SUPPORT],
    )
    running.do_record_outcome(
        conference=conference, child=waiting, outcome="no_plan", held_date=D(2024, 3, 27), by=people[Role.CHAIR]
    )
    totals = _report(people)["tables"]["initial_conference_timeliness_by_month"]["totals"]
    assert (totals["held"], totals["in_time"]) == (2, 2)
    ClosureDay.objects.all().delete()
    totals = _report(people)["tables"]["initial_conference_timeliness_by_month"]["totals"]
    assert (totals["held"], totals["in_time"]) == (2, 1)


def test_the_la_code_is_the_census_exports_default(people: dict[str, Any], held: dict[str, Any], tmp_path: Path) -> None:
    _configure(people, la_code="886")
    out = tmp_path / "return.xml"
    assert main(["export-cin", "--year", "2023-24", "--out", str(out)]) == 0
    assert "<LEA>886</LEA>" in out.read_text(encoding="utf-8")


def test_the_quoracy_rule_follows_on_the_conference_page_and_in_the_report(
    people: dict[str, Any], held: dict[str, Any]
) -> None:
    conference = held["conference"]
    for agency in ("police", "housing"):
        m.Invitee.objects.create(conference=conference, agency=agency)
    entries = {i.pk: running.InviteeAttendance("attended") for i in conference.invitees.all()}
    running.do_record_attendance(conference=conference, entries=entries, by=people[Role.CHAIR])
    detail = reverse("conference_detail", args=[conference.pk])
    # Social care, police and housing attended: quorate by the default rule (2 others).
    assert "Quorate" in text(_as(people[Role.QA_MANAGER]).get(detail).content.decode()).split("Rule:")[0]
    assert _report(people)["tables"]["quorate_conferences"]["rows"][0]["quorate"] == 1
    # Housing no longer counts: only police, so not quorate.
    counted = sorted(set(configuration.authority_config().quoracy.counted_agencies) - {"housing"})
    _configure(people, quoracy_counted_agencies=" ".join(counted))
    page = text(_as(people[Role.QA_MANAGER]).get(detail).content.decode())
    assert "Not quorate Rule: children's social care and at least 2 of the counted agencies attended" in page
    assert _report(people)["tables"]["quorate_conferences"]["rows"][0]["quorate"] == 0


def test_participation_ages_follow_on_the_form_and_in_the_report(people: dict[str, Any], held: dict[str, Any]) -> None:
    # The child is 11 on 22 March 2024 (born 1 June 2012): booklet (from 8) and advocacy (from 11) apply.
    subject = held["conference"].subjects.get()
    url = reverse("subject_participation", args=[subject.pk])
    question = "Did an advocate support the child?"
    assert question in text(_as(people[Role.CHAIR]).get(url).content.decode())
    _configure(people, participation_advocacy_from=12, participation_attendance_from=13)
    assert question not in text(_as(people[Role.CHAIR]).get(url).content.decode())
    rows = {r["measure"]: r for r in _report(people)["tables"]["child_participation"]["rows"]}
    assert any(r["eligible"] == 0 for name, r in rows.items() if "advoca" in name)


def test_the_pre_birth_target_follows_on_the_booking_page(people: dict[str, Any]) -> None:
    # Expected 30 June 2024: 70 days before is 21 April 2024; 84 days (12 weeks) is 7 April.
    unborn = b.child("CONF-0003", born=None, expected=D(2024, 6, 30))
    enquiry = b.enquiry(unborn, D(2024, 3, 20))
    url = reverse("book_initial_conference", args=[enquiry.pk])
    assert "no later than 21 April 2024" in text(_as(people[Role.BUSINESS_SUPPORT]).get(url).content.decode())
    _configure(people, prebirth_days_before_delivery=84)
    assert "no later than 7 April 2024" in text(_as(people[Role.BUSINESS_SUPPORT]).get(url).content.decode())


def test_document_deadlines_follow_on_the_conference_page(people: dict[str, Any], held: dict[str, Any]) -> None:
    """Held Friday 22 March 2024: decision letter 1 working day after = Monday 25 March; with 3,
    Wednesday 27 March. Agency reports 2 before = Wednesday 20 March; with 4, Monday 18 March.
    Booked on the service's day, Wednesday 27 March: invitations 1 working day after = Thursday
    28 March; with 2, Tuesday 2 April (Good Friday and Easter Monday out)."""
    url = reverse("conference_detail", args=[held["conference"].pk])
    page = text(_as(people[Role.QA_MANAGER]).get(url).content.decode())
    assert "Decision letter: 25 March 2024" in page and "Agency reports: 20 March 2024" in page
    assert "Invitations: 28 March 2024" in page
    _configure(people, decision_letter_days=3, agency_report_days_initial=4, report_shared_days_initial=5,
               minutes_days=10, invitation_days_after_booking=2)
    page = text(_as(people[Role.QA_MANAGER]).get(url).content.decode())
    assert "Decision letter: 27 March 2024" in page and "Agency reports: 18 March 2024" in page
    # The report to the family: 5 working days before 22 March = 15 March; minutes 10 after =
    # 5 April (25, 26, 27, 28, 2, 3, 4, 5 April... with Good Friday and Easter Monday out: 25,
    # 26, 27, 28 March, 2, 3, 4, 5, 8, 9 April = 9 April).
    assert "Social work report to the family: 15 March 2024" in page and "Minutes: 9 April 2024" in page
    assert "Invitations: 2 April 2024" in page


def test_the_report_shared_deadline_follows_in_the_chairs_grading(people: dict[str, Any], held: dict[str, Any]) -> None:
    """Shared Tuesday 19 March for a conference on Friday 22 March: 3 working days before, in
    time by the default 3; not in time once the authority asks for 4."""
    subject = held["conference"].subjects.get()
    grade = {"grade": "good", "shared_with_family_date": D(2024, 3, 19), "feedback": "Clear (test).",
             "by": people[Role.CHAIR]}
    assert qa_services.do_record_report_feedback(subject=subject, **grade).report_shared_in_time is True
    _configure(people, report_shared_days_initial=4)
    assert qa_services.do_record_report_feedback(subject=subject, **grade).report_shared_in_time is False


def test_escalation_response_days_follow_on_the_qa_record(people: dict[str, Any], held: dict[str, Any]) -> None:
    """Raised Monday 25 March 2024 at stage 1: 5 working days = 3 April (26, 27, 28 March, 2, 3
    April; Good Friday and Easter Monday out); with 2 days, 27 March."""
    m.StaffMember.objects.create(name="QA Fakestaff", role="qa_manager", user=people[Role.QA_MANAGER])
    _configure(people, escalation_stage_1_days=2)
    escalation = qa_services.do_raise_escalation(
        raised_date=D(2024, 3, 25), stage=1, reasons=["plan_not_progressed"], owner="Manager (fake)",
        by=people[Role.QA_MANAGER], children=[held["child"]],
    )
    assert escalation.stages.get().response_due_date == D(2024, 3, 27)
    page = _as(people[Role.QA_MANAGER]).get(reverse("child_footprint", args=[held["child"].pk])).content.decode()
    assert tables(page)["Where things stand on 27 March 2024"][-1][:2] == [
        "Response to the stage 1 escalation", "27 March 2024"
    ]


def test_long_plan_flags_follow_on_the_panel_list(people: dict[str, Any]) -> None:
    """A plan from 1 October 2023 has 5 months on 27 March 2024 (6 only on 1 April): not on the
    panel's list with the first flag at 9 months; on it once the first flag is 5 months."""
    child = b.child("CONF-0004")
    b.plan(child, D(2023, 10, 1))
    url = reverse("long_plans")
    assert "CONF-0004" not in text(_as(people[Role.QA_MANAGER]).get(url).content.decode())
    _configure(people, long_plan_flag_months="5 12")
    page = text(_as(people[Role.QA_MANAGER]).get(url).content.decode())
    assert "CONF-0004" in page and "Plans of 5 months or more" in page
