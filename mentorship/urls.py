"""Mentorship's pages: pairings, session logs, reflections, evaluations, hosts and matching."""

from django.urls import path

from . import views

app_name = "mentorship"
urlpatterns = [
    path("host-profile/", views.host_profile, name="host-profile"),
    path("record/", views.mentor_record, name="mentor-record"),
    path("cohorts/<int:cohort_id>/preferences/", views.preferences, name="preferences"),
    path("cohorts/<int:cohort_id>/pairings/", views.cohort_pairings, name="cohort-pairings"),
    path("cohorts/<int:cohort_id>/matching/", views.matching, name="matching"),
    path("cohorts/<int:cohort_id>/evaluations/", views.cohort_evaluations, name="cohort-evaluations"),
    path("cohorts/<int:cohort_id>/host-certificates/", views.host_certificates, name="host-certificates"),
    path("batches/<int:batch_id>/", views.batch_detail, name="batch-detail"),
    path("pairings/<int:pairing_id>/", views.pairing_detail, name="pairing-detail"),
    path("pairings/<int:pairing_id>/approve/", views.pairing_approve, name="pairing-approve"),
    path("pairings/<int:pairing_id>/agreement/", views.pairing_agreement, name="pairing-agreement"),
    path("pairings/<int:pairing_id>/status/", views.pairing_status, name="pairing-status"),
    path("pairings/<int:pairing_id>/log/", views.session_log_create, name="session-log-create"),
    path("pairings/<int:pairing_id>/reflections/new/", views.reflection_create, name="reflection-create"),
    path(
        "pairings/<int:pairing_id>/evaluations/<slug:stage>/<slug:kind>/",
        views.evaluation_form,
        name="evaluation-form",
    ),
    path("pairings/<int:pairing_id>/action-plan/", views.action_plan, name="action-plan"),
    path("logs/<int:log_id>/review/", views.session_log_review, name="session-log-review"),
    path("reflections/<int:reflection_id>/", views.reflection_detail, name="reflection-detail"),
    path("check-ins/<int:check_in_id>/", views.check_in_record, name="check-in-record"),
]
