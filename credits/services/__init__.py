"""Writes of the credit bank, one module per concept; every function is a transaction.

- `rules`: a region's recognition rules and their versions;
- `records`: records written once from training's signals, with their recognitions;
- `caps`: credits counted against yearly caps, under a lock on each person;
- `recognitions`: a regional office's decisions and the notice to each person;
- `transcripts`: the transcript's public address.

The names callers use stay importable from `credits.services`.
"""

from .recognitions import recognition_decide
from .records import record_from_ledger, record_from_revocation, records_from_certificates
from .rules import rule_create, rule_in_effect
from .transcripts import transcript_share_disable, transcript_share_renew

__all__ = [
    "record_from_ledger",
    "record_from_revocation",
    "recognition_decide",
    "records_from_certificates",
    "rule_create",
    "rule_in_effect",
    "transcript_share_disable",
    "transcript_share_renew",
]
