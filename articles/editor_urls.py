"""Editor pages (signed-in editors only), mounted under ``/editor/``."""

from django.urls import path

from . import editor_views as views

app_name = "editor"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("statements/<int:pk>/", views.statement, name="statement"),
    path("statements/<int:pk>/speaker/", views.set_speaker, name="set_speaker"),
    path("statements/<int:pk>/new-speaker/", views.new_speaker, name="new_speaker"),
    path("statements/<int:pk>/about/", views.set_about, name="set_about"),
    path("statements/<int:pk>/link/", views.link, name="link"),
    path("statements/<int:pk>/status/", views.set_status, name="set_status"),
    path("links/<int:pk>/remove/", views.unlink, name="unlink"),
    path("claims/", views.claims, name="claims"),
    path("claims/<str:kind>/<int:pk>/verdict/", views.set_verdict, name="set_verdict"),
    path("history/<str:kind>/<int:pk>/", views.history, name="history"),
    path("history/<str:kind>/revert/<int:history_id>/", views.revert, name="revert"),
]
