"""People: families and their adults, the service's staff and teams, and the children."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from cpqa.synthetic.columns import date_column, numbered_ids, string_column
from cpqa.synthetic.dates import NO_DATE, completed_years
from cpqa.synthetic.shape import (
    FAKE_SUFFIX,
    LOCUM_CHAIR_FTES,
    MINUTE_TAKERS,
    PERMANENT_CHAIRS,
    SOCIAL_WORKERS_PER_TEAM,
    TEAMS_BY_SERVICE,
)


def _upn(la_code: str, serial: int) -> str:
    """A permanent UPN: check letter, LA code, nine digits (DfE check-letter rule, weights 2-13)."""
    body = f"{la_code}{serial:09d}"
    total = sum(int(ch) * weight for ch, weight in zip(body, range(2, 14), strict=True))
    return "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23] + body


class People:
    """Names, staff, teams and the children table (a part of `Assembler`)."""

    # -- names -------------------------------------------------------------------------------------

    def _people(self) -> None:
        faker = self.gen.faker
        # Pools drawn once from the seeded Faker; order kept (never a set) so runs repeat exactly.
        self.female_names = np.array(
            list(dict.fromkeys(faker.first_name_female() for _ in range(1500))), dtype=object
        )
        self.male_names = np.array(
            list(dict.fromkeys(faker.first_name_male() for _ in range(1500))), dtype=object
        )
        self.surnames = np.array(list(dict.fromkeys(faker.last_name() for _ in range(3000))), dtype=object)
        n_families = len(self.family_ids)
        surname = self.surnames[self.rng.integers(0, self.surnames.size, size=n_families)] + FAKE_SUFFIX
        self.family_surname = surname
        self.families = pl.DataFrame(
            {"family_id": string_column(self.family_ids), "name": string_column(surname + " household")}
        )
        mother = self.rng.random(n_families) < 0.92
        father = self.rng.random(n_families)
        grandmother = self.rng.random(n_families) < 0.08
        rows_family, rows_name, rows_relationship = [], [], []
        for relationship, present, pool in (
            ("Mother", mother, self.female_names),
            ("Father", father < 0.55, self.male_names),
            ("Stepfather", (father >= 0.55) & (father < 0.65), self.male_names),
            ("Grandmother", grandmother, self.female_names),
        ):
            idx = np.flatnonzero(present)
            first = pool[self.rng.integers(0, pool.size, size=idx.size)]
            rows_family.append(self.family_ids[idx])
            rows_name.append(first + " " + surname[idx])
            rows_relationship.append(np.full(idx.size, relationship, dtype=object))
        self.family_members = pl.DataFrame(
            {
                "family_id": string_column(np.concatenate(rows_family)),
                "name": string_column(np.concatenate(rows_name)),
                "relationship": string_column(np.concatenate(rows_relationship)),
            }
        ).sort("family_id", "relationship", maintain_order=True)

    # -- the service and the teams -----------------------------------------------------------------

    def _staff_and_teams(self) -> None:
        scale = self.gen.scale
        teams_name, teams_service = [], []
        for service, count in TEAMS_BY_SERVICE.items():
            for k in range(1, max(1, round(count * scale)) + 1):
                teams_name.append(f"{service} team {k}")
                teams_service.append(service)
        n_teams = len(teams_name)
        self.team_ids = numbered_ids("TM", n_teams, width=4)
        self.team_service = np.array(teams_service, dtype=object)
        roles, ftes, contracts, team_of = _posts(scale, n_teams)
        self._staff_table(roles, ftes, contracts, team_of)
        self.chair_ids = self.staff_ids[self.staff_role == "chair"]
        chair_fte = np.array(ftes)[self.staff_role == "chair"]
        self.chair_cumulative = np.cumsum(chair_fte) / chair_fte.sum()
        self.qa_manager_id = self.staff_ids[self.staff_role == "qa_manager"][0]
        self.minute_taker_ids = self.staff_ids[self.staff_role == "minute_taker"]
        team_of_arr = np.array([-1 if t is None else t for t in team_of])
        self.social_workers_by_team = [
            self.staff_ids[(self.staff_role == "social_worker") & (team_of_arr == t)] for t in range(n_teams)
        ]
        linked = self.chair_ids[np.arange(n_teams) % self.chair_ids.size]
        self.teams = pl.DataFrame(
            {
                "team_id": string_column(self.team_ids),
                "name": string_column(np.array(teams_name, dtype=object)),
                "service": string_column(self.team_service),
                "linked_chair_id": string_column(linked),
            }
        )
        self.team_names = np.array(teams_name, dtype=object)

    def _staff_table(
        self, roles: list[str], ftes: list[float], contracts: list[str], team_of: list[int | None]
    ) -> None:
        n_staff = len(roles)
        self.staff_ids = numbered_ids("STF", n_staff, width=5)
        # Unique names: distinct (first name, surname) pairs.
        firsts = np.concatenate([self.female_names, self.male_names])
        pairs = self.rng.choice(firsts.size * self.surnames.size, size=n_staff, replace=False)
        names = (
            firsts[pairs // self.surnames.size]
            + " "
            + self.surnames[pairs % self.surnames.size]
            + FAKE_SUFFIX
        )
        self.staff_role = np.array(roles, dtype=object)
        self.staff = pl.DataFrame(
            {
                "staff_id": string_column(self.staff_ids),
                "name": string_column(names),
                "role": string_column(self.staff_role),
                "fte": pl.Series(ftes, dtype=pl.Float64),
                "contract_type": string_column(np.array(contracts, dtype=object)),
                "team_id": pl.Series(
                    [self.team_ids[t] if t is not None else None for t in team_of], dtype=pl.String
                ),
            }
        )

    def _chair_of(self, u: np.ndarray) -> np.ndarray:
        return self.chair_ids[
            np.minimum(np.searchsorted(self.chair_cumulative, u, side="right"), self.chair_ids.size - 1)
        ]

    def _team_of(self, service: str, u: np.ndarray) -> np.ndarray:
        teams = np.flatnonzero(self.team_service == service)
        return teams[np.minimum((u * teams.size).astype(np.int64), teams.size - 1)]

    # -- children ------------------------------------------------------------------------------------

    def _children_table(self) -> None:
        c, m, g, rng, today = self.children, self.m, self.groups, self.rng, self.today
        n = self.child_ids.size
        born_known = (c["born"] != NO_DATE) & (c["born"] <= today)
        date_of_birth = np.where(born_known, c["born"], NO_DATE)
        sex = np.where(born_known, c["sex"], "U")
        first_u = rng.integers(0, 1 << 30, size=n)
        first = np.where(
            sex == "F",
            self.female_names[first_u % self.female_names.size],
            self.male_names[first_u % self.male_names.size],
        )
        first = np.where(born_known, first, None)
        family_number = self.family_number[c["family"]]
        last = self.family_surname[family_number]
        age_today = completed_years(date_of_birth, np.full(n, today))
        school_age = age_today >= 5
        upn = np.array(
            [_upn(self.gen.config.la_code, i + 1) if school_age[i] else None for i in range(n)], dtype=object
        )
        upn_unknown = np.where(school_age, None, "UN1")
        # The team now: from the child's latest case (rows are in child, start order).
        last_row = np.r_[np.flatnonzero(np.diff(m["number"])), m["number"].size - 1]
        group = m["group"][last_row]
        open_plan = m["has_plan"][last_row] & (m["plan_end"][last_row] == NO_DATE)
        plan_age = today - g["plan_start"][group]
        service = np.where(
            open_plan & (plan_age >= 540),
            "Permanence",
            np.where(m["has_plan"][last_row] & ~(open_plan & (plan_age < 90)), "Care planning", "Assessment"),
        )
        team = np.empty(n, dtype=np.int64)
        for name in ("Assessment", "Care planning", "Permanence"):
            sel = service == name
            team[sel] = self._team_of(
                name, g["care_team" if name != "Assessment" else "assessment_team"][group[sel]]
            )
        self.tables["children"] = pl.DataFrame(
            {
                "child_id": string_column(self.child_ids),
                "family_id": string_column(self.family_ids[family_number]),
                "first_name": string_column(first),
                "last_name": string_column(last),
                "sex": string_column(sex),
                "date_of_birth": date_column(date_of_birth),
                "expected_date_of_birth": date_column(c["expected"]),
                "ethnicity": string_column(c["ethnicity"]),
                "disabilities": pl.Series([[d] for d in c["disability"]], dtype=pl.List(pl.String)),
                "upn": string_column(upn),
                "upn_unknown": string_column(upn_unknown),
                "team": string_column(self.team_names[team]),
            }
        )
        worker = np.array(
            [
                self.social_workers_by_team[t][u % self.social_workers_by_team[t].size]
                for t, u in zip(team, first_u, strict=True)
            ],
            dtype=object,
        )
        self.allocations = pl.DataFrame(
            {"child_id": string_column(self.child_ids), "social_worker_id": string_column(worker)}
        )


def _posts(scale: float, n_teams: int) -> tuple[list[str], list[float], list[str], list[int | None]]:
    """The service's posts: role, FTE, contract and team (None outside the social work teams)."""
    roles, ftes, contracts, team_of = [], [], [], []

    def add(
        role: str, count: int, fte: Sequence[float], contract: Sequence[str], team: int | None = None
    ) -> None:
        for k in range(count):
            roles.append(role)
            ftes.append(fte[k % len(fte)])
            contracts.append(contract[k % len(contract)])
            team_of.append(team)

    add("qa_manager", max(1, round(scale)), [1.0], ["permanent"])
    n_permanent = max(1, round(PERMANENT_CHAIRS * scale))
    n_locum = max(1, round(len(LOCUM_CHAIR_FTES) * scale))
    add("chair", n_permanent, [1.0], ["permanent"])
    add("chair", n_locum, LOCUM_CHAIR_FTES, ["locum"])
    add("business_support", max(1, round(scale)), [1.0], ["permanent"])
    add(
        "minute_taker",
        max(1, round(MINUTE_TAKERS * scale)),
        [1.0, 1.0, 0.6],
        ["permanent", "permanent", "fixed_term"],
    )
    for t in range(n_teams):
        add("team_manager", 1, [1.0], ["permanent"], t)
        add(
            "social_worker",
            SOCIAL_WORKERS_PER_TEAM,
            [1.0, 1.0, 1.0, 0.8],
            ["permanent", "permanent", "locum"],
            t,
        )
    return roles, ftes, contracts, team_of
