from __future__ import annotations

from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Shared pieces; its migrations install the Postgres extensions everything else needs."""

    name = "common"

    def ready(self) -> None:
        # The parser is Django-free (connectors use it too): hand it the configured limits
        # once, and every parse in this process, in the platform or a connector, uses them.
        from django.conf import settings

        from common.parsing.limits import ParseLimits, configure

        configure(
            ParseLimits(
                memory_mb=settings.PARSE_MEMORY_MB,
                cpu_seconds=settings.PARSE_CPU_SECONDS,
                wall_seconds=settings.PARSE_WALL_SECONDS,
                max_unpacked_bytes=settings.PARSE_MAX_UNPACKED_BYTES,
                max_compression_ratio=settings.PARSE_MAX_COMPRESSION_RATIO,
                max_zip_entries=settings.PARSE_MAX_ZIP_ENTRIES,
                max_pdf_pages=settings.PARSE_MAX_PDF_PAGES,
                max_characters=settings.PARSE_MAX_CHARACTERS,
            )
        )
        from common.outbound import set_default_policy_source
        from common.outbound_checks import outbound_policy

        # Connectors and model clients are plain Python: they ask common.outbound for the
        # policy, which comes from the settings.
        set_default_policy_source(outbound_policy)
