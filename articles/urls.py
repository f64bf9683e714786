"""Pages about articles, statements and speakers."""

from django.urls import path

from . import views

app_name = "articles"
urlpatterns: list = [
    path("statements/", views.statements, name="statements"),
    path("statements/<int:pk>/", views.statement, name="statement"),
    path("speakers/", views.speakers, name="speakers"),
    path("speakers/<slug:slug>/", views.speaker, name="speaker"),
    path("articles/", views.articles, name="articles"),
    path("articles/<int:pk>/", views.article, name="article"),
]
