"""The credit bank's URLs: a person's transcript, its public check, signed credentials, and the API."""

from tests.factories.training import training_world as tw
from tests.quality.url_access import Access, everyone_signed_in, only

PUBLIC = {
    # The public keys that verify signed credentials: no personal data.
    "credits-jwks": (lambda w: "/.well-known/jwks.json", 200),
}

PUBLIC_WITH_TOKEN = {
    "credits:transcript-verify": (
        "needs the secret address the holder shares; a wrong, renewed or turned-off one shows a clear page "
        "(tests/credits/test_views.py)"
    ),
}


def prepare(world) -> None:
    """The trainee's (Anhui) certificate, hosted in Shanghai: one record waiting in Anhui's queue."""

    from credits.services import records_from_certificates

    certificate = tw(world).certificate
    certificate.host_regions = [{"name": world.region_a.name, "name_en": world.region_a.name_en}]
    certificate.save(update_fields=["host_regions"])
    records_from_certificates(certificates=[certificate])
    world.credit_record = _record_of(certificate)
    world.pending_recognition = world.credit_record.recognitions.filter(status="pending").first()
    assert world.pending_recognition is not None


def _record_of(certificate):
    from django.contrib.contenttypes.models import ContentType

    from credits.models import CreditRecord

    return CreditRecord.objects.get(
        source_type=ContentType.objects.get_for_model(certificate), source_id=certificate.pk, corrects=None
    )


def api_only(allowed: dict[str, int], otherwise: int = 404) -> dict[str, int]:
    return only(allowed, otherwise=otherwise, anonymous=401)


OFFICE = {"regional_admin": 200, "staff": 200}
# Roles run in order on one world: Anhui's office decides first; staff then find it decided (422, nothing changes).
DECIDES = {"regional_admin": 200, "staff": 422}

MATRIX = {
    "credits:transcript": Access(path=lambda w: "/credits/", expect=everyone_signed_in()),
    "credits:transcript-pdf": Access(path=lambda w: "/credits/transcript.pdf", expect=everyone_signed_in()),
    "credits:transcript-credential": Access(path=lambda w: "/credits/transcript.vc.json", expect=everyone_signed_in()),
    "credits:transcript-share": Access(
        path=lambda w: "/credits/share/",
        method="post",
        data=lambda w: {"action": "renew"},
        expect=everyone_signed_in(302),
    ),
    # As the certificate's PDF: the holder, the cohort's coordinators and the holder's regional office.
    "credits:certificate-credential": Access(
        path=lambda w: f"/credits/certificates/{tw(w).certificate.pk}/credential.json",
        expect=only({"trainee": 200, "coordinator": 200, "regional_admin": 200, "staff": 200}, otherwise=404),
    ),
    "api-v1:credit_record_list": Access(
        path=lambda w: f"/api/v1/people/{w.trainee.pk}/credit-records/",
        expect=api_only({"trainee": 200, **OFFICE}),
    ),
    "api-v1:recognition_queue": Access(
        path=lambda w: "/api/v1/regions/ah/recognition-queue/", expect=api_only(OFFICE), secret=lambda w: "学员甲"
    ),
    "api-v1:recognition_recognise": Access(
        path=lambda w: f"/api/v1/recognitions/{w.pending_recognition.pk}/recognise/",
        method="post",
        expect=api_only(DECIDES),
    ),
    "api-v1:recognition_refuse": Access(
        path=lambda w: f"/api/v1/recognitions/{w.pending_recognition.pk}/refuse/",
        method="post",
        json=True,
        data=lambda w: {"reason": "未经备案"},
        expect=api_only(DECIDES),
    ),
    # Unknown or other regions' ids are 404 for everyone but the office that owns the queue.
    "api-v1:recognition_decide_many": Access(
        path=lambda w: "/api/v1/recognitions/decisions/",
        method="post",
        json=True,
        data=lambda w: {"ids": [w.pending_recognition.pk], "decision": "recognise"},
        expect=api_only(DECIDES),
    ),
    "api-v1:region_indicators": Access(path=lambda w: "/api/v1/regions/ah/indicators/", expect=api_only(OFFICE)),
}
