from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Benchmarks that print figures beside a baseline measured in the same run. "
        "`benchmark retrieval --dataset PATH` (a BEIR-layout folder) or "
        "`benchmark scale --chunks N`, or `benchmark sync` (connector throughput), or "
        "`benchmark hostile-files` (web peak memory and time to refuse each hostile file)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True)
        retrieval = kinds.add_parser("retrieval", help="quality and ingestion speed on BEIR data")
        retrieval.add_argument("--dataset", required=True, help="a BEIR-layout folder")
        retrieval.add_argument("--keep", action="store_true", help="keep the bench workspace")
        scale = kinds.add_parser("scale", help="filtered vector search at N synthetic chunks")
        scale.add_argument("--chunks", type=int, default=1_000_000)
        scale.add_argument("--queries", type=int, default=50)
        scale.add_argument(
            "--vectors",
            choices=["low_rank", "uniform"],
            default="low_rank",
            help="low_rank: near a 32-d subspace, shaped like real embeddings (default); "
            "uniform: random unit vectors, the worst case for any graph index",
        )
        scale.add_argument("--keep", action="store_true", help="keep the bench workspace")
        sync = kinds.add_parser("sync", help="connector sync throughput from the fake servers")
        sync.add_argument(
            "--sources",
            nargs="+",
            choices=["slack", "notion", "google_drive", "github"],
            default=["slack", "notion", "google_drive", "github"],
        )
        sync.add_argument("--slack-messages", type=int, default=10_000)
        sync.add_argument("--notion-pages", type=int, default=2_000)
        sync.add_argument("--drive-files", type=int, default=2_000)
        workers = kinds.add_parser("workers", help="sync throughput with 1 and 2 sync workers")
        workers.add_argument("--connections", type=int, default=4)
        workers.add_argument("--messages", type=int, default=1_500)
        workers.add_argument("--latency-ms", type=float, default=20.0)
        workers.add_argument("--workers", type=int, nargs="+", default=[1, 2])
        hostile = kinds.add_parser(
            "hostile-files", help="upload generated hostile files to a real web process and worker"
        )
        hostile.add_argument("--keep", action="store_true", help="keep the bench workspace")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] == "hostile-files":
            from knowledge.benchmarks.hostile_run import run_hostile_files_benchmark

            run_hostile_files_benchmark(keep=options["keep"], write=self.stdout.write)
        elif options["kind"] == "retrieval":
            from knowledge.benchmarks.retrieval import run_retrieval_benchmark

            run_retrieval_benchmark(
                dataset_path=options["dataset"], keep=options["keep"], write=self.stdout.write
            )
        elif options["kind"] == "workers":
            from connections.benchmark import run_workers_benchmark

            run_workers_benchmark(
                connections=options["connections"],
                messages=options["messages"],
                latency_ms=options["latency_ms"],
                worker_counts=options["workers"],
                write=self.stdout.write,
            )
        elif options["kind"] == "sync":
            from connections.benchmark import run_sync_benchmark

            run_sync_benchmark(
                sources=options["sources"],
                slack_messages=options["slack_messages"],
                notion_pages=options["notion_pages"],
                drive_files=options["drive_files"],
                write=self.stdout.write,
            )
        else:
            from knowledge.benchmarks.scale import run_scale_benchmark

            run_scale_benchmark(
                chunks=options["chunks"],
                queries=options["queries"],
                keep=options["keep"],
                vectors=options["vectors"],
                write=self.stdout.write,
            )
