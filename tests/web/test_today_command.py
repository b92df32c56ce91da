"""`cpqa today`: the daily report on the sample world (rows worked by hand), its formats, its
refusals, and its entries in the access log.

The sample world (tests/web/samples.py): TEST0001's strategy discussion was Wed 3 Jan 2024, so
the initial conference was due 15 working days later, Wed 24 Jan, booked and held that day
(plan from 24 Jan; first review due 24 April, booked for 22 April). TEST0002 (another team) has
a transfer-in notification received Thu 1 Feb 2024 and no conference. The chair raised an
escalation about TEST0001 whose stage 1 response was due Fri 8 March 2024.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cpqa.accounts.models import AccessEvent
from cpqa.cli import main
from cpqa.oversight import models as qa
from cpqa.record import models as m

EMPTY = {"reviews_due": [], "to_book": [], "long_plans": [], "outcomes_missing": [],
         "escalation_responses_overdue": [], "documents_due": []}


def _json(capsys: Any, argv: list[str]) -> dict[str, Any]:
    assert main(["today", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_on_10_january_the_enquiry_awaits_its_booked_conference(world: dict[str, int], capsys: Any) -> None:
    """10 Jan 2024: the conference is booked for 24 Jan, its due date -> booked; nothing else is
    due (the plan has not started, the notification is not yet received, the escalation not raised;
    no document is due by 10 Jan + 5 working days = 17 Jan: the decision letter counts from the
    conference on the 24th, and its booking day, which invitations count from, is not recorded)."""
    report = _json(capsys, ["--as-of", "2024-01-10", "--format", "json"])
    assert report == {
        "as_of": "2024-01-10",
        "lists": {
            "awaiting_initial_conference": [
                {"child": "TEST0001", "due": "2024-01-24", "status": "booked", "enquiry_start": "2024-01-03",
                 "booked_for": "2024-01-24"}
            ],
            **EMPTY,
        },
    }


def test_on_11_march_the_transfer_in_and_the_escalation_are_overdue(world: dict[str, int], capsys: Any) -> None:
    """11 Mar 2024: TEST0002's notification of Thu 1 Feb is due + 15 working days = Thu 22 Feb
    (2, 5-9, 12-16, 19-22 Feb) -> overdue. The stage 1 response due Fri 8 March is overdue on
    Monday the 11th (one row for the stage). The first review (24 April) is past D + 28 (8 April)
    and D + 42 (22 April), and booked anyway; the initial conference was held with an outcome.
    Documents due by 11 Mar + 5 working days = Mon 18 March, unsent: the initial conference's
    decision letter (24 Jan + 1 working day = Thu 25 Jan) and minutes (24 Jan + 15 working days:
    25-26, 29-31 Jan, 1-2, 5-9, 12-14 Feb = Wed 14 Feb), both overdue. The review's invitations
    (20 working days before Mon 22 April, skipping Easter Monday and Good Friday = Thu 21 March)
    are not yet due within the 5 working days."""
    report = _json(capsys, ["--as-of", "2024-03-11"])
    escalation = qa.Escalation.objects.get()
    assert report["lists"] == {
        "awaiting_initial_conference": [],
        "reviews_due": [],
        "to_book": [{"child": "TEST0002", "due": "2024-02-22", "status": "overdue", "conference_type": "transfer_in",
                     "enquiry_start": None, "plan_start": None}],
        "long_plans": [],
        "outcomes_missing": [],
        "escalation_responses_overdue": [{"child": "TEST0001", "due": "2024-03-08", "status": "overdue",
                                          "escalation": str(escalation.pk), "stage": 1}],
        "documents_due": [
            {"child": "TEST0001", "due": "2024-01-25", "status": "overdue", "conference": str(world["conference"]),
             "document": "decision_letter"},
            {"child": "TEST0001", "due": "2024-02-14", "status": "overdue", "conference": str(world["conference"]),
             "document": "minutes"},
        ],
    }


def test_the_export_is_logged_with_the_children_it_covers(world: dict[str, int], capsys: Any) -> None:
    """One export event for the report naming every child in it (by record id), no name anywhere."""
    _json(capsys, ["--as-of", "2024-03-11"])
    events = AccessEvent.objects.filter(action="export")
    report_event = events.get(object_type="daily_report")
    assert report_event.username == "cpqa today" and report_event.object_id == "2024-03-11"
    assert "4 rows, 2 children" in report_event.detail
    children = sorted(report_event.children.split(), key=int)
    assert children == sorted([str(world["child"]), str(world["other_team_child"])], key=int)
    assert not events.filter(detail__icontains="Alex").exists()


def test_a_user_gets_exactly_their_today_lists(world: dict[str, int], capsys: Any) -> None:
    """The chair's own lists on 8 March: the response due that day is due soon on their list
    (0 working days after D); the review booked for 22 April is outside the 4 weeks (to 4 April)."""
    report = _json(capsys, ["--as-of", "2024-03-08", "--user", "test-chair"])
    assert list(report["lists"]) == ["my_conferences", "my_midway_reviews", "my_escalation_responses"]
    assert report["lists"]["my_conferences"] == []
    [row] = report["lists"]["my_escalation_responses"]
    assert (row["child"], row["due"], row["status"], row["stage"]) == ("TEST0001", "2024-03-08", "due_soon", 1)
    assert AccessEvent.objects.get(object_type="daily_report").username == "test-chair"


def test_a_role_narrows_to_its_lists(world: dict[str, int], capsys: Any) -> None:
    report = _json(capsys, ["--as-of", "2024-03-11", "--role", "business_support"])
    assert list(report["lists"]) == ["to_book", "invitations", "decision_letters", "minutes"]
    # The initial conference of 24 Jan: its decision letter was due the next working day.
    [letter] = report["lists"]["decision_letters"]
    assert (letter["child"], letter["due"], letter["status"]) == ("TEST0001", "2024-01-25", "overdue")


def test_csv_has_one_section_per_list(world: dict[str, int], capsys: Any) -> None:
    assert main(["today", "--as-of", "2024-03-11", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "as_of,2024-03-11"
    sections = [line.split(",")[1] for line in lines if line.startswith("list,")]
    assert sections == ["awaiting_initial_conference", "reviews_due", "to_book", "long_plans", "outcomes_missing",
                        "escalation_responses_overdue", "documents_due"]
    assert "TEST0002,2024-02-22,overdue,transfer_in,," in lines


def test_xlsx_has_one_sheet_per_list(world: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "today.xlsx"
    assert main(["today", "--as-of", "2024-03-11", "--format", "xlsx", "--out", str(out)]) == 0
    assert zipfile.is_zipfile(out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Contents", "awaiting_initial_conference", "reviews_due", "to_book", "long_plans",
                               "outcomes_missing", "escalation_responses_overdue", "documents_due"]
    rows = list(book["to_book"].iter_rows(values_only=True))
    assert rows[0][:3] == ("child", "due", "status")
    assert rows[1][:4] == ("TEST0002", "2024-02-22", "overdue", "transfer_in")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "xlsx"], "give a file with --out"),
        (["--role", "analyst"], "sees no child's record"),
        (["--role", "social_work_manager"], "name the manager with --user"),
        (["--user", "no-such-person"], "there is no active user called 'no-such-person'"),
        (["--role", "wizard"], "there is no role 'wizard'"),
    ],
)
def test_bad_requests_say_what_to_do_and_write_nothing(
    world: dict[str, int], capsys: Any, argv: list[str], message: str
) -> None:
    assert main(["today", *argv]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""
    assert not AccessEvent.objects.filter(action="export").exists()


def test_as_of_defaults_to_the_services_day(world: dict[str, int], capsys: Any, settings: Any) -> None:
    settings.CPQA_TODAY = "2024-01-10"
    assert _json(capsys, [])["as_of"] == "2024-01-10"


def test_an_unwritable_out_file_is_a_clear_error(world: dict[str, int], capsys: Any, tmp_path: Path) -> None:
    assert main(["today", "--out", str(tmp_path / "missing-folder" / "x.json")]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert m.Child.objects.count() == 2
