"""A CINdetails episode (referral to closure), then the modules it holds."""

from __future__ import annotations

import polars as pl
from lxml import etree

from cpqa.domain import codes
from cpqa.interop.cin_read.assessments import read_assessments
from cpqa.interop.cin_read.cin_plans import read_cin_plans
from cpqa.interop.cin_read.cp_plans import read_cp_plans
from cpqa.interop.cin_read.items import ItemReader
from cpqa.interop.cin_read.section47 import read_section47

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "episodes": {
        "child_id": pl.String,
        "e_no": pl.Int64,
        "referral_date": pl.Date,
        "referral_source": pl.String,
        "primary_need": pl.String,
        "closure_date": pl.Date,
        "closure_reason": pl.String,
        "referral_nfa": pl.Boolean,
        "icpc_date": pl.Date,
    },
}

_REPEATED = frozenset(
    {"Assessments", "CINPlanDates", "Section47", "ChildProtectionPlans", "PreProceedingsandFGDM"}
)


def read_episode(reader: ItemReader, element: etree._Element) -> None:
    child_id = reader.child_id or ""
    e_no = reader.episodes_per_child.get(child_id, 0) + 1
    reader.episodes_per_child[child_id] = e_no
    single, many = reader.groups(element, _REPEATED)
    reader.place(f"{child_id}/e{e_no}", element, single)
    referral = reader.date(single.get("CINreferralDate"), "CINreferralDate")
    reader.rows["episodes"].append(
        (
            child_id,
            e_no,
            referral,
            reader.code(single.get("ReferralSource"), "ReferralSource", codes.REFERRAL_SOURCE),
            reader.code(single.get("PrimaryNeedCode"), "PrimaryNeedCode", codes.PRIMARY_NEED),
            reader.date(single.get("CINclosureDate"), "CINclosureDate"),
            reader.code(single.get("ReasonForClosure"), "ReasonForClosure", codes.REASON_FOR_CLOSURE),
            reader.boolean(single.get("ReferralNFA"), "ReferralNFA", rule_covers=True),
            reader.date(single.get("DateOfInitialCPC"), "DateOfInitialCPC"),
        )
    )
    read_assessments(reader, child_id, e_no, many.get("Assessments", []))
    read_cin_plans(reader, child_id, e_no, many.get("CINPlanDates", []))
    read_section47(reader, child_id, e_no, many.get("Section47", []))
    read_cp_plans(reader, child_id, e_no, many.get("ChildProtectionPlans", []))
