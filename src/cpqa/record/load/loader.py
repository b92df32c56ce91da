"""The load itself: the state shared by its parts, and the order in which the tables are written."""

from __future__ import annotations

import datetime as dt

from cpqa.domain.tables import Record
from cpqa.record import extensions
from cpqa.record import models as m
from cpqa.record.load.checks import Checks
from cpqa.record.load.conferences import Conferences
from cpqa.record.load.extras import RecordExtras
from cpqa.record.load.people import People
from cpqa.record.load.referrals import Referrals
from cpqa.record.load.summary import LoadSummary, Progress
from cpqa.record.load.upsert import Upserts


class Loader(Upserts, Checks, People, Referrals, Conferences):
    """One load: the record, the keys of what has been written so far, and the order of writing.

    Its parts live in their own modules and share this object's state: `Upserts` (upsert.py,
    the bulk machinery), `Checks` (checks.py), `People` (people.py), `Referrals`
    (referrals.py) and `Conferences` (conferences.py). The workflows' own tables are written by the
    loaders they register (`cpqa.record.extensions`).
    """

    def __init__(self, record: Record, authority: RecordExtras | None, progress: Progress) -> None:
        self.record = record
        self.authority = authority
        self.progress = progress
        self.summary = LoadSummary()
        self.fresh = False
        self.child_pk: dict[str, int] = {}
        self.episode_pk: dict[str, int] = {}
        self.s47_pk: dict[str, int] = {}
        self.plan: dict[str, tuple[int, dt.date]] = {}
        self.staff_pk: dict[str, int] = {}
        self.family_pk: dict[str, int] = {}
        self.team_pk: dict[str, int] = {}
        self.meeting_pk: dict[str, int] = {}

    # -- the order of writing ------------------------------------------------------------------

    def run(self) -> None:
        # A database with no children has nothing to match, so the look-ups can be skipped.
        self.fresh = not m.Child.objects.exists()
        self._check_references()
        self._staff_and_teams()
        self._families()
        self._children()
        self._episodes()
        self._assessments()
        self._cin_plans()
        self._section47s()
        self._plans()
        self._conferences()
        self._attendance()
        self._rearrangements()
        for load_tables in extensions.table_loaders():
            load_tables(self)
        self._fold_conference_counts()
