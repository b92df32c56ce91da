"""Writing a record's tables (`cpqa.domain.tables.Record`) into the database, all or nothing.

Used by `cpqa generate` and the demo (a synthetic authority), the CIN census import and the
benchmarks. One transaction: either every row is written or, on the first bad row, nothing is.

Matching, so that loading the same record twice changes nothing and a later year's record
updates the same children: children by their local id (the CIN LAchildID); within a child,
referrals by referral date, section 47 enquiries by start date, plans by start date,
conferences by (type, date, child) where the date is the held date, else the scheduled date.
Assessments and CIN plans match by their referral and start date, agencies at a conference by
agency (and order), families by reference, teams by name, staff by name and role.

Every row goes through its model's own rules (`full_clean`, with the one-row checks in each
model's `clean`), and the rules across rows are checked here before anything is written: a
child's plans may not overlap (so never two open at once) and a review must follow the start
of the plan it reviews (`ConferenceSubject.clean`). A refusal is a `RecordError` naming the
child's local id, the table and the field, never a name.

A column the source cannot supply at all (every value null, e.g. names from a CIN census
file) is left as it is in the database, so an import never blanks what the service recorded
by hand. The QA tables (escalations, concern notes, repeat-plan and midway reviews) are loaded
by the loader the oversight app registers (`cpqa.record.extensions`).

The modules: this one (the entry points), `loader` (the order of writing), `upsert` (the bulk
insert machinery), `checks` (the rules across rows), `people`, `referrals` and `conferences`
(each table's rows), `rows` (a row and its small helpers), `summary` (what a load
reports).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from cpqa.domain.tables import Record
from cpqa.record.errors import RecordError
from cpqa.record.load.extras import RecordExtras
from cpqa.record.load.loader import Loader
from cpqa.record.load.rows import (
    CHUNK_ROWS,
    FROM_AUTHORITY_NOT_RECORDED,
    IMPORT_USERNAME,
    LOOKUP_IDS,
    NOTE_TEXT_NOT_IN_SOURCE,
)
from cpqa.record.load.summary import LoadSummary, Progress
from cpqa.record.models import RecordVersion

__all__ = [
    "CHUNK_ROWS",
    "FROM_AUTHORITY_NOT_RECORDED",
    "IMPORT_USERNAME",
    "LOOKUP_IDS",
    "NOTE_TEXT_NOT_IN_SOURCE",
    "LoadSummary",
    "Progress",
    "RecordExtras",
    "load_record",
    "load_synthetic_authority",
]


def load_record(
    record: Record,
    *,
    authority: RecordExtras | None = None,
    progress: Progress | None = None,
) -> LoadSummary:
    """Write `record` into the database in one transaction; refuse it whole if any row is bad.

    `authority` (a synthetic authority) adds what the tables do not carry: teams, staff,
    families' adults, minute takers, rearrangements. Without it, `chair_id` values are the
    primary keys of staff already in the database (as the database's own record gives them).
    """
    loader = Loader(record, authority, progress or (lambda stage, done, total: None))
    try:
        with transaction.atomic():
            loader.run()
            # A load writes no change log rows of its own, so it raises the version itself.
            RecordVersion.bump()
    except IntegrityError as exc:
        # The database's constraints are the last line; the checks above should catch all first.
        raise RecordError(f"the database refused the record: {exc}") from None
    return loader.summary


def load_synthetic_authority(
    authority: RecordExtras, *, progress: Progress | None = None
) -> LoadSummary:
    return load_record(authority.record, authority=authority, progress=progress)
