"""The contest list and page: a person's own entry, hand-ins, student teachers' sign-up; the regions' nominations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from training.forms import apply_errors, show_errors

from .. import selectors, services
from ..forms import NominateForm, SignUpForm, SubmissionForm
from ..models import Category, Item, JudgeSeat
from ..permissions import can_run_contest


@login_required
@require_GET
def contest_list(request):
    return render(request, "contests/contest_list.html", {"contests": selectors.contest_list()})


@login_required
@require_GET
def contest_detail(request, contest_id: int):
    contest = selectors.contest_get(contest_id)
    judged_rounds = set(
        JudgeSeat.objects.filter(item__round__contest=contest, judge=request.user).values_list(
            "item__round_id", flat=True
        )
    )
    context = {
        "contest": contest,
        "entries": selectors.my_entries(contest, request.user),
        "sign_up_categories": selectors.categories_open_for_sign_up(contest),
        "sign_up_form": SignUpForm(initial={"region": getattr(getattr(request.user, "profile", None), "region", None)}),
        "submission_form": SubmissionForm(),
        "runs": can_run_contest(request.user, contest),
        "nominates": selectors.can_see_nominations(request.user, contest),
        "judged_rounds": judged_rounds,
    }
    return render(request, "contests/contest_detail.html", context)


@login_required
@require_POST
def sign_up(request, category_id: int):
    category = get_object_or_404(Category.objects.select_related("contest"), pk=category_id)
    form = SignUpForm(request.POST)
    if form.is_valid():
        try:
            services.student_sign_up(
                category=category,
                acting_user=request.user,
                university=form.cleaned_data["university"],
                region=form.cleaned_data["region"],
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(
                request, _("You have signed up. Your region's education office will consider your nomination.")
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("contests:detail", category.contest_id)


@login_required
@require_POST
def submit(request, item_id: int):
    item = get_object_or_404(Item.objects.select_related("round__contest"), pk=item_id)
    form = SubmissionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.submission_save(
                item=item,
                acting_user=request.user,
                file=form.cleaned_data["file"],
                link=form.cleaned_data["link"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Handed in. You can replace it until the deadline."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("contests:detail", item.round.contest_id)


@login_required
@require_http_methods(["GET", "POST"])
def nominations(request, contest_id: int):
    contest = selectors.contest_get(contest_id)
    if not selectors.can_see_nominations(request.user, contest):
        raise Http404
    form = NominateForm(request.POST or None, contest=contest)
    if request.method == "POST" and form.is_valid():
        try:
            entrant = services.entrant_nominate(
                category=form.cleaned_data["category"], person=form.cleaned_data["person"], acting_user=request.user
            )
        except PermissionDenied:
            form.add_error(None, _("You nominate only for your own region; this person belongs to another."))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is nominated for %(region)s.")
                % {"name": entrant.person.get_full_name(), "region": entrant.region.localized_name},
            )
            return redirect("contests:nominations", contest.pk)
    entrants = selectors.nominations_for(contest, request.user)
    used = {(row["category_id"], row["region_id"]): row["used"] for row in selectors.quota_use(contest, request.user)}
    context = {
        "contest": contest,
        "form": form,
        "entrants": entrants,
        "used": used,
        "runs": can_run_contest(request.user, contest),
    }
    return render(request, "contests/nominations.html", context)
