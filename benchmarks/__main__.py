"""`python -m benchmarks <kind> ...`: the benchmarks, run from a development install.

They drive the fakes in tests/fakes and the helpers in tests/ (the shared testing package),
which the image leaves out with benchmarks/ itself, so they run from a source checkout with
the development requirements, not in the deployed image. This entry point sets Django up
itself (settings, the embedded Postgres and Redis when no URLs are set), like manage.py.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

DESCRIPTION = (
    "Benchmarks that print figures beside a baseline measured in the same run. "
    "`retrieval --dataset PATH` (a BEIR-layout folder) or `scale --chunks N`, or `sync` "
    "(connector throughput), or `workers` (sync throughput on several workers), or "
    "`hostile-files` (web peak memory and time to refuse each hostile file), or `answers` "
    "(answer trust on a small demo corpus: hit@5 of the supporting passage and citation "
    "precision, with the extractive answerer and with AGENT_BENCHMARK_MODEL when set)."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=DESCRIPTION)
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
    answers = kinds.add_parser(
        "answers", help="hit@5 and citation precision on the demo answer corpus"
    )
    answers.add_argument("--keep", action="store_true", help="keep the bench workspace")
    return parser


def write(line: str) -> None:
    """One line to stdout, flushed, as a management command's self.stdout.write prints it."""
    sys.stdout.write(line if line.endswith("\n") else line + "\n")
    sys.stdout.flush()


def setup_django() -> None:
    # platform/ is a source folder, not a package (DESIGN.md, "Layout"): put it on sys.path as
    # manage.py does, and the repository root for benchmarks/ and tests/.
    for folder in (REPO_ROOT, REPO_ROOT / "platform"):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def run(options: argparse.Namespace) -> None:
    if options.kind == "hostile-files":
        from benchmarks.hostile_run import run_hostile_files_benchmark

        run_hostile_files_benchmark(keep=options.keep, write=write)
    elif options.kind == "retrieval":
        from benchmarks.retrieval import run_retrieval_benchmark

        run_retrieval_benchmark(dataset_path=options.dataset, keep=options.keep, write=write)
    elif options.kind == "workers":
        from benchmarks.sync import run_workers_benchmark

        run_workers_benchmark(
            connections=options.connections,
            messages=options.messages,
            latency_ms=options.latency_ms,
            worker_counts=options.workers,
            write=write,
        )
    elif options.kind == "sync":
        from benchmarks.sync import run_sync_benchmark

        run_sync_benchmark(
            sources=options.sources,
            slack_messages=options.slack_messages,
            notion_pages=options.notion_pages,
            drive_files=options.drive_files,
            write=write,
        )
    elif options.kind == "answers":
        from benchmarks.answers import run_answer_benchmark

        run_answer_benchmark(write=write, keep=options.keep)
    else:
        from benchmarks.scale import run_scale_benchmark

        run_scale_benchmark(
            chunks=options.chunks,
            queries=options.queries,
            keep=options.keep,
            vectors=options.vectors,
            write=write,
        )


def main(argv: list[str] | None = None) -> None:
    options = build_parser().parse_args(argv)
    setup_django()
    run(options)


if __name__ == "__main__":
    main()
