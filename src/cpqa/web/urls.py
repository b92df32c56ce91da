"""The shell's pages: sign-in, sign-out, Today, Reports, the access log.

ACCESS is the expectation table the URL-by-role test walks (cpqa.accounts.access.Expect);
NAVIGATION is what this app adds to the header (cpqa.web.navigation.NavItem).
"""

from django.urls import path

from cpqa.accounts.access import ALL_ROLES, PUBLIC_EXPECT, expect
from cpqa.web import views
from cpqa.web.navigation import NavItem

urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("", views.today, name="today"),
]

ACCESS = {
    "login": PUBLIC_EXPECT,
    "logout": expect(ALL_ROLES, method="post"),
    "today": expect(ALL_ROLES),
}

NAVIGATION = [
    NavItem("Today", "today", ALL_ROLES),
]
