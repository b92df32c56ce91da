"""`cpqa createuser` and `cpqa demo --no-serve`, run through the real command-line entry point."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cpqa.accounts.models import Role, User
from cpqa.cli import main
from cpqa.record import models as m
from cpqa.web.commands import DEMO_PASSWORD, DEMO_USERS

GOOD_PASSWORD = "a-long-enough-test-password"


def _run(monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(argv)


def _signs_in(username: str, password: str) -> bool:
    # Through the sign-in page, as a person would (the lock-out backend needs the request).
    client = Client()
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def test_createuser_makes_a_manager_of_two_teams(
    world: dict[str, int], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """A social work manager is created with both teams and can sign in with the password."""
    status = _run(
        monkeypatch,
        ["createuser", "test-new-manager", "--role", "social_work_manager", "--team", "Team Alpha (test)",
         "--team", "Team Beta (test)", "--password-stdin"],
        GOOD_PASSWORD + "\n",
    )
    assert status == 0
    user = User.objects.get(username="test-new-manager")
    assert user.role == Role.SOCIAL_WORK_MANAGER
    assert sorted(user.teams.values_list("name", flat=True)) == ["Team Alpha (test)", "Team Beta (test)"]
    assert _signs_in("test-new-manager", GOOD_PASSWORD)
    assert "Created test-new-manager" in capsys.readouterr().out


def test_createuser_links_a_chair_to_their_staff_record(
    world: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--staff-id links the chair's account to the staff record whose conferences they chair."""
    staff = m.StaffMember.objects.create(name="Second Chair Testperson", role="chair")
    assert _run(monkeypatch, ["createuser", "test-chair-2", "--role", "chair", "--staff-id", str(staff.pk),
                              "--password-stdin"], GOOD_PASSWORD) == 0
    staff.refresh_from_db()
    assert staff.user is not None and staff.user.username == "test-chair-2"


@pytest.mark.parametrize(
    "argv, password, message",
    [
        (["createuser", "test-qa-manager", "--role", "chair"], GOOD_PASSWORD, "already taken"),
        (["createuser", "test-x", "--role", "chairperson"], GOOD_PASSWORD, "'chairperson' is not one of"),
        (["createuser", "test-x", "--role", "social_work_manager", "--team", "No Such Team"], GOOD_PASSWORD,
         "no team is called 'No Such Team'"),
        (["createuser", "test-x", "--role", "analyst", "--team", "Team Alpha (test)"], GOOD_PASSWORD,
         "only for social work managers"),
        (["createuser", "test-x", "--role", "chair", "--staff-id", "999999"], GOOD_PASSWORD, "no staff record 999999"),
        (["createuser", "test-x", "--role", "chair"], "short", "too short"),
    ],
)
def test_createuser_refuses_bad_input_and_changes_nothing(
    world: dict[str, int], monkeypatch: pytest.MonkeyPatch, capsys: Any, argv: list[str], password: str,
    message: str,
) -> None:
    """Each mistake exits with status 2 and a message naming the field; no account is added."""
    before = User.objects.count()
    assert _run(monkeypatch, [*argv, "--password-stdin"], password + "\n") == 2
    assert message in capsys.readouterr().err
    assert User.objects.count() == before


def test_demo_without_serving_creates_one_user_per_role(
    world: dict[str, int], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """With children already in the database, `cpqa demo --no-serve` makes the demo users and prints them."""
    free_chair = m.StaffMember.objects.create(name="Demo Chair Testperson", role="chair")
    assert _run(monkeypatch, ["demo", "--no-serve"]) == 0
    out = capsys.readouterr().out
    for demo in DEMO_USERS:
        assert demo.username in out
        user = User.objects.get(username=demo.username)
        assert user.role == demo.role
    assert DEMO_PASSWORD in out
    manager = User.objects.get(username="demo-manager")
    assert manager.teams.count() == 2
    free_chair.refresh_from_db()
    assert free_chair.user is not None and free_chair.user.username == "demo-chair"
    assert _signs_in("demo-qa", DEMO_PASSWORD)


def test_demo_twice_keeps_one_account_each(world: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """Running the demo again resets the demo accounts rather than adding more."""
    m.StaffMember.objects.create(name="Demo Chair Testperson", role="chair")
    assert _run(monkeypatch, ["demo", "--no-serve"]) == 0
    assert _run(monkeypatch, ["demo", "--no-serve"]) == 0
    assert User.objects.filter(username__startswith="demo-").count() == len(DEMO_USERS)
    assert m.StaffMember.objects.filter(user__username="demo-chair").count() == 1


def test_demo_treats_the_records_last_conference_day_as_today(
    world: dict[str, int], monkeypatch: pytest.MonkeyPatch, capsys: Any, settings: Any
) -> None:
    """The sample record's last conference was held on 24 Jan 2024, long ago: the demo pins that day."""
    settings.CPQA_TODAY = ""
    m.StaffMember.objects.create(name="Demo Chair Testperson", role="chair")
    assert _run(monkeypatch, ["demo", "--no-serve"]) == 0
    assert settings.CPQA_TODAY == "2024-01-24"
    assert "shown as on 2024-01-24" in capsys.readouterr().out
    from cpqa.core.clock import service_today

    assert service_today().isoformat() == "2024-01-24"


def test_an_explicit_cpqa_today_is_kept(
    world: dict[str, int], monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """CPQA_TODAY set by the operator is not overridden by the demo."""
    settings.CPQA_TODAY = "2024-04-22"
    m.StaffMember.objects.create(name="Demo Chair Testperson", role="chair")
    assert _run(monkeypatch, ["demo", "--no-serve"]) == 0
    assert settings.CPQA_TODAY == "2024-04-22"
