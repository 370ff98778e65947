"""The regional office's home (`/region/`): cohorts, schools, people, the recognition queue, rules and indicators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.inputs import id_or_400
from accounts.models import Region, School, Stage
from accounts.spreadsheets import table_response
from credits import selectors as credit_selectors
from credits import services as credit_services
from credits.models import CreditCategory, CreditKind, RecognitionStatus
from training.forms import show_form_errors

from . import indicators as figures
from . import selectors
from .charts import flow_chart, yearly_bars
from .forms import RecognitionDecisionForm, RuleForm

QUEUE_PAGE = 50
SCHOOLS_SHOWN = 20


def _year(request, years: list[int]) -> int:
    value = id_or_400(request.GET.get("year"))
    return value if value in years else years[0]


@login_required
@require_GET
def home(request):
    regions = selectors.office_regions(acting_user=request.user)
    region = selectors.region_get_for_office(acting_user=request.user, code=request.GET.get("region"), regions=regions)
    joint = selectors.office_scope(request.user)[0]
    # The body is the same for everyone who may open it: kept five minutes, and renewed by every credit
    # decision (the indicators' version token), so the queue an office has just worked on is never stale.
    key = ":".join(
        [
            "regional:home",
            figures.indicators_version(),
            region.code if region else "all",
            ",".join(r.code for r in regions),
            str(joint),
            request.GET.get("year", "")[:4],
            get_language(),
            str(timezone.localdate()),
        ]
    )
    body = cache.get(key)
    if body is None:
        template, context = _home_body(request, region=region, regions=regions, joint=joint)
        body = render_to_string(template, context, request=request)
        cache.set(key, body, figures.SECONDS)
    title = (
        _("%(region)s regional office") % {"region": region.localized_name}
        if region
        else _("Joint office: every region")
    )
    return render(request, "regional/home.html", {"body": mark_safe(body), "title": title})  # noqa: S308


def _home_body(request, *, region, regions, joint) -> tuple[str, dict]:
    data = figures.all_indicators()
    years = figures.years(data)
    year = _year(request, years)
    by_pk = {r.pk: r for r in regions}
    all_regions = {r.pk: r for r in Region.objects.all()}
    context = {
        "regions": regions,
        "region": region,
        "years": years,
        "year": year,
        "computed_at": data["computed_at"],
        "joint": joint,
        "queue_counts": selectors.queue_summary(region_ids=list(by_pk)),
    }
    if region is None:
        # The joint office: every region side by side.
        table = figures.by_region_and_year(data)
        context["side_by_side"] = [{"year": y, "cells": [table.get(y, {}).get(r.pk) for r in regions]} for y in years]
        context["flows"] = flow_chart(data["flows"], all_regions)
        return "regional/_joint_body.html", context
    rows = figures.for_region(data, region.pk)
    by_school = {row["key"]: row for row in figures.for_region(data, region.pk, "school", year)}
    by_stage = figures.for_region(data, region.pk, "stage", year)
    stage_labels = dict(Stage.choices)
    cohorts, cohort_total = selectors.cohort_list_for_region(region=region)
    sent, sent_total = selectors.sent_elsewhere(region=region)
    region_flows = [f for f in data["flows"] if region.pk in (f["source"], f["target"])]
    schools = selectors.school_list_for_region(region=region)
    for school in schools:
        school.figures = by_school.get(school.pk)
    # The busiest schools of the year on the page; every school is in the export.
    school_total = len(schools)
    schools = sorted(
        schools, key=lambda school: (-(school.figures or {}).get("trainees", 0), -school.people, school.name)
    )[:SCHOOLS_SHOWN]
    context.update(
        {
            "rows": sorted(rows, key=lambda row: row["year"], reverse=True),
            "schools": schools,
            "school_total": school_total,
            "unschooled": by_school.get(None),
            "stages": [
                {"label": stage_labels.get(row["key"], _("No school")), **row}
                for row in sorted(by_stage, key=lambda row: str(row["key"]))
            ],
            "cohorts": cohorts,
            "cohort_total": cohort_total,
            "sent": sent,
            "sent_total": sent_total,
            "trained_here": [
                {"region": all_regions.get(f["source"]), "count": f["count"]}
                for f in region_flows
                if f["target"] == region.pk and f["source"] != region.pk
            ],
            "bars": yearly_bars(rows, total="trainees", part="cross_province"),
            "flows": flow_chart(region_flows, all_regions),
            "flow_rows": sorted(region_flows, key=lambda f: -f["count"]),
            "all_regions": all_regions,
            "pending": list(
                credit_selectors.queue_for_user(acting_user=request.user, region_id=region.pk).order_by(
                    "record__occurred_on", "pk"
                )[:5]
            ),
        }
    )
    return "regional/_home_body.html", context


@login_required
@require_http_methods(["GET", "POST"])
def queue(request):
    region = selectors.region_get_for_office(acting_user=request.user, code=request.GET.get("region"))
    decides = credit_selectors.queue_decidable_by(request.user)
    if request.method == "POST":
        if decides is not None and not decides:
            raise PermissionDenied
        form = RecognitionDecisionForm(request.POST)
        if not form.is_valid():
            show_form_errors(request, form)
            return redirect(request.get_full_path())
        recognise = form.cleaned_data["decision"] == "recognise"
        try:
            decided = credit_services.recognition_decide(
                acting_user=request.user,
                recognition_ids=form.cleaned_data["recognition"],
                recognise=recognise,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if recognise:
                messages.success(request, _("Recognised: %(count)s record(s).") % {"count": len(decided)})
            else:
                messages.success(request, _("Refused: %(count)s record(s).") % {"count": len(decided)})
        return redirect(request.get_full_path())
    status = request.GET.get("status", RecognitionStatus.PENDING)
    if status not in RecognitionStatus.values or status == RecognitionStatus.ISSUED:
        status = RecognitionStatus.PENDING
    items = credit_selectors.queue_for_user(
        acting_user=request.user, region_id=region.pk if region else None, status=status
    ).order_by("record__occurred_on", "pk")
    page = Paginator(items, QUEUE_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "regional/queue.html",
        {
            "region": region,
            "page": page,
            "status": status,
            "statuses": [(v, label) for v, label in RecognitionStatus.choices if v != RecognitionStatus.ISSUED],
            "can_decide": status == RecognitionStatus.PENDING and (decides is None or bool(decides)),
            "regions": selectors.office_regions(acting_user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rules(request):
    region = selectors.region_get_for_office(acting_user=request.user, code=request.GET.get("region"))
    if region is None:
        regions = selectors.office_regions(acting_user=request.user)
        return render(request, "regional/rules_choose.html", {"regions": regions})
    decides = credit_selectors.queue_decidable_by(request.user)
    may_change = decides is None or region.pk in decides
    form = RuleForm(request.POST or None)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                rule = credit_services.rule_create(acting_user=request.user, region=region, **form.rule_data())
            except ValidationError as error:
                for problem in error.messages:
                    form.add_error(None, problem)
            else:
                messages.success(request, _("Version %(version)s of the rules is saved.") % {"version": rule.version})
                return redirect(f"{request.path}?region={region.code}")
    versions = credit_selectors.rule_list_for_region(region_id=region.pk)
    return render(
        request,
        "regional/rules.html",
        {
            "region": region,
            "form": form,
            "may_change": may_change,
            "versions": versions,
            "kinds": CreditKind.choices,
            "categories": CreditCategory.choices,
        },
    )


EXPORT_COLUMNS = [
    ("region_code", "Region code"),
    ("region", "Region"),
    ("year", "Year"),
    ("scope", "Scope"),
    ("group", "School or stage"),
    ("trainees", "Trainees"),
    ("cross_province", "Trained across provinces"),
    ("completed", "Completed"),
    ("completion_rate", "Completion rate (%)"),
    ("credited_teachers", "Teachers with credit"),
    ("hours", "Hours"),
    ("credits", "Credits"),
    ("hours_per_teacher", "Hours per teacher"),
    ("credits_per_teacher", "Credits per teacher"),
]


def export_rows(data: dict, regions, schools: dict) -> list[list]:
    """The fixed layout of docs/regional-exports.md: one line per region, year and scope (region, school, stage)."""
    stage_labels = dict(Stage.choices)
    region_ids = {region.pk: region for region in regions}
    lines = [[key for key, _label in EXPORT_COLUMNS]]
    for scope in ("region", "school", "stage"):
        for row in sorted(
            (row for row in data[scope] if row["region_id"] in region_ids),
            key=lambda row: (region_ids[row["region_id"]].sort_order, -row["year"], str(row["key"])),
        ):
            region = region_ids[row["region_id"]]
            if scope == "school":
                group = schools.get(row["key"], "")
            elif scope == "stage":
                group = str(stage_labels.get(row["key"], "")) if row["key"] else ""
            else:
                group = ""
            lines.append(
                [
                    region.code,
                    region.name,
                    row["year"],
                    scope,
                    group,
                    row["trainees"],
                    row["cross_province"],
                    row["completed"],
                    float(row["completion_rate"]) if row["completion_rate"] is not None else "",
                    row["credited_teachers"],
                    float(row["hours"]),
                    float(row["credits"]),
                    float(row["hours_per_teacher"]) if row["hours_per_teacher"] is not None else "",
                    float(row["credits_per_teacher"]) if row["credits_per_teacher"] is not None else "",
                ]
            )
    return lines


@login_required
@require_GET
def indicators_export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    region = selectors.region_get_for_office(acting_user=request.user, code=request.GET.get("region"))
    regions = [region] if region else selectors.office_regions(acting_user=request.user)
    schools = dict(School.objects.filter(region__in=regions).values_list("pk", "name"))
    suffix = f"-{region.code}" if region else ""
    return table_response(
        rows=export_rows(figures.all_indicators(), regions, schools),
        filename=f"yingzi-region-indicators{suffix}.{fmt}",
        fmt=fmt,
        sheet_title="indicators",
    )
