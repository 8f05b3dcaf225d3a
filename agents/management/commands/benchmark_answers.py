from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Answer trust on a small demo corpus: hit@5 of the supporting passage and citation "
        "precision, with the extractive answerer and with AGENT_BENCHMARK_MODEL when set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--keep", action="store_true", help="keep the bench workspace")

    def handle(self, *args: Any, **options: Any) -> None:
        from agents.benchmarks.answers import run_answer_benchmark

        run_answer_benchmark(write=self.stdout.write, keep=options["keep"])
