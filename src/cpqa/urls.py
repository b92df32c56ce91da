"""URL configuration: every view is in cpqa.web and needs sign-in (LoginRequiredMiddleware)."""

from django.urls import include, path

urlpatterns = [
    path("", include("cpqa.web.urls")),
    path("", include("cpqa.record.urls")),
    path("conferences/", include("cpqa.conferences.urls")),
    path("oversight/", include("cpqa.oversight.urls")),
]
