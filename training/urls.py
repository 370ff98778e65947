"""Training's pages: cohorts, members, invitations, imports, applications, schedule, assignments, certificates."""

from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("cohorts/", views.cohort_list, name="cohort-list"),
    path("cohorts/new/", views.cohort_create, name="cohort-create"),
    path("cohorts/<int:cohort_id>/", views.cohort_detail, name="cohort-detail"),
    path("cohorts/<int:cohort_id>/edit/", views.cohort_edit, name="cohort-edit"),
    path("cohorts/<int:cohort_id>/members/", views.membership_list, name="membership-list"),
    path("cohorts/<int:cohort_id>/members/<int:membership_id>/", views.membership_change, name="membership-change"),
    path(
        "cohorts/<int:cohort_id>/members/<int:membership_id>/resend/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    path("cohorts/<int:cohort_id>/invite/", views.invitation_create, name="invitation-create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("cohorts/<int:cohort_id>/import/", views.import_create, name="import-create"),
    path("imports/<int:import_id>/", views.import_detail, name="import-detail"),
    path("imports/<int:import_id>/status/", views.import_status, name="import-status"),
    # Programme pages link here by name (cms): keep the name and the cohort_id argument.
    path("cohorts/<int:cohort_id>/apply/", views.cohort_apply, name="cohort-apply"),
    path("cohorts/<int:cohort_id>/applications/", views.application_list, name="application-list"),
    path(
        "cohorts/<int:cohort_id>/applications/<int:membership_id>/",
        views.application_decide,
        name="application-decide",
    ),
    path("cohorts/<int:cohort_id>/schedule/", views.schedule, name="schedule"),
    path("cohorts/<int:cohort_id>/schedule/new/", views.schedule_item_create, name="schedule-item-create"),
    path("schedule/<int:item_id>/", views.schedule_item_detail, name="schedule-item-detail"),
    path("schedule/<int:item_id>/edit/", views.schedule_item_edit, name="schedule-item-edit"),
    path("schedule/<int:item_id>/cancel/", views.schedule_item_cancel, name="schedule-item-cancel"),
    path("schedule/<int:item_id>/attendance/", views.attendance, name="attendance"),
    path("schedule/<int:item_id>/check-in-code/", views.check_in_code, name="check-in-code"),
    path("check-in/<int:item_id>/<str:code>/", views.check_in, name="check-in"),
    path("calendar/address/", views.calendar_address, name="calendar-address"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("calendar/<str:token>/cohorts/<int:cohort_id>.ics", views.cohort_calendar_feed, name="cohort-calendar-feed"),
    path("cohorts/<int:cohort_id>/assignments/", views.assignment_list, name="assignment-list"),
    path("cohorts/<int:cohort_id>/assignments/new/", views.assignment_create, name="assignment-create"),
    path("assignments/<int:assignment_id>/", views.assignment_detail, name="assignment-detail"),
    path("assignments/<int:assignment_id>/edit/", views.assignment_edit, name="assignment-edit"),
    path("assignments/<int:assignment_id>/submit/", views.submission_create, name="submission-create"),
    path("submissions/<int:submission_id>/review/", views.submission_review, name="submission-review"),
    path("files/<int:file_id>/", views.submission_file, name="submission-file"),
    path("cohorts/<int:cohort_id>/sign-off/", views.sign_off, name="sign-off"),
    path("cohorts/<int:cohort_id>/certificates/", views.certificate_list, name="certificate-list"),
    path("certificates/<int:certificate_id>/pdf/", views.certificate_pdf, name="certificate-pdf"),
    path("certificates/<int:certificate_id>/revoke/", views.certificate_revoke, name="certificate-revoke"),
    path("cohorts/<int:cohort_id>/hours.csv", views.hours_export, name="hours-export"),
    path("cohorts/<int:cohort_id>/audit/", views.audit, name="audit"),
    path("verify/", views.certificate_lookup, name="certificate-lookup"),
    path("verify/<str:code>/", views.certificate_verify, name="certificate-verify"),
    path("verify/<str:code>/card.png", views.certificate_share_card, name="certificate-share-card"),
]
