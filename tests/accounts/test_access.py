"""cpqa.accounts.access: role checks, the child rule, the guard middleware and the access log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import Http404
from django.test import Client, RequestFactory

from cpqa.accounts.access import log_access, role_required
from cpqa.accounts.models import AccessEvent, Role, User
from cpqa.record.access import access_child, access_family, visible_children
from tests.web.samples import ROLE_USERNAMES

pytestmark = pytest.mark.urls("tests.accounts.guard_urls")


def _request_as(role: str) -> object:
    request = RequestFactory().get("/somewhere/")
    request.user = User.objects.get(username=ROLE_USERNAMES[role])
    return request


def test_role_required_refuses_other_roles_with_403_and_logs_it(client_for: Callable[[str | None], Client]) -> None:
    """A chair opening a QA-manager-only page gets 403 and a 'denied' event naming the page."""
    response = client_for(Role.CHAIR).get("/qa-only/")
    assert response.status_code == 403
    assert b"You do not have access to this page" in response.content
    event = AccessEvent.objects.get(action="denied")
    assert (event.username, event.role, event.object_type, event.detail) == (
        ROLE_USERNAMES[Role.CHAIR], Role.CHAIR, "page", "qa_only"
    )


def test_role_required_serves_the_named_role(client_for: Callable[[str | None], Client]) -> None:
    """The QA manager gets the QA-manager-only page, and nothing is logged as denied."""
    response = client_for(Role.QA_MANAGER).get("/qa-only/")
    assert response.status_code == 200
    assert not AccessEvent.objects.filter(action="denied").exists()


def test_unguarded_view_is_refused_by_the_middleware(client_for: Callable[[str | None], Client]) -> None:
    """A view with no access rule is refused (403) even to the QA manager: deny by default."""
    response = client_for(Role.QA_MANAGER).get("/forgotten/")
    assert response.status_code == 403
    assert b"never be served" not in response.content


def test_anonymous_is_sent_to_sign_in(client_for: Callable[[str | None], Client]) -> None:
    """Signed out, a guarded page redirects to the sign-in page with the page as `next`."""
    response = client_for(None).get("/qa-only/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/qa-only/"


def test_role_required_needs_known_roles() -> None:
    """A misspelt role in a decorator is an error when the module loads, not a silent refusal."""
    with pytest.raises(ValueError, match="qa_manger"):
        role_required("qa_manger")
    with pytest.raises(ValueError):
        role_required()


@pytest.mark.parametrize(
    "role, allowed",
    [
        (Role.QA_MANAGER, True),
        (Role.CHAIR, True),
        (Role.BUSINESS_SUPPORT, True),
        (Role.SOCIAL_WORK_MANAGER, True),  # the sample child is in the manager's team
        (Role.ANALYST, False),
        (Role.ADMINISTRATOR, False),
    ],
)
def test_access_child_by_role(world: dict[str, int], role: str, allowed: bool) -> None:
    """access_child returns the child to child-level roles and refuses analysts and administrators."""
    request = _request_as(role)
    if allowed:
        assert access_child(request, world["child"]).pk == world["child"]
        expected_action = "view"
    else:
        with pytest.raises(Http404):
            access_child(request, world["child"])
        expected_action = "denied"
    event = AccessEvent.objects.get()
    assert (event.action, event.object_type, event.object_id) == (expected_action, "child", str(world["child"]))


def test_social_work_manager_is_refused_another_teams_child(world: dict[str, int]) -> None:
    """A social work manager may not open a child of a team they do not manage."""
    request = _request_as(Role.SOCIAL_WORK_MANAGER)
    with pytest.raises(Http404):
        access_child(request, world["other_team_child"])
    event = AccessEvent.objects.get()
    assert (event.action, event.object_id) == ("denied", str(world["other_team_child"]))


def test_access_child_through_a_view_logs_the_view_name_not_the_child(
    world: dict[str, int], client_for: Callable[[str | None], Client]
) -> None:
    """The log's detail is the page's URL name; the child's name appears nowhere in the event."""
    response = client_for(Role.CHAIR).get(f"/child/{world['child']}/")
    assert response.status_code == 200
    event = AccessEvent.objects.get(action="view")
    assert event.detail == "test_child_page"
    text = " ".join(str(getattr(event, f.name)) for f in AccessEvent._meta.fields)
    assert "Alex" not in text and "Testchild" not in text


def test_access_child_missing_is_404(world: dict[str, int]) -> None:
    """A child id that does not exist is 'not found', and reads nothing into the log."""
    with pytest.raises(Http404):
        access_child(_request_as(Role.QA_MANAGER), 999_999)
    assert not AccessEvent.objects.exists()


def test_access_family_gives_only_the_children_the_user_may_see(world: dict[str, int]) -> None:
    """A family is open to a manager when one of its children is in their team, with those children only."""
    family, children = access_family(_request_as(Role.SOCIAL_WORK_MANAGER), world["family"])
    assert family.pk == world["family"]
    assert [c.pk for c in children] == [world["child"]]
    with pytest.raises(Http404):
        access_family(_request_as(Role.ANALYST), world["family"])
    assert list(AccessEvent.objects.order_by("pk").values_list("action", flat=True)) == ["view", "denied"]


def test_visible_children_by_role(world: dict[str, int]) -> None:
    """Managers see their teams' children; the QA manager all; the analyst none."""
    def visible(role: str) -> set[int]:
        return set(visible_children(_request_as(role).user).values_list("pk", flat=True))

    assert visible(Role.SOCIAL_WORK_MANAGER) == {world["child"]}
    assert visible(Role.QA_MANAGER) == {world["child"], world["other_team_child"]}
    assert visible(Role.ANALYST) == set()


def test_log_access_refuses_an_unknown_action(world: dict[str, int]) -> None:
    """An action outside the access log's list is an error, and nothing is written."""
    with pytest.raises(ValueError, match="peek"):
        log_access(_request_as(Role.QA_MANAGER), "peek", "child", world["child"])
    assert not AccessEvent.objects.exists()


def test_access_events_cannot_be_changed_or_deleted(world: dict[str, int]) -> None:
    """The access log is append-only."""
    event = log_access(_request_as(Role.QA_MANAGER), "list", "today", "", "today")
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
