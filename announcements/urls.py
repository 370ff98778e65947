from django.urls import path

from . import views

app_name = "announcements"
urlpatterns = [
    path("", views.announcement_list, name="list"),
    path("new/", views.announcement_new, name="new"),
    path("<int:announcement_id>/", views.announcement_detail, name="detail"),
    path("<int:announcement_id>/send/", views.announcement_send, name="send"),
    path("<int:announcement_id>/cancel/", views.announcement_cancel, name="cancel"),
    path("<int:announcement_id>/read/", views.announcement_read, name="read"),
]
