"""DfE and local code lists with their labels (docs/definitions.md#code-lists).

Codes are stored as the DfE codes everywhere; labels are for people.
"""

from __future__ import annotations

ETHNICITY: dict[str, str] = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WIRT": "Traveller of Irish heritage",
    "WOTH": "Any other White background",
    "WROM": "Gypsy/Roma",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Caribbean",
    "BAFR": "African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}

# Letter-digit (2001-census-style) local codes some case-management systems export.
# A4/A5 follow Data to Insight's mapping; an authority should confirm against its own table.
ETHNICITY_LETTER_DIGIT: dict[str, str] = {
    "A1": "WBRI", "A2": "WIRI", "A3": "WOTH", "A4": "WIRT", "A5": "WROM",
    "B1": "MWBC", "B2": "MWBA", "B3": "MWAS", "B4": "MOTH",
    "C1": "AIND", "C2": "APKN", "C3": "ABAN", "C4": "AOTH",
    "D1": "BCRB", "D2": "BAFR", "D3": "BOTH",
    "E1": "CHNE", "E2": "OOTH", "E3": "REFU", "E4": "NOBT",
}

SEX: dict[str, str] = {"F": "Female", "M": "Male", "U": "Unknown or unborn"}
# Pre-2024-25 census GenderCurrent codes, mapped to the Sex codes used since.
GENDER_CURRENT_TO_SEX: dict[str, str] = {"1": "M", "2": "F", "0": "U", "9": "U"}
# The GenderCurrent codes with their labels (CIN census up to 2023-24).
GENDER_CURRENT: dict[str, str] = {"1": "Male", "2": "Female", "0": "Not recorded or unborn", "9": "Indeterminate"}

DISABILITY: dict[str, str] = {
    "NONE": "No disability",
    "MOB": "Mobility",
    "HAND": "Hand function",
    "PC": "Personal care",
    "INC": "Incontinence",
    "COMM": "Communication",
    "LD": "Learning",
    "HEAR": "Hearing",
    "VIS": "Vision",
    "BEH": "Behaviour",
    "CON": "Consciousness",
    "AUT": "Autism",
    "DDA": "Other",
}

PRIMARY_NEED: dict[str, str] = {
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental disability or illness",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
    "N9": "Cases other than children in need",
    "N0": "Not stated",
}

REFERRAL_SOURCE: dict[str, str] = {
    "1A": "Individual: family member, relative or carer",
    "1B": "Individual: acquaintance (including neighbours and child minders)",
    "1C": "Individual: self",
    "1D": "Individual: other (including strangers)",
    "2A": "Schools",
    "2B": "Education services",
    "3A": "Health services: GP",
    "3B": "Health services: health visitor",
    "3C": "Health services: school nurse",
    "3D": "Health services: other primary health services",
    "3E": "Health services: A&E",
    "3F": "Health services: other (for example hospice)",
    "4": "Housing (LA housing or housing association)",
    "5A": "LA services: social care (for example adult social care)",
    "5B": "LA services: other internal",
    "5C": "LA services: external (another LA's adult social care)",
    "5D": "LA services: early help",
    "6": "Police",
    "7": "Other legal agency (courts, probation, immigration, CAFCASS, prison)",
    "8": "Other (children's centres, independent agency providers, voluntary organisations)",
    "9": "Anonymous",
    "10": "Unknown",
}

REASON_FOR_CLOSURE: dict[str, str] = {
    "RC1": "Adopted",
    "RC2": "Died",
    "RC3": "Child arrangements order",
    "RC4": "Special guardianship order",
    "RC5": "Transferred to services of another local authority",
    "RC6": "Transferred to adult social care services",
    "RC7": "Services ceased for any other reason (including child no longer in need)",
    "RC8": "Case closed after assessment, no further action",
    "RC9": "Case closed after assessment, referred to early help",
}

# The DfE categories of abuse, in the order the report shows them.
CATEGORY: dict[str, str] = {
    "NEG": "Neglect",
    "EMO": "Emotional abuse",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "MUL": "Multiple/not recommended",
}
SINGLE_CATEGORIES: tuple[str, ...] = ("NEG", "EMO", "PHY", "SAB")


def dfe_category(categories: frozenset[str] | set[str] | list[str] | tuple[str, ...]) -> str:
    """The DfE category of a plan whose conference chose `categories`: the one, or MUL for several."""
    chosen = set(categories)
    unknown = chosen - set(CATEGORY)
    if unknown:
        raise ValueError(f"unknown category of abuse: {', '.join(sorted(unknown))}")
    singles = chosen & set(SINGLE_CATEGORIES)
    if len(singles) == 1 and "MUL" not in chosen:
        return next(iter(singles))
    if not chosen:
        raise ValueError("a plan needs at least one category of abuse")
    return "MUL"


def category_combination_label(categories: list[str] | tuple[str, ...]) -> str:
    """'Neglect and emotional abuse', as the seed report words its combinations."""
    names = [CATEGORY[c].lower() if i else CATEGORY[c] for i, c in enumerate(sorted(categories))]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


ASSESSMENT_FACTOR: dict[str, str] = {
    "1A": "Alcohol misuse: child",
    "1B": "Alcohol misuse: parent/carer",
    "1C": "Alcohol misuse: other person living in household",
    "2A": "Drug misuse: child",
    "2B": "Drug misuse: parent/carer",
    "2C": "Drug misuse: other person living in household",
    "3A": "Domestic violence: child",
    "3B": "Domestic violence: parent/carer",
    "3C": "Domestic violence: other person living in household",
    "4A": "Mental health: child",
    "4B": "Mental health: parent/carer",
    "4C": "Mental health: other person living in household",
    "5A": "Learning disability: child",
    "5B": "Learning disability: parent/carer",
    "5C": "Learning disability: other person living in household",
    "6A": "Physical disability or illness: child",
    "6B": "Physical disability or illness: parent/carer",
    "6C": "Physical disability or illness: other person living in household",
    "7A": "Young carer",
    "8B": "Privately fostered: overseas children who intend to return",
    "8C": "Privately fostered: overseas children who intend to stay",
    "8D": "Privately fostered: UK children in educational placements",
    "8E": "Privately fostered: UK children making alternative family arrangements",
    "8F": "Privately fostered: other",
    "9A": "Unaccompanied asylum-seeking child",
    "10A": "Going or being missing",
    "11A": "Child sexual exploitation",
    "12A": "Trafficking",
    "13A": "Gangs",
    "14A": "Socially unacceptable behaviour",
    "15A": "Self-harm",
    "16A": "Abuse or neglect: neglect",
    "17A": "Abuse or neglect: emotional abuse",
    "18A": "Abuse or neglect: physical abuse (superseded by 18B/18C)",
    "18B": "Abuse or neglect: physical abuse, child on child",
    "18C": "Abuse or neglect: physical abuse, adult on child",
    "19A": "Abuse or neglect: sexual abuse (superseded by 19B/19C)",
    "19B": "Abuse or neglect: sexual abuse, child on child",
    "19C": "Abuse or neglect: sexual abuse, adult on child",
    "20": "Other",
    "21": "No factors identified",
    "22A": "Female genital mutilation",
    "23A": "Abuse linked to faith or belief",
    "24A": "Child criminal exploitation",
}
SUPERSEDED_FACTORS: frozenset[str] = frozenset({"18A", "19A"})

UPN_UNKNOWN: dict[str, str] = {
    "UN1": "Not of school age and not yet assigned a UPN",
    "UN2": "Never attended a maintained school in England",
    "UN3": "Educated outside England",
    "UN4": "Newly looked after or referred, UPN not yet known",
    "UN5": "Sources collating UPNs disagree",
    "UN6": "UPN not known (label not confirmed against the DfE specification)",
    "UN7": "Referral with no further action",
}

# PN0 is the code for a child too young to take part: its own definition is "child aged under 4".
PARTICIPATION_TOO_YOUNG = "PN0"
PARTICIPATION_TOO_YOUNG_UNDER_AGE = 4
# How the child's voice was heard at the conference (SSD `cppr_cp_review_participation`).
PARTICIPATION: dict[str, str] = {
    PARTICIPATION_TOO_YOUNG: f"Child aged under {PARTICIPATION_TOO_YOUNG_UNDER_AGE}",
    "PN1": "Attends and speaks for self",
    "PN2": "Attends; an advocate speaks",
    "PN3": "Attends and conveys views symbolically",
    "PN4": "Attends without contributing",
    "PN5": "Does not attend but briefs an advocate",
    "PN6": "Does not attend but conveys views by another medium",
    "PN7": "Does not attend and views are not conveyed",
}
PARTICIPATION_ATTENDED: frozenset[str] = frozenset({"PN1", "PN2", "PN3", "PN4"})
PARTICIPATION_VIEWS_CONVEYED: frozenset[str] = frozenset({"PN1", "PN2", "PN3", "PN5", "PN6"})

CONFERENCE_TYPE: dict[str, str] = {
    "initial": "Initial child protection conference",
    "prebirth": "Pre-birth initial child protection conference",
    "review": "Review child protection conference",
    "transfer_in": "Transfer-in child protection conference",
    "transfer_out": "Transfer-out child protection conference",
}
# Conferences that decide whether a child becomes subject of a plan after a section 47 enquiry:
# the initial conference, and the pre-birth one held before the child is born
# (docs/definitions.md#initial-conference).
INITIAL_CONFERENCE_TYPES: tuple[str, ...] = ("initial", "prebirth")
# Conferences about a child held by this authority (a transfer-out is the other authority's).
CHILD_CONFERENCE_TYPES: tuple[str, ...] = (*INITIAL_CONFERENCE_TYPES, "review", "transfer_in")

CONFERENCE_OUTCOME: dict[str, str] = {
    "plan": "Child protection plan",
    "no_plan": "No child protection plan",
    "plan_continued": "Plan continues",
    "plan_ended": "Plan ends",
}

PLAN_END_REASON: dict[str, str] = {
    "stepped_down_cin": "Stepped down to a child in need plan",
    "no_further_action": "No further involvement",
    "looked_after": "Child became looked after",
    "transferred_out": "Transferred to another local authority",
    "moved_away": "Family moved away",
    "adopted_sgo_cao": "Adoption, special guardianship or child arrangements order",
    "turned_18": "Young person reached 18",
    "died": "Child died",
    "other": "Other",
}

# Agencies invited to conferences, and the group each is reported under (the seed's tables:
# police, health, education, other agencies). Children's social care is the convening agency.
AGENCY: dict[str, str] = {
    "social_care": "Children's social care",
    "police": "Police",
    "health_visitor": "Health visitor",
    "school_nurse": "School nurse",
    "gp": "GP",
    "midwife": "Midwife",
    "paediatrician": "Paediatrician",
    "school": "School",
    "nursery": "Nursery or early years",
    "probation": "Probation",
    "adult_mental_health": "Adult mental health",
    "substance_misuse": "Substance misuse service",
    "housing": "Housing",
    "other": "Other agency",
}
# Children's social care convenes every conference, so it is always among the invitees.
CONVENING_AGENCY = "social_care"
AGENCY_GROUP: dict[str, str] = {
    "social_care": "social_care",
    "police": "police",
    "health_visitor": "health",
    "school_nurse": "health",
    "gp": "health",
    "midwife": "health",
    "paediatrician": "health",
    "school": "education",
    "nursery": "education",
    "probation": "other",
    "adult_mental_health": "other",
    "substance_misuse": "other",
    "housing": "other",
    "other": "other",
}
AGENCY_GROUP_LABEL: dict[str, str] = {
    "police": "Police",
    "health": "Health",
    "education": "Education",
    "other": "Other agencies",
    "social_care": "Children's social care",
}

# Why a conference was held after its due date, or rearranged (the seed's reasons).
LATE_REASON: dict[str, str] = {
    "late_notification": "Late notification to Safeguarding and Quality Assurance",
    "chair_capacity": "No chair available in time",
    "rearranged_inquorate": "Rearranged: inquorate",
    "rearranged_family": "Rearranged at the family's request",
    "rearranged_professional": "Rearranged: key professional unavailable",
    "reports_not_ready": "Reports not ready",
    "care_planning_delay": "Delay within the social work service",
    "school_holidays": "School holidays",
    "other": "Other",
}

# Why a booked conference was cancelled (it will not happen; the children can be booked again).
CANCEL_REASON: dict[str, str] = {
    "not_needed": "The enquiry found no conference is needed",
    "moved_away": "The family moved to another authority",
    "booked_in_error": "Booked in error",
    "merged": "Joined with another conference for the family",
    "other": "Other",
}

ESCALATION_REASON: dict[str, str] = {
    "visits_out_of_timescale": "Visits not within timescales",
    "plan_not_progressed": "Plan not progressed",
    "core_group_not_held": "Core group meetings not held",
    "management_oversight": "Lack of management oversight",
    "case_transfer_delay": "Delay in case transfer",
    "legal_planning_delay": "Delay in legal planning, PLO or proceedings",
    "other": "Other",
}
ESCALATION_STAGE: dict[int, str] = {
    1: "Stage 1: service manager",
    2: "Stage 2: head of service",
    3: "Stage 3: director",
}
ESCALATION_ONWARD_REASON: dict[str, str] = {
    "no_response": "No response at the previous stage",
    "chair_not_satisfied": "Chair not satisfied with the response",
    "no_follow_up": "No evidence of follow-up",
    "other": "Other or unclear",
}
CONCERN_NOTE_KIND: dict[str, str] = {
    "qa_case_note": "QA case note",
    "chair_case_of_concern": "Chair case of concern",
}

REPEAT_PLAN_FINDING: dict[str, str] = {
    "over_5_years": "Previous CP plan over 5 years ago so file not reviewed",
    "ended_appropriately": "Previous CP plan ended appropriately",
    "moved_away_returned": "Family transferred out or left the country but then returned",
    "domestic_abuse_work_incomplete": "Previous and current reason is domestic abuse: work not completed",
    "ended_too_early": "CP plan ended too early (poor engagement, over-optimism, work not completed, "
    "self-reporting)",
    "step_down_not_robust": "Decision to end CP plan appropriate but CiN plan not robust or implemented",
    "new_issue_missed": "New issue but this is likely to have been missed previously",
}

REPORT_GRADE: dict[str, str] = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
}

STAFF_ROLE: dict[str, str] = {
    "chair": "Child protection chair",
    "qa_manager": "QA service manager",
    "business_support": "Business support",
    "minute_taker": "Minute taker",
    "social_worker": "Social worker",
    "team_manager": "Team manager",
}
CONTRACT_TYPE: dict[str, str] = {"permanent": "Permanent", "fixed_term": "Fixed term", "locum": "Locum"}


def label(code_list: dict, code: object) -> str:
    """The label for a code, or the code itself where it is not in the list."""
    return code_list.get(code, str(code)) if code is not None else ""


def choices(code_list: dict) -> list[tuple[str, str]]:
    """Django-style choices from a code list, code first."""
    return [(code, text) for code, text in code_list.items()]
