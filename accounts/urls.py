from django.urls import path

from api import views as api_views

from . import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("tokens/", api_views.token_list, name="api-tokens"),
    path("tokens/<int:token_id>/revoke/", api_views.token_revoke, name="api-token-revoke"),
]
