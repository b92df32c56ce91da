"""The shape of the synthetic authority: its rates, shares and weights, tuned to the seed report.

Every figure here is one the generator draws from; the comments say which part of the seed
annual report (`../shared/seeds/`) each follows.
"""

from __future__ import annotations

# The seed authority's size: children on a plan at the end of the last reporting year.
DEFAULT_CHILDREN_ON_PLAN = 550
FAKE_SUFFIX = " (fake)"

# --- Case rates at the default size, per year at the full (last-year, post-surge) pace --------
# Tuned so the default authority lands near the seed's 2017-18 figures: ~870 initial (incl.
# ~67 pre-birth), ~1,300 review, ~90 transfer-in, ~40 transfer-out conferences and ~550
# children on a plan at year end, rising from ~390 in April.
RATE_INITIAL_CASES = 420.0  # new families brought to an initial conference
RATE_PREBIRTH_CASES = 58.0
RATE_TRANSFER_IN_CASES = 68.0
RATE_S47_ONLY_CASES = 380.0  # enquiries that end without a conference
# Pace before the last reporting year, and in its first quarter, against the full pace.
PACE_EARLIER_YEARS = 0.48
PACE_LAST_YEAR_FIRST_QUARTER = 0.72
PACE_TRANSFER_IN_EARLIER_YEARS = 0.75
# Years simulated before the first reporting year, so long plans and repeat plans exist.
WARM_UP_YEARS = 5
# Families whose every event ended this long before the first reporting year are left out.
HISTORY_BEFORE_FIRST_YEAR_DAYS = 365

# Children per case (most families bring one child; siblings share one meeting).
CHILDREN_PER_CASE = {1: 0.52, 2: 0.27, 3: 0.13, 4: 0.06, 5: 0.02}
TRANSFER_IN_CHILDREN_PER_CASE = {1: 0.6, 2: 0.3, 3: 0.1}
# Age in completed years of the youngest child when a case starts (0..17).
YOUNGEST_AGE_WEIGHTS = [13, 8, 7, 7, 6, 6, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 3, 2]

# Initial conference outcome: a plan for ~85% (seed 2017-18: 737 of 870), by month of the last
# year (April first) from the seed's table, so September's post-inspection dip shows.
PLAN_SHARE_LAST_YEAR = [0.88, 0.91, 0.84, 0.84, 0.83, 0.53, 0.87, 0.84, 0.83, 0.85, 0.91, 0.93]
PLAN_SHARE_OTHER_YEARS = 0.88
PLAN_SHARE_PREBIRTH = 0.9
# ICPCs within 15 working days: seed monthly % for the last year; ~68% before, 62% after.
ICPC_IN_TIME_LAST_YEAR = [0.70, 0.90, 0.81, 0.75, 0.84, 0.48, 0.28, 0.26, 0.26, 0.47, 0.45, 0.62]
ICPC_IN_TIME_EARLIER = 0.68
ICPC_IN_TIME_LATER = 0.62
TRANSFER_IN_IN_TIME_EARLIER = 0.10
TRANSFER_IN_IN_TIME_LAST_YEAR = 0.32
REVIEW_LATE = 0.011  # seed: 98.9% of reviews in time
# A plan ends at its k-th review with these chances (then the last one for every later review).
PLAN_ENDS_AT_REVIEW = [0.22, 0.68, 0.6, 0.55, 0.4]
TRANSFER_OUT_PER_YEAR = 0.09  # per family on a plan (seed: ~40 transfer-out conferences)
LOOKED_AFTER_PER_YEAR = 0.04  # per child on a plan
# Coming back: chance a family's closed case is followed by another, and the gap after closure.
RETURN_CHANCE = {"plan": 0.36, "no_plan": 0.2, "s47_only": 0.12, "transfer_out": 0.12}
RETURN_GAP_MIN_DAYS = 300
RETURN_GAP_MEAN_EXTRA_DAYS = 420
RETURN_IS_S47_ONLY = 0.15
# New families with a plan more than five years ago, outside the record (seed: 19% of repeats).
EXTERNAL_PREVIOUS_PLAN = 0.03
# Pre-birth bands (seed: 28% under 4 weeks, 30% 4 to 10 weeks, 42% over 10 weeks).
PREBIRTH_BAND_SHARES = [0.28, 0.30, 0.42]
PREBIRTH_BAND_DAYS = [(8, 27), (28, 70), (71, 150)]

# Initial categories (seed 2017-18 at year end, with physical abuse alone lifted a little).
CATEGORY_SETS: list[tuple[tuple[str, ...], float]] = [
    (("EMO",), 181),
    (("NEG",), 130),
    (("PHY",), 8),
    (("SAB",), 17),
    (("NEG", "PHY"), 20),
    (("NEG", "SAB"), 8),
    (("EMO", "NEG"), 101),
    (("PHY", "SAB"), 2),
    (("EMO", "PHY"), 101),
    (("EMO", "SAB"), 12),
]
SIBLINGS_SHARE_CATEGORIES = 0.85
LATEST_CATEGORY_CHANGES = 0.12

# Ethnicity of families (seed 2017-18, children on plans by DfE code).
ETHNICITY_WEIGHTS = {
    "WBRI": 175,
    "BAFR": 59,
    "MWBC": 53,
    "BCRB": 50,
    "BOTH": 48,
    "WOTH": 41,
    "MOTH": 36,
    "AOTH": 32,
    "MWBA": 18,
    "MWAS": 18,
    "OOTH": 8,
    "NOBT": 8,
    "APKN": 6,
    "AIND": 4,
    "WIRI": 2,
    "ABAN": 1,
}
DISABILITY_WEIGHTS = {
    "NONE": 90,
    "LD": 3,
    "COMM": 2,
    "AUT": 2,
    "BEH": 1.5,
    "MOB": 0.5,
    "HEAR": 0.5,
    "VIS": 0.5,
}
# Factors at assessment (seed 2017-18 counts): the family's, and the older child's own.
FAMILY_FACTOR_WEIGHTS = {
    "3B": 116,
    "4B": 98,
    "2B": 61,
    "1B": 61,
    "16A": 41,
    "17A": 26,
    "6B": 21,
    "3C": 13,
    "6C": 10,
    "5B": 7,
    "2C": 5,
    "18C": 4,
    "4C": 3,
    "19C": 3,
    "5C": 2,
    "22A": 1,
    "23A": 1,
}
CHILD_FACTOR_WEIGHTS = {
    "3A": 25,
    "4A": 22,
    "14A": 21,
    "7A": 19,
    "5A": 19,
    "10A": 13,
    "15A": 11,
    "13A": 10,
    "6A": 9,
    "11A": 8,
    "24A": 6,
    "2A": 6,
    "1A": 2,
    "12A": 1,
}
FAMILY_FACTOR_COUNT = [0.12, 0.42, 0.32, 0.14]  # 0, 1, 2, 3 factors
CHILD_FACTOR_AGE = 10
REFERRAL_SOURCE_WEIGHTS = {
    "6": 25,
    "2A": 17,
    "3B": 5,
    "3A": 3,
    "3E": 3,
    "3F": 3,
    "5A": 4,
    "5D": 5,
    "1A": 8,
    "1B": 2,
    "8": 7,
    "4": 2,
    "7": 3,
    "9": 2,
    "10": 1,
    "2B": 2,
}

LATE_REASONS_BEFORE_JANUARY = {
    "chair_capacity": 35,
    "care_planning_delay": 20,
    "late_notification": 15,
    "rearranged_family": 10,
    "rearranged_professional": 10,
    "reports_not_ready": 10,
}
# Seed: "since January 2018 the main reason for delay is late notification to QA".
LATE_REASONS_FROM_JANUARY = {
    "late_notification": 55,
    "chair_capacity": 10,
    "care_planning_delay": 10,
    "rearranged_family": 10,
    "rearranged_professional": 8,
    "reports_not_ready": 7,
}
LATE_REASONS_TRANSFER_IN = {"care_planning_delay": 60, "rearranged_family": 20, "rearranged_professional": 20}
LATE_REASONS_REVIEW = {"rearranged_inquorate": 40, "rearranged_family": 30, "chair_capacity": 30}

# Agency attendance (seed audit of June/July 2018): attended with report, attended without,
# report only, neither; by conference kind. Police "neither" at initial and transfer-in
# conferences was "due to no invite".
ATTENDANCE = {
    ("police", "initial"): [0.45, 0.035, 0.335, 0.18],
    ("police", "transfer_in"): [0.5, 0.0, 0.0, 0.5],
    ("police", "review"): [0.22, 0.0, 0.49, 0.29],
    ("health", "initial"): [0.26, 0.58, 0.0, 0.16],
    ("health", "transfer_in"): [0.0, 1.0, 0.0, 0.0],
    ("health", "review"): [0.45, 0.16, 0.04, 0.35],
    ("education", "initial"): [0.52, 0.44, 0.0, 0.04],
    ("education", "transfer_in"): [0.0, 0.0, 0.0, 1.0],
    ("education", "review"): [0.455, 0.405, 0.035, 0.105],
    ("other", "initial"): [0.135, 0.44, 0.04, 0.385],
    ("other", "transfer_in"): [0.135, 0.44, 0.04, 0.385],
    ("other", "review"): [0.135, 0.44, 0.04, 0.385],
}
NOT_INVITED_WHEN_ABSENT = {"police": {"initial", "transfer_in"}}
OTHER_AGENCIES = ["probation", "adult_mental_health", "substance_misuse", "housing", "other"]
REPORT_GRADE_WEIGHTS = {"outstanding": 5, "good": 45, "requires_improvement": 38, "inadequate": 12}

# QA workflows in the last reporting year at the default size (seed: 26 CERPs with 22
# families, one the year before; 285 chair case-of-concern notes).
ESCALATIONS_LAST_YEAR = 26
ESCALATIONS_EARLIER_YEAR = 1
CONCERN_NOTES_LAST_YEAR = {"chair_case_of_concern": 285, "qa_case_note": 420}
CONCERN_NOTES_EARLIER_YEAR = {"chair_case_of_concern": 120, "qa_case_note": 200}
ESCALATION_REASON_WEIGHTS = {
    "visits_out_of_timescale": 30,
    "plan_not_progressed": 25,
    "core_group_not_held": 18,
    "management_oversight": 15,
    "case_transfer_delay": 10,
    "legal_planning_delay": 8,
    "other": 3,
}
# Repeat-plan findings by family (seed table, the over-5-years and moved-away rows apart).
REPEAT_FINDING_WEIGHTS = {
    "ended_appropriately": 14,
    "domestic_abuse_work_incomplete": 11,
    "ended_too_early": 24,
    "step_down_not_robust": 5,
    "new_issue_missed": 5,
}
# Midway reviews started on 1 August of the last reporting year (seed 8b).
MIDWAY_START_MONTHS_INTO_LAST_YEAR = 4
MIDWAY_HELD = 0.9
ADVOCACY_START_MONTHS_INTO_LAST_YEAR = 9  # the advocacy service began in January
REPORT_GRADING_START_MONTHS_INTO_LAST_YEAR = 6

# The service and the social work teams at the default size (seed 1b and 8a).
TEAMS_BY_SERVICE = {"Assessment": 4, "Care planning": 6, "Permanence": 2}
PERMANENT_CHAIRS = 5
LOCUM_CHAIR_FTES = [0.8, 0.9, 0.8]
MINUTE_TAKERS = 6
SOCIAL_WORKERS_PER_TEAM = 6
OTHER_AUTHORITIES = [
    "Northmere Borough Council (synthetic)",
    "Eastwold County Council (synthetic)",
    "Southvale City Council (synthetic)",
    "Westbrook District (synthetic)",
]
VENUES = ["Conference room 1", "Conference room 2", "Conference room 3", "Family centre"]

KIND_INITIAL, KIND_PREBIRTH, KIND_TRANSFER_IN, KIND_S47_ONLY = 0, 1, 2, 3
END_OPEN, END_REVIEW, END_TRANSFER_OUT, END_NO_PLAN, END_S47_ONLY, END_PENDING = 0, 1, 2, 3, 4, 5
TYPE_NAMES = ["initial", "prebirth", "review", "transfer_in", "transfer_out"]
T_INITIAL, T_PREBIRTH, T_REVIEW, T_TRANSFER_IN, T_TRANSFER_OUT = 0, 1, 2, 3, 4
# Future conferences are booked this far ahead of today.
BOOKED_AHEAD_DAYS = 28
