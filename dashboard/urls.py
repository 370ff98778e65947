"""The start page and the cohort overview with its exports."""

from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("cohorts/<int:cohort_id>/", views.cohort_overview, name="cohort-overview"),
    path("cohorts/<int:cohort_id>/export.<str:fmt>", views.cohort_overview_export, name="cohort-overview-export"),
]
