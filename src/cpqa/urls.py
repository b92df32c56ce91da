"""URL configuration: every view is in cpqa.web and needs sign-in (LoginRequiredMiddleware)."""

from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("cpqa.web.urls")),
    path("", include("cpqa.record.urls")),
    path("conferences/", include("cpqa.conferences.urls")),
    path("oversight/", include("cpqa.oversight.urls")),
]

# Our pages for errors, in the GOV.UK look and with no data (cpqa.web.errors).
handler400 = "cpqa.web.errors.bad_request"
handler403 = "cpqa.web.errors.permission_denied"
handler404 = "cpqa.web.errors.page_not_found"
handler500 = "cpqa.web.errors.server_error"

# Sign-in: the second factor, password change and reset, the accounts page; single sign-on
# with the council's identity provider only when it is configured (CPQA_OIDC_CLIENT_ID).
urlpatterns += [path("", include("cpqa.web.sign_in_urls"))]
SIGN_ON_URLS = [path("sign-in/council/", include("cpqa.web.sign_on_urls"))]
if settings.CPQA_OIDC_ENABLED:
    urlpatterns += SIGN_ON_URLS
