"""The DfE census rules on S47 enquiries, conferences, plans and reviews.

Each case edits a clean hand-written fixture and lists every finding the edit must cause,
worked out by hand from the rule's wording (data-standards.md §2.5) and the fixture's dates.
The clean fixture's dates (cin_2025_sex_repeated.xml, reference date 2025-03-31, so the census
period runs 2024-03-31 to 2025-03-31):

- FAKE0003 (unborn, due 2025-05-20, Sex U): referral 2025-01-06; assessment 2025-01-06 to
  2025-01-31; S47 from 2025-01-08 (target 2025-01-29) with ICPC Tue 2025-01-28; plan from
  2025-01-28, open, MUL; review 2025-03-27.
- FAKE0004 (born 2012-02-29): episode 1 referred 2024-04-15, closed 2024-06-28 (RC7), with an
  S47 from 2024-04-22 that needed no ICPC; episode 2 referred 2024-10-01: S47 from 2024-10-02
  with ICPC Mon 2024-10-21, plan 2024-10-21 to 2025-03-20 (NEG, 2 previous), reviews
  2025-01-16 and 2025-03-20 (the day it ended), step-down CIN plan from 2025-03-20.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.tables import Record
from cpqa.interop.census import census_tables
from cpqa.interop.cin_check import (
    ERROR,
    FINDING_SCHEMA,
    RULES,
    check_census,
    check_cin_file,
    check_cin_record,
    check_record,
    summary,
)
from cpqa.interop.cin_check.registry import QUERY, CensusModuleRules, rule_set
from cpqa.interop.cin_read import read_cin, read_cin_files

from .conftest import DATA

D = dt.date
Y2017 = DATA / "cin_2017_gendercurrent.xml"
Y2018 = DATA / "cin_2018_update.xml"
Y2025 = DATA / "cin_2025_sex_repeated.xml"

Finding = tuple[str, str | None, str]


def found(findings: pl.DataFrame) -> set[Finding]:
    return set(findings.select("rule", "record_id", "value").rows())


@pytest.fixture
def edited(tmp_path: Path) -> Callable[..., set[Finding]]:
    """Findings on a fixture after replacing each (old, new); every `old` must occur once.

    Only what the edit adds counts: the fixtures are small, so the return-level queries about
    the whole return (2887Q: fewer than 8 disability codes used) hold before and after."""

    def run(replacements: list[tuple[str, str]], fixture: Path = Y2025) -> set[Finding]:
        baseline = found(check_cin_file(fixture))
        text = fixture.read_text()
        for old, new in replacements:
            assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
            text = text.replace(old, new)
        path = tmp_path / "edited.xml"
        path.write_text(text)
        return found(check_cin_file(path)) - {f for f in baseline if f[1] is None or f[1] == "Header"}

    return run


# --- clean files -----------------------------------------------------------------------------


def test_clean_fixtures_have_no_errors() -> None:
    """The fixtures break no error rule. What the whole-census rules query, worked by hand:
    - 2887Q (fewer than 8 different disability codes in the return): 2025 uses none but NONE
      (0), 2018 only AUT (1), 2017 AUT and COMM (2);
    - 2888Q (no child with more than one disability): 2018, whose one disabled child has AUT
      alone; in 2017 FAKE0001 has AUT and COMM;
    - 8670Q (an assessment with no end that started more than 45 working days before the
      reference date): 2018's FAKE0001 (started 2018-10-10, reference 2019-03-31) and 2017's
      FAKE0002 (2017-09-04, reference 2018-03-31).
    The 2017-18 file is judged by the 2022-23 rules (the earliest cpqa holds), when factor 18A
    was still current, so 8945Q (from 2024-25) does not query it."""
    assert found(check_cin_file(Y2025)) == {("2887Q", None, "0 different disability codes used")}
    assert found(check_cin_file(Y2018)) == {
        ("2887Q", None, "1 different disability codes used"),
        ("2888Q", None, "no child has more than one disability code"),
        ("8670Q", "FAKE0001/e1/a1", "AssessmentActualStartDate 2018-10-10"),
    }
    assert found(check_cin_file(Y2017)) == {
        ("2887Q", None, "2 different disability codes used"),
        ("8670Q", "FAKE0002/e1/a1", "AssessmentActualStartDate 2017-09-04"),
    }


@pytest.mark.parametrize(
    "options",
    [
        (),
        ("--reviews-layout", "repeated"),
        ("--bool-style", "word"),
        ("--reviews-layout", "repeated", "--bool-style", "word"),
    ],
)
def test_clean_generated_files_have_no_findings(
    make_cin: Callable[..., Path], options: tuple[str, ...]
) -> None:
    """The peer reports 0 issues on the generator's clean files; so must cpqa, in every layout."""
    findings = check_cin_file(make_cin(500, *options))
    assert findings.height == 0, findings.head(5)


def test_a_generated_2017_18_file_carrying_sex_breaks_4180_for_every_child(make_cin: Callable[..., Path]) -> None:
    """The generator always writes Sex; a 2017-18 census asked for GenderCurrent, so every one
    of the 500 children breaks 4180 (judged by the 2022-23 rules, the earliest cpqa holds),
    and nothing else is found."""
    findings = check_cin_file(make_cin(500, "--year", "2018", "--seed", "7"))
    # With no GenderCurrent at all, 100% of the born children have none: 2886Q (over 2%) too.
    assert set(findings["rule"]) == {"4180", "2886Q"}
    assert findings.filter(rule="4180")["child_id"].n_unique() == 500


def test_all_seven_planted_faults_are_caught(make_cin: Callable[..., Path]) -> None:
    """make_cin_xml.py --faults plants one breach in each of children 1-7 (its FAULTS table):
    ICPC on a Saturday (8875), plan 3 working days after the ICPC (2885), review before the
    plan (8841), episode closed before the plan ends (8565, which the peer misses), ICPC
    target on a Sunday (8870Q, which the peer misses), plan ending the day it starts (8840),
    invalid initial category (8905)."""
    findings = check_cin_file(make_cin(200, "--faults"))
    planted = {
        ("8875", "SYN00000001"),
        ("2885", "SYN00000002"),
        ("8841", "SYN00000003"),
        ("8565", "SYN00000004"),
        ("8870Q", "SYN00000005"),
        ("8840", "SYN00000006"),
        ("8905", "SYN00000007"),
    }
    caught = set(findings.select("rule", "child_id").rows())
    assert planted <= caught
    # Nothing else is wrong with the file except what the faults cause: the same-day plan's
    # step-down CIN plan starts on the plan's start date, which is also rule 4017 (the peer
    # reports it too).
    assert caught - planted <= {("4017", "SYN00000006")}
    assert summary(findings)["queries"] == 1


# --- each rule, by editing the clean file --------------------------------------------------------

FAKE3_ICPC = "<DateOfInitialCPC>2025-01-28</DateOfInitialCPC>"
FAKE3_PLAN_START = "<CPPstartDate>2025-01-28</CPPstartDate>"
FAKE4_PLAN_END = "<CPPendDate>2025-03-20</CPPendDate>"
FAKE4_E1_S47 = "<S47ActualStartDate>2024-04-22</S47ActualStartDate>"
NO_ICPC_NEEDED = "<ICPCnotRequired>1</ICPCnotRequired>"


CASES: dict[str, tuple[list[tuple[str, str]], set[Finding]]] = {
    # Referral recorded after the enquiry, conference and plan of its own episode.
    "1104 2889 1105 referral after the work": (
        [("<CINreferralDate>2024-10-01</CINreferralDate>", "<CINreferralDate>2024-10-22</CINreferralDate>")],
        {
            ("1104", "FAKE0004/e2/s1", "DateOfInitialCPC 2024-10-21, CINreferralDate 2024-10-22"),
            ("2889", "FAKE0004/e2/s1", "S47ActualStartDate 2024-10-02, CINreferralDate 2024-10-22"),
            ("1105", "FAKE0004/e2/p1", "CPPstartDate 2024-10-21, CINreferralDate 2024-10-22"),
        },
    ),
    # The same ICPC date also on the episode (2 plans; 3 conference dates, so 2883 holds).
    "2884 ICPC on both levels": (
        [
            (
                "<CINreferralDate>2024-10-01</CINreferralDate>",
                "<CINreferralDate>2024-10-01</CINreferralDate><DateOfInitialCPC>2024-10-21</DateOfInitialCPC>",
            )
        ],
        {("2884", "FAKE0004/e2/s1", "DateOfInitialCPC 2024-10-21")},
    ),
    "2885 plan a day after its conference": (
        [("<CPPstartDate>2024-10-21</CPPstartDate>", "<CPPstartDate>2024-10-22</CPPstartDate>")],
        {("2885", "FAKE0004/e2/p1", "CPPstartDate 2024-10-22")},
    ),
    "2990 activity on an RC8 closure": (
        [("<ReasonForClosure>RC7</ReasonForClosure>", "<ReasonForClosure>RC8</ReasonForClosure>")],
        {("2990", "FAKE0004/e1", "ReasonForClosure RC8")},
    ),
    "2991Q enquiry without assessment": (
        [
            (
                """<Assessments>
          <AssessmentActualStartDate>2025-01-06</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2025-01-31</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>19C</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>""",
                "",
            )
        ],
        {("2991Q", "FAKE0003/e1", "no Assessments module")},
    ),
    # Plan left open: the step-down CIN plan from 2025-03-20 now runs alongside it, and the
    # review of 2025-03-20 no longer ends the plan.
    "4001 4016 4003 CIN plan alongside an open plan": (
        [(FAKE4_PLAN_END, "")],
        {
            ("4001", "FAKE0004/e2/c1", "CINPlanStartDate 2025-03-20, CPPstartDate 2024-10-21"),
            (
                "4016",
                "FAKE0004/e2/c1",
                "CINPlanStartDate 2025-03-20, CPPstartDate 2024-10-21, CPPendDate blank",
            ),
            (
                "4003",
                "FAKE0004/e2/p1/r2",
                "CPPreviewDate 2025-03-20, CINPlanStartDate 2025-03-20, CINPlanEndDate blank",
            ),
        },
    ),
    "8615 enquiry starting after its conference": (
        [
            (
                "<S47ActualStartDate>2025-01-08</S47ActualStartDate>",
                "<S47ActualStartDate>2025-01-29</S47ActualStartDate>",
            )
        ],
        {("8615", "FAKE0003/e1/s1", "S47ActualStartDate 2025-01-29, DateOfInitialCPC 2025-01-28")},
    ),
    # No ICPC: due 2025-01-08 + 15 working days = 2025-01-29, before 2025-03-31. The plan then
    # starts on no conference (2885), and 2 plans started against 1 conference (2883).
    "8675Q 2885 2883 conference missing": (
        [(FAKE3_ICPC, "")],
        {
            ("8675Q", "FAKE0003/e1/s1", "S47ActualStartDate 2025-01-08, ICPCnotRequired false"),
            ("2885", "FAKE0003/e1/p1", "CPPstartDate 2025-01-28"),
            ("2883", None, "2 plans started, 1 initial conferences held"),
        },
    ),
    # Mon 2025-03-10 + 15 working days = Mon 2025-03-31: due on the reference date, not before.
    "8675Q not yet due": (
        [
            (FAKE3_ICPC, ""),
            (
                "<S47ActualStartDate>2025-01-08</S47ActualStartDate>",
                "<S47ActualStartDate>2025-03-10</S47ActualStartDate>",
            ),
        ],
        {
            ("2885", "FAKE0003/e1/p1", "CPPstartDate 2025-01-28"),
            ("2883", None, "2 plans started, 1 initial conferences held"),
        },
    ),
    # Fri 2025-03-07 + 15 working days = Fri 2025-03-28, before 2025-03-31.
    "8675Q just overdue": (
        [
            (FAKE3_ICPC, ""),
            (
                "<S47ActualStartDate>2025-01-08</S47ActualStartDate>",
                "<S47ActualStartDate>2025-03-07</S47ActualStartDate>",
            ),
        ],
        {
            ("8675Q", "FAKE0003/e1/s1", "S47ActualStartDate 2025-03-07, ICPCnotRequired false"),
            ("2885", "FAKE0003/e1/p1", "CPPstartDate 2025-01-28"),
            ("2883", None, "2 plans started, 1 initial conferences held"),
        },
    ),
    # Conference and plan on Tue 2025-04-01, after the reference date; the review of
    # 2025-03-27 is now before the plan.
    "8715 8720 8841 after the year": (
        [
            (FAKE3_ICPC, "<DateOfInitialCPC>2025-04-01</DateOfInitialCPC>"),
            (FAKE3_PLAN_START, "<CPPstartDate>2025-04-01</CPPstartDate>"),
        ],
        {
            ("8715", "FAKE0003/e1/s1", "DateOfInitialCPC 2025-04-01"),
            ("8720", "FAKE0003/e1/p1", "CPPstartDate 2025-04-01"),
            ("8841", "FAKE0003/e1/p1/r1", "CPPreviewDate 2025-03-27, CPPstartDate 2025-04-01"),
        },
    ),
    "8730 previous plans missing": (
        [("<NumberOfPreviousCPP>2</NumberOfPreviousCPP>", "")],
        {("8730", "FAKE0004/e2/p1", "NumberOfPreviousCPP blank")},
    ),
    "8730 previous plans negative": (
        [("<NumberOfPreviousCPP>2</NumberOfPreviousCPP>", "<NumberOfPreviousCPP>-1</NumberOfPreviousCPP>")],
        {("8730", "FAKE0004/e2/p1", "NumberOfPreviousCPP -1")},
    ),
    # An enquiry from 2024-03-20 (before the period), never concluded, in an episode closed
    # 2024-06-28 (the referral moved back to 2024-03-01 so 2889 stays quiet).
    "8740 8675Q 8868 stale open enquiry": (
        [
            (NO_ICPC_NEEDED, "<ICPCnotRequired>0</ICPCnotRequired>"),
            (FAKE4_E1_S47, "<S47ActualStartDate>2024-03-20</S47ActualStartDate>"),
            (
                "<CINreferralDate>2024-04-15</CINreferralDate>",
                "<CINreferralDate>2024-03-01</CINreferralDate>",
            ),
        ],
        {
            ("8740", "FAKE0004/e1/s1", "S47ActualStartDate 2024-03-20"),
            ("8675Q", "FAKE0004/e1/s1", "S47ActualStartDate 2024-03-20, ICPCnotRequired false"),
            ("8868", "FAKE0004/e1/s1", "DateOfInitialCPC blank, ICPCnotRequired false"),
        },
    ),
    "8831 8832 no further action with activity": (
        [("<ReferralNFA>false</ReferralNFA>", "<ReferralNFA>TRUE</ReferralNFA>")],
        {
            ("8831", "FAKE0003/e1", "ReferralNFA true"),
            ("8832", "FAKE0003/e1/p1", "ReferralNFA true, CPPstartDate 2025-01-28"),
        },
    ),
    # Two enquiries left open in the closed episode 1: from 2024-04-22 and from 2024-05-01.
    "8839 8890 8868 8675Q two open enquiries": (
        [
            (
                NO_ICPC_NEEDED,
                (
                    "<ICPCnotRequired>0</ICPCnotRequired></Section47><Section47>"
                    "<S47ActualStartDate>2024-05-01</S47ActualStartDate>"
                    "<ICPCnotRequired>0</ICPCnotRequired>"
                ),
            )
        ],
        {
            ("8839", "FAKE0004/e1/s1", "S47ActualStartDate 2024-04-22, DateOfInitialCPC blank"),
            ("8839", "FAKE0004/e1/s2", "S47ActualStartDate 2024-05-01, DateOfInitialCPC blank"),
            ("8890", "FAKE0004/e1/s2", "S47ActualStartDate 2024-05-01, other S47ActualStartDate 2024-04-22"),
            ("8868", "FAKE0004/e1/s1", "DateOfInitialCPC blank, ICPCnotRequired false"),
            ("8868", "FAKE0004/e1/s2", "DateOfInitialCPC blank, ICPCnotRequired false"),
            ("8675Q", "FAKE0004/e1/s1", "S47ActualStartDate 2024-04-22, ICPCnotRequired false"),
            ("8675Q", "FAKE0004/e1/s2", "S47ActualStartDate 2024-05-01, ICPCnotRequired false"),
        },
    ),
    # Plan ends the day it starts; the review of 2025-03-20 then falls in the CIN plan
    # without being the plan's end (4003).
    "8840 same-day plan": (
        [(FAKE4_PLAN_END, "<CPPendDate>2024-10-21</CPPendDate>")],
        {
            ("8840", "FAKE0004/e2/p1", "CPPstartDate 2024-10-21, CPPendDate 2024-10-21"),
            (
                "4003",
                "FAKE0004/e2/p1/r2",
                "CPPreviewDate 2025-03-20, CINPlanStartDate 2025-03-20, CINPlanEndDate blank",
            ),
        },
    ),
    "8925 plan ends before it starts": (
        [(FAKE4_PLAN_END, "<CPPendDate>2024-10-18</CPPendDate>")],
        {
            ("8925", "FAKE0004/e2/p1", "CPPstartDate 2024-10-21, CPPendDate 2024-10-18"),
            (
                "4003",
                "FAKE0004/e2/p1/r2",
                "CPPreviewDate 2025-03-20, CINPlanStartDate 2025-03-20, CINPlanEndDate blank",
            ),
        },
    ),
    # Ends 2025-04-02, after the year; the CIN plan from 2025-03-20 now starts inside it.
    "8930 plan ends after the year": (
        [(FAKE4_PLAN_END, "<CPPendDate>2025-04-02</CPPendDate>")],
        {
            ("8930", "FAKE0004/e2/p1", "CPPendDate 2025-04-02"),
            (
                "4016",
                "FAKE0004/e2/c1",
                "CINPlanStartDate 2025-03-20, CPPstartDate 2024-10-21, CPPendDate 2025-04-02",
            ),
            (
                "4003",
                "FAKE0004/e2/p1/r2",
                "CPPreviewDate 2025-03-20, CINPlanStartDate 2025-03-20, CINPlanEndDate blank",
            ),
        },
    ),
    "8841 review on the plan's first day": (
        [("<CPPreviewDate>2025-01-16</CPPreviewDate>", "<CPPreviewDate>2024-10-21</CPPreviewDate>")],
        {("8841", "FAKE0004/e2/p1/r1", "CPPreviewDate 2024-10-21, CPPstartDate 2024-10-21")},
    ),
    "8842Q review without a date": (
        [("<CPPreviewDate>2025-03-27</CPPreviewDate>", "")],
        {("8842Q", "FAKE0003/e1/p1/r1", "CPPreviewDate blank")},
    ),
    "8870Q target on a Saturday": (
        [
            (
                "<InitialCPCtarget>2025-01-29</InitialCPCtarget>",
                "<InitialCPCtarget>2025-02-01</InitialCPCtarget>",
            )
        ],
        {("8870Q", "FAKE0003/e1/s1", "InitialCPCtarget 2025-02-01")},
    ),
    "8875 conference on a Sunday": (
        [
            (FAKE3_ICPC, "<DateOfInitialCPC>2025-01-26</DateOfInitialCPC>"),
            (FAKE3_PLAN_START, "<CPPstartDate>2025-01-26</CPPstartDate>"),
        ],
        {("8875", "FAKE0003/e1/s1", "DateOfInitialCPC 2025-01-26")},
    ),
    "8905 8910 categories blank and invalid": (
        [
            (
                "<InitialCategoryOfAbuse>MUL</InitialCategoryOfAbuse>",
                "<InitialCategoryOfAbuse></InitialCategoryOfAbuse>",
            ),
            (
                "<LatestCategoryOfAbuse>MUL</LatestCategoryOfAbuse>",
                "<LatestCategoryOfAbuse>ZZZ</LatestCategoryOfAbuse>",
            ),
        ],
        {
            ("8905", "FAKE0003/e1/p1", "InitialCategoryOfAbuse blank"),
            ("8910", "FAKE0003/e1/p1", "LatestCategoryOfAbuse ZZZ"),
        },
    ),
    "8920 plan ends after death": (
        [("<Sex>M</Sex>", "<Sex>M</Sex><PersonDeathDate>2025-02-01</PersonDeathDate>")],
        {("8920", "FAKE0004/e2/p1", "CPPendDate 2025-03-20, PersonDeathDate 2025-02-01")},
    ),
    "8915 8920 plan starts after death": (
        [("<Sex>M</Sex>", "<Sex>M</Sex><PersonDeathDate>2024-10-01</PersonDeathDate>")],
        {
            ("8915", "FAKE0004/e2/p1", "CPPstartDate 2024-10-21, PersonDeathDate 2024-10-01"),
            ("8920", "FAKE0004/e2/p1", "CPPendDate 2025-03-20, PersonDeathDate 2024-10-01"),
        },
    ),
    # A second open plan from 2025-02-10 inside the first (open since 2025-01-28).
    "8935 8940 2885 2883 second open plan": (
        [
            (
                "</ChildProtectionPlans>\n      </CINdetails>\n    </Child>\n    <Child>",
                (
                    "</ChildProtectionPlans><ChildProtectionPlans><CPPstartDate>2025-02-10</CPPstartDate>"
                    "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>"
                    "<NumberOfPreviousCPP>1</NumberOfPreviousCPP></ChildProtectionPlans>\n      </CINdetails>\n    </Child>\n"
                    "    <Child>"
                ),
            )
        ],
        {
            ("8935", "FAKE0003/e1/p1", "CPPstartDate 2025-01-28, CPPendDate blank"),
            ("8935", "FAKE0003/e1/p2", "CPPstartDate 2025-02-10, CPPendDate blank"),
            (
                "8940",
                "FAKE0003/e1/p2",
                "CPPstartDate 2025-02-10, other CPPstartDate 2025-01-28, other CPPendDate blank",
            ),
            ("2885", "FAKE0003/e1/p2", "CPPstartDate 2025-02-10"),
            ("2883", None, "3 plans started, 2 initial conferences held"),
        },
    ),
    "4180 sex missing": (
        [("<Sex>M</Sex>", "")],
        {("4180", "FAKE0004", "Sex blank")},
    ),
    "8750 unborn child recorded as female": (
        [("<Sex>U</Sex>", "<Sex>F</Sex>")],
        {("8750", "FAKE0003", "Sex F")},
    ),
    "8950Q superseded factor 19A": (
        [("<AssessmentFactors>19C</AssessmentFactors>", "<AssessmentFactors>19A</AssessmentFactors>")],
        {("8950Q", "FAKE0003/e1/a1", "AssessmentFactors 19A")},
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_rule(edited: Callable[..., set[Finding]], case: str) -> None:
    # The rules a case is about are the codes its name starts with; an edit that breaks one of
    # them may also break a rule of another census module (e.g. a CIN plan after a death, 4008),
    # which that module's own cases test.
    replacements, expected = CASES[case]
    about = {word for word in case.split() if word[:4].isdigit()} | {f[0] for f in expected}
    assert {f for f in edited(replacements) if f[0] in about} == expected


def test_8565_plan_ending_after_closure(edited: Callable[..., set[Finding]]) -> None:
    """FAKE0001 (2017 file) closed 2018-01-10, before its plan ended (2018-01-15) and before
    its CIN plan (2018-01-15 to 2018-02-01): three activities after closure. FAKE0002's open assessment (8670Q) stays; 18A is current in the 2022-23 rules this
    2017-18 file is judged by."""
    findings = edited(
        [("<CINclosureDate>2018-02-01</CINclosureDate>", "<CINclosureDate>2018-01-10</CINclosureDate>")],
        Y2017,
    )
    assert findings == {
        ("8565", "FAKE0001/e1/p1", "CINclosureDate 2018-01-10, CPPendDate 2018-01-15"),
        ("8565", "FAKE0001/e1/c1", "CINclosureDate 2018-01-10, CINPlanStartDate 2018-01-15"),
        ("8565", "FAKE0001/e1/c1", "CINclosureDate 2018-01-10, CINPlanEndDate 2018-02-01"),
        ("8670Q", "FAKE0002/e1/a1", "AssessmentActualStartDate 2017-09-04"),
    }


def test_2885_transfer_in_plan_must_start_on_the_episode_conference(
    edited: Callable[..., set[Finding]],
) -> None:
    """FAKE0002's episode has no S47: its plan must start on the episode's ICPC (2017-09-20)."""
    findings = edited(
        [("<CPPstartDate>2017-09-20</CPPstartDate>", "<CPPstartDate>2017-09-21</CPPstartDate>")], Y2017
    )
    assert findings == {
        ("2885", "FAKE0002/e1/p1", "CPPstartDate 2017-09-21"),
        ("8670Q", "FAKE0002/e1/a1", "AssessmentActualStartDate 2017-09-04"),
    }


def test_identity_rules_on_a_record() -> None:
    """Children the reader would refuse can still reach the checks from another source.
    Reference date 2025-03-31: an expected birth on or after 2025-12-31 (+9 months) is queried;
    born 2025-03-01, a referral before 2024-05-25 (280 days earlier) is an error."""
    children = pl.DataFrame(
        {
            "child_id": [
                "",
                "DUPFAKE1",
                "DUPFAKE1",
                "FAKE-0001",
                "FAKE0123456789012345678",
                "FAKENOSEX",
                "FAKENODOB",
                "FAKEUNBORN",
                "FAKEEARLY",
            ],
            "sex": ["M", "F", "F", "M", "M", None, "F", "F", "M"],
            "date_of_birth": [D(2010, 1, 1)] * 6 + [None, None, D(2025, 3, 1)],
            "expected_date_of_birth": [None] * 7 + [D(2026, 1, 15), None],
        }
    )
    episodes = pl.DataFrame(
        {"episode_id": ["FAKEEARLY/e1"], "child_id": ["FAKEEARLY"], "referral_date": [D(2024, 5, 1)]}
    )
    record = Record.of(children=children, episodes=episodes)
    every = set(check_cin_record(record, D(2025, 3, 31)).select("rule", "child_id").rows())
    ids = {"", "DUPFAKE1", "FAKE-0001", "FAKE0123456789012345678", "FAKENOSEX", "FAKENODOB", "FAKEUNBORN"}
    # The record holds no ethnicity (4220 for every child) and only FAKEEARLY has an episode
    # (8590 for the others); that episode has no source (8866) and no ReferralNFA (8568).
    assert {f for f in every if f[0] == "4220"} == {("4220", c) for c in ids | {"FAKEEARLY"}}
    assert {f for f in every if f[0] == "8590"} == {("8590", c) for c in ids}
    assert {f for f in every if f[0] in {"8866", "8568"}} == {("8866", "FAKEEARLY"), ("8568", "FAKEEARLY")}
    findings = {f for f in every if f[0] not in {"4220", "8590", "8866", "8568"} and f[1] is not None}
    assert findings == {
        # A blank id has no non-alphanumeric character: 8500 alone reports it.
        ("8500", ""),
        ("8510", "DUPFAKE1"),
        ("1580", "FAKE-0001"),
        ("1570", "FAKE0123456789012345678"),
        ("4180", "FAKENOSEX"),
        ("8525Q", "FAKENODOB"),
        ("8530Q", "FAKEUNBORN"),
        ("8750", "FAKEUNBORN"),
        ("8606", "FAKEEARLY"),
    }


def test_every_rule_has_a_number_kind_and_message() -> None:
    assert len(RULES) >= 45
    for code, rule in RULES.items():
        assert rule.kind == ("query" if code.endswith("Q") else "error")
        assert rule.message and rule.table and rule.field


def test_the_rule_set_holds_every_rule_of_every_census_module() -> None:
    """The DfE's rule counts per collection year (as the peer lists them): 105 rules for
    2022-23 and 2023-24 (81 errors, 24 queries); 2024-25 adds 1570, 1580, 8945Q and 8950Q
    (109: 83 errors, 26 queries), unchanged for 2025-26 and 2026-27."""
    from cpqa.interop.cin_check.rule_sets import RULE_SETS

    for year, (total, queries) in {2022: (105, 24), 2023: (105, 24), 2024: (109, 26), 2026: (109, 26)}.items():
        rules = RULE_SETS[year]
        assert (len(rules), sum(r.kind == QUERY for r in rules.values())) == (total, queries), year
    assert set(RULE_SETS[2024]) - set(RULE_SETS[2023]) == {"1570", "1580", "8945Q", "8950Q"}
    assert RULE_SETS[2023]["4180"].field == "GenderCurrent" and RULE_SETS[2024]["4180"].field == "Sex"
    assert set(RULES) == set(RULE_SETS[2026])


def test_a_rule_written_twice_is_refused() -> None:
    plans = CensusModuleRules("ChildProtectionPlans")
    plans.rule("8840", ERROR, "CPPendDate", "first")(RULES["8840"].find)
    with pytest.raises(ValueError, match="rule 8840 is written twice in ChildProtectionPlans"):
        plans.rule("8840", ERROR, "CPPendDate", "second")(RULES["8840"].find)
    reviews = CensusModuleRules("Reviews")
    reviews.rule("8840", ERROR, "CPPreviewDate", "again")(RULES["8841"].find)
    with pytest.raises(ValueError, match=r"rule 8840 is written twice \(ChildProtectionPlans and Reviews\)"):
        rule_set(2024, plans, reviews)


def test_check_census_runs_only_the_rules_it_is_given(tmp_path: Path) -> None:
    """FAKE0003 (unborn) given Sex F breaks 8750 (an unborn child's sex must be U), and its
    factor 19A is query 8950Q; a set of 8950Q alone reports the query only."""
    path = tmp_path / "two.xml"
    path.write_text(
        Y2025.read_text()
        .replace("<Sex>U</Sex>", "<Sex>F</Sex>")
        .replace("<AssessmentFactors>19C</AssessmentFactors>", "<AssessmentFactors>19A</AssessmentFactors>")
    )
    tables = census_tables(read_cin(path))
    assert found(check_census(tables, D(2025, 3, 31), rules={"8950Q": RULES["8950Q"]})) == {
        ("8950Q", "FAKE0003/e1/a1", "AssessmentFactors 19A")
    }


def test_findings_have_the_contract_columns_errors_first(
    edited: Callable[..., set[Finding]], tmp_path: Path
) -> None:
    text = (
        Y2025.read_text()
        .replace("<Sex>U</Sex>", "<Sex>F</Sex>")
        .replace("<AssessmentFactors>19C</AssessmentFactors>", "<AssessmentFactors>19A</AssessmentFactors>")
    )
    path = tmp_path / "two.xml"
    path.write_text(text)
    findings = check_cin_file(path)
    assert findings.schema == pl.Schema(FINDING_SCHEMA)
    # 8750 (error), then the queries: 2887Q about the whole return (only NONE used), 8950Q.
    assert findings.select("kind", "rule").rows() == [("error", "8750"), ("query", "2887Q"), ("query", "8950Q")]
    assert summary(findings) == {"errors": 1, "queries": 2, "children_with_errors": 1, "rules_broken": 3}


# --- a record from another source, as its census would be -------------------------------------------


def test_check_record_judges_each_year_as_its_census() -> None:
    """The 2017 and 2018 files merged (as the database would hold them), checked per year:
    - 2017-18: FAKE0002's plan ended 2018-11-05, after the year, so it was open at the
      reference date (no 8930); FAKE0002's assessment (started 2017-09-04, no end) is 8670Q;
      18A is a current factor in the 2022-23 rules (the earliest cpqa holds), so no 8945Q;
    - 2018-19: FAKE0001's 2017 episode closed before the year and is left out; FAKE0002's plan
      began in 2017 so 2885 does not apply. Neither file ever completes FAKE0002's 2017
      assessment, so in 2018-19 it is still open (8670Q), started before the year (8736), and
      its episode closed on 2018-11-30 with it open (8867); FAKE0001's 2018-10-10 assessment
      has no end (8670Q).
    Both years: one disability code other than NONE in use (2887Q), no child with two (2888Q)."""
    record = read_cin_files([Y2017, Y2018])
    whole_return = {
        ("2887Q", None, "1 different disability codes used"),
        ("2888Q", None, "no child has more than one disability code"),
    }
    assert found(check_record(record, ReportingYear(2017))) == whole_return | {
        ("8670Q", "FAKE0002/e1/a1", "AssessmentActualStartDate 2017-09-04")
    }
    assert found(check_record(record, ReportingYear(2018))) == whole_return | {
        ("8670Q", "FAKE0001/e2/a1", "AssessmentActualStartDate 2018-10-10"),
        ("8670Q", "FAKE0002/e1/a1", "AssessmentActualStartDate 2017-09-04"),
        ("8736", "FAKE0002/e1/a1", "AssessmentActualStartDate 2017-09-04"),
        ("8867", "FAKE0002/e1", "CINclosureDate 2018-11-30"),
    }


def test_check_record_fills_what_the_record_can_tell(tmp_path: Path) -> None:
    """A missing NumberOfPreviousCPP is an error in a file; from a record, the count of the
    child's earlier plans in the record (0 for FAKE0004) is what the census would carry."""
    path = tmp_path / "noprev.xml"
    path.write_text(Y2025.read_text().replace("<NumberOfPreviousCPP>2</NumberOfPreviousCPP>", ""))
    record = read_cin(path)
    # 2887Q: the 2025 fixture uses no disability code but NONE, whichever way it is checked.
    only_none = ("2887Q", None, "0 different disability codes used")
    assert found(check_cin_record(record, D(2025, 3, 31))) == {
        ("8730", "FAKE0004/e2/p1", "NumberOfPreviousCPP blank"),
        only_none,
    }
    assert found(check_record(record, ReportingYear(2024))) == {only_none}
