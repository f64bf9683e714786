"""Pages about the official figures: dashboard, allies, methodology."""

from django.urls import path

app_name = "spending"
urlpatterns: list = []
