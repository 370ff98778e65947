"""Training's signals, turned into credit records (connected in `CreditsConfig.ready()`)."""

from training import events


def _certificates_issued(sender, certificates, **kwargs):
    from .services import records_from_certificates

    records_from_certificates(certificates=certificates)


def _certificate_revoked(sender, certificate, **kwargs):
    from .services import record_from_revocation

    record_from_revocation(certificate=certificate)


def _hours_credited(sender, entry, **kwargs):
    if entry.cohort_id is not None:
        return
    from .services import record_from_ledger

    record_from_ledger(entry=entry)


def connect() -> None:
    events.certificate_issued.connect(_certificates_issued, dispatch_uid="credits-certificate-issued")
    events.certificate_revoked.connect(_certificate_revoked, dispatch_uid="credits-certificate-revoked")
    events.hours_credited.connect(_hours_credited, dispatch_uid="credits-hours-credited")
