from django.urls import path

from . import views

app_name = "credits"
urlpatterns = [
    path("", views.transcript, name="transcript"),
    path("transcript.pdf", views.transcript_pdf, name="transcript-pdf"),
    path("transcript.vc.json", views.transcript_credential, name="transcript-credential"),
    path(
        "certificates/<int:certificate_id>/credential.json", views.certificate_credential, name="certificate-credential"
    ),
    path("share/", views.transcript_share, name="transcript-share"),
    path("verify/<str:token>/", views.transcript_verify, name="transcript-verify"),
]
