"""The site's own pages beside Wagtail's: search, language switch, news and event feeds, event registration and check-in."""

from django.urls import path

from . import feeds, views

app_name = "cms"
urlpatterns = [
    path("search/", views.page_search, name="search"),
    path("language/<str:language>/", views.language_switch, name="language-switch"),
    path("news.rss", feeds.NewsFeed(), name="news-feed"),
    path("events.ics", feeds.events_ics, name="events-feed"),
    path("events/<int:event_id>/register/", views.event_register, name="event-register"),
    path("events/<int:event_id>/check-in/", views.event_check_in, name="event-check-in"),
    path("events/<int:event_id>/registrants.<str:fmt>", views.registrant_export, name="registrant-export"),
    path("events/<int:event_id>/my-registration/", views.my_registration, name="my-registration"),
    path("registrations/<int:registration_id>/", views.registration_detail, name="registration-detail"),
    path("registrations/<int:registration_id>/cancel/", views.registration_cancel, name="registration-cancel"),
]
