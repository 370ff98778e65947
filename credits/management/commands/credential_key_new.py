"""Print a new Ed25519 private key (JWK) for signing credentials: the first step of a key rotation.

Put it first in `YINGZI_CREDENTIAL_KEYS` (a JSON list) and keep the old key after it;
see `credits.credentials` for the rest of the rotation.
"""

import json

from django.core.management.base import BaseCommand
from joserfc.jwk import OKPKey


class Command(BaseCommand):
    help = "Print a new Ed25519 private JWK for YINGZI_CREDENTIAL_KEYS."

    def handle(self, *args, **options):
        key = OKPKey.generate_key("Ed25519")
        private = key.as_dict(private=True)
        private["kid"] = key.thumbprint()
        self.stdout.write(json.dumps(private))
