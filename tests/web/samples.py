"""A small, obviously fake record for tests that need one of everything: users of every role,
two teams, and a child with a whole history in the social work manager's team.

`build_sample_world()` returns kind -> primary key, the kinds `cpqa.accounts.access.Sample`
names in the ACCESS tables. When a new URL needs another kind of object, add it here.
"""

from __future__ import annotations

import datetime as dt

from cpqa.accounts.models import Role, User
from cpqa.oversight import models as qa
from cpqa.record import models as m

PASSWORD = "test-password-not-secret"

# One user per role; the social work manager manages "Team Alpha (test)" only.
ROLE_USERNAMES = {role.value: f"test-{role.value.replace('_', '-')}" for role in Role}


def make_users(team_alpha: m.Team, chair_staff: m.StaffMember | None = None) -> dict[str, User]:
    users: dict[str, User] = {}
    for role, username in ROLE_USERNAMES.items():
        user = User.objects.create_user(username, password=PASSWORD, role=role)
        users[role] = user
    users[Role.SOCIAL_WORK_MANAGER].teams.add(team_alpha)
    if chair_staff is not None:
        chair_staff.user = users[Role.CHAIR]
        chair_staff.save()
    return users


def build_sample_world() -> dict[str, int]:
    """One child with a referral, strategy discussion, s47, initial conference, plan, review."""
    alpha = m.Team.objects.create(name="Team Alpha (test)")
    beta = m.Team.objects.create(name="Team Beta (test)")
    chair = m.StaffMember.objects.create(name="Chair Testperson", role="chair")
    social_worker = m.StaffMember.objects.create(name="Worker Testperson", role="social_worker", team=alpha)
    users = make_users(alpha, chair)
    family = m.Family.objects.create(reference="FAM-TEST-1", name="Testfamily household")
    member = m.FamilyMember.objects.create(family=family, name="Parent Testperson", relationship="mother")
    child = m.Child.objects.create(
        local_id="TEST0001", family=family, first_name="Alex", last_name="Testchild",
        date_of_birth=dt.date(2015, 5, 1), team=alpha, social_worker=social_worker,
    )
    other_child = m.Child.objects.create(
        local_id="TEST0002", first_name="Sam", last_name="Otherteam", date_of_birth=dt.date(2016, 6, 1), team=beta
    )
    referral = m.Referral.objects.create(child=child, referral_date=dt.date(2024, 1, 2))
    strategy = m.StrategyDiscussion.objects.create(referral=referral, held_date=dt.date(2024, 1, 3))
    s47 = m.Section47.objects.create(referral=referral, strategy_discussion=strategy, start_date=dt.date(2024, 1, 3))
    plan = m.Plan.objects.create(
        child=child, referral=referral, start_date=dt.date(2024, 1, 24),
        initial_categories="NEG", latest_categories="NEG",
    )
    initial = m.Conference.objects.create(
        conference_type="initial", due_date=dt.date(2024, 1, 24), scheduled_date=dt.date(2024, 1, 24),
        held_date=dt.date(2024, 1, 24), chair=chair,
    )
    subject = m.ConferenceSubject.objects.create(
        conference=initial, child=child, section47=s47, plan=plan, outcome="plan"
    )
    invitee = m.Invitee.objects.create(conference=initial, agency="police", attendance="attended")
    review = m.Conference.objects.create(
        conference_type="review", due_date=dt.date(2024, 4, 24), scheduled_date=dt.date(2024, 4, 22), chair=chair
    )
    m.ConferenceSubject.objects.create(conference=review, child=child, plan=plan)
    transfer = m.TransferInNotification.objects.create(
        child=other_child, from_authority="Elsewhere Council (test)", received_date=dt.date(2024, 2, 1)
    )
    core_group = m.CoreGroup.objects.create(plan=plan, due_date=dt.date(2024, 2, 7))
    escalation = qa.Escalation.objects.create(
        family=family, raised_date=dt.date(2024, 3, 1), raised_by=chair, stage_raised=1, reasons="plan_not_progressed"
    )
    qa.EscalationChild.objects.create(escalation=escalation, child=child)
    qa.EscalationStage.objects.create(
        escalation=escalation, stage=1, started_date=dt.date(2024, 3, 1), response_due_date=dt.date(2024, 3, 8),
        owner="Service manager (test)",
    )
    return {
        "child": child.pk,
        "other_team_child": other_child.pk,
        "family": family.pk,
        "family_member": member.pk,
        "team": alpha.pk,
        "staff": chair.pk,
        "referral": referral.pk,
        "strategy_discussion": strategy.pk,
        "s47": s47.pk,
        "plan": plan.pk,
        "conference": initial.pk,
        "review_conference": review.pk,
        "subject": subject.pk,
        "invitee": invitee.pk,
        "transfer_notification": transfer.pk,
        "core_group": core_group.pk,
        "escalation": escalation.pk,
        "user": users[Role.CHAIR].pk,
        **{f"user_{role}": user.pk for role, user in users.items()},
    }
