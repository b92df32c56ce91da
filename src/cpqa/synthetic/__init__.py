"""A synthetic authority: a realistic, clearly fake child protection record for the demo,
the benchmarks and the tests.

Pure Python, numpy and Polars: no Django, no files. `generate_authority` returns the record as
tables (`cpqa.domain.tables.Record`) plus what the database needs beyond them (teams, staff,
families and their adults, minute takers, rearrangements), so `cpqa.record.load` can write it.

How it is made. Families arrive as cases on working days (a strategy discussion starting a
section 47 enquiry, a pre-birth enquiry, a transfer-in notification, or an enquiry that needs
no conference) at rates shaped by the seed annual report (`../shared/seeds/`): a steady
earlier year, a rise three months into the last reporting year (the seed's post-inspection
surge), dips in the school holidays and a bump after them. Each case runs forward through the
timescale engine: the initial conference on the 15-working-day rule, a plan for most, reviews
on the 3- and 6-month rules held before they are due (school-aged children's reviews moved out
of the summer, Christmas and Easter holidays), the plan ending at a review, at a transfer-out
conference or when a child becomes looked after. A family whose case closed may come back
later, which is where repeat plans come from. Everything is worked on whole arrays at once, so
England's volume takes about as many passes as one authority's; a due date is always asked of
`cpqa.domain.timescales`, once per distinct date.

Names are clearly fake: first names and surnames come from Faker's en_GB lists (seeded), and
every surname carries the suffix " (fake)", for children, family members and staff alike.
Ids are made up (children `SYN0000001`...); nothing comes from a real person.

The same seed gives the same record, table for table.

The modules: `shape` (every rate, share and weight), `dates` (day numbers and the domain's date
rules over arrays), `columns` (growing columns, Polars columns), `generator` with `span`,
`arrivals`, `course` and `plans` (the simulation), `assembler` with `people`, `episodes`,
`conferences` and `qa_workflows` (the tables), `authority` (what is returned) and `commands`
(`cpqa generate`, which loads it through `cpqa.record.load`).
"""

from __future__ import annotations

import datetime as dt

from cpqa.domain.calendar import ReportingYear
from cpqa.synthetic.authority import SyntheticAuthority
from cpqa.synthetic.shape import DEFAULT_CHILDREN_ON_PLAN

__all__ = ["DEFAULT_CHILDREN_ON_PLAN", "SyntheticAuthority", "generate_authority"]


def generate_authority(
    *,
    seed: int = 1,
    children_on_plan: int = DEFAULT_CHILDREN_ON_PLAN,
    years: tuple[str, ...] = ("2016-17", "2017-18"),
    today: dt.date | None = None,
) -> SyntheticAuthority:
    """A synthetic authority about `children_on_plan` children on plans at the last year's end.

    `today` is the day the record is taken: events up to it are recorded as held, conferences
    in the next four weeks as booked. By default, the last reporting year's last day.
    """
    if children_on_plan < 1:
        raise ValueError(f"children_on_plan must be at least 1, not {children_on_plan}")
    if not years:
        raise ValueError("give at least one reporting year, e.g. 2017-18")
    reporting_years = tuple(sorted({ReportingYear.parse(y) for y in years}, key=lambda y: y.first_year))
    record_day = today or reporting_years[-1].end
    if record_day < reporting_years[0].start:
        raise ValueError(
            f"today ({record_day.isoformat()}) is before the first reporting year starts "
            f"({reporting_years[0].start.isoformat()})"
        )
    # Here, not at the top: every `cpqa` command imports this package (for `cpqa generate`'s
    # arguments), and the generator's Faker and NumPy would cost each of them a tenth of a second.
    from cpqa.synthetic.assembler import Assembler
    from cpqa.synthetic.generator import Generator

    generator = Generator(seed, children_on_plan / DEFAULT_CHILDREN_ON_PLAN, reporting_years, record_day)
    generator.build()
    return Assembler(generator).assemble()
