from __future__ import annotations

from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Shared pieces; its migrations install the Postgres extensions everything else needs."""

    name = "common"

    def ready(self) -> None:
        from common.outbound import set_default_policy_source
        from common.outbound_checks import outbound_policy

        # Connectors and model clients are plain Python: they ask common.outbound for the
        # policy, which comes from the settings.
        set_default_policy_source(outbound_policy)
