"""Loading a child for a user: the role and team rule, and the log of every read or refusal.

Every page that shows child-level data loads the child through `access_child` (or the family
through `access_family`) and every list narrows to `visible_children(user)`, so the rule of who
sees which child lives here once, beside the record it guards.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from cpqa.accounts.access import log_access, may_see_children, view_name
from cpqa.accounts.models import Role, User
from cpqa.record.models import Child, Family


def may_see_child(user: User, child: Child) -> bool:
    """The role rule for one child: analysts and administrators never; managers their teams only."""
    if not may_see_children(user):
        return False
    if user.role == Role.SOCIAL_WORK_MANAGER:
        return child.team_id is not None and user.teams.filter(pk=child.team_id).exists()
    return True


def visible_children(user: User) -> QuerySet[Child]:
    """The children whose rows this user may see in a list (empty for aggregate-only roles)."""
    if not may_see_children(user):
        return Child.objects.none()
    if user.role == Role.SOCIAL_WORK_MANAGER:
        return Child.objects.filter(team__in=user.teams.all())
    return Child.objects.all()


def access_child(request: HttpRequest, child_pk: int) -> Child:
    """Load a child for this request, or refuse: checks the role and team, logs the read or refusal."""
    try:
        child = Child.objects.select_related("family", "team").get(pk=child_pk)
    except (Child.DoesNotExist, ValueError, TypeError):
        raise Http404("No such child.") from None
    if not may_see_child(request.user, child):
        log_access(request, "denied", "child", child.pk, view_name(request))
        # Exactly as a missing child answers, so a refusal never tells which ids exist.
        raise Http404("No such child.")
    log_access(request, "view", "child", child.pk, view_name(request))
    return child


def access_family(request: HttpRequest, family_pk: int) -> tuple[Family, list[Child]]:
    """Load a family and the children of it this user may see; refuse when there are none."""
    try:
        family = Family.objects.get(pk=family_pk)
    except (Family.DoesNotExist, ValueError, TypeError):
        raise Http404("No such family.") from None
    children = list(visible_children(request.user).filter(family=family).select_related("team"))
    if not children:
        log_access(request, "denied", "family", family.pk, view_name(request))
        raise Http404("No such family.")
    log_access(request, "view", "family", family.pk, view_name(request), children=[c.pk for c in children])
    return family, children
