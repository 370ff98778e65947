from django.urls import path

from . import views

app_name = "studios"
urlpatterns = [
    path("", views.studio_list, name="list"),
    path("library/", views.library, name="library"),
    path("resources/<int:resource_id>/", views.resource_detail, name="resource"),
    path("resources/<int:resource_id>/file/", views.resource_file, name="resource-file"),
    path("resources/<int:resource_id>/consent/", views.resource_consent, name="resource-consent"),
    path("<int:studio_id>/threads/", views.thread_list, name="threads"),
    path("<int:studio_id>/threads/new/", views.thread_create, name="thread-create"),
    path("threads/<int:thread_id>/", views.thread_detail, name="thread"),
    path("threads/<int:thread_id>/reply/", views.post_create, name="post-create"),
    path("threads/<int:thread_id>/moderate/", views.thread_moderate, name="thread-moderate"),
    path("posts/<int:post_id>/hide/", views.post_hide, name="post-hide"),
    path("posts/<int:post_id>/report/", views.post_report, name="post-report"),
    path("posts/<int:post_id>/attachment/", views.post_attachment, name="post-attachment"),
    path("<int:studio_id>/resources/add/", views.resource_add, name="resource-add"),
    path(
        "<int:studio_id>/submissions/<int:submission_id>/promote/", views.submission_promote, name="submission-promote"
    ),
    path("<int:studio_id>/", views.studio_detail, name="detail"),
    path("<int:studio_id>/apply/", views.studio_apply, name="apply"),
    path("<int:studio_id>/invitation/", views.invitation_respond, name="invitation-respond"),
    path("<int:studio_id>/invite/", views.studio_invite, name="invite"),
    path("<int:studio_id>/applications/<int:membership_id>/", views.application_decide, name="application-decide"),
    path("<int:studio_id>/members/<int:membership_id>/co-leader/", views.co_leader_set, name="co-leader"),
    path("<int:studio_id>/plan/themes/", views.themes_set, name="plan-themes"),
    path("<int:studio_id>/plan/activities/", views.activity_add, name="plan-activity"),
    # Lesson study: cycles, plans, lessons, observation sheets and their templates.
    path("<int:studio_id>/cycles/", views.cycle_list, name="cycles"),
    path("cohorts/<int:cohort_id>/cycles/", views.cohort_cycle_list, name="cohort-cycles"),
    path("cycles/<int:cycle_id>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:cycle_id>/plan/", views.plan_version_add, name="plan-version-add"),
    path("plan-versions/<int:version_id>/comments/", views.plan_comment_add, name="plan-comment"),
    path("cycles/<int:cycle_id>/lessons/", views.lesson_schedule, name="lesson-schedule"),
    path("cycles/<int:cycle_id>/close/", views.cycle_close, name="cycle-close"),
    path("lessons/<int:lesson_id>/", views.lesson_detail, name="lesson"),
    path("lessons/<int:lesson_id>/recording/", views.lesson_recording, name="lesson-recording"),
    path("lessons/<int:lesson_id>/check-in/", views.lesson_check_in, name="lesson-check-in"),
    path("lessons/<int:lesson_id>/sheet/", views.sheet, name="sheet"),
    path("lessons/<int:lesson_id>/sheet/answer/", views.sheet_answer, name="sheet-answer"),
    path("lessons/<int:lesson_id>/summary/", views.summary, name="summary"),
    path("<int:studio_id>/observation-sheets/", views.template_list, name="templates"),
    path("observation-sheets/<int:template_id>/", views.template_detail, name="template"),
    path("observation-items/<int:item_id>/remove/", views.item_remove, name="item-remove"),
    # Observation sheet templates: the platform's (for cohorts' cycles), copies, and the items' order.
    path("observation-sheets/", views.platform_template_list, name="platform-templates"),
    path("observation-sheets/<int:template_id>/copy/", views.template_copy, name="template-copy"),
    path("observation-items/<int:item_id>/move/", views.item_move, name="item-move"),
]
