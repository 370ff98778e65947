"""Certificates: the public check by code, and my own."""

from django.http import Http404
from ninja import Router

from training import selectors as training_selectors
from training.models import Certificate

from .. import schemas as s
from ..pagination import page_of, paginate
from .errors import PROBLEM_RESPONSES

router = Router(tags=["training"])


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


@router.get("/certificates/verify/{code}/", auth=None, response={200: s.CertificateOut, **PROBLEM_RESPONSES})
def certificate_verify(request, code: str):
    """Public: what the verification page shows for a code, or 404."""
    certificate = training_selectors.certificate_get_by_code(code=code)
    if certificate is None:
        raise Http404
    return _certificate_out(certificate)


@router.get("/certificates/", response={200: page_of(s.CertificateOut, "CertificatePage"), **PROBLEM_RESPONSES})
def certificate_list_own(request, cursor: str | None = None, limit: int | None = None):
    """My own certificates."""
    rows, following = paginate(
        Certificate.objects.filter(membership__user=request.user), cursor=cursor, limit=limit, scope="certificates"
    )
    return {"results": [_certificate_out(c) for c in rows], "next_cursor": following}
