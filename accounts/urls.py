"""The account pages beside allauth's: the profile, two-factor authentication for roles with power."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("two-factor/", views.two_factor_required, name="two-factor"),
]
