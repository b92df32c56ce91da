"""Single sign-on with the council's identity provider, included only when it is configured
(CPQA_OIDC_CLIENT_ID; cpqa.urls). The callback's address is what the council registers."""

from django.urls import path

from cpqa.accounts.access import PUBLIC_EXPECT, Expect
from cpqa.web import sign_in_pages

urlpatterns = [
    path("start/", sign_in_pages.sign_on_start, name="oidc_authentication_init"),
    path("callback/", sign_in_pages.sign_on_callback, name="oidc_authentication_callback"),
]

# Both answer a redirect, never a page: to the provider, or back to sign-in without a code.
_REDIRECT = Expect(allowed=PUBLIC_EXPECT.allowed, public=True)
ACCESS = {"oidc_authentication_init": _REDIRECT, "oidc_authentication_callback": _REDIRECT}
