from django.apps import AppConfig


class SpendingConfig(AppConfig):
    name = "spending"
    verbose_name = "Defence spending"
    #: A change to these models bumps the ``official`` data version (nato_tracker.signals).
    data_scope = "official"
