"""Pages about articles, statements and speakers."""

from django.urls import path

app_name = "articles"
urlpatterns: list = []
