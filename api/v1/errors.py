"""How every error of version 1 is answered: RFC 9457 problem details, in the reader's language.

The handlers are registered on the API in `api.v1`; `PROBLEM_RESPONSES` documents them on each operation.
"""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .. import schemas as s
from ..problems import Problem, field_errors_from_pydantic, problem_response

logger = logging.getLogger(__name__)


PROBLEM_RESPONSES = dict.fromkeys((400, 401, 403, 404, 422, 429), s.Problem)


def on_problem(request, exc: Problem):
    return problem_response(
        exc.status, exc.detail, errors=exc.errors, slug=exc.slug, headers=exc.headers, request=request
    )


def on_invalid(request, exc: NinjaValidationError):
    errors = field_errors_from_pydantic(exc.errors)
    if any(error["code"] == "json_invalid" for error in errors):
        return problem_response(400, _("The body is not valid JSON."), errors=errors, slug="malformed", request=request)
    return problem_response(422, _("Some fields are not valid."), errors=errors, request=request)


def on_unauthenticated(request, exc):
    return problem_response(
        401,
        _("Send a personal API token as “Authorization: Bearer <token>”."),
        request=request,
        headers={"WWW-Authenticate": 'Bearer realm="yingzi"'},
    )


def on_http_error(request, exc: HttpError):
    if exc.status_code == 400:
        # Ninja's only 400 is a body it cannot parse.
        return problem_response(400, _("The body is not valid JSON."), slug="malformed", request=request)
    if exc.status_code == 403:
        return problem_response(
            403, _("The CSRF check failed. Send the X-CSRFToken header with the session."), slug="csrf", request=request
        )
    return problem_response(exc.status_code, str(exc), request=request)


def on_not_found(request, exc):
    return problem_response(404, _("Not found, or not visible to you."), request=request)


def on_forbidden(request, exc):
    return problem_response(403, _("You may see this but not do this."), request=request)


def on_django_invalid(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field if field != "__all__" else None, "code": error.code or "invalid", "message": message}
            for field, error_list in exc.error_dict.items()
            for error in error_list
            for message in error.messages
        ]
    else:
        errors = [
            {"field": None, "code": error.code or "invalid", "message": message}
            for error in exc.error_list
            for message in error.messages
        ]
    return problem_response(422, errors[0]["message"] if errors else "", errors=errors, request=request)


def on_too_big(request, exc):
    # A chunked body has no Content-Length for the middleware to check; Django stops reading it here.
    return problem_response(413, _("The request body is too large."), request=request)


def on_error(request, exc):
    logger.exception("API error on %s", request.path)
    return problem_response(500, _("Something went wrong on our side; nothing was changed."), request=request)
