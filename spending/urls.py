"""Pages about the official figures: dashboard, allies, methodology, chart embeds."""

from django.urls import path

from . import views

app_name = "spending"
urlpatterns: list = [
    path("", views.dashboard, name="dashboard"),
    path("countries/", views.countries, name="countries"),
    path("countries/<slug:slug>/", views.country, name="country"),
    path("methodology/", views.methodology, name="methodology"),
    path("embed/<slug:chart>/", views.embed, name="embed"),
]
