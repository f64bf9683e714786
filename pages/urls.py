"""Pages about the official figures: dashboard, allies, comparison, methodology, charts.

Their URL names keep the namespace ``spending`` they had when the pages lived in that app
(``{% url 'spending:country' slug %}``)."""

from django.urls import path

from . import views

app_name = "spending"
urlpatterns: list = [
    path("", views.dashboard, name="dashboard"),
    path("countries/", views.countries, name="countries"),
    path("countries/<slug:slug>/", views.country, name="country"),
    path("methodology/", views.methodology, name="methodology"),
    path("compare/", views.compare, name="compare"),
    path("embed/<slug:chart>/", views.embed, name="embed"),
    path("charts/<slug:chart>.csv", views.chart_csv, name="chart_csv"),
]
