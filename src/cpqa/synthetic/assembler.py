"""From simulated cases to the record's tables: which families the record holds, and the order of making."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from cpqa.domain.tables import Record
from cpqa.synthetic.authority import SyntheticAuthority
from cpqa.synthetic.columns import numbered_ids
from cpqa.synthetic.conferences import Conferences
from cpqa.synthetic.dates import NO_DATE
from cpqa.synthetic.episodes import Episodes
from cpqa.synthetic.people import People
from cpqa.synthetic.qa_workflows import QualityAssurance

if TYPE_CHECKING:
    from cpqa.synthetic.generator import Generator


class Assembler(People, Episodes, Conferences, QualityAssurance):
    """Turns the simulated cases into the record's tables and the database's extras.

    Its parts live in their own modules and share this object's state: `People` (people.py),
    `Episodes` (episodes.py), `Conferences` (conferences.py), `QualityAssurance`
    (qa_workflows.py). Each step reads what the earlier ones set (e.g. `self.m`, one row per
    child per case, set by `Episodes._memberships`).
    """

    def __init__(self, gen: Generator) -> None:
        self.gen = gen
        self.rng = gen.rng
        self.today = gen.today
        self.tables: dict[str, pl.DataFrame] = {}

    def assemble(self) -> SyntheticAuthority:
        self._select()
        self._people()
        self._staff_and_teams()
        self._memberships()
        self._conferences()
        self._children_table()
        self._oversight()
        record = Record.of(source="synthetic", **self.tables)
        return SyntheticAuthority(
            record=record,
            config=self.gen.config,
            years=self.gen.years,
            today=self.gen.today_date,
            teams=self.teams,
            staff=self.staff,
            families=self.families,
            family_members=self.family_members,
            allocations=self.allocations,
            meetings=self.meetings,
            rearrangements=self.rearrangements,
            counts={name: frame.height for name, frame in self.tables.items()},
        )

    # -- which families the record holds ---------------------------------------------------------

    def _select(self) -> None:
        gen = self.gen
        groups = gen._groups.frame()
        children = gen._children.frame()
        recent = (groups["end_day"] == NO_DATE) | (groups["end_day"] >= gen.history_start)
        family_count = int(children["family"].max()) + 1
        kept_family = np.zeros(family_count, dtype=bool)
        kept_family[groups["family"][recent]] = True
        self.kept_family = kept_family
        # New numbers in order of first arrival, so ids read in time order.
        family_number = np.cumsum(kept_family) - 1
        self.family_number = np.where(kept_family, family_number, -1)
        # A child who was never the subject of a case (too near 18 when the family arrived) is left out.
        in_a_case = np.zeros(children["family"].size, dtype=bool)
        in_a_case[gen._group_children.column("child")] = True
        kept_child = kept_family[children["family"]] & in_a_case
        self.child_number = np.where(kept_child, np.cumsum(kept_child) - 1, -1)
        self.children = {name: values[kept_child] for name, values in children.items()}
        self.child_ids = numbered_ids("SYN", int(kept_child.sum()))
        self.family_ids = numbered_ids("FAM", int(kept_family.sum()), width=6)
        self.groups = groups
        self.kept_group = kept_family[groups["family"]]
