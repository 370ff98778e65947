"""Discussion in a studio: threads, replies with @mentions, moderation by the leaders, reports, a posting limit."""

import datetime
import re

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from notifications.services import notification_send_localized
from training.uploads import check_upload

from .. import permissions
from ..models import Post, PostReport, StudioMembership, Thread

RICH_TEXT_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote"}
# Per person, across studios: enough for a lively discussion, too few for a flood.
POSTS_PER_WINDOW = 6
WINDOW = datetime.timedelta(minutes=1)
MENTION = re.compile(r"@([^\s@<>，。,.:：;；!！?？]{1,40})")


def clean_body(value: str) -> str:
    return nh3.clean(value or "", tags=RICH_TEXT_TAGS, attributes={}, url_schemes=set()).strip()


def _check_rate(person) -> None:
    recent = Post.objects.filter(author=person, created_at__gte=timezone.now() - WINDOW).count()
    if recent >= POSTS_PER_WINDOW:
        raise ValidationError(_("You are posting very quickly; please wait a minute and try again."))


def _attachment(upload) -> dict:
    if upload is None:
        return {}
    try:
        name, content_type = check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"attachment": error.messages}) from None
    return {"attachment": upload, "attachment_name": name, "attachment_type": content_type}


def _post(*, thread: Thread, author, body: str, upload=None) -> Post:
    cleaned = clean_body(body)
    if not nh3.clean(cleaned, tags=set()).strip():
        raise ValidationError({"body": _("Write a message.")})
    _check_rate(author)
    post = Post.objects.create(thread=thread, author=author, body=cleaned, **_attachment(upload))
    Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at)
    _notify_mentions(post)
    return post


def _notify_mentions(post: Post) -> None:
    """Each active member named as @display name is told once per post, however often they are named."""
    names = set(MENTION.findall(nh3.clean(post.body, tags=set())))
    if not names:
        return
    people = [
        place.person
        for place in StudioMembership.objects.filter(
            studio_id=post.thread.studio_id, status=StudioMembership.Status.ACTIVE, person__display_name__in=names
        ).select_related("person")
        if place.person_id != post.author_id
    ]
    if not people:
        return
    thread, author = post.thread, post.author
    notification_send_localized(
        recipients=people,
        kind="studios.mention",
        target=post,
        context=lambda: {"title": thread.title, "author": str(author)},
        occasion="mention",
        url_name="studios:thread",
        url_kwargs={"thread_id": thread.pk},
    )


@transaction.atomic
def thread_start(*, acting_user, studio, title: str, body: str, resource=None, upload=None) -> Thread:
    if not permissions.can_view_studio(acting_user, studio):
        raise PermissionDenied
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the thread a title.")})
    if resource is not None and resource.studio_id != studio.pk:
        raise PermissionDenied
    thread = Thread.objects.create(studio=studio, resource=resource, title=title, author=acting_user)
    _post(thread=thread, author=acting_user, body=body, upload=upload)
    return thread


@transaction.atomic
def post_reply(*, acting_user, thread: Thread, body: str, upload=None) -> Post:
    if not permissions.can_view_studio(acting_user, thread.studio):
        raise PermissionDenied
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.is_locked:
        raise ValidationError(_("This thread is locked: no new replies."))
    if thread.is_hidden and not permissions.can_lead_studio(acting_user, thread.studio):
        raise ValidationError(_("This thread is hidden: no new replies."))
    return _post(thread=thread, author=acting_user, body=body, upload=upload)


MODERATIONS = {
    "lock": ("is_locked", True),
    "unlock": ("is_locked", False),
    "pin": ("is_pinned", True),
    "unpin": ("is_pinned", False),
    "hide": ("is_hidden", True),
    "show": ("is_hidden", False),
}


@transaction.atomic
def thread_moderate(*, acting_user, thread: Thread, action: str, reason: str) -> Thread:
    """Leaders lock, pin or hide a thread (and undo it); the reason is kept on the thread and in the audit log."""
    if not permissions.can_lead_studio(acting_user, thread.studio):
        raise PermissionDenied
    if action not in MODERATIONS:
        raise ValidationError(_("Choose what to do with the thread."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, for the members and the record.")})
    field, value = MODERATIONS[action]
    setattr(thread, field, value)
    thread.moderation_reason = reason[:300]
    thread.save(update_fields=[field, "moderation_reason"])
    audit_log(
        instance=thread,
        action="studios.thread_moderate",
        acting_user=acting_user,
        data={"action": action, "reason": reason},
    )
    return thread


@transaction.atomic
def post_hide(*, acting_user, post: Post, reason: str) -> Post:
    if not permissions.can_lead_studio(acting_user, post.thread.studio):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, for the members and the record.")})
    post.is_hidden, post.hidden_reason, post.hidden_by = True, reason[:300], acting_user
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by"])
    audit_log(instance=post, action="studios.post_hide", acting_user=acting_user, data={"reason": reason})
    return post


@transaction.atomic
def post_report(*, acting_user, post: Post, reason: str = "") -> PostReport:
    """A member reports a post; the studio's leaders are told."""
    studio = post.thread.studio
    if not permissions.can_view_studio(acting_user, studio):
        raise PermissionDenied
    try:
        with transaction.atomic():
            report = PostReport.objects.create(post=post, reporter=acting_user, reason=(reason or "").strip()[:300])
    except IntegrityError:
        raise ValidationError(_("You have already reported this message; the leaders have been told.")) from None
    leaders = [
        place.person
        for place in StudioMembership.objects.filter(
            studio=studio, status=StudioMembership.Status.ACTIVE, role__in=["leader", "co_leader"]
        ).select_related("person")
    ]
    thread = post.thread
    notification_send_localized(
        recipients=leaders,
        kind="studios.report",
        target=post,
        context=lambda: {"title": thread.title, "reason": report.reason},
        occasion="report",
        url_name="studios:thread",
        url_kwargs={"thread_id": thread.pk},
    )
    return report
