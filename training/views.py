"""Training screens: parse the request, call one selector or service, render.

Access: getters in `selectors` answer 404 for what a person may not see and
403 for what they may see but not change; services check again.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Region

from . import selectors, services
from .exports import table_response
from .forms import (
    ApplicationForm,
    AssignmentForm,
    CancelForm,
    CohortCreateForm,
    CohortForm,
    DecisionForm,
    ImportForm,
    InvitationForm,
    MembershipChangeForm,
    ReviewForm,
    RevokeForm,
    ScheduleItemForm,
    SubmissionForm,
)
from .imports import error_message, field_label
from .models import (
    CohortMembership,
    CohortStatus,
    HoursSource,
    MembershipRole,
    MembershipStatus,
)
from .permissions import can_manage_cohort, cohort_roles, is_staff, visible_region_ids


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when it names one we show, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- Cohorts ------------------------------------------------------------------------


@login_required
@require_GET
def cohort_list(request):
    cohorts = selectors.cohort_list_for_user(acting_user=request.user)
    can_create = (
        is_staff(request.user)
        or CohortMembership.objects.filter(
            user=request.user, role=MembershipRole.COORDINATOR, status__in=MembershipStatus.counted_values()
        ).exists()
    )
    return render(request, "training/cohort_list.html", {"cohorts": cohorts, "can_create": can_create})


@login_required
@require_http_methods(["GET", "POST"])
def cohort_create(request):
    if not (
        is_staff(request.user)
        or CohortMembership.objects.filter(
            user=request.user, role=MembershipRole.COORDINATOR, status__in=MembershipStatus.counted_values()
        ).exists()
    ):
        raise Http404
    form = CohortCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, quotas = form.data_and_quotas()
        try:
            cohort = services.cohort_create(
                programme=form.cleaned_data["programme"], acting_user=request.user, data=data, quotas=quotas
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The cohort has been opened."))
            return redirect("training:cohort-detail", cohort_id=cohort.pk)
    return render(request, "training/cohort_form.html", {"form": form, "creating": True})


@login_required
@require_GET
def cohort_detail(request, cohort_id):
    cohort = selectors.cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id)
    manages = can_manage_cohort(request.user, cohort)
    context = {
        "cohort": cohort,
        "manages": manages,
        "roles": cohort_roles(request.user, cohort),
        "regions": selectors.cohort_regions_with_seats(cohort=cohort),
        "upcoming": [
            item
            for item in selectors.schedule_item_list_for_cohort(acting_user=request.user, cohort=cohort)
            if item.ends_at >= timezone.now()
        ][:5],
    }
    if manages:
        context["application_count"] = selectors.application_list_for_cohort(
            acting_user=request.user, cohort=cohort
        ).count()
    return render(request, "training/cohort_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cohort_edit(request, cohort_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        data, quotas = form.data_and_quotas()
        try:
            services.cohort_update(cohort=cohort, acting_user=request.user, data=data, quotas=quotas)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The cohort has been saved."))
            return redirect("training:cohort-detail", cohort_id=cohort.pk)
    cohort.refresh_from_db()
    return render(request, "training/cohort_form.html", {"form": form, "cohort": cohort})


# --- Memberships ----------------------------------------------------------------------


@login_required
@require_GET
def membership_list(request, cohort_id):
    cohort = selectors.cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id)
    if not (can_manage_cohort(request.user, cohort) or visible_region_ids(request.user, cohort)):
        raise PermissionDenied
    filters = {
        "role": request.GET.get("role", "") if request.GET.get("role") in MembershipRole.values else "",
        "status": request.GET.get("status", "") if request.GET.get("status") in MembershipStatus.values else "",
        "region_id": _int_or_none(request.GET.get("region")),
        "query": request.GET.get("q", "").strip()[:100],
    }
    memberships = selectors.membership_list_for_cohort(acting_user=request.user, cohort=cohort, **filters)
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "training/membership_list.html",
        {
            "cohort": cohort,
            "page": page,
            "filters": filters,
            "manages": can_manage_cohort(request.user, cohort),
            "roles": MembershipRole.choices,
            "statuses": MembershipStatus.choices,
            "regions": Region.objects.filter(cohort_quotas__cohort=cohort),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_change(request, cohort_id, membership_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    membership = selectors.membership_get_for_manager(
        acting_user=request.user, cohort=cohort, membership_id=membership_id
    )
    form = MembershipChangeForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change(
                membership=membership,
                acting_user=request.user,
                role=form.cleaned_data["role"],
                status=form.cleaned_data["status"],
                region=form.cleaned_data["region"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The membership has been changed."))
            return redirect("training:membership-list", cohort_id=cohort.pk)
    from accounts.audit import audit_entries_for

    return render(
        request,
        "training/membership_change.html",
        {
            "cohort": cohort,
            "membership": membership,
            "form": form,
            "history": audit_entries_for(instances=[membership])[:20],
            "invitation": membership.invitations.filter(status="pending").first(),
        },
    )


@login_required
@require_POST
def invitation_resend(request, cohort_id, membership_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    membership = selectors.membership_get_for_manager(
        acting_user=request.user, cohort=cohort, membership_id=membership_id
    )
    invitation = membership.invitations.order_by("-created_at").first()
    if invitation is None:
        raise Http404
    try:
        services.invitation_resend(invitation=invitation, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new invitation has been sent; the old link no longer works."))
    return redirect("training:membership-change", cohort_id=cohort.pk, membership_id=membership.pk)


# --- Invitations --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request, cohort_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    form = InvitationForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(cohort=cohort, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email})
            return redirect("training:invitation-create", cohort_id=cohort.pk)
    return render(request, "training/invitation_form.html", {"cohort": cohort, "form": form})


def _invitation_problem(request, message: str, status: int):
    return render(request, "training/invitation_problem.html", {"message": message}, status=status)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    from allauth.account.forms import SetPasswordForm
    from allauth.account.utils import perform_login
    from django.conf import settings

    try:
        invitation = selectors.invitation_get_by_token(token=token)
        services.invitation_check_usable(invitation)
    except ValidationError as problem:
        return _invitation_problem(request, problem.messages[0], status=404 if problem.code == "invalid" else 410)
    invitee = invitation.membership.user
    if request.user.is_authenticated and request.user.pk != invitee.pk:
        return _invitation_problem(
            request,
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email},
            status=403,
        )
    context = {"invitation": invitation, "membership": invitation.membership, "cohort": invitation.membership.cohort}
    if not invitee.has_usable_password():
        # A person invited before they had an account: the link proves their e-mail; they choose a password here.
        form = SetPasswordForm(data=request.POST or None, user=invitee)
        names = {
            "display_name": request.POST.get("display_name", invitee.display_name).strip()[:100],
            "preferred_language": request.POST.get("preferred_language", invitee.preferred_language),
        }
        if names["preferred_language"] not in dict(settings.LANGUAGES):
            names["preferred_language"] = settings.LANGUAGE_CODE
        if request.method == "POST" and form.is_valid() and names["display_name"]:
            try:
                services.invitation_accept_new_account(
                    invitation=invitation, password=form.cleaned_data["password1"], **names
                )
            except ValidationError as problem:
                return _invitation_problem(request, problem.messages[0], status=410)
            messages.success(request, _("Welcome! You have joined %(cohort)s.") % {"cohort": context["cohort"]})
            return perform_login(request, invitee, redirect_url=reverse("dashboard:home"))
        name_error = request.method == "POST" and not names["display_name"]
        return render(
            request,
            "training/invitation_accept.html",
            {
                **context,
                "form": form,
                "names": names,
                "name_error": name_error,
                "languages": settings.LANGUAGES,
                "new_account": True,
            },
        )
    if not request.user.is_authenticated:
        return render(request, "training/invitation_accept.html", {**context, "needs_login": True})
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, acting_user=request.user)
        except ValidationError as problem:
            return _invitation_problem(request, problem.messages[0], status=410)
        messages.success(request, _("You have joined %(cohort)s.") % {"cohort": context["cohort"]})
        return redirect("dashboard:home")
    return render(request, "training/invitation_accept.html", context)


# --- Imports --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_create(request, cohort_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.enrolment_import_create(
                cohort=cohort, acting_user=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect("training:import-detail", import_id=record.pk)
    recent = cohort.imports.defer("content").order_by("-created_at")[:5]
    return render(request, "training/import_form.html", {"cohort": cohort, "form": form, "recent": recent})


def _import_errors(record):
    return [
        {"row": error.get("row"), "field": field_label(error.get("field", "")), "message": error_message(error)}
        for error in record.errors
    ]


@login_required
@require_GET
def import_detail(request, import_id):
    record = selectors.import_get_for_user(acting_user=request.user, import_id=import_id)
    errors = _import_errors(record)
    page = Paginator(errors, 200).get_page(request.GET.get("page"))
    return render(request, "training/import_detail.html", {"record": record, "cohort": record.cohort, "page": page})


@login_required
@require_GET
def import_status(request, import_id):
    record = selectors.import_get_for_user(acting_user=request.user, import_id=import_id)
    return JsonResponse(
        {
            "status": record.status,
            "status_label": record.get_status_display(),
            "percent": record.percent,
            "processed": record.processed_rows,
            "total": record.total_rows,
            "finished": record.is_finished,
            "error_count": len(record.errors),
        }
    )


# --- Applications --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cohort_apply(request, cohort_id):
    cohort = selectors.cohort_get_open_for_applications(cohort_id=cohort_id)
    own = selectors.application_get_own(acting_user=request.user, cohort=cohort)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                cohort=cohort, acting_user=request.user, statement=form.cleaned_data["statement"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your application has been sent to the coordinators of your region."))
            return redirect("training:cohort-apply", cohort_id=cohort.pk)
    from accounts.services import profile_get_or_create

    profile = profile_get_or_create(user=request.user)
    return render(
        request,
        "training/cohort_apply.html",
        {
            "cohort": cohort,
            "form": form,
            "own": own,
            "profile": profile,
            "regions": selectors.cohort_regions_with_seats(cohort=cohort),
            "open": cohort.status == CohortStatus.RECRUITING,
        },
    )


@login_required
@require_GET
def application_list(request, cohort_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    applications = selectors.application_list_for_cohort(acting_user=request.user, cohort=cohort)
    return render(
        request,
        "training/application_list.html",
        {
            "cohort": cohort,
            "applications": applications,
            "regions": selectors.cohort_regions_with_seats(cohort=cohort),
            "form": DecisionForm(),
        },
    )


@login_required
@require_POST
def application_decide(request, cohort_id, membership_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    membership = selectors.application_get_for_decider(
        acting_user=request.user, cohort=cohort, membership_id=membership_id
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
        return redirect("training:application-list", cohort_id=cohort.pk)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.application_decide(
            membership=membership, acting_user=request.user, accept=accept, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            (_("%(name)s has been accepted.") if accept else _("%(name)s has been declined."))
            % {"name": membership.user.get_full_name()},
        )
    return redirect("training:application-list", cohort_id=cohort.pk)


# --- Schedule ------------------------------------------------------------------------


@login_required
@require_GET
def schedule(request, cohort_id):
    cohort = selectors.cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id)
    items = selectors.schedule_item_list_for_cohort(acting_user=request.user, cohort=cohort)
    months = []
    for item in items:
        key = timezone.localtime(item.starts_at).strftime("%Y-%m")
        if not months or months[-1][0] != key:
            months.append((key, timezone.localtime(item.starts_at).date().replace(day=1), []))
        months[-1][2].append(item)
    return render(
        request,
        "training/schedule.html",
        {"cohort": cohort, "months": months, "manages": can_manage_cohort(request.user, cohort), "now": timezone.now()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule_item_create(request, cohort_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    form = ScheduleItemForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.schedule_item_create(cohort=cohort, acting_user=request.user, data=dict(form.cleaned_data))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The item has been added to the schedule."))
            return redirect("training:schedule-item-detail", item_id=item.pk)
    return render(request, "training/schedule_item_form.html", {"cohort": cohort, "form": form})


@login_required
@require_GET
def schedule_item_detail(request, item_id):
    item = selectors.schedule_item_get_for_user(acting_user=request.user, item_id=item_id)
    manages = can_manage_cohort(request.user, item.cohort)
    context = {"item": item, "cohort": item.cohort, "manages": manages}
    if manages:
        context["cancel_form"] = CancelForm()
        context["participants"] = list(item.participants.select_related("user"))
    return render(request, "training/schedule_item_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def schedule_item_edit(request, item_id):
    item = selectors.schedule_item_get_for_manager(acting_user=request.user, item_id=item_id)
    if item.is_cancelled:
        messages.error(request, _("A cancelled item cannot be changed."))
        return redirect("training:schedule-item-detail", item_id=item.pk)
    form = ScheduleItemForm(request.POST or None, instance=item, cohort=item.cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_item_update(item=item, acting_user=request.user, data=dict(form.cleaned_data))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The item has been changed; everyone concerned has been told."))
            return redirect("training:schedule-item-detail", item_id=item.pk)
    return render(request, "training/schedule_item_form.html", {"cohort": item.cohort, "form": form, "item": item})


@login_required
@require_POST
def schedule_item_cancel(request, item_id):
    item = selectors.schedule_item_get_for_manager(acting_user=request.user, item_id=item_id)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.schedule_item_cancel(item=item, acting_user=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The item has been cancelled; everyone concerned has been told."))
    return redirect("training:schedule-item-detail", item_id=item.pk)


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
    day = _attendance_day(item, request.POST.get("day") or request.GET.get("day"))
    if request.method == "POST":
        try:
            changed = services.attendance_mark(
                item=item,
                acting_user=request.user,
                day=day,
                present_ids=request.POST.getlist("present"),
                trainee_ids=request.POST.getlist("trainee"),
            )
        except (ValidationError, ValueError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
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


# --- Calendars ------------------------------------------------------------------------


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Private: a feed is personal even though its address needs no sign-in.
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def calendar_feed(request, token):
    from .calendar import events_for_person, render_ics

    user = selectors.calendar_feed_owner(token=token)
    events = events_for_person(user=user)
    return _ics_response(render_ics(events=events, name=_("Yingzi: my training calendar")), "yingzi.ics")


@require_GET
def cohort_calendar_feed(request, token, cohort_id):
    from .calendar import events_for_person, render_ics

    user = selectors.calendar_feed_owner(token=token)
    cohort = selectors.cohort_get_for_user(acting_user=user, cohort_id=cohort_id)
    if not can_manage_cohort(user, cohort):
        raise Http404
    events = events_for_person(user=user, cohort=cohort)
    return _ics_response(render_ics(events=events, name=cohort.localized_name), f"yingzi-cohort-{cohort.pk}.ics")


@login_required
@require_POST
def calendar_address(request):
    if request.POST.get("action") == "revoke":
        services.calendar_feed_revoke(acting_user=request.user)
        messages.success(request, _("Your calendar address has been turned off."))
    else:
        services.calendar_feed_regenerate(acting_user=request.user)
        messages.success(
            request, _("You have a new calendar address. Subscribe to it again; the old address no longer works.")
        )
    return redirect(f"{reverse('dashboard:home')}#calendar")


# --- Assignments ---------------------------------------------------------------------


@login_required
@require_GET
def assignment_list(request, cohort_id):
    cohort = selectors.cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id)
    assignments = selectors.assignment_list_for_cohort(acting_user=request.user, cohort=cohort)
    return render(
        request,
        "training/assignment_list.html",
        {
            "cohort": cohort,
            "assignments": assignments,
            "manages": can_manage_cohort(request.user, cohort),
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_create(request, cohort_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_create(cohort=cohort, acting_user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The assignment has been set."))
            return redirect("training:assignment-detail", assignment_id=assignment.pk)
    return render(request, "training/assignment_form.html", {"cohort": cohort, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def assignment_edit(request, assignment_id):
    assignment = selectors.assignment_get_for_user(acting_user=request.user, assignment_id=assignment_id)
    if not can_manage_cohort(request.user, assignment.cohort):
        raise PermissionDenied
    form = AssignmentForm(request.POST or None, instance=assignment)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_update(assignment=assignment, acting_user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The assignment has been saved."))
            return redirect("training:assignment-detail", assignment_id=assignment.pk)
    return render(
        request, "training/assignment_form.html", {"cohort": assignment.cohort, "form": form, "assignment": assignment}
    )


def _assignment_context(request, assignment, submission_form=None):
    cohort = assignment.cohort
    roles = cohort_roles(request.user, cohort)
    context = {
        "assignment": assignment,
        "cohort": cohort,
        "manages": can_manage_cohort(request.user, cohort),
        "is_trainee": MembershipRole.TRAINEE in roles,
        "now": timezone.now(),
    }
    if context["is_trainee"]:
        own = selectors.submission_list_own(acting_user=request.user, assignment=assignment)
        latest = own[-1] if own else None
        context.update(
            {
                "own": own,
                "latest": latest,
                "can_submit": latest is None or latest.status == "returned",
                "submission_form": submission_form or SubmissionForm(),
            }
        )
    reviewable = selectors.submission_list_for_reviewer(acting_user=request.user, assignment=assignment)
    if reviewable:
        from .permissions import can_review_submission

        for submission in reviewable:
            submission.reviewable = submission.status == "submitted" and can_review_submission(request.user, submission)
        context["submissions"] = reviewable
        context["review_form"] = ReviewForm()
    return context


@login_required
@require_GET
def assignment_detail(request, assignment_id):
    assignment = selectors.assignment_get_for_user(acting_user=request.user, assignment_id=assignment_id)
    return render(request, "training/assignment_detail.html", _assignment_context(request, assignment))


@login_required
@require_POST
def submission_create(request, assignment_id):
    assignment = selectors.assignment_get_for_user(acting_user=request.user, assignment_id=assignment_id)
    form = SubmissionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            submission = services.submission_create(
                assignment=assignment,
                acting_user=request.user,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if submission.is_late:
                messages.warning(request, _("Submitted after the due date; it is marked late."))
            else:
                messages.success(request, _("Submitted. You will hear when it has been reviewed."))
            return redirect("training:assignment-detail", assignment_id=assignment.pk)
    return render(
        request, "training/assignment_detail.html", _assignment_context(request, assignment, form), status=400
    )


@login_required
@require_POST
def submission_review(request, submission_id):
    submission = selectors.submission_get_for_reviewer(acting_user=request.user, submission_id=submission_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or return."))
    else:
        try:
            services.submission_review(
                submission=submission,
                acting_user=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your review has been sent to the trainee."))
    return redirect(
        f"{reverse('training:assignment-detail', kwargs={'assignment_id': submission.assignment_id})}#submission-{submission.pk}"
    )


@login_required
@require_GET
def submission_file(request, file_id):
    upload = selectors.submission_file_get_for_user(acting_user=request.user, file_id=file_id)
    response = FileResponse(upload.file.open("rb"), as_attachment=True, filename=upload.original_name)
    response["Content-Type"] = upload.content_type
    response["Cache-Control"] = "private, no-store"
    return response


# --- Completion ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sign_off(request, cohort_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    if request.method == "POST":
        try:
            certificates = services.certificate_issue(
                cohort=cohort, acting_user=request.user, trainee_ids=request.POST.getlist("trainee")
            )
        except (ValidationError, ValueError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [_("Choose trainees to sign off.")])))
        else:
            messages.success(
                request,
                _("%(count)s trainees signed off; their certificates are ready.") % {"count": len(certificates)},
            )
            return redirect("training:certificate-list", cohort_id=cohort.pk)
    rows = [
        row
        for row in selectors.cohort_overview(acting_user=request.user, cohort=cohort, sort="progress", descending=True)
        if row.membership.status in (MembershipStatus.ACCEPTED, MembershipStatus.ACTIVE)
    ]
    return render(
        request,
        "training/sign_off.html",
        {
            "cohort": cohort,
            "ready": [row for row in rows if row.progress.meets_all_rules],
            "not_ready": [row for row in rows if not row.progress.meets_all_rules],
        },
    )


@login_required
@require_GET
def certificate_list(request, cohort_id):
    cohort = selectors.cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id)
    if not (can_manage_cohort(request.user, cohort) or visible_region_ids(request.user, cohort)):
        raise PermissionDenied
    return render(
        request,
        "training/certificate_list.html",
        {
            "cohort": cohort,
            "certificates": selectors.certificate_list_for_cohort(acting_user=request.user, cohort=cohort),
            "manages": can_manage_cohort(request.user, cohort),
            "revoke_form": RevokeForm(),
        },
    )


@login_required
@require_GET
def certificate_pdf(request, certificate_id):
    from .certificates import certificate_pdf as render_pdf

    certificate = selectors.certificate_get_for_user(acting_user=request.user, certificate_id=certificate_id)
    response = HttpResponse(render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="yingzi-certificate-{certificate.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def certificate_revoke(request, certificate_id):
    certificate = selectors.certificate_get_for_user(acting_user=request.user, certificate_id=certificate_id)
    cohort = certificate.membership.cohort
    if not can_manage_cohort(request.user, cohort):
        raise Http404
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for revoking the certificate."))
    else:
        try:
            services.certificate_revoke(
                certificate=certificate, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The certificate has been revoked."))
    return redirect("training:certificate-list", cohort_id=cohort.pk)


@require_GET
def certificate_verify(request, code):
    certificate = selectors.certificate_get_by_code(code=code)
    return render(
        request,
        "training/certificate_verify.html",
        {"certificate": certificate, "code": code[:40]},
        status=200 if certificate else 404,
    )


@require_GET
def certificate_lookup(request):
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("training:certificate-verify", code=code[:40])
    return render(request, "training/certificate_verify.html", {"lookup": True})


@login_required
@require_GET
def hours_export(request, cohort_id):
    cohort = selectors.cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id)
    if not (can_manage_cohort(request.user, cohort) or visible_region_ids(request.user, cohort)):
        raise PermissionDenied
    region = Region.objects.filter(code=request.GET.get("region", "")).first()
    rows = selectors.hours_by_region(acting_user=request.user, cohort=cohort, region_id=region.pk if region else None)
    suffix = f"-{region.code}" if region else ""
    sources = [source for source in HoursSource if source != HoursSource.CORRECTION]
    header = [
        _("Name"),
        _("E-mail"),
        _("Home region"),
        _("Programme"),
        _("Cohort"),
        *[source.label for source in sources],
        _("Credited hours"),
        _("Certificate"),
        _("Verification link"),
    ]
    from .certificates import verification_url

    lines = [header]
    for row in rows:
        membership = row["membership"]
        certificate = row["certificate"]
        lines.append(
            [
                membership.user.get_full_name(),
                membership.user.email,
                membership.region.localized_name if membership.region else "",
                cohort.programme.localized_title,
                cohort.localized_name,
                *[row["by_source"].get(source.value, 0) for source in sources],
                row["total"],
                certificate.code if certificate else "",
                verification_url(certificate) if certificate else "",
            ]
        )
    return table_response(rows=lines, filename=f"yingzi-hours-{cohort.pk}{suffix}.csv", fmt="csv")


@login_required
@require_GET
def audit(request, cohort_id):
    cohort = selectors.cohort_get_for_manager(acting_user=request.user, cohort_id=cohort_id)
    entries = selectors.audit_entries_for_cohort(acting_user=request.user, cohort=cohort)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "training/audit.html", {"cohort": cohort, "page": page})
