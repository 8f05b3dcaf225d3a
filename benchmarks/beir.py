"""Loader for datasets in the BEIR on-disk layout.

Expected folder contents::

    corpus.jsonl        one JSON object per line: {"_id", "title", "text"}
    queries.jsonl       one JSON object per line: {"_id", "text"}
    qrels/<split>.tsv   tab-separated, header "query-id corpus-id score"
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["BeirDataset", "BeirDoc", "load_beir"]


@dataclass(frozen=True, slots=True)
class BeirDoc:
    doc_id: str
    title: str
    text: str

    @property
    def full_text(self) -> str:
        """Title and body joined the way BEIR baselines index them."""
        return f"{self.title} {self.text}".strip()


@dataclass(slots=True)
class BeirDataset:
    name: str
    corpus: dict[str, BeirDoc]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]] = field(default_factory=dict)


def _iter_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: invalid JSON ({exc.msg})") from exc
            if not isinstance(obj, dict) or "_id" not in obj:
                raise ValueError(f"{path}:{lineno}: expected a JSON object with an '_id' field")
            yield obj


def _load_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        header = next(reader, None)
        if header is None:
            return qrels
        # Some BEIR exports ship without the header row; don't silently drop the first judgement.
        rows: Iterator[list[str]] = reader
        if not (header and header[0].strip().lower() in {"query-id", "query_id", "qid"}):
            rows = iter([header, *reader])
        for lineno, row in enumerate(rows, start=2):
            if not row or not "".join(row).strip():
                continue
            if len(row) < 3:
                raise ValueError(f"{path}:{lineno}: expected 3 columns, got {len(row)}")
            qid, did, score = row[0].strip(), row[1].strip(), row[2].strip()
            try:
                qrels.setdefault(qid, {})[did] = int(float(score))
            except ValueError as exc:
                raise ValueError(f"{path}:{lineno}: non-numeric score {score!r}") from exc
    return qrels


def load_beir(path: str | Path, split: str = "test") -> BeirDataset:
    """Load a BEIR-layout folder, keeping only queries that have judgements for ``split``."""
    root = Path(path)
    if not root.is_dir():
        raise FileNotFoundError(
            f"BEIR dataset folder not found: {root} (expected a folder containing "
            f"corpus.jsonl, queries.jsonl and qrels/{split}.tsv)"
        )
    corpus_path = root / "corpus.jsonl"
    queries_path = root / "queries.jsonl"
    qrels_path = root / "qrels" / f"{split}.tsv"
    missing = [p for p in (corpus_path, queries_path, qrels_path) if not p.is_file()]
    if missing:
        names = ", ".join(str(p.relative_to(root)) for p in missing)
        raise FileNotFoundError(
            f"BEIR dataset at {root} is missing {names}; expected corpus.jsonl "
            f"(_id,title,text), queries.jsonl (_id,text) and qrels/{split}.tsv "
            "(query-id, corpus-id, score)"
        )

    corpus: dict[str, BeirDoc] = {}
    for obj in _iter_jsonl(corpus_path):
        doc_id = str(obj["_id"])
        corpus[doc_id] = BeirDoc(
            doc_id=doc_id, title=str(obj.get("title") or ""), text=str(obj.get("text") or "")
        )

    qrels = _load_qrels(qrels_path)
    queries: dict[str, str] = {}
    for obj in _iter_jsonl(queries_path):
        qid = str(obj["_id"])
        if qid in qrels:
            queries[qid] = str(obj.get("text") or "")
    # Judgements for queries absent from queries.jsonl can never be scored; drop them so
    # metrics averaged over qrels and over queries agree.
    qrels = {qid: rels for qid, rels in qrels.items() if qid in queries}

    return BeirDataset(name=root.name, corpus=corpus, queries=queries, qrels=qrels)
