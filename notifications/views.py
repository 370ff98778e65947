from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .channels import render_subject
from .models import Notification
from .services import notification_mark_all_read, notification_mark_read


@login_required
@require_GET
def inbox(request):
    page = Paginator(Notification.objects.for_inbox(request.user), 25).get_page(request.GET.get("page"))
    items = [(notification, render_subject(notification)) for notification in page.object_list]
    return render(request, "notifications/inbox.html", {"page": page, "items": items})


@login_required
@require_POST
def mark_read(request, notification_id: int):
    notification = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    notification_mark_read(acting_user=request.user, notification_id=notification.pk)
    target = notification.url
    if request.POST.get("open") and target:
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            raise Http404
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = notification_mark_all_read(acting_user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:inbox")
