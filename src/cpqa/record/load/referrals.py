"""Referrals and what hangs from them: assessments, CIN plans, section 47 enquiries, plans."""

from __future__ import annotations

from typing import Any

import polars as pl

from cpqa.record import models as m
from cpqa.record.load.rows import (
    Row,
    blank,
    dfe_category,
    distinct_rows,
    is_supplied,
    plan_categories,
    without,
)


class Referrals:
    """Episodes, assessments, CIN plans, enquiries and plans (a part of `Loader`)."""

    def _episodes(self) -> None:
        frame = self.record.episodes
        supplied = {c: is_supplied(frame, c) for c in frame.columns}
        existing = self.existing_rows(
            m.Referral,
            "child_id",
            self.child_pk.values(),
            lambda r: (r["child_id"], r["referral_date"]),
            [
                "child_id",
                "referral_date",
                "source",
                "primary_need",
                "closure_date",
                "closure_reason",
                "no_further_action",
            ],
        )
        rows, ids = [], []
        for e in frame.iter_rows(named=True):
            child = self.child_pk[e["child_id"]]
            values: dict[str, Any] = {"child_id": child, "referral_date": e["referral_date"]}
            if supplied["referral_source"]:
                values["source"] = e["referral_source"] or "10"
            if supplied["primary_need"]:
                values["primary_need"] = blank(e["primary_need"])
            if supplied["closure_date"] or supplied["closure_reason"]:
                values["closure_date"] = e["closure_date"]
                values["closure_reason"] = blank(e["closure_reason"])
            if supplied["referral_nfa"]:
                values["no_further_action"] = bool(e["referral_nfa"])
            rows.append(Row(key=(child, e["referral_date"]), child=e["child_id"], values=values))
            ids.append(e["episode_id"])
        pks = self.upsert("episodes", m.Referral, rows, existing).pks
        self.episode_pk = {episode: pks[row.key] for episode, row in zip(ids, rows, strict=True)}

    def _assessments(self) -> None:
        frame = self.record.assessments
        existing = self.existing_rows(
            m.Assessment,
            "referral__child_id",
            self.child_pk.values(),
            lambda r: (r["referral_id"], r["start_date"]),
            ["referral_id", "start_date", "authorised_date", "factors"],
        )
        rows = []
        for a in frame.iter_rows(named=True):
            referral = self.episode_pk[a["episode_id"]]
            values = {
                "referral_id": referral,
                "start_date": a["start_date"],
                "authorised_date": a["authorised_date"],
                "factors": " ".join(a["factors"] or []),
            }
            rows.append(Row(key=(referral, a["start_date"]), child=a["child_id"], values=values))
        self.upsert("assessments", m.Assessment, rows, existing, keys_needed=False)

    def _cin_plans(self) -> None:
        frame = self.record.cin_plans
        existing = self.existing_rows(
            m.CINPlan,
            "referral__child_id",
            self.child_pk.values(),
            lambda r: (r["referral_id"], r["start_date"]),
            ["referral_id", "start_date", "end_date"],
        )
        rows = []
        for c in frame.iter_rows(named=True):
            referral = self.episode_pk[c["episode_id"]]
            values = {"referral_id": referral, "start_date": c["start_date"], "end_date": c["end_date"]}
            rows.append(Row(key=(referral, c["start_date"]), child=c["child_id"], values=values))
        self._check_order(rows, "start_date", "end_date", "cin_plans", strictly=False)
        self.upsert("cin_plans", m.CINPlan, rows, existing, keys_needed=False)

    def _section47s(self) -> None:
        frame = self.record.s47
        discussions = self.existing_rows(
            m.StrategyDiscussion,
            "referral__child_id",
            self.child_pk.values(),
            lambda r: (r["referral_id"], r["held_date"]),
            ["referral_id", "held_date"],
        )
        discussion_rows = []
        for s in frame.iter_rows(named=True):
            referral = self.episode_pk[s["episode_id"]]
            discussion_rows.append(
                Row(
                    key=(referral, s["start_date"]),
                    child=s["child_id"],
                    values={"referral_id": referral, "held_date": s["start_date"]},
                )
            )
        discussion_pks = self.upsert(
            "strategy discussions", m.StrategyDiscussion, distinct_rows(discussion_rows), discussions
        ).pks
        existing = self.existing_rows(
            m.Section47,
            "referral__child_id",
            self.child_pk.values(),
            lambda r: (r["referral__child_id"], r["start_date"]),
            [
                "referral__child_id",
                "referral_id",
                "strategy_discussion_id",
                "start_date",
                "icpc_target_date",
                "conference_not_required",
                "completed_date",
            ],
        )
        rows, ids = [], []
        for s in frame.iter_rows(named=True):
            referral = self.episode_pk[s["episode_id"]]
            child = self.child_pk[s["child_id"]]
            values = {
                "referral_id": referral,
                "strategy_discussion_id": discussion_pks[(referral, s["start_date"])],
                "start_date": s["start_date"],
                "icpc_target_date": s["icpc_target_date"],
                "conference_not_required": bool(s["icpc_not_required"]),
                "completed_date": s["completed_date"],
            }
            rows.append(Row(key=(child, s["start_date"]), child=s["child_id"], values=values))
            ids.append(s["s47_id"])
        self._check_order(rows, "start_date", "completed_date", "s47", strictly=False)
        existing = {k: without(v, "referral__child_id") for k, v in existing.items()}
        pks = self.upsert("s47", m.Section47, rows, existing).pks
        self.s47_pk = {s47: pks[row.key] for s47, row in zip(ids, rows, strict=True)}

    # -- plans -----------------------------------------------------------------------------------

    def _plans(self) -> None:
        frame = self.record.plans
        supplied = {c: is_supplied(frame, c) for c in frame.columns}
        from_transfer = set(
            self.record.conferences.filter(pl.col("conference_type") == "transfer_in")
            .get_column("plan_id")
            .drop_nulls()
            .to_list()
        )
        fields = [
            "child_id",
            "referral_id",
            "start_date",
            "end_date",
            "end_reason",
            "initial_categories",
            "latest_categories",
            "initial_category",
            "latest_category",
            "previous_plans",
            "from_other_authority",
        ]
        existing = self.existing_rows(
            m.Plan, "child_id", self.child_pk.values(), lambda r: (r["child_id"], r["start_date"]), fields
        )
        rows, ids = [], []
        for p in frame.iter_rows(named=True):
            child = self.child_pk[p["child_id"]]
            initial = plan_categories(p["initial_categories"], p["initial_category"])
            latest = plan_categories(p["latest_categories"], p["latest_category"]) or initial
            values: dict[str, Any] = {
                "child_id": child,
                "referral_id": self.episode_pk.get(p["episode_id"]) if p["episode_id"] else None,
                "start_date": p["start_date"],
                "end_date": p["end_date"],
                "end_reason": blank(p["end_reason"]),
                "initial_categories": m.Plan.join_categories(initial),
                "latest_categories": m.Plan.join_categories(latest),
                "initial_category": dfe_category(initial, p["child_id"], "initial_categories"),
                "latest_category": dfe_category(latest, p["child_id"], "latest_categories"),
                "from_other_authority": p["plan_id"] in from_transfer,
            }
            if supplied["previous_plans"]:
                values["previous_plans"] = p["previous_plans"]
            rows.append(Row(key=(child, p["start_date"]), child=p["child_id"], values=values))
            ids.append(p["plan_id"])
        self._check_plans_do_not_overlap(rows, existing)
        pks = self.upsert("plans", m.Plan, rows, existing).pks
        self.plan = {
            plan: (pks[row.key], row.values["start_date"]) for plan, row in zip(ids, rows, strict=True)
        }
