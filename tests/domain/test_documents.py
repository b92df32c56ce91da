"""When a conference's documents are due (docs/definitions.md#document-deadlines), worked by hand
on the calendar of England, with Easter 2024 and Christmas 2023 in the way."""

from __future__ import annotations

import dataclasses
import datetime as dt

from cpqa.domain.calendar import ENGLAND
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.documents import document_due_dates

D = dt.date
CONFIG = AuthorityConfig()


def test_an_initial_conference_booked_on_12_march_sitting_on_22_march_2024() -> None:
    """Invitations: booked Tue 12 + 1 working day = Wed 13 March. Report to the family: 3 working
    days before Fri 22 (21, 20, 19) = Tue 19. Agency reports: 2 before (21, 20) = Wed 20.
    Decision letter: 1 after = Mon 25. Minutes: 15 after, with Good Friday 29 March and Easter
    Monday 1 April out: 25, 26, 27, 28, 2, 3, 4, 5, 8, 9, 10, 11, 12, 15, 16 = Tue 16 April."""
    assert document_due_dates("initial", D(2024, 3, 12), D(2024, 3, 22), CONFIG) == {
        "invitations": D(2024, 3, 13),
        "social_work_report_to_family": D(2024, 3, 19),
        "agency_reports": D(2024, 3, 20),
        "decision_letter": D(2024, 3, 25),
        "minutes": D(2024, 4, 16),
    }


def test_a_review_on_3_january_2024_counts_back_over_christmas() -> None:
    """Invitations: 20 working days before Wed 3 Jan, with 1 Jan, 26 and 25 Dec out: 2 Jan, 29,
    28, 27, 22, 21, 20, 19, 18, 15, 14, 13, 12, 11, 8, 7, 6, 5, 4 Dec, 1 Dec = Fri 1 December.
    Reports: 5 before (2 Jan, 29, 28, 27, 22) = Fri 22 December. Letter: Thu 4 January. Minutes:
    15 after (4, 5, 8, 9, 10, 11, 12, 15, 16, 17, 18, 19, 22, 23, 24) = Wed 24 January."""
    assert document_due_dates("review", D(2023, 11, 1), D(2024, 1, 3), CONFIG) == {
        "invitations": D(2023, 12, 1),
        "social_work_report_to_family": D(2023, 12, 22),
        "agency_reports": D(2023, 12, 22),
        "decision_letter": D(2024, 1, 4),
        "minutes": D(2024, 1, 24),
    }


def test_a_transfer_in_runs_on_the_initial_deadlines_and_unknown_days_give_none() -> None:
    dues = document_due_dates("transfer_in", D(2024, 3, 12), None, CONFIG)
    assert dues == {
        "invitations": D(2024, 3, 13),
        "social_work_report_to_family": None,
        "agency_reports": None,
        "decision_letter": None,
        "minutes": None,
    }
    # Not booked yet: an initial conference's invitations count from the booking.
    assert document_due_dates("prebirth", None, D(2024, 3, 22), CONFIG)["invitations"] is None


def test_the_authoritys_deadlines_and_closure_days_count() -> None:
    """A closure day on Wed 13 March moves the invitations to Thu 14; a 2-day decision letter
    from Fri 22 March is due Tue 26; minutes in 5 working days: 25, 26, 27, 28, 2 April."""
    config = dataclasses.replace(
        CONFIG, closure_days=frozenset({D(2024, 3, 13)}), decision_letter_days=2, minutes_days=5
    )
    dues = document_due_dates("initial", D(2024, 3, 12), D(2024, 3, 22), config)
    assert (dues["invitations"], dues["decision_letter"], dues["minutes"]) == (
        D(2024, 3, 14), D(2024, 3, 26), D(2024, 4, 2)
    )


def test_counting_working_days_back() -> None:
    """From Sat 23 March 2024, 1 working day back is Fri 22; 0 is the day itself; from Tue 2
    April, 1 back skips Easter Monday and Good Friday to Thu 28 March."""
    assert ENGLAND.subtract_working_days(D(2024, 3, 23), 1) == D(2024, 3, 22)
    assert ENGLAND.subtract_working_days(D(2024, 3, 23), 0) == D(2024, 3, 23)
    assert ENGLAND.subtract_working_days(D(2024, 4, 2), 1) == D(2024, 3, 28)
