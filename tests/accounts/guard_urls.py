"""A URL configuration for the access tests: one guarded view, one a developer forgot to guard."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from cpqa.accounts.access import role_required
from cpqa.accounts.models import Role
from cpqa.record.access import access_child


@role_required(Role.QA_MANAGER)
def qa_only(request: HttpRequest) -> HttpResponse:
    return HttpResponse("qa only")


def forgotten(request: HttpRequest) -> HttpResponse:
    return HttpResponse("this should never be served")


@role_required(*Role.values)
def child_page(request: HttpRequest, pk: int) -> HttpResponse:
    child = access_child(request, pk)
    return HttpResponse(f"child {child.pk}")


urlpatterns = [
    path("", include("cpqa.web.urls")),
    path("qa-only/", qa_only, name="qa_only"),
    path("forgotten/", forgotten, name="forgotten"),
    path("child/<int:pk>/", child_page, name="test_child_page"),
]
