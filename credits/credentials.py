"""Signed, verifiable credentials: Open Badges 3.0 in the W3C Verifiable Credentials 2.0 data model.

Each certificate and each transcript can be downloaded as an `OpenBadgeCredential`
secured with JOSE (VC-JOSE-COSE): the credential is the payload of a compact JWS
(`typ: vc+jwt`, `cty: vc`) signed with the platform's Ed25519 key (algorithm
`Ed25519`, RFC 9864), wrapped in an `EnvelopedVerifiableCredential`. The JWS is
made and checked with joserfc. Anyone verifies it offline with the public keys
published at `/.well-known/jwks.json` (`manage.py verify_credential`); a changed
byte fails.

Keys and rotation: `CREDENTIALS_SIGNING_KEYS` holds private JWKs (from the
environment variable `YINGZI_CREDENTIAL_KEYS`, a JSON list); the first signs, all
are published. To rotate, put a new key (`manage.py credential_key_new`) first and
keep the old one after it; once it no longer signs, move its public half to
`CREDENTIALS_RETIRED_KEYS` (`YINGZI_CREDENTIAL_RETIRED_KEYS`) so that credentials
it signed still verify. Each key's `kid` is its RFC 7638 thumbprint. Without
configured keys (development, tests) one key is derived from `SECRET_KEY`.
"""

import hashlib
import json
import secrets
import uuid
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OKPKey

ALGORITHM = "Ed25519"
MEDIA_TYPE = "vc+jwt"
CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


class CredentialInvalid(Exception):
    """A credential that does not verify; the message says why in the reader's language."""


def _derived_key() -> OKPKey:
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"yingzi-credentials", info=b"ed25519 signing key").derive(
        settings.SECRET_KEY.encode()
    )
    return OKPKey.import_key(Ed25519PrivateKey.from_private_bytes(seed))


@lru_cache(maxsize=4)
def _keys(configured: str, retired: str, secret: str) -> tuple[list[OKPKey], list[OKPKey]]:
    signing = [OKPKey.import_key(key) for key in json.loads(configured)] or [_derived_key()]
    return signing, [OKPKey.import_key(key) for key in json.loads(retired)]


def signing_keys() -> tuple[list[OKPKey], list[OKPKey]]:
    return _keys(
        json.dumps(getattr(settings, "CREDENTIALS_SIGNING_KEYS", [])),
        json.dumps(getattr(settings, "CREDENTIALS_RETIRED_KEYS", [])),
        settings.SECRET_KEY,
    )


def public_jwks() -> dict:
    """Every public key that verifies the platform's credentials, signing key first."""
    signing, retired = signing_keys()
    keys = []
    for key in [*signing, *retired]:
        public = key.as_dict(private=False)
        public.update({"kid": key.thumbprint(), "alg": ALGORITHM, "use": "sig"})
        keys.append(public)
    return {"keys": keys}


@require_GET
def jwks_view(request):
    response = JsonResponse(public_jwks())
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def sign(credential: dict) -> str:
    """The credential as a compact JWS signed with the current key."""
    key = signing_keys()[0][0]
    header = {"alg": ALGORITHM, "typ": MEDIA_TYPE, "cty": "vc", "kid": key.thumbprint()}
    payload = json.dumps(credential, ensure_ascii=False, separators=(",", ":")).encode()
    return jws.serialize_compact(header, payload, key, algorithms=[ALGORITHM])


def enveloped(token: str) -> dict:
    """The VC 2.0 wrapper a wallet or verifier reads: the JWS as a data: URL."""
    return {
        "@context": CONTEXTS[:1],
        "id": f"data:application/{MEDIA_TYPE},{token}",
        "type": "EnvelopedVerifiableCredential",
    }


def token_from(document: str) -> str:
    """The compact JWS in a downloaded file: the enveloped JSON or the bare JWS."""
    text = document.strip()
    if text.startswith("{"):
        try:
            value = json.loads(text)["id"]
        except (ValueError, KeyError, TypeError):
            raise CredentialInvalid(_("This file is not a Yingzi credential.")) from None
        prefix = f"data:application/{MEDIA_TYPE},"
        if not isinstance(value, str) or not value.startswith(prefix):
            raise CredentialInvalid(_("This file is not a Yingzi credential."))
        return value[len(prefix) :]
    return text


def verify(document: str, *, jwks: dict | None = None) -> dict:
    """The credential inside a signed document, if its signature holds under these public keys (default: ours)."""
    token = token_from(document)
    keys = KeySet.import_key_set(jwks or public_jwks())
    try:
        result = jws.deserialize_compact(token, keys, algorithms=[ALGORITHM])
        header = result.headers()
        credential = json.loads(result.payload)
    except (JoseError, ValueError, TypeError, UnicodeDecodeError):
        raise CredentialInvalid(
            _("The signature does not match: the credential was changed after it was signed, or not signed by Yingzi.")
        ) from None
    if header.get("typ") != MEDIA_TYPE or "VerifiableCredential" not in credential.get("type", []):
        raise CredentialInvalid(_("This file is not a Yingzi credential."))
    return credential


# --- What the credentials say ----------------------------------------------------------------


def _base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def _issuer() -> dict:
    return {
        "id": f"{_base_url()}/",
        "type": ["Profile"],
        "name": "影子 Yingzi · 长三角教师联合培训平台 Yangtze River Delta joint teacher training",
        "url": f"{_base_url()}/",
    }


def _identifier(email: str) -> list[dict]:
    """The holder named by a salted hash of their e-mail address, not the address itself."""
    salt = secrets.token_hex(8)
    digest = hashlib.sha256((email.lower() + salt).encode()).hexdigest()
    return [
        {
            "type": "IdentityObject",
            "identityHash": f"sha256${digest}",
            "identityType": "emailAddress",
            "hashed": True,
            "salt": salt,
        }
    ]


def _number(value) -> float:
    return float(value)


def certificate_credential(certificate) -> str:
    """A certificate as a signed Open Badges 3.0 credential."""
    from training.certificates import verification_url

    url = verification_url(certificate)
    kind = "带教证书 Certificate of hosting" if certificate.is_hosting else "结业证书 Certificate of completion"
    title = certificate.programme_title
    if certificate.programme_title_en:
        title = f"{title} / {certificate.programme_title_en}"
    holder = certificate.holder or certificate.membership.user
    credential = {
        "@context": CONTEXTS,
        "id": url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": _issuer(),
        "validFrom": certificate.issued_at.isoformat(),
        "name": f"{kind} · {title}",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": _identifier(holder.email),
            "name": certificate.holder_name,
            "activityStartDate": f"{certificate.starts_on.isoformat()}T00:00:00+08:00",
            "activityEndDate": f"{certificate.ends_on.isoformat()}T23:59:59+08:00",
            "achievement": {
                "id": f"{url}#achievement",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": title,
                "description": f"{certificate.cohort_name}（{certificate.cohort_name_en or certificate.cohort_name}）",
                "criteria": {
                    "narrative": (
                        f"完成全部研修要求，累计 {certificate.hours} 学时。"
                        f" Met every requirement of the programme: {certificate.hours} training hours."
                    )
                },
                "fieldOfStudy": "Teacher and principal professional development",
            },
            "result": [{"type": ["Result"], "value": str(certificate.hours)}],
            "licenseNumber": certificate.code,
        },
        "evidence": [
            {
                "type": ["Evidence"],
                "name": "地区 Regions",
                "description": json.dumps(
                    {
                        "home": certificate.home_region,
                        "host": [r.get("name") for r in certificate.host_regions],
                        "issuing": [r.get("name") for r in certificate.issuing_regions],
                    },
                    ensure_ascii=False,
                ),
            }
        ],
    }
    if certificate.revoked_at:
        credential["validUntil"] = certificate.revoked_at.isoformat()
    return sign(credential)


def transcript_credential(transcript) -> str:
    """A person's transcript as a signed Open Badges 3.0 credential, each record as evidence."""
    person = transcript.person
    home = transcript.home_region
    evidence = []
    for record in transcript.records:
        decisions = "；".join(
            f"{region.name}：{record.by_region[region.pk].get_status_display()} {record.by_region[region.pk].credits}"
            for region in transcript.regions
            if region.pk in record.by_region
        )
        evidence.append(
            {
                "type": ["Evidence"],
                "name": record.title + (f" / {record.title_en}" if record.title_en else ""),
                "description": (
                    f"{record.occurred_on.isoformat()} · {record.hours} 学时 hours · {record.credits} 学分 credits · "
                    f"{record.issuing_region.name} · {decisions}"
                ),
            }
        )
    credential = {
        "@context": CONTEXTS,
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": _issuer(),
        "validFrom": timezone.now().replace(microsecond=0).isoformat(),
        "name": f"学分证明 Credit transcript · {person.get_full_name()}",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": _identifier(person.email),
            "name": person.get_full_name(),
            "creditsEarned": _number(transcript.credits_total),
            "achievement": {
                "id": f"{_base_url()}/credits/#transcript",
                "type": ["Achievement"],
                "achievementType": "ext:CreditTranscript",
                "name": "学分证明 Credit transcript",
                "description": (
                    f"{home.name if home else ''} 认定学分 {transcript.credits_total}，累计学时 {transcript.hours_total}。"
                    f" Credits counted by the home region: {transcript.credits_total};"
                    f" hours: {transcript.hours_total}."
                ),
                "criteria": {"narrative": "长三角学分互认 Yangtze River Delta credit mutual recognition"},
            },
        },
        "evidence": evidence,
    }
    return sign(credential)
