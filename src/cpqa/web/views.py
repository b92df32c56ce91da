"""Views: thin. They check the role, call a selector or a service, and render."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cpqa.accounts.access import log_access, may_see_children, public_page, role_required
from cpqa.accounts.middleware import before_second_factor
from cpqa.accounts.models import AccessEvent, Role, User
from cpqa.accounts.roles import ALL_ROLES, CHILD_ROLES, REPORT_READERS
from cpqa.core.clock import is_pinned, service_today
from cpqa.core.config import authority_config
from cpqa.domain import timescales
from cpqa.domain.calendar import ReportingYear
from cpqa.record.access import visible_children
from cpqa.record.cache import remembered
from cpqa.record.models import Child
from cpqa.ui.addresses import EARLIEST_YEAR, LATEST_YEAR, day_in_address, is_usable_day, reporting_year_usable
from cpqa.web import reports, today
from cpqa.web.sign_in_pages import SignInView
from cpqa.web.tables import Table

# The password page; the second factor and single sign-on follow it (cpqa.web.sign_in_pages).
sign_in = public_page(SignInView.as_view())

# Open to a session that has not yet given its second factor: anyone may stop signing in.
sign_out = before_second_factor(role_required(*ALL_ROLES)(require_POST(auth_views.LogoutView.as_view())))


def _day(request: HttpRequest) -> tuple[dt.date, str]:
    """The day the lists are for: today, or `?on=YYYY-MM-DD` to look at another day. A page
    shows today with a warning when the date cannot be used (cpqa.ui.addresses: 1900 to 2100)."""
    text = request.GET.get("on", "").strip()
    if not text:
        return service_today(), ""
    if is_usable_day(text):
        return dt.date.fromisoformat(text), ""
    return service_today(), (
        f"“{text[:20]}” is not a date in the form YYYY-MM-DD between {EARLIEST_YEAR} and "
        f"{LATEST_YEAR}, so today is shown."
    )


def _download_day(request: HttpRequest) -> dt.date:
    """The day a download is for: a date that cannot be used is a 400, never a file for another day."""
    text = request.GET.get("on", "").strip()
    return day_in_address(text, "on") if text else service_today()


def _on_query(request: HttpRequest) -> str:
    on = request.GET.get("on", "").strip()
    return f"?on={on}" if on else ""


def _today_context(request: HttpRequest, day: dt.date) -> today.TodayContext:
    return today.TodayContext(
        user=request.user, children=visible_children(request.user), today=day, config=authority_config()
    )


def _built(items: list[today.TodayList], context: today.TodayContext) -> list[tuple[today.TodayList, object]]:
    """Each list as `item.build` makes it, worked out once per version of the record for this
    user, day and configuration (cpqa.record.cache): a team opening Today again and again between
    two writes costs one working out per user."""
    user = context.user
    teams = tuple(sorted(user.teams.values_list("pk", flat=True))) if user.role == Role.SOCIAL_WORK_MANAGER else ()
    who = (user.pk, user.role, teams, context.chair_id, context.today, repr(context.config))
    return [(item, remembered(("today", item.key, *who), lambda item=item: item.build(context))) for item in items]


@role_required(*ALL_ROLES)
def today_page(request: HttpRequest) -> HttpResponse:
    day, day_error = _day(request)
    user: User = request.user
    context: dict[str, object] = {
        "day": day, "day_error": day_error, "is_today": day == service_today(), "pinned": is_pinned(),
    }
    if may_see_children(user):
        context_ = _today_context(request, day)
        suffix = _on_query(request)
        built = _built(today.lists_for(user.role), context_)
        context["tables"] = [
            today.as_table(item, frame, reverse("today_csv", kwargs={"key": item.key}) + suffix)
            for item, frame in built
        ]
        context["status_counts"] = today.status_counts(built)
        context["teams"] = sorted(user.teams.values_list("name", flat=True)) if user.role == Role.SOCIAL_WORK_MANAGER else []
        context["unlinked_chair"] = user.role == Role.CHAIR and context_.chair_id is None
        log_access(request, "list", "today", "", f"today {user.role}")
    elif user.role == Role.ANALYST:
        context["aggregate"] = reports.today_aggregate(day, authority_config())
    else:
        context["users_by_role"] = [
            (Role(row["role"]).label, row["n"])
            for row in User.objects.filter(is_active=True).values("role").annotate(n=Count("pk")).order_by("role")
        ]
    return render(request, "web/today.html", context)


@role_required(*CHILD_ROLES)
def today_csv(request: HttpRequest, key: str) -> HttpResponse:
    item = today.LISTS_BY_KEY.get(key)
    if item is None:
        raise Http404("No such list.")
    if request.user.role not in item.roles:
        log_access(request, "denied", "tracker", key, "today_csv")
        raise PermissionDenied("This list is not one of your role's lists.")
    day = _download_day(request)
    [(_, frame)] = _built([item], _today_context(request, day))
    log_access(request, "export", "tracker", key, f"csv {day.isoformat()} rows {frame.height}")
    return _csv_response(today.as_csv(item, frame), f"cpqa-{key}-{day.isoformat()}.csv")


def _csv_response(text: str, filename: str) -> HttpResponse:
    # A byte-order mark so Excel opens the file as UTF-8 (names with accents survive).
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(*REPORT_READERS)
def reports_page(request: HttpRequest) -> HttpResponse:
    log_access(request, "list", "report", "", "reports")
    return render(
        request,
        "web/reports.html",
        {"years": reports.reporting_years(), "formats": reports.ANNUAL_FORMATS},
    )


@role_required(*REPORT_READERS)
def annual_report_download(request: HttpRequest, year: str, fmt: str) -> HttpResponse:
    try:
        reporting_year = ReportingYear.parse(year)
    except ValueError:
        raise Http404("No such reporting year.") from None
    if not reporting_year_usable(reporting_year):
        raise Http404("No such reporting year.")
    if fmt not in reports.ANNUAL_FORMATS:
        raise Http404("No such format.")
    content, content_type = reports.annual_report(reporting_year, fmt, authority_config())
    log_access(request, "report", "annual_report", year, f"annual report {fmt}")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="cpqa-annual-report-{year}.{fmt}"'
    return response


def _lateness_request(request: HttpRequest, *, download: bool = False) -> reports.LatenessPeriod:
    day = _download_day(request) if download else _day(request)[0]
    period = request.GET.get("period", "week")
    if period not in reports.LATENESS_PERIODS:
        period = "week"
    return reports.LatenessPeriod.of(period, day)


@role_required(*REPORT_READERS)
def lateness_page(request: HttpRequest) -> HttpResponse:
    _, day_error = _day(request)
    period = _lateness_request(request)
    user: User = request.user
    children = visible_children(user) if may_see_children(user) else Child.objects.all()
    late = reports.lateness(period, children, authority_config())
    summary = reports.lateness_summary_table(late)
    detail: Table | None = None
    if may_see_children(user):
        detail = reports.lateness_detail_table(late)
    log_access(request, "report", "lateness", period.key, f"lateness {period.kind} page")
    return render(
        request,
        "web/lateness.html",
        {
            "period": period,
            "summary": summary,
            "detail": detail,
            "total": late.height,
            "day_error": day_error,
            "teams": sorted(user.teams.values_list("name", flat=True)) if user.role == Role.SOCIAL_WORK_MANAGER else [],
            "due_rules": (
                f"Initial conferences are due {timescales.ICPC_WORKING_DAYS} working days after the strategy "
                f"discussion; reviews {timescales.FIRST_REVIEW_MONTHS} months after the plan started, then every "
                f"{timescales.LATER_REVIEW_MONTHS} months."
            ),
            "csv_url": reverse("lateness_csv") + f"?period={period.kind}&on={period.start.isoformat()}",
        },
    )


@role_required(*REPORT_READERS)
def lateness_csv(request: HttpRequest) -> HttpResponse:
    period = _lateness_request(request, download=True)
    user: User = request.user
    children = visible_children(user) if may_see_children(user) else Child.objects.all()
    late = reports.lateness(period, children, authority_config())
    text = reports.lateness_csv(late, with_children=may_see_children(user))
    log_access(request, "export", "lateness", period.key, f"lateness {period.kind} csv rows {late.height}")
    return _csv_response(text, f"cpqa-lateness-{period.kind}-{period.start.isoformat()}.csv")


@role_required(Role.QA_MANAGER)
def annex_a_download(request: HttpRequest) -> HttpResponse:
    """Ofsted's Annex A lists 5 and 7 as at `?on=` (default today): child-level, so QA manager only."""
    import tempfile
    from pathlib import Path

    from cpqa.interop import annex_a
    from cpqa.record.cache import record_for

    day = _download_day(request)
    record = record_for()
    lists = {"List 5": annex_a.list_5(record, day), "List 7": annex_a.list_7(record, day)}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "annex-a.xlsx"
        annex_a.write_xlsx(lists, path)
        content = path.read_bytes()
    log_access(
        request, "export", "annex_a", day.isoformat(),
        f"annex A lists 5 ({lists['List 5'].height} rows) and 7 ({lists['List 7'].height} rows)",
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="cpqa-annex-a-{day.isoformat()}.xlsx"'
    return response


@role_required(Role.ADMINISTRATOR)
def access_log(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "")
    events = AccessEvent.objects.all()
    if action in dict(AccessEvent.ACTIONS):
        events = events.filter(action=action)
    else:
        action = ""
    log_access(request, "list", "access_log", "", f"access log {action or 'all'}")
    rows = [
        [
            timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M:%S"),
            event.username or "(signed out)",
            Role(event.role).label if event.role in Role.values else event.role,
            dict(AccessEvent.ACTIONS)[event.action],
            f"{event.object_type} {event.object_id}".strip(),
            event.detail,
        ]
        for event in events[:200]
    ]
    table = Table.of(
        "The latest 200 events, newest first",
        ["When", "User", "Role", "Action", "What", "Detail"],
        rows,
        empty_message="No events recorded.",
    )
    return render(request, "web/access_log.html", {"table": table, "actions": AccessEvent.ACTIONS, "action": action})
