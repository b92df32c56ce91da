"""The shell's pages: sign-in, sign-out, Today, Reports, the access log.

ACCESS is the expectation table the URL-by-role test walks (cpqa.accounts.access.Expect);
NAVIGATION is what this app adds to the header (cpqa.ui.navigation.NavItem).
"""

from django.urls import path

from cpqa.accounts.access import PUBLIC_EXPECT, Sample, expect
from cpqa.accounts.models import Role
from cpqa.accounts.roles import (
    ALL_ROLES,
    CHILD_ROLES,
    CONFERENCE_BOOKERS,
    CONFERENCE_READERS,
    QA_LIST_READERS,
    REPORT_READERS,
)
from cpqa.ui.navigation import HeaderSearch, NavItem
from cpqa.web import access_log, child_pages, configuration, diary, search, views

urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("", views.today_page, name="today"),
    path("today/<slug:key>.csv", views.today_csv, name="today_csv"),
    path("today/conferences/<int:pk>/sent/", views.today_record_sent, name="today_record_sent"),
    path("reports/", views.reports_page, name="reports"),
    path("reports/annual/<str:year>.<slug:fmt>", views.annual_report_download, name="annual_report"),
    path("reports/lateness/", views.lateness_page, name="lateness"),
    path("reports/lateness.csv", views.lateness_csv, name="lateness_csv"),
    path("reports/annex-a.xlsx", views.annex_a_download, name="annex_a"),
    path("access-log/", access_log.access_log, name="access_log"),
    path("access-log.csv", access_log.access_log_csv, name="access_log_csv"),
    path("configuration/", configuration.configuration, name="configuration"),
    path("configuration/closure-days/add/", configuration.closure_day_add, name="closure_day_add"),
    path("configuration/closure-days/remove/", configuration.closure_day_remove, name="closure_day_remove"),
    path("children/<int:pk>/", child_pages.child_detail, name="child_detail"),
    path("families/<int:pk>/", child_pages.family_detail, name="family_detail"),
    path("search/", search.search, name="search"),
    path("diary/", diary.diary, name="diary"),
]

ACCESS = {
    "login": PUBLIC_EXPECT,
    "logout": expect(ALL_ROLES, method="post"),
    "today": expect(ALL_ROLES),
    # The sample list is the QA manager's; other child-level roles have lists of their own.
    "today_csv": expect(QA_LIST_READERS, sample={"key": "awaiting_initial_conference"}),
    "today_record_sent": expect(CONFERENCE_BOOKERS, {"pk": Sample("conference")}, method="post"),
    "reports": expect(REPORT_READERS),
    "annual_report": expect(REPORT_READERS, sample={"year": "2023-24", "fmt": "json"}),
    "lateness": expect(REPORT_READERS),
    "lateness_csv": expect(REPORT_READERS),
    "annex_a": expect({Role.QA_MANAGER}),
    "access_log": expect({Role.ADMINISTRATOR}),
    "access_log_csv": expect({Role.ADMINISTRATOR}),
    "configuration": expect({Role.ADMINISTRATOR}),
    "closure_day_add": expect({Role.ADMINISTRATOR}, method="post"),
    "closure_day_remove": expect({Role.ADMINISTRATOR}, method="post"),
    # The sample child is in the social work manager's team, so all four child-level roles see it.
    "child_detail": expect(CHILD_ROLES, {"pk": Sample("child")}),
    "family_detail": expect(CHILD_ROLES, {"pk": Sample("family")}),
    # GET shows the box; the results come from a POST (the term is never in the address).
    "search": expect(CHILD_ROLES),
    "diary": expect(CONFERENCE_READERS),
}

NAVIGATION = [
    NavItem("Today", "today", ALL_ROLES),
    NavItem("Diary", "diary", CONFERENCE_READERS),
    NavItem("Reports", "reports", REPORT_READERS, frozenset({"lateness"})),
    NavItem("Access log", "access_log", frozenset({Role.ADMINISTRATOR})),
    NavItem("Configuration", "configuration", frozenset({Role.ADMINISTRATOR})),
]

# The search box in the header, for the roles that may look children up.
HEADER_SEARCH = HeaderSearch("search", CHILD_ROLES, "Search for a child, family or conference")
