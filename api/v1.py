"""Version 1 of the API for partner regions' systems.

Every endpoint reads through the selectors and permission helpers the pages use and
writes through the same services, so the API can never show or change more than the pages.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from pydantic import create_model

from accounts.models import Region
from mentorship import selectors as mentorship_selectors
from mentorship import services as mentorship_services
from mentorship.models import SessionLog
from notifications.channels import render_subject
from notifications.models import Notification
from notifications.services import notification_mark_read
from training import selectors as training_selectors
from training.imports import error_message, field_label
from training.models import Certificate, Cohort, CohortMembership, MembershipStatus, Programme
from training.permissions import can_manage_cohort, visible_region_ids
from training.services import enrolment_rows_import, membership_change

from . import schemas as s
from .auth import API_AUTH
from .pagination import paginate
from .problems import Problem, field_errors_from_pydantic, problem_response

logger = logging.getLogger(__name__)


class Utf8JSONRenderer(JSONRenderer):
    # Chinese names as text, not \\u escapes: half the size, and readable in a partner's logs.
    json_dumps_params = {"ensure_ascii": False}


class ProblemDocumentedAPI(NinjaAPI):
    """Error answers are documented with the media type they are served with, `application/problem+json`."""

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
    renderer=Utf8JSONRenderer(),
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

PROBLEM_RESPONSES = dict.fromkeys((400, 401, 403, 404, 422, 429), s.Problem)


def page_of(item, name: str):
    return create_model(name, __base__=s.Schema, results=(list[item], ...), next_cursor=(str | None, None))


# --- Errors ------------------------------------------------------------------------


@api.exception_handler(Problem)
def on_problem(request, exc: Problem):
    return problem_response(
        exc.status, exc.detail, errors=exc.errors, slug=exc.slug, headers=exc.headers, request=request
    )


@api.exception_handler(NinjaValidationError)
def on_invalid(request, exc: NinjaValidationError):
    errors = field_errors_from_pydantic(exc.errors)
    if any(error["code"] == "json_invalid" for error in errors):
        return problem_response(400, _("The body is not valid JSON."), errors=errors, slug="malformed", request=request)
    return problem_response(422, _("Some fields are not valid."), errors=errors, request=request)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return problem_response(
        401,
        _("Send a personal API token as “Authorization: Bearer <token>”."),
        request=request,
        headers={"WWW-Authenticate": 'Bearer realm="yingzi"'},
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if exc.status_code == 400:
        # Ninja's only 400 is a body it cannot parse.
        return problem_response(400, _("The body is not valid JSON."), slug="malformed", request=request)
    if exc.status_code == 403:
        return problem_response(
            403, _("The CSRF check failed. Send the X-CSRFToken header with the session."), slug="csrf", request=request
        )
    return problem_response(exc.status_code, str(exc), request=request)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return problem_response(404, _("Not found, or not visible to you."), request=request)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return problem_response(403, _("You may see this but not do this."), request=request)


@api.exception_handler(DjangoValidationError)
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


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    # A chunked body has no Content-Length for the middleware to check; Django stops reading it here.
    return problem_response(413, _("The request body is too large."), request=request)


@api.exception_handler(Exception)
def on_error(request, exc):
    logger.exception("API error on %s", request.path)
    return problem_response(500, _("Something went wrong on our side; nothing was changed."), request=request)


# --- Programmes and cohorts ---------------------------------------------------------

training = Router(tags=["training"])


def _cohort_out(cohort: Cohort) -> dict:
    return {
        "id": cohort.pk,
        "name": cohort.name,
        "name_en": cohort.name_en,
        "programme_id": cohort.programme_id,
        "programme_code": cohort.programme.code,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "status": cohort.status,
        "capacity": cohort.capacity,
    }


@training.get("/programmes/", response={200: page_of(s.ProgrammeOut, "ProgrammePage"), **PROBLEM_RESPONSES})
def programme_list(request, cursor: str | None = None, limit: int | None = None):
    """Programmes of the cohorts I may see."""
    visible = training_selectors.cohort_list_for_user(acting_user=request.user).values("programme_id")
    rows, following = paginate(Programme.objects.filter(pk__in=visible), cursor=cursor, limit=limit, scope="programmes")
    return {"results": [_programme_out(p) for p in rows], "next_cursor": following}


def _programme_out(programme: Programme) -> dict:
    return {
        "id": programme.pk,
        "code": programme.code,
        "title": programme.title,
        "title_en": programme.title_en,
        "kind": programme.kind,
        "credit_hours": programme.credit_hours,
    }


@training.get("/cohorts/", response={200: page_of(s.CohortOut, "CohortPage"), **PROBLEM_RESPONSES})
def cohort_list(
    request,
    status: str | None = None,
    region: str | None = None,
    starts_after: datetime.date | None = None,
    starts_before: datetime.date | None = None,
    cursor: str | None = None,
    limit: int | None = None,
):
    """Cohorts I belong to, coordinate or oversee; filter by status, region code and start date."""
    cohorts = training_selectors.cohort_list_for_user(acting_user=request.user)
    if status:
        cohorts = cohorts.filter(status=status)
    if region:
        cohorts = cohorts.filter(cohort_regions__region__code=region)
    if starts_after:
        cohorts = cohorts.filter(starts_on__gte=starts_after)
    if starts_before:
        cohorts = cohorts.filter(starts_on__lte=starts_before)
    rows, following = paginate(cohorts, cursor=cursor, limit=limit, scope="cohorts")
    return {"results": [_cohort_out(c) for c in rows], "next_cursor": following}


@training.get("/cohorts/{cohort_id}/", response={200: s.CohortOut, **PROBLEM_RESPONSES})
def cohort_detail(request, cohort_id: int):
    """One cohort I may see, or 404."""
    return _cohort_out(training_selectors.cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id))


@training.get(
    "/cohorts/{cohort_id}/schedule/", response={200: page_of(s.ScheduleItemOut, "SchedulePage"), **PROBLEM_RESPONSES}
)
def schedule(
    request,
    cohort_id: int,
    starts_after: datetime.date | None = None,
    starts_before: datetime.date | None = None,
    cursor: str | None = None,
    limit: int | None = None,
):
    """The cohort's plan as I may see it: everything for coordinators, my own items for members."""
    cohort = training_selectors.cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id)
    items = training_selectors.schedule_items_visible(acting_user=request.user, cohort=cohort)
    if starts_after:
        items = items.filter(starts_at__date__gte=starts_after)
    if starts_before:
        items = items.filter(starts_at__date__lte=starts_before)
    rows, following = paginate(items, cursor=cursor, limit=limit, scope=f"schedule:{cohort.pk}")
    return {
        "results": [
            {
                "id": item.pk,
                "cohort_id": item.cohort_id,
                "kind": item.kind,
                "title": item.title,
                "title_en": item.title_en,
                "starts_at": item.starts_at,
                "ends_at": item.ends_at,
                "location": item.location,
                "required": item.required,
                "cancelled": item.is_cancelled,
            }
            for item in rows
        ],
        "next_cursor": following,
    }


def _cohort_for_overseer(request, cohort_id: int) -> Cohort:
    """The members page's rule: coordinators, and regional admins for their region's people."""
    cohort = training_selectors.cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id)
    if not (can_manage_cohort(request.user, cohort) or visible_region_ids(request.user, cohort)):
        raise PermissionDenied
    return cohort


@training.get(
    "/cohorts/{cohort_id}/memberships/", response={200: page_of(s.MembershipOut, "MembershipPage"), **PROBLEM_RESPONSES}
)
def membership_list(
    request,
    cohort_id: int,
    role: str | None = None,
    status: str | None = None,
    region: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
):
    """People in a cohort as the members page shows them; filter by role, status and region code."""
    cohort = _cohort_for_overseer(request, cohort_id)
    region_id = None
    if region:
        region_id = Region.objects.filter(code=region).values_list("pk", flat=True).first() or -1
    memberships = training_selectors.membership_list_for_cohort(
        acting_user=request.user, cohort=cohort, role=role or "", status=status or "", region_id=region_id
    )
    rows, following = paginate(memberships, cursor=cursor, limit=limit, scope=f"memberships:{cohort.pk}")
    return {"results": [_membership_out(m) for m in rows], "next_cursor": following}


def _membership_out(membership: CohortMembership) -> dict:
    return {
        "id": membership.pk,
        "cohort_id": membership.cohort_id,
        "user_id": membership.user_id,
        "name": membership.user.get_full_name(),
        "email": membership.user.email,
        "role": membership.role,
        "status": membership.status,
        "region": membership.region.code if membership.region else None,
    }


def _membership_for_manager(request, membership_id: int) -> CohortMembership:
    """The membership page's rule: 404 outside the cohorts I see, 403 where I see but do not coordinate."""
    cohort_id = CohortMembership.objects.filter(pk=membership_id).values_list("cohort_id", flat=True).first()
    if cohort_id is None:
        raise Http404
    cohort = training_selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    return training_selectors.membership_get_for_manager(
        acting_user=request.user, cohort=cohort, membership_id=membership_id
    )


@training.patch("/memberships/{membership_id}/", response={200: s.MembershipOut, **PROBLEM_RESPONSES})
def membership_update(request, membership_id: int, payload: s.MembershipPatchIn):
    """Change someone's role, status or region as the coordinator's membership page does; every change is audited."""
    membership = _membership_for_manager(request, membership_id)
    region = None
    if payload.region:
        region = Region.objects.filter(cohort_quotas__cohort=membership.cohort, code=payload.region).first()
        if region is None:
            raise DjangoValidationError(
                {"region": DjangoValidationError(_("This region does not take part in the cohort."), code="region")}
            )
    membership = membership_change(
        membership=membership,
        acting_user=request.user,
        role=payload.role,
        status=payload.status,
        region=region,
        note=payload.note,
    )
    return _membership_out(membership)


@training.post("/memberships/{membership_id}/withdraw/", response={200: s.MembershipOut, **PROBLEM_RESPONSES})
def membership_withdraw(request, membership_id: int, payload: s.WithdrawIn | None = None):
    """Withdraw someone from the cohort: the membership stays, with its history, as “withdrawn”; never deleted."""
    membership = _membership_for_manager(request, membership_id)
    membership = membership_change(
        membership=membership,
        acting_user=request.user,
        status=MembershipStatus.WITHDRAWN,
        note=payload.note if payload else "",
    )
    return _membership_out(membership)


@training.post(
    "/cohorts/{cohort_id}/memberships/",
    response={201: s.BulkResultOut, **PROBLEM_RESPONSES},
)
def membership_bulk_create(request, cohort_id: int, payload: s.MembershipBulkIn):
    """Invite people in bulk with the file import's checks: every row is valid and all are invited, or none."""
    cohort = training_selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    created, errors = enrolment_rows_import(
        cohort=cohort, acting_user=request.user, rows=[row.model_dump() for row in payload.rows]
    )
    if errors:
        raise Problem(
            422,
            _("%(count)s rows are not valid; nobody was invited.") % {"count": len({e["row"] for e in errors})},
            errors=[
                {
                    # The import counts a header row; the API counts rows from 0.
                    "row": error["row"] - 2,
                    "field": f"rows.{error['row'] - 2}.{error['field']}",
                    "label": field_label(error["field"]),
                    "code": error["code"],
                    "message": error_message(error),
                }
                for error in errors
            ],
            slug="rows-invalid",
        )
    return Status(201, {"created": created})


@training.get("/cohorts/{cohort_id}/hours/", response={200: page_of(s.HoursRowOut, "HoursPage"), **PROBLEM_RESPONSES})
def hours_by_region(
    request,
    cohort_id: int,
    region: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    cursor: str | None = None,
    limit: int | None = None,
):
    """Credited hours of each trainee by source: the credit-bank export, as the CSV page gives it; dates inclusive."""
    cohort = _cohort_for_overseer(request, cohort_id)
    region_obj = Region.objects.filter(code=region).first() if region else None
    if region and region_obj is None:
        return {"results": [], "next_cursor": None}
    memberships = training_selectors.hours_memberships(
        acting_user=request.user, cohort=cohort, region_id=region_obj.pk if region_obj else None
    )
    page, following = paginate(memberships, cursor=cursor, limit=limit, scope=f"hours:{cohort.pk}")
    rows = training_selectors.hours_rows(cohort=cohort, memberships=page, date_from=date_from, date_to=date_to)
    return {
        "results": [
            {
                "membership_id": row["membership"].pk,
                "user_id": row["membership"].user_id,
                "name": row["membership"].user.get_full_name(),
                "email": row["membership"].user.email,
                "region": row["membership"].region.code if row["membership"].region else None,
                "by_source": row["by_source"],
                "total": row["total"],
                "certificate_code": row["certificate"].code if row["certificate"] else None,
            }
            for row in rows
        ],
        "next_cursor": following,
    }


@training.get(
    "/cohorts/{cohort_id}/people/{person_id}/hours/",
    response={200: page_of(s.HoursEntryOut, "HoursEntryPage"), **PROBLEM_RESPONSES},
)
def hours_ledger(
    request,
    cohort_id: int,
    person_id: int,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    cursor: str | None = None,
    limit: int | None = None,
):
    """One trainee's hours ledger in a cohort (mine, or someone the members page shows me), dates inclusive."""
    cohort = training_selectors.cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id)
    entries = training_selectors.hours_entries_for_person(
        acting_user=request.user, cohort=cohort, person_id=person_id, date_from=date_from, date_to=date_to
    )
    rows, following = paginate(entries, cursor=cursor, limit=limit, scope=f"ledger:{cohort.pk}:{person_id}")
    return {
        "results": [
            {
                "id": e.pk,
                "source": e.source,
                "hours": e.hours,
                "occurred_on": e.occurred_on,
                "corrects_id": e.corrects_id,
                "note": e.note,
            }
            for e in rows
        ],
        "next_cursor": following,
    }


# --- Certificates ---------------------------------------------------------------------


def _certificate_out(certificate: Certificate) -> dict:
    return {
        "code": certificate.code,
        "kind": certificate.kind,
        "holder_name": certificate.holder_name,
        "programme_title": certificate.programme_title,
        "cohort_name": certificate.cohort_name,
        "starts_on": certificate.starts_on,
        "ends_on": certificate.ends_on,
        "hours": certificate.hours,
        "issued_at": certificate.issued_at,
        "valid": certificate.revoked_at is None,
    }


@training.get("/certificates/verify/{code}/", auth=None, response={200: s.CertificateOut, **PROBLEM_RESPONSES})
def certificate_verify(request, code: str):
    """Public: what the verification page shows for a code, or 404."""
    certificate = training_selectors.certificate_get_by_code(code=code)
    if certificate is None:
        raise Http404
    return _certificate_out(certificate)


@training.get("/certificates/", response={200: page_of(s.CertificateOut, "CertificatePage"), **PROBLEM_RESPONSES})
def certificate_list_own(request, cursor: str | None = None, limit: int | None = None):
    """My own certificates."""
    rows, following = paginate(
        Certificate.objects.filter(membership__user=request.user), cursor=cursor, limit=limit, scope="certificates"
    )
    return {"results": [_certificate_out(c) for c in rows], "next_cursor": following}


# --- Mentorship --------------------------------------------------------------------------

mentorship = Router(tags=["mentorship"])


def _pairing_out(pairing) -> dict:
    return {
        "id": pairing.pk,
        "cohort_id": pairing.cohort_id,
        "trainee_id": pairing.trainee_id,
        "trainee_name": pairing.trainee.get_full_name(),
        "mentor_id": pairing.mentor_id,
        "mentor_name": pairing.mentor.get_full_name(),
        "status": pairing.status,
        "starts_on": pairing.starts_on,
        "ends_on": pairing.ends_on,
    }


@mentorship.get(
    "/cohorts/{cohort_id}/pairings/", response={200: page_of(s.PairingOut, "PairingPage"), **PROBLEM_RESPONSES}
)
def cohort_pairing_list(
    request, cohort_id: int, status: str | None = None, cursor: str | None = None, limit: int | None = None
):
    """A cohort's pairings, for its coordinators (the pairings page); everyone else 404."""
    cohort = mentorship_selectors.cohort_get_for_coordinator(acting_user=request.user, cohort_id=cohort_id)
    pairings = mentorship_selectors.cohort_pairing_list(cohort=cohort)
    if status:
        pairings = pairings.filter(status=status)
    rows, following = paginate(pairings, cursor=cursor, limit=limit, scope=f"pairings:{cohort.pk}")
    return {"results": [_pairing_out(p) for p in rows], "next_cursor": following}


@mentorship.get("/pairings/", response={200: page_of(s.PairingOut, "MyPairingPage"), **PROBLEM_RESPONSES})
def pairing_list(
    request, cohort: int | None = None, status: str | None = None, cursor: str | None = None, limit: int | None = None
):
    """Pairings I may see: mine as trainee or mentor, my cohorts' as coordinator, my region's as regional admin."""
    pairings = mentorship_selectors.pairing_list_for_user(acting_user=request.user)
    if cohort is not None:
        pairings = pairings.filter(cohort_id=cohort)
    if status:
        pairings = pairings.filter(status=status)
    rows, following = paginate(pairings, cursor=cursor, limit=limit, scope="my-pairings")
    return {"results": [_pairing_out(p) for p in rows], "next_cursor": following}


@mentorship.get("/pairings/{pairing_id}/", response={200: s.PairingOut, **PROBLEM_RESPONSES})
def pairing_detail(request, pairing_id: int):
    """A pairing I am part of or coordinate, or 404."""
    return _pairing_out(mentorship_selectors.pairing_get_for_user(acting_user=request.user, pairing_id=pairing_id))


def _log_out(log: SessionLog) -> dict:
    return {
        "id": log.pk,
        "pairing_id": log.pairing_id,
        "author_id": log.author_id,
        "occurred_on": log.occurred_on,
        "hours": log.hours,
        "kind": log.kind,
        "status": log.status,
    }


@mentorship.post("/pairings/{pairing_id}/session-logs/", response={201: s.SessionLogOut, **PROBLEM_RESPONSES})
def session_log_create(request, pairing_id: int, payload: s.SessionLogIn):
    """A party to the pairing logs a session; the other party is asked to confirm it."""
    pairing = mentorship_selectors.pairing_get_for_user(acting_user=request.user, pairing_id=pairing_id)
    log = mentorship_services.session_log_create(
        acting_user=request.user,
        pairing=pairing,
        occurred_on=payload.occurred_on,
        hours=payload.hours,
        kind=payload.kind,
        went_well=payload.went_well,
        challenges=payload.challenges,
    )
    return Status(201, _log_out(log))


@mentorship.patch("/session-logs/{log_id}/", response={200: s.SessionLogOut, **PROBLEM_RESPONSES})
def session_log_update(request, log_id: int, payload: s.SessionLogPatchIn):
    """The author corrects a log while it awaits confirmation, under the rules of a new log."""
    log = mentorship_selectors.session_log_get_for_user(acting_user=request.user, log_id=log_id)
    changes = {field: value for field, value in payload.model_dump(exclude_unset=True).items() if value is not None}
    return _log_out(mentorship_services.session_log_update(acting_user=request.user, session_log=log, changes=changes))


@mentorship.post("/session-logs/{log_id}/confirm/", response={200: s.SessionLogOut, **PROBLEM_RESPONSES})
def session_log_confirm(request, log_id: int):
    """The other party confirms a log; only then are its hours credited."""
    log = mentorship_selectors.session_log_get_for_user(acting_user=request.user, log_id=log_id)
    return _log_out(mentorship_services.session_log_confirm(acting_user=request.user, session_log=log))


@mentorship.post("/session-logs/{log_id}/dispute/", response={200: s.SessionLogOut, **PROBLEM_RESPONSES})
def session_log_dispute(request, log_id: int, payload: s.DisputeIn):
    """The other party disputes a log with a comment; the coordinators decide."""
    log = mentorship_selectors.session_log_get_for_user(acting_user=request.user, log_id=log_id)
    return _log_out(
        mentorship_services.session_log_dispute(acting_user=request.user, session_log=log, comment=payload.comment)
    )


# --- Notifications ---------------------------------------------------------------------------

notifications = Router(tags=["notifications"])


@notifications.get(
    "/notifications/", response={200: page_of(s.NotificationOut, "NotificationPage"), **PROBLEM_RESPONSES}
)
def notification_list(request, unread: bool = False, cursor: str | None = None, limit: int | None = None):
    """My notifications, newest first."""
    items = Notification.objects.for_inbox(request.user)
    if unread:
        items = items.unread()
    rows, following = paginate(items, cursor=cursor, limit=limit, scope="notifications", descending=True)
    return {
        "results": [
            {
                "id": n.pk,
                "kind": n.kind,
                "subject": render_subject(n),
                "url": n.url,
                "created_at": n.created_at,
                "read": n.read_at is not None,
            }
            for n in rows
        ],
        "next_cursor": following,
    }


@notifications.post("/notifications/{notification_id}/read/", response={200: s.ReadOut, **PROBLEM_RESPONSES})
def notification_read(request, notification_id: int):
    """Mark one of my notifications read; anyone else's is 404."""
    if not Notification.objects.filter(pk=notification_id, recipient=request.user).exists():
        raise Http404
    notification_mark_read(acting_user=request.user, notification_id=notification_id)
    return {"read": True}


api.add_router("/", training)
api.add_router("/", mentorship)
api.add_router("/", notifications)

from .v1_credits import router as credits_router  # noqa: E402  (the credit bank's operations, api/v1_credits.py)

api.add_router("/", credits_router)
