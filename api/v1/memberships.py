"""A cohort's people as the members page shows them, and the coordinator's changes and bulk invitations."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from accounts.audit import audit_personal_data_export
from accounts.models import Region
from training import selectors as training_selectors
from training.imports import error_message, field_label
from training.models import CohortMembership, MembershipStatus
from training.services.imports import enrolment_rows_import
from training.services.memberships import membership_change

from .. import schemas as s
from ..pagination import page_of, paginate
from ..problems import Problem
from .errors import PROBLEM_RESPONSES

router = Router(tags=["training"])


@router.get(
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
    cohort = training_selectors.cohort_get_for_overseer(acting_user=request.user, cohort_id=cohort_id)
    region_id = None
    if region:
        region_id = Region.objects.filter(code=region).values_list("pk", flat=True).first() or -1
    memberships = training_selectors.membership_list_for_cohort(
        acting_user=request.user, cohort=cohort, role=role or "", status=status or "", region_id=region_id
    )
    rows, following = paginate(memberships, cursor=cursor, limit=limit, scope=f"memberships:{cohort.pk}")
    audit_personal_data_export(request=request, instance=cohort, export="api.memberships", fmt="json", rows=len(rows))
    return {"results": [_membership_out(m) for m in rows], "next_cursor": following}


def _membership_out(membership: CohortMembership) -> dict:
    return {
        "id": membership.pk,
        "cohort_id": membership.cohort_id,
        "user_id": membership.user_id,
        # Until an invited person accepts: what the inviter typed, not the account's real name.
        "name": membership.shown_name,
        "email": membership.shown_email,
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


@router.patch("/memberships/{membership_id}/", response={200: s.MembershipOut, **PROBLEM_RESPONSES})
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


@router.post("/memberships/{membership_id}/withdraw/", response={200: s.MembershipOut, **PROBLEM_RESPONSES})
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


@router.post(
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
