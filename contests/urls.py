from django.urls import path

from . import views

app_name = "contests"
urlpatterns = [
    path("", views.contest_list, name="list"),
    path("<int:contest_id>/", views.contest_detail, name="detail"),
    path("<int:contest_id>/nominations/", views.nominations, name="nominations"),
    path("categories/<int:category_id>/sign-up/", views.sign_up, name="sign-up"),
    path("items/<int:item_id>/hand-in/", views.submit, name="submit"),
    path("rounds/<int:round_id>/judge/", views.judge_sheet, name="judge"),
    path(
        "rounds/<int:round_id>/items/<int:item_id>/entrants/<int:entrant_id>/score/",
        views.score_entrant,
        name="score",
    ),
    path("scores/<int:score_id>/correct/", views.score_correct, name="score-correct"),
    path("rounds/<int:round_id>/ranking/", views.ranking, name="ranking"),
    path("rounds/<int:round_id>/entrants/<int:entrant_id>/", views.computation, name="computation"),
    path("rounds/<int:round_id>/<slug:action>/", views.round_action, name="round-action"),
]
