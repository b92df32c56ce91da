"""Who may do what, named once: each set of roles a page or a list is open to.

Every guard (`role_required`), every URL's access expectation and every page that shows or
hides an action takes its roles from here, so a role's reach is read in one place.
"""

from __future__ import annotations

from cpqa.accounts.models import Role

ALL_ROLES: frozenset[str] = frozenset(Role.values)
# May open a child's record at all (social work managers only for their teams' children).
CHILD_ROLES: frozenset[str] = frozenset(
    {Role.QA_MANAGER, Role.CHAIR, Role.BUSINESS_SUPPORT, Role.SOCIAL_WORK_MANAGER}
)
# Figures and reports: everyone but the administrator, whose work is accounts.
REPORT_READERS: frozenset[str] = ALL_ROLES - {Role.ADMINISTRATOR}
# Business support book conferences; the QA manager can do anything a booker can.
CONFERENCE_BOOKERS: frozenset[str] = frozenset({Role.BUSINESS_SUPPORT, Role.QA_MANAGER})
# The chair runs the conference and records it; the QA manager can stand in.
CONFERENCE_RUNNERS: frozenset[str] = frozenset({Role.CHAIR, Role.QA_MANAGER})
CONFERENCE_READERS: frozenset[str] = CONFERENCE_BOOKERS | CONFERENCE_RUNNERS
# The QA workflows (escalations, notes, midway reviews, report grades) are the chairs' and the
# QA manager's; repeat-plan findings and panel decisions are the QA manager's alone.
QA_WORKERS: frozenset[str] = frozenset({Role.QA_MANAGER, Role.CHAIR})
QA_MANAGER_ONLY: frozenset[str] = frozenset({Role.QA_MANAGER})
# The list of escalation reasons is configuration: the QA manager and the administrator keep it.
REASON_KEEPERS: frozenset[str] = frozenset({Role.QA_MANAGER, Role.ADMINISTRATOR})
# Today's QA lists (enquiries awaiting a conference, reviews due, ...).
QA_LIST_READERS: frozenset[str] = frozenset({Role.QA_MANAGER, Role.SOCIAL_WORK_MANAGER})
