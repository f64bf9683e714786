"""Atom feeds of new statements, included at ``/feeds/``."""

from django.urls import path

from .feeds import AllyStatementsFeed, LatestStatementsFeed, SpeakerStatementsFeed

app_name = "feeds"
urlpatterns = [
    path("statements/", LatestStatementsFeed(), name="statements"),
    path("allies/<str:iso3>/", AllyStatementsFeed(), name="ally"),
    path("speakers/<slug:slug>/", SpeakerStatementsFeed(), name="speaker"),
]
