"""Free text has a length limit at the service too: a 5,001-character concern or note is
refused with the limit in words, and nothing is written (the form kit checks the same limit,
tests/web/test_text_limits.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cpqa.accounts.models import Role
from cpqa.core.limits import NOTE_MOST
from cpqa.oversight import models as qa
from cpqa.oversight import services
from cpqa.record.models import RecordChange

from .conftest import World

D = dt.date


def _raise(world: World, concern: str) -> qa.Escalation:
    return services.do_raise_escalation(
        raised_date=D(2018, 3, 23), stage=1, reasons=["visits_out_of_timescale"],
        owner="Service manager (test)", by=world.users[Role.CHAIR], children=[world.sibling_1], concern=concern,
    )


def test_a_concern_one_character_over_the_limit_is_refused_and_nothing_is_written(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        _raise(world, "x" * (NOTE_MOST + 1))
    assert refused.value.message_dict == {"concern": ["The concern must be 5,000 characters or fewer"]}
    # The service is atomic: no escalation, no child link, no stage, no change-log row.
    assert qa.Escalation.objects.count() == 0
    assert qa.EscalationStage.objects.count() == 0
    assert RecordChange.objects.count() == 0


def test_a_concern_of_exactly_the_limit_is_kept_whole(world: World) -> None:
    escalation = _raise(world, "y" * NOTE_MOST)
    escalation.refresh_from_db()
    assert len(escalation.concern) == 5000


def test_a_note_over_the_limit_is_refused_through_the_service(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        services.do_record_concern_note(
            kind="qa_case_note", recorded_date=D(2018, 3, 23), note="n" * 2_000_000,
            by=world.users[Role.QA_MANAGER], child=world.sibling_1,
        )
    assert refused.value.message_dict == {"note": ["The note must be 5,000 characters or fewer"]}
    assert qa.ConcernNote.objects.count() == 0


def test_a_short_field_keeps_its_own_model_limit(world: World) -> None:
    """Who must respond is a CharField of 120: 121 characters are refused even on SQLite, which
    would otherwise store them."""
    with pytest.raises(ValidationError) as refused:
        services.do_raise_escalation(
            raised_date=D(2018, 3, 23), stage=1, reasons=["visits_out_of_timescale"],
            owner="o" * 121, by=world.users[Role.CHAIR], children=[world.sibling_1],
        )
    assert refused.value.message_dict == {"owner": ["The owner must be 120 characters or fewer"]}
    assert qa.Escalation.objects.count() == 0
