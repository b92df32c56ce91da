"""Who may see what, in one place, and the log of every read.

Every view is wrapped in `role_required(...)` (or `public_page` for the sign-in page); the
`AccessGuardMiddleware` refuses any view that is not, so a view someone forgets to guard is
refused rather than served. Child-level data is loaded only through `cpqa.record.access`
(`access_child`, `access_family`), which checks the user's right to that child and writes an
`AccessEvent` for the read or the refusal. Lists and downloads call `log_access`.

Each app's urls module exports `ACCESS`: URL name -> `Expect`, the answer every role should
get. The URL-by-role test (tests/web/test_url_access.py) walks every URL pattern against it,
so a URL with no entry fails the test suite.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from cpqa.accounts.models import AccessEvent, Role, User
from cpqa.accounts.roles import ALL_ROLES, CHILD_ROLES

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])

# The marker the guard middleware looks for on every view.
ACCESS_ATTRIBUTE = "cpqa_access"
PUBLIC = "public"


def role_required(*roles: str) -> Callable[[ViewFunc], ViewFunc]:
    """Let the view run only for a signed-in user holding one of `roles`; 403 for the rest."""
    unknown = set(roles) - ALL_ROLES
    if not roles or unknown:
        raise ValueError(f"role_required needs known roles, got {sorted(unknown) or 'none'}")
    allowed = frozenset(roles)

    def decorate(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.has_role(*allowed):
                log_access(request, "denied", "page", "", view_name(request))
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        setattr(guarded, ACCESS_ATTRIBUTE, allowed)
        return guarded  # type: ignore[return-value]

    return decorate


def public_page(view: ViewFunc) -> ViewFunc:
    """Mark a view anyone may open without signing in (only the sign-in page itself)."""
    view = login_not_required(view)
    setattr(view, ACCESS_ATTRIBUTE, PUBLIC)
    return view


def is_guarded(view: Callable[..., Any]) -> bool:
    return bool(getattr(view, ACCESS_ATTRIBUTE, None))


class AccessGuardMiddleware:
    """Refuse any view that carries neither `role_required` nor `public_page`: deny by default."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if is_guarded(view_func):
            return None
        raise PermissionDenied("This page has no access rule, so it is refused.")


def may_see_children(user: User) -> bool:
    return user.has_role(*CHILD_ROLES)


def visible_team_names(user: User) -> frozenset[str] | None:
    """Team names a social work manager is limited to; None when the role sees every team."""
    if user.role == Role.SOCIAL_WORK_MANAGER:
        return frozenset(user.teams.values_list("name", flat=True))
    return None


def log_access(
    request: HttpRequest,
    action: str,
    object_type: str = "",
    object_id: object = "",
    detail: str = "",
    *,
    children: Iterable[object] = (),
    whole_record: bool = False,
) -> AccessEvent:
    """Append one event to the access log. `detail` names what was asked for, never a person.

    `children`: the ids of the children whose rows the page, list, search or download showed
    (a view of one child's record is recorded against that child without being told).
    """
    from cpqa.accounts.audit import log_event

    user = request.user if request.user.is_authenticated else None
    named = list(children)
    if object_type == "child" and str(object_id).isdigit():
        named.append(object_id)
    return log_event(
        action,
        user=user,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        children=named,
        whole_record=whole_record,
        ip_address=request.META.get("REMOTE_ADDR") or None,
    )


def view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else request.path[:200]


# --- The expectations table the URL-by-role test walks --------------------------------------


@dataclass(frozen=True)
class Sample:
    """A URL argument taken from the test's sample record: the pk of an object of `kind`.

    Kinds the test knows: child, family, team, staff, referral, strategy_discussion, s47,
    plan, conference, review_conference, subject, invitee, transfer_notification, core_group,
    user (add more to tests/web/samples.py when a URL needs one).
    """

    kind: str


@dataclass(frozen=True)
class Expect:
    """What each role gets from one URL: `allowed` roles get 200 or 302, the others 403.

    `sample` gives the URL's arguments (a `Sample` or a literal value per keyword); `method`
    is "post" for views that only accept POST (the test posts an empty form, which changes
    nothing). An anonymous visitor is sent to sign-in unless `public`.
    """

    allowed: frozenset[str]
    sample: Mapping[str, Sample | str | int] = field(default_factory=dict)
    method: str = "get"
    public: bool = False


def expect(
    allowed: Iterable[str],
    sample: Mapping[str, Sample | str | int] | None = None,
    method: str = "get",
) -> Expect:
    roles = frozenset(str(role) for role in allowed)
    unknown = roles - ALL_ROLES
    if unknown:
        raise ValueError(f"unknown role(s) in an access expectation: {sorted(unknown)}")
    if method not in ("get", "post"):
        raise ValueError(f"method must be 'get' or 'post', not {method!r}")
    return Expect(allowed=roles, sample=dict(sample or {}), method=method)


PUBLIC_EXPECT = Expect(allowed=ALL_ROLES, public=True)
