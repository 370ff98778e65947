"""Version 1 of the API for partner regions' systems, assembled from one router per concept.

Every endpoint reads through the selectors and permission helpers the pages use and
writes through the same services, so the API can never show or change more than the pages.
URL names are the operations' function names (`api-v1:<operation>`); operation ids keep
the `api_v1_<operation>` form they had when version 1 was one module.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ..auth import API_AUTH
from ..problems import Problem
from ..rendering import RENDERER
from . import (
    certificates,
    cohorts,
    credits,
    errors,
    hours,
    memberships,
    notifications,
    pairings,
    schedule,
    session_logs,
)


class ProblemDocumentedAPI(NinjaAPI):
    """Error answers are documented with the media type they are served with, `application/problem+json`."""

    def get_openapi_operation_id(self, operation) -> str:
        # Partners' generated clients name methods after these ids: they must not follow the module layout.
        return f"api_v1_{operation.view_func.__name__}"

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status).startswith(("4", "5")) and "application/json" in content:
                        content["application/problem+json"] = content.pop("application/json")
        return schema


api = ProblemDocumentedAPI(
    renderer=RENDERER,
    title="Yingzi API",
    version="1",
    description=(
        "Read cohorts, pairings, hours and certificates; push enrolments. Authenticate with a personal token "
        "(`Authorization: Bearer yz_…`) created on your account page. Errors are RFC 9457 problem details."
    ),
    auth=API_AUTH,
    urls_namespace="api-v1",
    openapi_url="/schema/",
    docs_url="/docs/",
)

for exception, handler in [
    (Problem, errors.on_problem),
    (NinjaValidationError, errors.on_invalid),
    (AuthenticationError, errors.on_unauthenticated),
    (HttpError, errors.on_http_error),
    (Http404, errors.on_not_found),
    (PermissionDenied, errors.on_forbidden),
    (DjangoValidationError, errors.on_django_invalid),
    (RequestDataTooBig, errors.on_too_big),
    (Exception, errors.on_error),
]:
    api.add_exception_handler(exception, handler)

for concept in (cohorts, schedule, memberships, hours, certificates, pairings, session_logs, notifications, credits):
    api.add_router("/", concept.router)
