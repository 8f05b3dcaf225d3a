from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Shared pieces; its migrations install the Postgres extensions everything else needs."""

    name = "common"
