"""The account pages beside allauth's: the profile, My data, two-factor authentication for roles with power."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("my-data/", views.my_data, name="my-data"),
    path("my-data/<int:export_id>/download/", views.my_data_download, name="my-data-download"),
    path("two-factor/", views.two_factor_required, name="two-factor"),
]
