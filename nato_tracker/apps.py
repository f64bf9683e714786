from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project package as an app: it owns what serves every app, such as the cache
    invalidation on data changes (:mod:`nato_tracker.signals`)."""

    name = "nato_tracker"
    verbose_name = "NATO tracker (project)"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (cache invalidation on data changes)
