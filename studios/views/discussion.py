"""The studio's discussion pages: threads, one thread with its replies, moderation and reports."""

import copy
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from training.forms import apply_errors, show_errors, show_form_errors

from .. import freshness, permissions, selectors, services
from ..forms import ModerationForm, ReplyForm, ReportForm, ThreadForm, ThreadModerationForm, ThreadResourceForm


@login_required
@require_GET
def thread_list(request, studio_id):
    studio = selectors.studio_get_for_member(acting_user=request.user, studio_id=studio_id)
    # The empty form to start a thread is kept with the list; only a form sent back with errors is not.
    return render(
        request, "studios/thread_list.html", {"studio": studio, "threads": _threads(request, studio, with_form=True)}
    )


def _threads(request, studio, *, with_form: bool = False):
    """The page of threads, composed once per change of the studio's discussion for members and for leaders.

    Only the page and a resource of this studio (a new thread about it) are read from the address, so that
    what is kept stays a finite set; a deep page is composed for its reader alone.
    """
    tier = "leaders" if permissions.can_lead_studio(request.user, studio) else "members"
    raw_page = request.GET.get("page", "")
    page = 1 if not raw_page else int(raw_page) if re.fullmatch(r"[1-9][0-9]?", raw_page) else None
    raw_resource = request.GET.get("resource", "")
    resource_id = (
        int(raw_resource)
        if with_form
        and re.fullmatch(r"[0-9]{1,9}", raw_resource)
        and ThreadResourceForm(studio=studio).fields["resource"].queryset.filter(pk=int(raw_resource)).exists()
        else None
    )
    key = freshness.threads_key(studio, tier + (":with-form" if with_form else ""), page=page, resource_id=resource_id)
    shown = request
    if key is not None:
        # Composed from the page and the resource alone, so that its links carry nothing else of the address.
        query = QueryDict(mutable=True)
        if page > 1:
            query["page"] = str(page)
        if resource_id:
            query["resource"] = str(resource_id)
        shown = copy.copy(request)
        shown.GET = query

    def compose():
        page_obj = selectors.thread_page(acting_user=request.user, studio=studio, page=shown.GET.get("page") or 1)
        context = {
            "page_obj": page_obj,
            "studio": studio,
            "new_thread_form": ThreadForm() if with_form else None,
            "resource_id": resource_id,
        }
        return freshness.render_body(shown, "studios/_thread_list_body.html", context)

    return freshness.cached_body(request, key, compose)


@login_required
@require_POST
def thread_create(request, studio_id):
    studio = selectors.studio_get_for_member(acting_user=request.user, studio_id=studio_id)
    form = ThreadForm(request.POST, request.FILES)
    about = ThreadResourceForm(request.POST, studio=studio)
    resource = None
    if about.is_valid():
        resource = about.cleaned_data["resource"]
    else:
        # A resource of another studio (or none at all): said on top of the form, and nothing is posted.
        for error in about.errors.get("resource", []):
            form.add_error(None, error)
    if form.is_valid():
        try:
            thread = services.thread_start(
                acting_user=request.user,
                studio=studio,
                resource=resource,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                upload=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("studios:thread", thread_id=thread.pk)
    context = {"studio": studio, "threads": _threads(request, studio), "form": form, "resource": resource}
    return render(request, "studios/thread_list.html", context)


@login_required
@require_GET
def thread_detail(request, thread_id):
    thread = selectors.thread_get_for_member(acting_user=request.user, thread_id=thread_id)
    return _thread_page(request, thread, ReplyForm())


def _thread_page(request, thread, form, status=200):
    context = {
        "thread": thread,
        "studio": thread.studio,
        "page_obj": selectors.post_page(thread=thread, page=request.GET.get("page") or 1),
        "form": form,
        "moderation_form": ModerationForm(),
        "can_lead": permissions.can_lead_studio(request.user, thread.studio),
    }
    return render(request, "studios/thread_detail.html", context, status=status)


@login_required
@require_POST
def post_create(request, thread_id):
    thread = selectors.thread_get_for_member(acting_user=request.user, thread_id=thread_id)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.post_reply(
                acting_user=request.user,
                thread=thread,
                body=form.cleaned_data["body"],
                upload=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("studios:thread", thread_id=thread.pk)
    return _thread_page(request, thread, form)


def _reason(request, form_class) -> str | None:
    """The reason typed, checked by a form (length, no NUL bytes); None after telling the person what is wrong."""
    form = form_class(request.POST)
    if form.is_valid():
        return form.cleaned_data["reason"]
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return None


@login_required
@require_POST
def thread_moderate(request, thread_id):
    thread = selectors.thread_get_for_member(acting_user=request.user, thread_id=thread_id)
    # Who may act is answered before what they sent: a member's bad value is still a 403.
    if not permissions.can_lead_studio(request.user, thread.studio):
        raise PermissionDenied
    form = ThreadModerationForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form)
        return redirect("studios:thread", thread_id=thread.pk)
    try:
        services.thread_moderate(acting_user=request.user, thread=thread, **form.cleaned_data)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The thread is updated; the reason is kept."))
    return redirect("studios:thread", thread_id=thread.pk)


@login_required
@require_POST
def post_hide(request, post_id):
    post = selectors.post_get_for_member(acting_user=request.user, post_id=post_id)
    reason = _reason(request, ModerationForm)
    if reason is None:
        return redirect("studios:thread", thread_id=post.thread_id)
    try:
        services.post_hide(acting_user=request.user, post=post, reason=reason)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The message is hidden; the reason is kept."))
    return redirect("studios:thread", thread_id=post.thread_id)


@login_required
@require_POST
def post_report(request, post_id):
    post = selectors.post_get_for_member(acting_user=request.user, post_id=post_id)
    reason = _reason(request, ReportForm)
    if reason is None:
        return redirect("studios:thread", thread_id=post.thread_id)
    try:
        services.post_report(acting_user=request.user, post=post, reason=reason)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Thank you: the studio's leaders are told."))
    return redirect("studios:thread", thread_id=post.thread_id)


@login_required
@require_GET
def post_attachment(request, post_id):
    post = selectors.post_get_for_member(acting_user=request.user, post_id=post_id)
    if not post.attachment or (post.is_hidden and not permissions.can_lead_studio(request.user, post.thread.studio)):
        raise Http404
    response = FileResponse(post.attachment.open("rb"), as_attachment=True, filename=post.attachment_name)
    response["Content-Type"] = post.attachment_type or "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    return response
