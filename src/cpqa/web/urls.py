"""The shell's pages: sign-in, sign-out, Today, Reports, the access log.

ACCESS is the expectation table the URL-by-role test walks (cpqa.accounts.access.Expect);
NAVIGATION is what this app adds to the header (cpqa.web.navigation.NavItem).
"""

from django.urls import path

from cpqa.accounts.access import ALL_ROLES, PUBLIC_EXPECT, expect
from cpqa.accounts.models import Role
from cpqa.web import views
from cpqa.web.navigation import NavItem

urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("", views.today_page, name="today"),
    path("today/<slug:key>.csv", views.today_csv, name="today_csv"),
    path("reports/", views.reports_page, name="reports"),
    path("reports/annual/<str:year>.<slug:fmt>", views.annual_report_download, name="annual_report"),
    path("reports/lateness/", views.lateness_page, name="lateness"),
    path("reports/lateness.csv", views.lateness_csv, name="lateness_csv"),
    path("reports/annex-a.xlsx", views.annex_a_download, name="annex_a"),
    path("access-log/", views.access_log, name="access_log"),
]

_QA_LISTS = {Role.QA_MANAGER, Role.SOCIAL_WORK_MANAGER}

ACCESS = {
    "login": PUBLIC_EXPECT,
    "logout": expect(ALL_ROLES, method="post"),
    "today": expect(ALL_ROLES),
    # The sample list is the QA manager's; other child-level roles have lists of their own.
    "today_csv": expect(_QA_LISTS, sample={"key": "awaiting-icpc"}),
    "reports": expect(views.REPORT_ROLES),
    "annual_report": expect(views.REPORT_ROLES, sample={"year": "2023-24", "fmt": "json"}),
    "lateness": expect(views.REPORT_ROLES),
    "lateness_csv": expect(views.REPORT_ROLES),
    "annex_a": expect({Role.QA_MANAGER}),
    "access_log": expect({Role.ADMINISTRATOR}),
}

NAVIGATION = [
    NavItem("Today", "today", ALL_ROLES),
    NavItem("Reports", "reports", views.REPORT_ROLES, frozenset({"lateness"})),
    NavItem("Access log", "access_log", frozenset({Role.ADMINISTRATOR})),
]
