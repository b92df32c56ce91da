"""Writes to the child's record outside the conference room: referrals, strategy discussions,
section 47 enquiries, transfer-in notifications and the plan itself.

Every function is keyword-only, runs in one transaction, checks everything before it writes
and notes who wrote (`note_change`). Field problems are `ValidationError`s keyed by the field;
problems with the state of the record (a second open plan, a closed referral) are
`RecordError`s. Messages name the child by its local id, never by name.

The plan functions are called by the conference outcome (cpqa.conferences.services) inside
its own transaction, so a plan never starts, changes or ends without the conference that
decided it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction

from cpqa.accounts.models import User
from cpqa.domain import codes
from cpqa.domain.calendar import in_words
from cpqa.record import models as m
from cpqa.record.errors import RecordError
from cpqa.record.models import RecordChange, RecordVersion


def note_change(*, by: User, action: str, obj: models.Model, detail: str = "") -> RecordChange:
    """Append who did what to which object; `detail` holds codes and dates, never names.

    Every service that writes, the record's and each workflow's, notes its change here, so this
    is also where the record's version goes up (in the same transaction), telling every server
    process that its copy of the record in memory is out of date (`cpqa.record.cache`).
    """
    if by is None or not by.is_authenticated:
        raise RecordError(f"{action}: a change to the record needs the person making it")
    RecordVersion.bump()
    return RecordChange.objects.create(
        user=by,
        username=by.get_username(),
        role=getattr(by, "role", ""),
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        detail=detail[:200],
    )


def field_error(field: str, message: str) -> ValidationError:
    """A field-level refusal, keyed so a form can show it against the field."""
    return ValidationError({field: message})


def full_clean_naming_child(
    obj: models.Model, *, child: m.Child | None = None, exclude: Iterable[str] = ()
) -> None:
    """Run the model's own rules; name the child in the message so the refusal says where."""
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        if child is None or not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {
                field: [f"child {child.local_id}: {msg}" for msg in msgs]
                for field, msgs in exc.message_dict.items()
            }
        ) from None


@transaction.atomic
def do_record_referral(
    *, child: m.Child, referral_date: dt.date, by: User, source: str = "10", primary_need: str = ""
) -> m.Referral:
    if child.date_of_death and referral_date > child.date_of_death:
        raise field_error(
            "referral_date", f"The referral cannot be after the child died on {in_words(child.date_of_death)}"
        )
    open_referral = child.referrals.filter(closure_date__isnull=True).first()
    if open_referral is not None:
        raise RecordError(
            f"This child already has an open referral, from {in_words(open_referral.referral_date)}: "
            "record what follows on that referral"
        )
    referral = m.Referral(child=child, referral_date=referral_date, source=source, primary_need=primary_need)
    full_clean_naming_child(referral, child=child)
    referral.save()
    note_change(by=by, action="record_referral", obj=referral, detail=referral_date.isoformat())
    return referral


@transaction.atomic
def do_record_strategy_discussion(
    *,
    referral: m.Referral,
    held_date: dt.date,
    by: User,
    notified_to_qa_date: dt.date | None = None,
) -> m.StrategyDiscussion:
    """A strategy discussion on an open referral; when QA heard of it feeds 'late notification'."""
    if held_date < referral.referral_date:
        raise field_error(
            "held_date",
            f"The strategy discussion cannot be before the referral on {in_words(referral.referral_date)}",
        )
    if referral.closure_date and held_date > referral.closure_date:
        raise RecordError(
            f"The referral closed on {in_words(referral.closure_date)}: the strategy discussion must be "
            f"on or before that day"
        )
    if notified_to_qa_date and notified_to_qa_date < held_date:
        raise field_error(
            "notified_to_qa_date",
            f"The day QA was told cannot be before the strategy discussion on {in_words(held_date)}",
        )
    discussion = m.StrategyDiscussion.objects.create(
        referral=referral, held_date=held_date, notified_to_qa_date=notified_to_qa_date
    )
    note_change(by=by, action="record_strategy_discussion", obj=discussion, detail=held_date.isoformat())
    return discussion


@transaction.atomic
def do_start_section47(*, strategy_discussion: m.StrategyDiscussion, by: User) -> m.Section47:
    """The enquiry the discussion initiated; its start date is the discussion's
    (docs/definitions.md#section-47-start)."""
    referral = strategy_discussion.referral
    if strategy_discussion.section47s.exists():
        raise RecordError(
            f"The strategy discussion of {in_words(strategy_discussion.held_date)} has already started a "
            f"section 47 enquiry"
        )
    enquiry = m.Section47.objects.create(
        referral=referral, strategy_discussion=strategy_discussion, start_date=strategy_discussion.held_date
    )
    note_change(by=by, action="start_section47", obj=enquiry, detail=enquiry.start_date.isoformat())
    return enquiry


@transaction.atomic
def do_record_strategy_discussion_for_child(
    *,
    child: m.Child,
    held_date: dt.date,
    starts_section47: bool,
    by: User,
    notified_to_qa_date: dt.date | None = None,
    referral_date: dt.date | None = None,
) -> m.StrategyDiscussion:
    """The discussion on the child's open referral (opening one on `referral_date` where there is
    none), and the section 47 enquiry it started, all or nothing."""
    referral = child.referrals.filter(closure_date__isnull=True).order_by("-referral_date").first()
    if referral is None:
        if referral_date is None:
            raise field_error("referral_date", "This child has no open referral: enter the date of the referral")
        referral = do_record_referral(child=child, referral_date=referral_date, by=by)
    discussion = do_record_strategy_discussion(
        referral=referral, held_date=held_date, notified_to_qa_date=notified_to_qa_date, by=by
    )
    if starts_section47:
        do_start_section47(strategy_discussion=discussion, by=by)
    return discussion


@transaction.atomic
def do_record_transfer_in_notification(
    *,
    child: m.Child,
    from_authority: str,
    received_date: dt.date,
    by: User,
    other_plan_start_date: dt.date | None = None,
) -> m.TransferInNotification:
    """Another authority's written notice; the transfer-in conference is due from `received_date`."""
    if not from_authority.strip():
        raise field_error(
            "from_authority", "Enter the authority the child has moved from"
        )
    if other_plan_start_date and other_plan_start_date > received_date:
        raise field_error(
            "other_plan_start_date",
            f"The other authority's plan cannot start after its notice was received on {in_words(received_date)}",
        )
    if open_plan_of(child) is not None:
        raise RecordError("This child is already on a plan here, so no transfer-in conference is needed")
    notification = m.TransferInNotification.objects.create(
        child=child,
        from_authority=from_authority.strip(),
        received_date=received_date,
        other_plan_start_date=other_plan_start_date,
    )
    note_change(
        by=by, action="record_transfer_in_notification", obj=notification, detail=received_date.isoformat()
    )
    return notification


def open_plan_of(child: m.Child) -> m.Plan | None:
    return child.plans.filter(end_date__isnull=True).first()


def checked_categories(categories: Iterable[str], *, child: m.Child, field: str = "categories") -> str:
    """The categories joined for storage ("EMO+NEG"), or a refusal naming the unknown code."""
    chosen = [c for c in categories if c]
    try:
        codes.dfe_category(chosen)
    except ValueError as exc:
        raise field_error(field, f"child {child.local_id}: {exc}") from None
    return m.Plan.join_categories(chosen)


@transaction.atomic
def do_start_plan(
    *,
    child: m.Child,
    start_date: dt.date,
    categories: Iterable[str],
    by: User,
    referral: m.Referral | None = None,
    from_other_authority: bool = False,
) -> m.Plan:
    """A plan starting on the conference date that decided it."""
    joined = checked_categories(categories, child=child)
    current = open_plan_of(child)
    if current is not None:
        raise RecordError(
            f"child {child.local_id} already has an open plan from {in_words(current.start_date)}; "
            f"end it at a review before starting another"
        )
    latest_end = child.plans.filter(end_date__isnull=False).aggregate(latest=models.Max("end_date"))["latest"]
    if latest_end and start_date < latest_end:
        raise field_error(
            "start_date",
            f"child {child.local_id}: a new plan cannot start before the previous one ended "
            f"({in_words(latest_end)})",
        )
    plan = m.Plan(
        child=child,
        referral=referral,
        start_date=start_date,
        initial_categories=joined,
        latest_categories=joined,
        from_other_authority=from_other_authority,
    )
    full_clean_naming_child(plan, child=child, exclude=["initial_category", "latest_category"])
    plan.save()
    note_change(by=by, action="start_plan", obj=plan, detail=f"{start_date.isoformat()} {joined}")
    return plan


@transaction.atomic
def do_change_plan_categories(*, plan: m.Plan, categories: Iterable[str], by: User) -> m.Plan:
    """A review may change the plan's latest categories; the initial ones never change."""
    if plan.end_date is not None:
        raise RecordError(f"child {plan.child.local_id}: the plan ended on {in_words(plan.end_date)}")
    joined = checked_categories(categories, child=plan.child)
    if joined != plan.latest_categories:
        plan.latest_categories = joined
        plan.save()
        note_change(by=by, action="change_plan_categories", obj=plan, detail=joined)
    return plan


@transaction.atomic
def do_end_plan(*, plan: m.Plan, end_date: dt.date, end_reason: str, by: User) -> m.Plan:
    child = plan.child
    if plan.end_date is not None:
        raise RecordError(f"child {child.local_id}: the plan already ended on {in_words(plan.end_date)}")
    if end_reason not in codes.PLAN_END_REASON:
        raise field_error("end_reason", f"child {child.local_id}: unknown plan end reason {end_reason!r}")
    if end_date <= plan.start_date:
        raise field_error(
            "end_date",
            f"child {child.local_id}: a plan's end ({in_words(end_date)}) must be after its start "
            f"({in_words(plan.start_date)})",
        )
    plan.end_date = end_date
    plan.end_reason = end_reason
    plan.save()
    note_change(by=by, action="end_plan", obj=plan, detail=f"{end_date.isoformat()} {end_reason}")
    return plan
