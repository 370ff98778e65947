"""Each person's start page (cached per person, see `freshness`), and the coordinator's cohort overview, composed from the apps' selectors."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

import versioned
from accounts.audit import audit_personal_data_export
from accounts.inputs import id_or_400
from accounts.models import Region
from accounts.permissions import administered_region_ids, is_editor, is_joint_office
from accounts.spreadsheets import table_response
from mentorship.selectors import dashboard_membership_annotations, dashboard_panel
from training import selectors as training
from training.models import MembershipRole, MembershipStatus
from training.permissions import can_manage_cohort
from training.selectors import dashboard as training_dashboard

from .charts import pairing_flows_chart, progress_histogram
from .freshness import body_seconds, dashboard_body_slot
from .selectors import person_for_dashboard

OVERVIEW_PAGE_SIZE = 100


# The cached body is rendered with this in place of the visitor's CSRF token (the calendar card's
# forms); each response puts the visitor's own token in its place.
CSRF_PLACEHOLDER = "csrf-token-of-the-visitor"


@login_required
@require_GET
def home(request):
    user = request.user
    slot = dashboard_body_slot(user)
    body, stamp = versioned.kept(*slot) if slot else (None, "")
    if body is None:
        context = _home_context(user)
        context["csrf_token"] = CSRF_PLACEHOLDER
        body = render_to_string("dashboard/_home_body.html", context, request=request)
        if slot:
            moments = [moment for item in context["upcoming"] for moment in (item.starts_at, item.ends_at)]
            moments += [assignment.due_at for assignment in context["due"]]
            moments += [invitation.expires_at for invitation in context["invitations"]]
            versioned.keep(slot[0], stamp, body, body_seconds(moments, context["now"]))
    body = body.replace(CSRF_PLACEHOLDER, get_token(request))
    return render(request, "dashboard/home.html", {"body": mark_safe(body)})  # noqa: S308 - rendered by our template


def _home_context(user) -> dict:
    # Each panel reads what it shows once; the memberships, read once, serve several panels
    # (see `training.selectors.dashboard`), and the person's groups, regions and certificates are read
    # with their profile (the groups and regions kept on `user` for the checks below).
    now = timezone.now()
    profile, feed, certificates = person_for_dashboard(user=user)
    memberships = list(
        training_dashboard.membership_list_for_dashboard(user=user, now=now).annotate(
            **dashboard_membership_annotations(user=user)
        )
    )
    trainee = training_dashboard.trainee_panels(user=user, memberships=memberships, now=now)
    feed_url = ""
    if feed is not None:
        feed_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
            "training:calendar-feed", kwargs={"token": feed.token}
        )
    return {
        "profile": profile,
        "memberships": memberships,
        "coordinated": [
            membership
            for membership in memberships
            if membership.role == MembershipRole.COORDINATOR and membership.grants_access
        ],
        "invitations": training_dashboard.pending_invitations(memberships),
        "upcoming": training_dashboard.schedule_item_list_upcoming_for_memberships(memberships=memberships, now=now),
        "due": trainee.due,
        "progress": trainee.progress,
        "certificates": certificates,
        "feed_url": feed_url,
        "is_editor": is_editor(user),
        "region_office": bool(administered_region_ids(user)) or is_joint_office(user),
        "now": now,
        "mentorship": dashboard_panel(user=user, memberships=memberships),
    }


def _overview_filters(request) -> dict:
    region = request.GET.get("region", "")
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "name")
    return {
        "region_id": id_or_400(region),
        "status": status if status in MembershipStatus.values else "",
        "flagged": request.GET.get("flagged") == "1",
        "query": request.GET.get("q", "").strip()[:100],
        "sort": sort if sort in training.OVERVIEW_SORTS else "name",
        "descending": request.GET.get("dir") == "desc",
    }


@login_required
@require_GET
def cohort_overview(request, cohort_id):
    # A warm look: the cohort with the person's roles and regions (one query), then the body kept for what
    # they asked and may see, read with the cohort's token in one round trip. The body is rendered afresh
    # after any change to the cohort, and when its first row falls due (`training.overview`).
    cohort = training.cohort_get_for_overview(acting_user=request.user, cohort_id=cohort_id)
    filters = _overview_filters(request)
    page = request.GET.get("page", "")
    # Kept per filters as understood and page, never per raw address: junk parameters share the plain
    # body, and a name typed into the search is answered afresh, so no one fills the cache by typing.
    asked = [*sorted(_overview_query(filters).lists()), ("page", page if page.isdigit() and len(page) <= 4 else "")]
    slot = training.cohort_overview_body_slot(acting_user=request.user, cohort=cohort, asked=asked)
    kept = not filters["query"]
    body, stamp = versioned.kept(*slot) if kept else (None, None)
    if body is None:
        if training.cohort_overview_refresh(cohort=cohort) and kept:
            _, stamp = versioned.kept(*slot)  # the refresh renewed the token: keep the body under the new one
        context = _overview_context(request, cohort, filters)
        context["csrf_token"] = CSRF_PLACEHOLDER
        body = render_to_string("dashboard/_cohort_overview_body.html", context, request=request)
        if kept:
            versioned.keep(slot[0], stamp, body, training.cohort_overview_body_seconds(cohort=cohort))
    if CSRF_PLACEHOLDER in body:
        body = body.replace(CSRF_PLACEHOLDER, get_token(request))
    return render(
        request,
        "dashboard/cohort_overview.html",
        {"cohort": cohort, "body": mark_safe(body)},  # noqa: S308 - rendered by our template
    )


def _overview_query(filters) -> QueryDict:
    """The address's filters as understood (what the links, exports and the kept body follow), not as typed."""
    query = QueryDict(mutable=True)
    for name, value in (
        ("region", filters["region_id"] or ""),
        ("status", filters["status"]),
        ("flagged", "1" if filters["flagged"] else ""),
        ("q", filters["query"]),
        ("sort", filters["sort"] if filters["sort"] != "name" else ""),
        ("dir", "desc" if filters["descending"] else ""),
    ):
        if value:
            query[name] = value
    return query


def _overview_context(request, cohort, filters) -> dict:
    shown = training.cohort_overview_page(
        acting_user=request.user,
        cohort=cohort,
        page=request.GET.get("page", ""),
        page_size=OVERVIEW_PAGE_SIZE,
        **filters,
    )
    # The paginator counts a range: the page's own rows come from the query above.
    page = Paginator(range(shown.count), OVERVIEW_PAGE_SIZE).get_page(shown.number)
    page.object_list = shown.rows
    expected = round(100 * cohort.expected_fraction(timezone.localdate()))
    query = _overview_query(filters)
    sort_links = {}
    for key in training.OVERVIEW_SORTS:
        params = query.copy()
        params["sort"] = key
        params["dir"] = "desc" if filters["sort"] == key and not filters["descending"] else "asc"
        sort_links[key] = params.urlencode()
    return {
        "cohort": cohort,
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "page_query": query,  # the pagination's links follow the filters as understood, as the kept body does
        "sort_links": sort_links,
        "regions": Region.objects.filter(cohort_quotas__cohort=cohort).order_by("sort_order"),
        "statuses": [
            (value, label) for value, label in MembershipStatus.choices if value not in (MembershipStatus.WITHDRAWN,)
        ],
        "histogram": progress_histogram(
            *training.cohort_overview_buckets(acting_user=request.user, cohort=cohort, **filters),
            expected_percent=expected,
        ),
        "flows": pairing_flows_chart(training.pairing_flows(acting_user=request.user, cohort=cohort)),
        "manages": can_manage_cohort(request.user, cohort),
        "trainee_total": shown.count,
        "flagged_total": shown.flagged,
        "computed_at": shown.computed_at,
    }


def _export_rows(rows):
    header = [
        _("Name"),
        _("E-mail"),
        _("Region"),
        _("School"),
        _("Status"),
        _("Mentor"),
        _("Required sessions attended"),
        _("Assignments accepted"),
        _("Confirmed mentoring hours"),
        _("Credited hours"),
        _("Progress (%)"),
        _("Flags"),
    ]
    yield header
    for row in rows:
        membership, progress = row.membership, row.progress
        yield [
            membership.user.get_full_name(),
            membership.user.email,
            membership.region.localized_name if membership.region else "",
            row.school.localized_name if row.school else "",
            membership.get_status_display(),
            "、".join(mentor.get_full_name() for mentor in row.mentors),
            progress.sessions_attended,
            progress.assignments_accepted,
            float(progress.mentoring_hours),
            float(progress.total_hours),
            progress.percent,
            "；".join(flag.message for flag in progress.flags),
        ]


@login_required
@require_GET
def cohort_overview_export(request, cohort_id, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    cohort = training.cohort_get_for_overseer(acting_user=request.user, cohort_id=cohort_id)
    rows = training.cohort_overview(acting_user=request.user, cohort=cohort, **_overview_filters(request))
    filename = f"yingzi-cohort-{cohort.pk}-{timezone.localdate():%Y%m%d}.{fmt}"
    audit_personal_data_export(request=request, instance=cohort, export="cohort-overview", fmt=fmt)
    return table_response(rows=_export_rows(rows), filename=filename, fmt=fmt, sheet_title=_("Trainees"))
