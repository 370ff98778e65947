"""Check a downloaded Yingzi credential offline: `manage.py verify_credential FILE [--jwks KEYS.json]`.

FILE is the `.vc.json` a person downloaded (or the bare JWS). Without `--jwks` the
platform's own public keys are used; with it, the keys saved from
`/.well-known/jwks.json`, so that a partner region verifies with no connection to
the platform. Exit status 0 and a summary when the signature holds; 1 and the
reason when it does not (a changed byte fails).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from credits.credentials import CredentialInvalid, verify


class Command(BaseCommand):
    help = "Verify a signed Yingzi credential (Open Badges 3.0, VC-JOSE) offline."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the downloaded credential (.vc.json) or a compact JWS")
        parser.add_argument("--jwks", help="public keys saved from /.well-known/jwks.json (default: this platform's)")

    def handle(self, *args, path, jwks=None, **options):
        try:
            document = Path(path).read_text(encoding="utf-8")
            keys = json.loads(Path(jwks).read_text(encoding="utf-8")) if jwks else None
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        try:
            credential = verify(document, jwks=keys)
        except CredentialInvalid as error:
            raise CommandError(str(error)) from None
        subject = credential.get("credentialSubject", {})
        self.stdout.write(self.style.SUCCESS("OK: the signature holds."))
        self.stdout.write(f"{credential.get('name', '')}")
        self.stdout.write(f"{subject.get('name', '')} · {credential.get('validFrom', '')} · {credential.get('id', '')}")
