"""What an entrant hands in for a round's items, before its deadline."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log

from ..models import Entrant, EntrantStatus, Item, ItemAsks, RoundEntry, Submission

MAX_FILE_BYTES = 50 * 1024 * 1024


@transaction.atomic
def submission_save(*, item: Item, acting_user, file=None, link: str = "", note: str = "", now=None) -> Submission:
    """Hand in (or replace) the entrant's file or link for an item; refused after the round's deadline."""
    now = now or timezone.now()
    round_ = item.round
    entrant = (
        Entrant.objects.filter(
            person=acting_user, category__contest_id=round_.contest_id, status=EntrantStatus.NOMINATED
        )
        .filter(pk__in=RoundEntry.objects.filter(round=round_).values("entrant_id"))
        .first()
    )
    if entrant is None:
        raise PermissionDenied
    if now > round_.submission_deadline:
        raise ValidationError(
            _("The deadline of %(round)s passed on %(deadline)s; nothing was handed in.")
            % {
                "round": round_.localized_name,
                "deadline": timezone.localtime(round_.submission_deadline).strftime("%Y-%m-%d %H:%M"),
            }
        )
    if item.asks_for == ItemAsks.NOTHING:
        raise ValidationError(_("This item is performed on site; there is nothing to hand in."))
    link = (link or "").strip()
    if item.asks_for == ItemAsks.FILE and not file:
        raise ValidationError({"file": _("This item asks for a file.")})
    if item.asks_for == ItemAsks.LINK and not link:
        raise ValidationError({"link": _("This item asks for a link.")})
    if not file and not link:
        raise ValidationError(_("Attach a file or give a link."))
    if file and file.size > MAX_FILE_BYTES:
        raise ValidationError({"file": _("The file is larger than 50 MB.")})
    submission, _created = Submission.objects.get_or_create(
        item=item, entrant=entrant, defaults={"submitted_at": now, "link": link, "note": note}
    )
    submission.link = link
    submission.note = note[:500]
    submission.submitted_at = now
    if file:
        submission.file = file
    submission.save()
    audit_log(instance=submission, action="contests.submission.save", acting_user=acting_user)
    return submission
