"""When each of a conference's documents is due (docs/definitions.md#document-deadlines).

The authority sets each deadline (`AuthorityConfig`); these are the one place the dates are
worked out, for the conference page, the paperwork lists on Today and the report.
"""

from __future__ import annotations

import datetime as dt

from cpqa.domain import codes
from cpqa.domain.config import AuthorityConfig

DOCUMENTS: dict[str, str] = {
    "invitations": "Invitations",
    "social_work_report_to_family": "Social work report to the family",
    "agency_reports": "Agency reports",
    "decision_letter": "Decision letter",
    "minutes": "Minutes",
}


def papers_as_for_a_review(conference_type: str) -> bool:
    """Whether a conference's papers run on the review deadlines.

    Initial, pre-birth and transfer-in conferences are called at short notice; reviews are
    planned months ahead, so their papers are due further before the day.
    """
    return conference_type not in (*codes.INITIAL_CONFERENCE_TYPES, "transfer_in")


def document_due_dates(
    conference_type: str,
    booked_on: dt.date | None,
    conference_on: dt.date | None,
    config: AuthorityConfig,
) -> dict[str, dt.date | None]:
    """Each document's due date; None where the day it counts from is not known yet.

    `booked_on` is the day the conference was booked, `conference_on` the day it sits (held, or
    booked for): a rearranged conference moves the dates that count from it.
    """
    calendar = config.calendar
    review = papers_as_for_a_review(conference_type)
    dues: dict[str, dt.date | None] = dict.fromkeys(DOCUMENTS)
    if review and conference_on is not None:
        dues["invitations"] = calendar.subtract_working_days(conference_on, config.invitation_days_before_review)
    elif not review and booked_on is not None:
        dues["invitations"] = calendar.add_working_days(booked_on, config.invitation_days_after_booking)
    if conference_on is not None:
        family_days = config.report_shared_days_review if review else config.report_shared_days_initial
        agency_days = config.agency_report_days_review if review else config.agency_report_days_initial
        dues["social_work_report_to_family"] = calendar.subtract_working_days(conference_on, family_days)
        dues["agency_reports"] = calendar.subtract_working_days(conference_on, agency_days)
        dues["decision_letter"] = calendar.add_working_days(conference_on, config.decision_letter_days)
        dues["minutes"] = calendar.add_working_days(conference_on, config.minutes_days)
    return dues
