"""More rules about the child's identifiers (ChildIdentifiers): UPNs, birth and death dates, age,
and the child's episodes; registered with the module's other rules (`child.RULES`)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from cpqa.domain.calendar import add_months
from cpqa.interop.cin_check.helpers import found, is_true, shown
from cpqa.interop.cin_check.registry import ERROR, QUERY, CheckContext, Find
from cpqa.interop.cin_check.rules.child import GENDER_YEARS, RULES, SEX_YEARS
from cpqa.interop.cin_check.rules.header import return_level

# The UPN's check letter, by the remainder of the weighted sum (DfE UPN guidance).
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
# Characters 2-4 of a UPN: the post-April-1998 LA codes and pseudo-LA codes the DfE's rule 1530 lists.
_LA_RANGES = (
    (1, 5),
    (201, 213),
    (301, 320),
    (330, 336),
    (340, 344),
    (350, 359),
    (370, 373),
    (380, 384),
    (390, 394),
    (660, 681),
    (701, 708),
    (800, 803),
    (805, 808),
    (810, 813),
    (820, 823),
    (835, 839),
    (850, 852),
    (855, 857),
    (865, 896),
    (935, 938),
    (940, 941),
)
_LA_SINGLES = (
    420,
    815,
    816,
    825,
    826,
    830,
    831,
    840,
    841,
    845,
    846,
    860,
    861,
    908,
    909,
    916,
    919,
    921,
    925,
    926,
    928,
    929,
    931,
    933,
)


def upn_la_codes(first_year: int) -> list[str]:
    codes = {n for low, high in _LA_RANGES for n in range(low, high + 1)} | set(_LA_SINGLES)
    if first_year >= 2023:
        codes |= {942, 943}  # added for 2023-24
    return sorted(f"{n:03d}" for n in codes)


def _upns(c: CheckContext) -> pl.DataFrame:
    return c.tables.children.filter(pl.col("upn").is_not_null())


@RULES.rule("1510", ERROR, "UPN", "UPN invalid (wrong check letter at character 1)")
def _1510(c: CheckContext) -> pl.DataFrame:
    # Digits 2-13 weighted 2..13, summed, remainder by 23 gives the letter (only a UPN whose
    # characters 2-13 are all digits can be checked; 1540/1550 judge the others).
    upns = _upns(c).filter(pl.col("upn").str.contains(r"^.\d{12}$"))
    weighted = pl.sum_horizontal(pl.col("upn").str.slice(i, 1).cast(pl.Int64) * (i + 1) for i in range(1, 13))
    letters = dict(enumerate(CHECK_LETTERS))
    bad = upns.filter(
        pl.col("upn").str.slice(0, 1) != (weighted % 23).replace_strict(letters, return_dtype=pl.String)
    )
    return found(bad, "child_id", shown("upn", "UPN"))


@RULES.rule("1520", ERROR, "UPN", "More than one record with the same UPN")
def _1520(c: CheckContext) -> pl.DataFrame:
    bad = _upns(c).filter(pl.len().over("upn") > 1)
    return found(bad, "child_id", shown("upn", "UPN"))


def _1530(first_year: int) -> Find:
    codes = upn_la_codes(first_year)

    def find(c: CheckContext) -> pl.DataFrame:
        bad = _upns(c).filter(~pl.col("upn").str.slice(1, 3).is_in(codes))
        return found(bad, "child_id", shown("upn", "UPN"))

    return find


RULES.rule(
    "1530", ERROR, "UPN", "UPN invalid (characters 2-4 not a recognised LA code)", years=range(2022, 2023)
)(_1530(2022))
RULES.rule(
    "1530", ERROR, "UPN", "UPN invalid (characters 2-4 not a recognised LA code)", years=range(2023, 2027)
)(_1530(2023))


@RULES.rule("1540", ERROR, "UPN", "UPN invalid (characters 5-12 not all numeric)")
def _1540(c: CheckContext) -> pl.DataFrame:
    bad = _upns(c).filter(~pl.col("upn").str.slice(4, 8).str.contains(r"^\d{8}$"))
    return found(bad, "child_id", shown("upn", "UPN"))


@RULES.rule("1550", ERROR, "UPN", "UPN invalid (character 13 not a recognised value)")
def _1550(c: CheckContext) -> pl.DataFrame:
    # The 13th character is a digit, or a letter of the check alphabet for a temporary UPN.
    bad = _upns(c).filter(
        (pl.col("upn").str.len_chars() == 13)
        & ~pl.col("upn").str.slice(12, 1).str.contains(r"^[0-9A-HJ-NP-RT-Z]$")
    )
    return found(bad, "child_id", shown("upn", "UPN"))


@RULES.rule(
    "1560Q",
    QUERY,
    "FormerUPN",
    "Please check and either amend or provide a reason: Former UPN wrongly formatted",
)
def _1560q(c: CheckContext) -> pl.DataFrame:
    bad = c.child_items.filter(
        pl.col("former_upn").is_not_null()
        & ~pl.col("former_upn").str.contains(r"^[A-Za-z]\d{11}[A-Za-z0-9]$")
    )
    return found(bad, "child_id", shown("former_upn", "FormerUPN"))


def _no_sex_share(c: CheckContext, item: str, missing: str) -> pl.DataFrame:
    born = c.child_items.join(
        c.tables.children.filter(pl.col("expected_date_of_birth").is_null()).select("child_id"),
        on="child_id",
        how="semi",
    )
    total = c.child_items.height
    none = born.filter(pl.col(item).is_null() | (pl.col(item) == missing)).height
    if total == 0 or none / total <= 0.02:
        return found(born.head(0), "child_id", pl.lit(""))
    return return_level(f"{none} of {total} children ({100 * none / total:.1f}%) have no {item} recorded")


@RULES.rule(
    "2886Q",
    QUERY,
    "Sex",
    "Please check and either amend or provide a reason: Percentage of children with no sex recorded is more "
    "than 2% (excluding unborns)",
    years=SEX_YEARS,
)
def _2886q(c: CheckContext) -> pl.DataFrame:
    return _no_sex_share(c, "sex_item", "U")


@RULES.rule(
    "2886Q",
    QUERY,
    "GenderCurrent",
    "Please check and either amend or provide a reason: Percentage of children with no gender recorded is "
    "more than 2% (excluding unborns)",
    years=GENDER_YEARS,
)
def _2886q_gender(c: CheckContext) -> pl.DataFrame:
    return _no_sex_share(c, "gender_current", "0")


@RULES.rule(
    "8520",
    ERROR,
    "PersonBirthDate",
    "Date of Birth is after data collection period (must be on or before the end of the census period)",
)
def _8520(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.children.filter(pl.col("date_of_birth") > c.reference_date)
    return found(bad, "child_id", shown("date_of_birth", "PersonBirthDate"))


@RULES.rule(
    "8535Q",
    QUERY,
    "PersonDeathDate",
    "Please check and either amend data or provide a reason: Child's date of death should not be prior to "
    "the date of birth",
)
def _8535q(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.children.filter(
        pl.col("date_of_death").is_not_null()
        & (pl.col("date_of_birth").is_null() | (pl.col("date_of_birth") > pl.col("date_of_death")))
    )
    return found(
        bad, "child_id", shown("date_of_death", "PersonDeathDate"), shown("date_of_birth", "PersonBirthDate")
    )


@RULES.rule(
    "8545Q",
    QUERY,
    "PersonDeathDate",
    "Please check and either amend data or provide a reason: Child's date of death should be within the "
    "census year",
)
def _8545q(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.children.filter(pl.col("date_of_death").is_not_null() & ~c.in_period("date_of_death"))
    return found(bad, "child_id", shown("date_of_death", "PersonDeathDate"))


@RULES.rule("8590", ERROR, "LAchildID", "Child does not have a recorded CIN episode.")
def _8590(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.children.join(c.tables.episodes.select("child_id"), on="child_id", how="anti")
    return found(bad, "child_id", shown("child_id", "LAchildID"))


def _8770q(school_age_born_by: str, valid: tuple[str, ...]) -> Find:
    def find(c: CheckContext) -> pl.DataFrame:
        if school_age_born_by == "six_years":
            born_by = add_months(c.reference_date, -72)
        else:
            # 2024-25 on: of school age by the next September, i.e. born on or before 31 August
            # six years before the reference date's year ends.
            born_by = add_months(c.reference_date + dt.timedelta(days=31), 4 - 72)
        further_action = c.tables.episodes.filter(pl.col("referral_nfa").eq(False)).select("child_id")
        bad = (
            c.tables.children.join(further_action, on="child_id", how="semi")
            .filter(
                (pl.col("date_of_birth") <= born_by)
                & pl.col("upn").is_null()
                & ~pl.col("upn_unknown").str.to_uppercase().is_in(valid).fill_null(False)
            )
            .unique("child_id", maintain_order=True)
        )
        return found(
            bad, "child_id", shown("upn_unknown", "UPNunknown"), shown("date_of_birth", "PersonBirthDate")
        )

    return find


RULES.rule(
    "8770Q",
    QUERY,
    "UPN",
    "Please check and either amend data or provide a reason: UPN or reason UPN missing expected for a child "
    "who is more than 5 years old",
    years=GENDER_YEARS,
)(_8770q("six_years", ("UN2", "UN3", "UN4", "UN5", "UN6", "UN7")))
RULES.rule(
    "8770Q",
    QUERY,
    "UPN",
    "Please check and either amend data or provide a reason: UPN is missing or reason UPN is missing or is "
    "UN1 for a child who is of school age.",
    years=SEX_YEARS,
)(_8770q("school_age", ("UN2", "UN3", "UN4", "UN5", "UN6", "UN7")))


@RULES.rule(
    "8772",
    ERROR,
    "UPNunknown",
    "UPN unknown reason is UN7 (Referral with no further action) but at least one CIN details is a referral "
    "going on to further action",
)
def _8772(c: CheckContext) -> pl.DataFrame:
    further = c.tables.episodes.filter(~is_true("referral_nfa")).select("child_id")
    bad = c.tables.children.filter(pl.col("upn_unknown") == "UN7").join(further, on="child_id", how="semi")
    return found(bad.unique("child_id", maintain_order=True), "child_id", shown("upn_unknown", "UPNunknown"))


@RULES.rule(
    "8775Q",
    QUERY,
    "PersonBirthDate",
    "Please check and either amend data or provide a reason: Child is over 25 years old",
)
def _8775q(c: CheckContext) -> pl.DataFrame:
    # Over 25 at the reference date, with an episode open past the 25th birthday (or not closed).
    old = c.tables.children.filter(pl.col("date_of_birth") < add_months(c.reference_date, -300))
    episodes = c.tables.episodes.join(old.select("child_id", "date_of_birth"), on="child_id", how="inner")
    bad = episodes.filter(
        pl.col("closure_date").is_null()
        | (pl.col("closure_date") > pl.col("date_of_birth").dt.offset_by("25y"))
    ).unique("child_id", maintain_order=True)
    return found(bad, "child_id", shown("date_of_birth", "PersonBirthDate"))
