"""The error pages (400, 403, 404, 500, and a form sent after its session ended), in the GOV.UK
look, the same in every mode: they carry no data. Django's debug pages (which show the
record's tables, settings and every URL pattern) are never sent, even with CPQA_DEBUG=1; a
server error is logged by the exception's kind and where it happened, never its message or the
values on the stack, which may name a child.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template import loader

from cpqa.ui.addresses import BadAddress

logger = logging.getLogger("cpqa.errors")

# What each status's page is called; the template is `<status>.html`.
ERROR_STATUSES = (400, 403, 404, 500)


def error_page(request: HttpRequest | None, status: int, message: str = "") -> HttpResponse:
    """Our page for `status`. The 500 page is plain HTML with no template tags that could reach
    the database, which may be what failed."""
    template = loader.get_template(f"{status}.html")
    context = {"message": message} if status != 500 else {}
    body = template.render(context, request if status != 500 else None)
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    response.cpqa_error_page = True  # type: ignore[attr-defined]
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Only our own refusal's words are shown: Django's own (a bad host, a too-big upload) may
    # quote what was sent.
    message = str(exception.args[0]) if isinstance(exception, BadAddress) and exception.args else ""
    return error_page(request, 400, message)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token: usually a page left open past the sign-in's end."""
    return error_page(
        request, 403,
        "The form could not be sent, because the page was open too long or you signed out in "
        "another tab. Go back, reload the page and try again: what you typed was not saved.",
    )


def log_server_error(exception: BaseException, where: str) -> None:
    """The kind of failure and the code's own lines, without the message or any variable."""
    frames = traceback.extract_tb(exception.__traceback__)
    lines = [f"{f.filename.rsplit('/cpqa/', 1)[-1]}:{f.lineno} in {f.name}" for f in frames[-8:]]
    logger.error("server error %s in %s; %s", type(exception).__name__, where, " <- ".join(reversed(lines)))


class ErrorPagesMiddleware:
    """First in MIDDLEWARE: whatever answered with an error status that is not our page (Django's
    debug pages with CPQA_DEBUG=1, or an exception in a middleware), answer with ours instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in ERROR_STATUSES and not getattr(response, "cpqa_error_page", False):
            message = getattr(request, "cpqa_bad_address", "")
            return error_page(request, response.status_code, message if response.status_code == 400 else "")
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """A view's exception: keep a BadAddress's words for the 400 page; log a server error
        safely. Django then answers as usual (handler500, or its debug page, which __call__
        replaces), so the test client still raises the exception for the test to show."""
        if isinstance(exception, BadAddress):
            request.cpqa_bad_address = str(exception.args[0]) if exception.args else ""  # type: ignore[attr-defined]
            return
        from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
        from django.http import Http404

        if not isinstance(exception, (Http404, PermissionDenied, BadRequest, SuspiciousOperation)):
            match = getattr(request, "resolver_match", None)
            log_server_error(exception, match.view_name if match else "an unnamed view")
