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
]
