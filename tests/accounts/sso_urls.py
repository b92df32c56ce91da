"""The service's URLs with single sign-on on, as cpqa.urls has them when CPQA_OIDC_CLIENT_ID is set
(its urlpatterns are read once at start-up, so the tests that turn sign-on on use this)."""

from cpqa.urls import SIGN_ON_URLS
from cpqa.urls import urlpatterns as service_urlpatterns

urlpatterns = [*service_urlpatterns, *SIGN_ON_URLS]
