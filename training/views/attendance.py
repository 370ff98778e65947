"""Attendance: the coordinator's phone sheet, the day's QR code and trainees' check-in."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors, services
from ..forms import AttendanceForm, show_form_errors


def _attendance_day(item, value) -> datetime.date:
    days = item.days
    try:
        day = datetime.date.fromisoformat(value) if value else None
    except ValueError:
        day = None
    if day in days:
        return day
    today = timezone.localdate()
    if today in days:
        return today
    past = [candidate for candidate in days if candidate <= today]
    return past[-1] if past else days[0]


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, item_id):
    item = selectors.schedule_item_get_for_manager(acting_user=request.user, item_id=item_id)
    form = AttendanceForm(request.POST if request.method == "POST" else None)
    if form.is_bound and not form.is_valid():
        show_form_errors(request, form)
        return redirect(reverse("training:attendance", kwargs={"item_id": item.pk}))
    day = _attendance_day(item, form.cleaned_data["day"] if form.is_bound else request.GET.get("day"))
    if form.is_bound:
        try:
            changed = services.attendance_mark(
                item=item,
                acting_user=request.user,
                day=day,
                present_ids=form.cleaned_data["present"],
                trainee_ids=form.cleaned_data["trainee"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attendance saved (%(count)s changes).") % {"count": changed})
            return redirect(f"{reverse('training:attendance', kwargs={'item_id': item.pk})}?day={day.isoformat()}")
    rows = selectors.attendance_sheet(item=item, day=day)
    return render(
        request,
        "training/attendance.html",
        {
            "item": item,
            "cohort": item.cohort,
            "day": day,
            "days": item.days,
            "rows": rows,
            "present_count": sum(1 for row in rows if row.present),
            "future": day > timezone.localdate(),
        },
    )


@login_required
@require_GET
def check_in_code(request, item_id):
    import qrcode
    import qrcode.image.svg

    item = selectors.schedule_item_get_for_manager(acting_user=request.user, item_id=item_id)
    today = timezone.localdate()
    open_today = today in item.days and not item.is_cancelled
    context = {"item": item, "cohort": item.cohort, "open_today": open_today, "today": today}
    if open_today:
        from django.conf import settings

        code = services.checkin_code(item=item, day=today)
        url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
            "training:check-in", kwargs={"item_id": item.pk, "code": code}
        )
        svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10).to_string(encoding="unicode")
        # Sized by the stylesheet; the CSP forbids inline styles.
        svg = svg.replace('width="', 'data-width="').replace('height="', 'data-height="', 1)
        svg = svg.replace("<svg ", f'<svg class="qr-code" role="img" aria-label="{_("Check-in QR code")}" ', 1)
        context.update({"svg": svg, "url": url})
    return render(request, "training/check_in_code.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request, item_id, code):
    item = selectors.schedule_item_get_for_user(acting_user=request.user, item_id=item_id)
    if request.method == "POST":
        try:
            services.attendance_check_in(item=item, acting_user=request.user, code=code)
        except ValidationError as problem:
            return render(request, "training/check_in.html", {"item": item, "problem": problem.messages[0]}, status=400)
        except PermissionDenied:
            return render(
                request,
                "training/check_in.html",
                {"item": item, "problem": _("This item is not on your schedule.")},
                status=403,
            )
        return render(request, "training/check_in.html", {"item": item, "done": True})
    return render(request, "training/check_in.html", {"item": item})
