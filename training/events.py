"""Signals training sends after its writes, for apps above it that keep their own record of them.

Training never imports those apps: the credit bank (`credits`) connects receivers
in its own `AppConfig.ready()`. Each signal is sent inside the service's
transaction, after the rows are written, so a receiver's writes commit or roll
back with training's; receivers must be idempotent (a retried service sends again).

- `certificate_issued(certificates=[...])`: completion or hosting certificates just issued.
- `certificate_revoked(certificate=...)`: a certificate just withdrawn.
- `membership_withdrawn(membership=..., acting_user=...)`: someone was just withdrawn from a cohort
  (mentorship ends their current pairings).
- `hours_credited(entry=...)`: a new ledger line (`hours_credit`, or a correction by `hours_correct`);
  not sent when `hours_credit` finds the source already credited.
"""

from django.dispatch import Signal

certificate_issued = Signal()
certificate_revoked = Signal()
hours_credited = Signal()
membership_withdrawn = Signal()
