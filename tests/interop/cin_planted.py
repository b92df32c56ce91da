"""A 2024-25 census file of clean children, each but the first few carrying one planted breach.

Written for the agreement test with the peer validator (test_cin_agreement): one child per
rule, so each rule's children can be compared child by child. The clean child is built to pass
every DfE rule: born 2015-05-11 (school age, so a valid UPN), referred Monday 2024-06-03, an
assessment from 2024-06-04 to 2024-07-01 with factors, a section 47 from 2024-06-05 whose
conference is held on its target date Wednesday 2024-06-26 (15 working days on), and the plan
that conference started, reviewed on Thursday 2024-09-12. The clean children between them use
nine disability codes, two on some children, so the whole-return queries (2887Q, 2888Q) hold.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from typing import Any

LA = "886"
REFERENCE_DATE = "2025-03-31"
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
CLEAN_DISABILITIES = [["AUT", "COMM"], ["LD"], ["HEAR", "VIS"], ["BEH"], ["MOB", "HAND"], ["PC"], ["NONE"]]

Child = dict[str, Any]


def upn(serial: int, la: str = LA) -> str:
    """A valid permanent UPN: check letter, LA code, year digits 24, a serial, digit 13."""
    body = f"{la}24{serial:06d}0"
    weighted = sum(int(d) * (i + 2) for i, d in enumerate(body))
    return CHECK_LETTERS[weighted % 23] + body


def clean_child(n: int) -> Child:
    return {
        "LAchildID": f"AGR{n:05d}",
        "UPN": upn(n),
        "FormerUPN": None,
        "UPNunknown": None,
        "PersonBirthDate": "2015-05-11",
        "ExpectedPersonBirthDate": None,
        "Sex": "M" if n % 2 else "F",
        "PersonDeathDate": None,
        "Ethnicity": "WBRI",
        "Disabilities": list(CLEAN_DISABILITIES[n % len(CLEAN_DISABILITIES)]),
        "episodes": [clean_episode()],
    }


def clean_episode() -> dict[str, Any]:
    return {
        "CINreferralDate": "2024-06-03",
        "ReferralSource": "2A",
        "PrimaryNeedCode": "N1",
        "CINclosureDate": None,
        "ReasonForClosure": None,
        "DateOfInitialCPC": None,
        "assessments": [
            {
                "AssessmentActualStartDate": "2024-06-04",
                "AssessmentAuthorisationDate": "2024-07-01",
                "factors": ["3B", "4B"],
            }
        ],
        "cin_plans": [],
        "s47": [
            {
                "S47ActualStartDate": "2024-06-05",
                "InitialCPCtarget": "2024-06-26",
                "DateOfInitialCPC": "2024-06-26",
                "ICPCnotRequired": "0",
            }
        ],
        "ReferralNFA": "0",
        "plans": [
            {
                "CPPstartDate": "2024-06-26",
                "CPPendDate": None,
                "InitialCategoryOfAbuse": "NEG",
                "LatestCategoryOfAbuse": "NEG",
                "NumberOfPreviousCPP": "0",
                "reviews": ["2024-09-12"],
            }
        ],
    }


def _leaf(name: str, value: object, indent: str) -> str:
    return "" if value is None else f"{indent}<{name}>{value}</{name}>\n"


def render_child(child: Child) -> str:
    out = ["    <Child>\n      <ChildIdentifiers>\n"]
    for name in (
        "LAchildID",
        "UPN",
        "FormerUPN",
        "UPNunknown",
        "PersonBirthDate",
        "ExpectedPersonBirthDate",
        "Sex",
        "PersonDeathDate",
    ):
        out.append(_leaf(name, child[name], "        "))
    out.append("      </ChildIdentifiers>\n      <ChildCharacteristics>\n")
    out.append(_leaf("Ethnicity", child["Ethnicity"], "        "))
    if child["Disabilities"]:
        out.append("        <Disabilities>\n")
        out.extend(_leaf("Disability", code, "          ") for code in child["Disabilities"])
        out.append("        </Disabilities>\n")
    out.append("      </ChildCharacteristics>\n")
    for episode in child["episodes"]:
        out.append(render_episode(episode))
    out.append("    </Child>\n")
    return "".join(out)


def render_episode(e: dict[str, Any]) -> str:
    ind = "        "
    out = ["      <CINdetails>\n"]
    for name in (
        "CINreferralDate",
        "ReferralSource",
        "PrimaryNeedCode",
        "CINclosureDate",
        "ReasonForClosure",
        "DateOfInitialCPC",
    ):
        out.append(_leaf(name, e[name], ind))
    for a in e["assessments"]:
        out.append(f"{ind}<Assessments>\n")
        out.append(_leaf("AssessmentActualStartDate", a["AssessmentActualStartDate"], ind + "  "))
        out.append(_leaf("AssessmentAuthorisationDate", a["AssessmentAuthorisationDate"], ind + "  "))
        if a["factors"]:
            out.append(f"{ind}  <FactorsIdentifiedAtAssessment>\n")
            out.extend(_leaf("AssessmentFactors", f, ind + "    ") for f in a["factors"])
            out.append(f"{ind}  </FactorsIdentifiedAtAssessment>\n")
        out.append(f"{ind}</Assessments>\n")
    for c in e["cin_plans"]:
        out.append(f"{ind}<CINPlanDates>\n")
        out.append(_leaf("CINPlanStartDate", c["CINPlanStartDate"], ind + "  "))
        out.append(_leaf("CINPlanEndDate", c.get("CINPlanEndDate"), ind + "  "))
        out.append(f"{ind}</CINPlanDates>\n")
    for s in e["s47"]:
        out.append(f"{ind}<Section47>\n")
        for name in ("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"):
            out.append(_leaf(name, s[name], ind + "  "))
        out.append(f"{ind}</Section47>\n")
    out.append(_leaf("ReferralNFA", e["ReferralNFA"], ind))
    for p in e["plans"]:
        out.append(f"{ind}<ChildProtectionPlans>\n")
        for name in (
            "CPPstartDate",
            "CPPendDate",
            "InitialCategoryOfAbuse",
            "LatestCategoryOfAbuse",
            "NumberOfPreviousCPP",
        ):
            out.append(_leaf(name, p[name], ind + "  "))
        if p["reviews"]:
            out.append(f"{ind}  <Reviews>\n")
            out.extend(_leaf("CPPreviewDate", r, ind + "    ") for r in p["reviews"])
            out.append(f"{ind}  </Reviews>\n")
        out.append(f"{ind}</ChildProtectionPlans>\n")
    out.append("      </CINdetails>\n")
    return "".join(out)


def render(children: list[Child]) -> str:
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n<Message>\n  <Header>\n    <CollectionDetails>\n'
        f"      <Collection>CIN</Collection>\n      <Year>2025</Year>\n"
        f"      <ReferenceDate>{REFERENCE_DATE}</ReferenceDate>\n    </CollectionDetails>\n"
        f"    <Source>\n      <SourceLevel>L</SourceLevel>\n      <LEA>{LA}</LEA>\n"
        "      <SoftwareCode>cpqa-test</SoftwareCode>\n      <Release>1</Release>\n"
        "      <SerialNo>001</SerialNo>\n      <DateTime>2025-05-01T10:00:00</DateTime>\n"
        "    </Source>\n  </Header>\n  <Children>\n"
    )
    return head + "".join(render_child(c) for c in children) + "  </Children>\n</Message>\n"


def _episode(child: Child) -> dict[str, Any]:
    return child["episodes"][0]


def _set(**fields: object) -> Callable[[Child], None]:
    def plant(child: Child) -> None:
        child.update(fields)

    return plant


def _ep(**fields: object) -> Callable[[Child], None]:
    def plant(child: Child) -> None:
        _episode(child).update(fields)

    return plant


def _part(key: str, **fields: object) -> Callable[[Child], None]:
    def plant(child: Child) -> None:
        _episode(child)[key][0].update(fields)

    return plant


def _cin_plan(**fields: object) -> Callable[[Child], None]:
    def plant(child: Child) -> None:
        _episode(child)["cin_plans"].append({"CINPlanStartDate": "2024-12-02", **fields})

    return plant


# One breach per rule: the rule it is planted for, and how. Each breaks its rule; some also
# break others (a death before the referral breaks every "after death" rule), which the
# comparison covers too, rule by rule.
PLANTED: list[tuple[str, Callable[[Child], None]]] = [
    ("1510", _set(UPN="A886240000010")),
    ("1530", _set(UPN=upn(9, la="999"))),
    ("1540", _set(UPN="A8862400X0010")),
    ("1560Q", _set(FormerUPN="12345")),
    ("4180", _set(Sex="1")),
    ("4220", _set(Ethnicity="XXXX")),
    ("8520", _set(PersonBirthDate="2025-06-01")),
    ("8540", _set(Disabilities=["ZZZ"])),
    ("8790", _set(Disabilities=["NONE", "AUT"])),
    ("8794", _set(Disabilities=["AUT", "AUT"])),
    ("8545Q", _set(PersonDeathDate="2025-06-01")),
    ("8585Q", _ep(CINclosureDate="2025-01-06", ReasonForClosure="RC2")),
    ("8600", _ep(CINreferralDate="2025-04-07")),
    ("8610", _ep(PrimaryNeedCode=None)),
    ("8620", _ep(CINclosureDate="2025-05-06", ReasonForClosure="RC7")),
    ("8630", _ep(CINclosureDate="2024-05-01", ReasonForClosure="RC7")),
    ("8640", _ep(CINclosureDate="2025-01-06", ReasonForClosure="RC99")),
    ("8650", _ep(PrimaryNeedCode="N99")),
    ("8805", _ep(CINclosureDate="2025-01-06")),
    ("8810", _ep(ReasonForClosure="RC7")),
    ("8866", _ep(ReferralSource="99")),
    ("8568", _ep(ReferralNFA="maybe")),
    ("1103", _part("assessments", AssessmentActualStartDate="2024-05-31")),
    ("8608", _part("assessments", AssessmentAuthorisationDate="2024-06-03")),
    ("8614", _part("assessments", AssessmentAuthorisationDate=None)),
    ("8869", _part("assessments", factors=["21", "3B"])),
    ("8898", _part("assessments", factors=["3B", "3B"])),
    ("8897Q", _part("assessments", factors=[])),
    ("8945Q", _part("assessments", factors=["18A"])),
    ("8950Q", _part("assessments", factors=["19A"])),
    ("4011", _cin_plan(CINPlanEndDate="2024-11-29")),
    ("4012Q", _cin_plan(CINPlanEndDate="2024-12-02")),
    ("4010", _cin_plan(CINPlanStartDate="2025-04-07")),
    ("4015", _cin_plan(CINPlanStartDate="2024-05-31", CINPlanEndDate="2024-06-03")),
    ("1104", _part("s47", DateOfInitialCPC="2024-05-30")),
    ("2889", _part("s47", S47ActualStartDate="2024-05-31")),
    ("8875", _part("s47", DateOfInitialCPC="2024-06-22")),
    ("8715", _part("s47", DateOfInitialCPC="2025-04-03")),
    ("1105", _part("plans", CPPstartDate="2024-05-31")),
    ("8840", _part("plans", CPPendDate="2024-06-26")),
    ("8925", _part("plans", CPPendDate="2024-06-20")),
    ("8930", _part("plans", CPPendDate="2025-04-10")),
    ("8905", _part("plans", InitialCategoryOfAbuse="XYZ")),
    ("8910", _part("plans", LatestCategoryOfAbuse="XYZ")),
    ("8841", _part("plans", reviews=["2024-06-26"])),
]


def _calls(*plants: Callable[[Child], None]) -> Callable[[Child], None]:
    def plant(child: Child) -> None:
        for one in plants:
            one(child)

    return plant


def _second_episode(**fields: object) -> Callable[[Child], None]:
    """A second, earlier episode with no modules (referred 2024-04-08, a Monday)."""

    def plant(child: Child) -> None:
        episode = clean_episode()
        episode.update({"assessments": [], "s47": [], "plans": [], "CINreferralDate": "2024-04-08", **fields})
        child["episodes"].insert(0, episode)

    return plant


def _no_plan(child: Child) -> None:
    _episode(child)["plans"] = []


def _add(key: str, **fields: object) -> Callable[[Child], None]:
    """A second module of `key`, copied from the first and changed."""

    def plant(child: Child) -> None:
        modules = _episode(child)[key]
        modules.append({**deepcopy(modules[0]), **fields})

    return plant


def _unborn(**fields: object) -> Callable[[Child], None]:
    unborn: dict[str, object] = {
        "PersonBirthDate": None,
        "ExpectedPersonBirthDate": "2025-06-02",
        "Sex": "U",
        "UPN": None,
        "UPNunknown": "UN1",
        "Disabilities": [],
    }
    return _set(**{**unborn, **fields})


PLANTED += [
    ("1570", _set(LAchildID="AGRLONGIDENTIFIER0000001")),
    ("1580", _set(LAchildID="AGR-00001")),
    ("8525Q", _set(ExpectedPersonBirthDate="2025-06-02")),
    ("8530Q", _unborn(ExpectedPersonBirthDate="2026-06-01")),
    ("8750", _calls(_unborn(), _set(Sex="M"))),
    ("8535Q", _set(PersonDeathDate="2015-01-05")),
    ("8555Q", _set(PersonDeathDate="2024-05-06")),
    ("8770Q", _set(UPN=None)),
    ("8772", _set(UPN=None, UPNunknown="UN7")),
    ("8775Q", _set(PersonBirthDate="1998-01-05", UPN=None, UPNunknown="UN2")),
    ("8606", _calls(_set(PersonBirthDate="2025-04-01", UPN=None, UPNunknown="UN1"))),
    (
        "8569Q",
        _second_episode(
            CINreferralDate="2023-03-01", ReferralNFA="1", CINclosureDate="2023-03-01", ReasonForClosure="RC8"
        ),
    ),
    ("8815", _second_episode()),
    ("8820", _second_episode(CINclosureDate="2024-06-10", ReasonForClosure="RC7")),
    (
        "8825Q",
        _calls(_no_plan, _ep(CINclosureDate="2025-01-06", ReasonForClosure="RC8", assessments=[], s47=[])),
    ),
    (
        "8867",
        _calls(
            _ep(CINclosureDate="2025-01-06", ReasonForClosure="RC7"),
            _part("assessments", AssessmentAuthorisationDate=None, factors=[]),
            _part("plans", CPPendDate="2025-01-06"),
        ),
    ),
    ("2990", _ep(CINclosureDate="2025-01-06", ReasonForClosure="RC8")),
    ("2991Q", _ep(assessments=[])),
    ("8831", _ep(ReferralNFA="1")),
    (
        "8868",
        _calls(
            _no_plan,
            _ep(CINclosureDate="2025-01-06", ReasonForClosure="RC7"),
            _part("s47", DateOfInitialCPC=None),
        ),
    ),
    ("8670Q", _part("assessments", AssessmentAuthorisationDate=None, factors=[])),
    ("8696", _part("assessments", AssessmentAuthorisationDate="2025-04-07")),
    (
        "8736",
        _calls(
            _ep(CINreferralDate="2024-03-04"),
            _part(
                "assessments",
                AssessmentActualStartDate="2024-03-05",
                AssessmentAuthorisationDate=None,
                factors=[],
            ),
        ),
    ),
    (
        "8863Q",
        _add("assessments", AssessmentActualStartDate="2024-06-10", AssessmentAuthorisationDate="2024-07-15"),
    ),
    (
        "8896",
        _calls(
            _part("assessments", AssessmentAuthorisationDate=None, factors=[]),
            _add("assessments", AssessmentActualStartDate="2024-08-05"),
        ),
    ),
    ("4000", _calls(_no_plan, _ep(ReferralNFA="1", s47=[], assessments=[]), _cin_plan())),
    ("4004", _calls(_cin_plan(CINPlanStartDate="2024-12-02"), _cin_plan(CINPlanStartDate="2025-01-06"))),
    ("4008", _calls(_set(PersonDeathDate="2024-11-04"), _cin_plan())),
    (
        "4009Q",
        _calls(
            _set(PersonDeathDate="2024-12-09"),
            _cin_plan(CINPlanStartDate="2024-12-02", CINPlanEndDate="2024-12-16"),
        ),
    ),
    ("4013", _cin_plan(CINPlanStartDate="2024-12-02", CINPlanEndDate="2025-04-07")),
    (
        "4014",
        _calls(
            _cin_plan(CINPlanStartDate="2024-12-02", CINPlanEndDate="2025-01-06"),
            _cin_plan(CINPlanStartDate="2024-12-16", CINPlanEndDate="2025-01-13"),
        ),
    ),
    ("4017", _calls(_cin_plan(CINPlanStartDate="2024-06-10", CINPlanEndDate="2024-06-28"))),
    ("2884", _ep(DateOfInitialCPC="2024-06-26")),
    ("8615", _part("s47", S47ActualStartDate="2024-06-27", InitialCPCtarget="2024-07-18")),
    ("8675Q", _calls(_no_plan, _part("s47", DateOfInitialCPC=None))),
    (
        "8740",
        _calls(
            _no_plan,
            _ep(CINreferralDate="2024-03-04"),
            _part("assessments", AssessmentActualStartDate="2024-03-05"),
            _part(
                "s47", S47ActualStartDate="2024-03-06", InitialCPCtarget="2024-03-27", DateOfInitialCPC=None
            ),
        ),
    ),
    (
        "8839",
        _calls(_no_plan, _part("s47", DateOfInitialCPC=None), _add("s47", S47ActualStartDate="2024-07-01")),
    ),
    ("8870Q", _part("s47", InitialCPCtarget="2024-06-29")),
    (
        "8890",
        _add(
            "s47",
            S47ActualStartDate="2024-06-10",
            InitialCPCtarget="2024-07-01",
            DateOfInitialCPC="2024-07-01",
        ),
    ),
    ("8720", _part("plans", CPPstartDate="2025-04-07")),
    ("8730", _part("plans", NumberOfPreviousCPP=None)),
    ("8915", _calls(_set(PersonDeathDate="2024-06-24"))),
    ("8920", _calls(_set(PersonDeathDate="2024-12-09"), _part("plans", CPPendDate="2024-12-16"))),
    ("8935", _add("plans", CPPstartDate="2024-09-02")),
    (
        "8940",
        _calls(
            _part("plans", CPPendDate="2024-10-07"),
            _add("plans", CPPstartDate="2024-09-02", CPPendDate="2024-11-04"),
        ),
    ),
    ("8842Q", _part("plans", reviews=[""])),
    ("1520", _set(UPN=upn(1))),
    ("1550", _set(UPN="A88624000001I")),
    # 8510 (a LAchildID twice) is not planted here: the peer then keys both children's episodes
    # alike (LAchildID, CINdetailsID) and mixes them in other rules; cpqa keeps them apart.
    ("8590", _set(episodes=[])),
    ("8816", _calls(_ep(CINclosureDate="2025-01-06", ReasonForClosure="RC7"), _second_episode())),
    ("4003", _cin_plan(CINPlanStartDate="2024-08-01")),
]


def planted_children(clean: int = 14) -> tuple[list[Child], dict[str, str]]:
    """`clean` clean children, then one child per planted rule; and which child carries which."""
    children = [clean_child(n) for n in range(1, clean + 1)]
    carriers: dict[str, str] = {}
    for offset, (rule, plant) in enumerate(PLANTED):
        child = deepcopy(clean_child(clean + 1 + offset))
        plant(child)
        children.append(child)
        carriers[rule] = child["LAchildID"]
    return children, carriers
