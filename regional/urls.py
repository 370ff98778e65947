from django.urls import path

from . import views

app_name = "regional"
urlpatterns = [
    path("", views.home, name="home"),
    path("queue/", views.queue, name="queue"),
    path("rules/", views.rules, name="rules"),
    path("indicators.<str:fmt>", views.indicators_export, name="indicators-export"),
]
