from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Benchmarks that print figures beside a baseline measured in the same run. "
        "`benchmark retrieval --dataset PATH` (a BEIR-layout folder)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True)
        retrieval = kinds.add_parser("retrieval", help="quality and ingestion speed on BEIR data")
        retrieval.add_argument("--dataset", required=True, help="a BEIR-layout folder")
        retrieval.add_argument("--keep", action="store_true", help="keep the bench workspace")

    def handle(self, *args: Any, **options: Any) -> None:
        from knowledge.benchmarks.retrieval import run_retrieval_benchmark

        run_retrieval_benchmark(
            dataset_path=options["dataset"], keep=options["keep"], write=self.stdout.write
        )
