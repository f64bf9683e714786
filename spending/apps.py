from django.apps import AppConfig


class SpendingConfig(AppConfig):
    name = "spending"
    verbose_name = "Defence spending"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (cache invalidation on data changes)
