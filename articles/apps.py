from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and statements"
    #: A change to these models bumps the ``reports`` data version (nato_tracker.signals).
    data_scope = "reports"
