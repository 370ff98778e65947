"""Lesson-study pages: a studio's or cohort's cycles, one cycle's plans side by side, a lesson and its check-in."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from training.forms import show_errors, show_form_errors
from training.selectors import cohort_get_for_user
from training.services.hours import hours_text

from .. import permissions, selectors, services
from ..forms import CheckInForm, CommentForm, CycleForm, LessonForm, PlanVersionForm, RecordingForm
from ..models import PlanVersion


def _cycles_page(request, *, studio=None, cohort=None):
    templates = selectors.templates_for(studio=studio)
    if studio is not None:
        cycles, can_start = selectors.cycles_of_studio(studio=studio), permissions.can_lead_studio(request.user, studio)
    else:
        cycles, can_start = (
            selectors.cycles_of_cohort(cohort=cohort),
            permissions.can_manage_cohort(request.user, cohort),
        )
    form = CycleForm(request.POST or None, templates=templates)
    if request.method == "POST":
        if not can_start:
            raise PermissionDenied
        if form.is_valid():
            try:
                cycle = services.cycle_start(
                    acting_user=request.user, studio=studio, cohort=cohort, **form.cleaned_data
                )
            except ValidationError as error:
                show_errors(request, error)
            else:
                messages.success(request, _("The cycle is started: members may now add their plans."))
                return redirect("studios:cycle", cycle_id=cycle.pk)
        else:
            show_form_errors(request, form)
    context = {"studio": studio, "cohort": cohort, "cycles": cycles, "form": form, "can_start": can_start}
    return render(request, "studios/cycle_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_list(request, studio_id):
    studio = selectors.studio_get_for_member(acting_user=request.user, studio_id=studio_id)
    return _cycles_page(request, studio=studio)


@login_required
@require_http_methods(["GET", "POST"])
def cohort_cycle_list(request, cohort_id):
    cohort = cohort_get_for_user(acting_user=request.user, cohort_id=cohort_id)
    return _cycles_page(request, cohort=cohort)


@login_required
@require_GET
def cycle_detail(request, cycle_id):
    cycle = selectors.cycle_get_for_member(acting_user=request.user, cycle_id=cycle_id)
    detail = selectors.cycle_detail(acting_user=request.user, cycle=cycle)
    context = {
        "detail": detail,
        "cycle": cycle,
        "version_form": PlanVersionForm(),
        "comment_form": CommentForm(),
        "lesson_form": LessonForm(plans=detail.plans),
    }
    return render(request, "studios/cycle_detail.html", context)


@login_required
@require_POST
def plan_version_add(request, cycle_id):
    cycle = selectors.cycle_get_for_member(acting_user=request.user, cycle_id=cycle_id)
    form = PlanVersionForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form)
    else:
        try:
            version = services.plan_version_add(acting_user=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Version %(number)s of your plan is saved.") % {"number": version.number})
    return redirect("studios:cycle", cycle_id=cycle.pk)


@login_required
@require_POST
def plan_comment_add(request, version_id):
    version = PlanVersion.objects.select_related("plan").filter(pk=version_id).first()
    if version is None:
        raise Http404
    cycle = selectors.cycle_get_for_member(acting_user=request.user, cycle_id=version.plan.cycle_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form)
    else:
        try:
            services.plan_comment_add(acting_user=request.user, version=version, body=form.cleaned_data["body"])
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Your comment is added."))
    return redirect("studios:cycle", cycle_id=cycle.pk)


@login_required
@require_POST
def lesson_schedule(request, cycle_id):
    cycle = selectors.cycle_get_for_member(acting_user=request.user, cycle_id=cycle_id)
    if not permissions.can_run_cycle(request.user, cycle):
        raise PermissionDenied
    form = LessonForm(request.POST, plans=list(cycle.plans.all()))
    if not form.is_valid():
        show_form_errors(request, form)
        return redirect("studios:cycle", cycle_id=cycle.pk)
    try:
        lesson = services.lesson_schedule(acting_user=request.user, cycle=cycle, **form.cleaned_data)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("studios:cycle", cycle_id=cycle.pk)
    messages.success(request, _("The lesson is scheduled; everyone in the cycle is told."))
    return redirect("studios:lesson", lesson_id=lesson.pk)


@login_required
@require_POST
def cycle_close(request, cycle_id):
    cycle = selectors.cycle_get_for_member(acting_user=request.user, cycle_id=cycle_id)
    try:
        services.cycle_close(acting_user=request.user, cycle=cycle)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The cycle is closed with its revised plan."))
    return redirect("studios:cycle", cycle_id=cycle.pk)


@login_required
@require_GET
def lesson_detail(request, lesson_id):
    lesson = selectors.lesson_get_for_member(acting_user=request.user, lesson_id=lesson_id)
    can_run = permissions.can_run_cycle(request.user, lesson.cycle)
    context = {
        "lesson": lesson,
        "cycle": lesson.cycle,
        "can_run": can_run,
        "can_add_recording": can_run or lesson.plan.teacher_id == request.user.pk,
        "participations": selectors.lesson_participations(lesson=lesson) if can_run else [],
        "sheet": selectors.sheet_state(acting_user=request.user, lesson=lesson),
        "recording_form": RecordingForm(initial={"recording_link": lesson.recording_link}),
        "check_in_form": CheckInForm(),
    }
    return render(request, "studios/lesson_detail.html", context)


@login_required
@require_POST
def lesson_recording(request, lesson_id):
    lesson = selectors.lesson_get_for_member(acting_user=request.user, lesson_id=lesson_id)
    form = RecordingForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form)
    else:
        try:
            services.lesson_recording_set(acting_user=request.user, lesson=lesson, **form.cleaned_data)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The recording's link is saved."))
    return redirect("studios:lesson", lesson_id=lesson.pk)


@login_required
@require_POST
def lesson_check_in(request, lesson_id):
    lesson = selectors.lesson_get_for_member(acting_user=request.user, lesson_id=lesson_id)
    if not permissions.can_run_cycle(request.user, lesson.cycle):
        raise PermissionDenied
    form = CheckInForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form)
        return redirect("studios:lesson", lesson_id=lesson.pk)
    person = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
    if person is None:
        messages.error(request, _("Nobody on the platform has this e-mail address."))
        return redirect("studios:lesson", lesson_id=lesson.pk)
    try:
        attendance = services.lesson_check_in(acting_user=request.user, lesson=lesson, person=person)
    except ValidationError as error:
        show_errors(request, error)
    else:
        if attendance.hours < lesson.hours:
            # The ledger's daily cap: the attendance stands, with the hours that still fit in the person's day.
            messages.warning(
                request,
                _(
                    "%(name)s is checked in, but only %(credited)s of the lesson's %(hours)s hours are credited: "
                    "their hours that day reached the daily limit."
                )
                % {"name": person, "credited": hours_text(attendance.hours), "hours": hours_text(lesson.hours)},
            )
        else:
            messages.success(request, _("%(name)s is checked in; the hours are credited.") % {"name": person})
    return redirect("studios:lesson", lesson_id=lesson.pk)
