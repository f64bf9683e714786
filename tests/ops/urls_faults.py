"""URLs for the fault tests: views that raise the errors a broken database raises."""

import sqlite3

import psycopg
from django.db import InterfaceError, OperationalError, ProgrammingError
from django.urls import include, path


def _raise(django_error, cause):
    def view(request):
        try:
            raise cause
        except Exception as exc:
            raise django_error(str(exc)) from exc

    return view


urlpatterns = [
    path("down/", _raise(OperationalError, psycopg.OperationalError("connection refused"))),
    path("api/down/", _raise(OperationalError, psycopg.OperationalError("connection refused"))),
    path("closed/", _raise(InterfaceError, psycopg.InterfaceError("the connection is closed"))),
    path("locked/", _raise(OperationalError, sqlite3.OperationalError("database is locked"))),
    path("no-table/", _raise(OperationalError, sqlite3.OperationalError("no such table: x"))),
    path("bad-sql/", _raise(ProgrammingError, psycopg.ProgrammingError("syntax error"))),
    path("", include("nato_tracker.urls")),
]
