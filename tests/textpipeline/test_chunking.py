import itertools
import json
from pathlib import Path

import pytest

from textpipeline.chunking import HEADER_SEPARATOR, ChunkDraft, chunk_document, content_hash
from textpipeline.embedding import LocalMiniLMEmbeddings

# The SciFact corpus the retrieval benchmark uses, in the shared data folder beside the checkout
# (`../shared/bench/data/scifact`, as in the README's benchmark section); found from this file,
# not from one machine's absolute path.
REPO_ROOT = Path(__file__).resolve().parents[2]
SCIFACT = REPO_ROOT.parent / "shared" / "bench" / "data" / "scifact" / "corpus.jsonl"

# Short sentences (well under the overlap budget) so the overlap is observable.
LONG_TEXT = " ".join(
    f"Step {i}: the on-call engineer checks dashboard number {i} and files a ticket."
    for i in range(120)
)

MARKDOWN = """# Onboarding

Welcome to the team. This page explains the first week.

## Accounts

You get a laptop, an SSO account and access to the wiki.
Ask IT if anything is missing.

## Payroll

Salaries are paid on the 25th. """ + ("Expense policy details follow. " * 80)


@pytest.fixture(scope="module")
def tokenizer():
    return LocalMiniLMEmbeddings().tokenizer


def _model_tokens(tokenizer, text: str) -> int:
    # Exactly what the model would see, special tokens included, no truncation.
    return len(tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])


def _check_invariants(chunks: list[ChunkDraft], tokenizer, header: str, max_tokens: int) -> None:
    assert [c.position for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        assert c.text.startswith(header + "\n\n") or c.text == header
        real = _model_tokens(tokenizer, c.text)
        assert real == c.token_count
        assert real <= max_tokens


def test_short_doc_is_one_chunk_with_header(tokenizer):
    chunks = chunk_document(
        title="Vacation policy",
        breadcrumb=["HR", "Policies"],
        text="Everyone gets 30 days of paid leave.",
        tokenizer=tokenizer,
    )
    assert chunks == [
        ChunkDraft(
            position=0,
            text="Vacation policy › HR › Policies\n\nEveryone gets 30 days of paid leave.",
            token_count=chunks[0].token_count,
        )
    ]
    _check_invariants(chunks, tokenizer, "Vacation policy › HR › Policies", 256)


def test_long_doc_splits_with_overlap_and_never_exceeds_window(tokenizer):
    header = HEADER_SEPARATOR.join(["Runbook", "Engineering", "On-call"])
    chunks = chunk_document(
        title="Runbook",
        breadcrumb=["Engineering", "On-call"],
        text=LONG_TEXT,
        tokenizer=tokenizer,
        max_tokens=128,
        overlap_tokens=32,
    )
    assert len(chunks) >= 5
    _check_invariants(chunks, tokenizer, header, 128)
    bodies = [c.text.removeprefix(header + "\n\n") for c in chunks]
    for prev, nxt in itertools.pairwise(bodies):
        first_sentence = nxt.split(". ")[0]
        assert first_sentence in prev, "consecutive chunks should share trailing sentences"
    # Nothing is lost: every sentence of the source lands in some chunk.
    joined = " ".join(bodies)
    for i in range(120):
        assert f"checks dashboard number {i} and" in joined


def test_markdown_splits_on_headings_first(tokenizer):
    chunks = chunk_document(
        title="Handbook", breadcrumb=[], text=MARKDOWN, tokenizer=tokenizer, max_tokens=128
    )
    _check_invariants(chunks, tokenizer, "Handbook", 128)
    assert chunks[0].text.startswith("Handbook\n\n# Onboarding")
    # The "## Payroll" heading opens a chunk instead of being glued to the previous section.
    assert any(c.text.startswith("Handbook\n\n## Payroll") for c in chunks)


def test_header_counts_against_the_window(tokenizer):
    long_breadcrumb = [f"Folder level {i} with a fairly descriptive name" for i in range(8)]
    chunks = chunk_document(
        title="Deeply nested page",
        breadcrumb=long_breadcrumb,
        text=LONG_TEXT,
        tokenizer=tokenizer,
        max_tokens=256,
    )
    assert len(chunks) > 1
    for c in chunks:
        assert _model_tokens(tokenizer, c.text) <= 256
        assert c.text.startswith("Deeply nested page › Folder level 0")


def test_oversized_header_is_truncated_not_overflowing(tokenizer):
    chunks = chunk_document(
        title="word " * 400, breadcrumb=["x"], text=LONG_TEXT, tokenizer=tokenizer
    )
    assert chunks
    header = chunks[0].text.split("\n\n", 1)[0]
    for c in chunks:
        assert c.text.startswith(header + "\n\n")
        assert _model_tokens(tokenizer, c.text) <= 256


def test_unbreakable_token_runs_still_fit(tokenizer):
    # CJK has no spaces, and BERT emits one token per ideograph: the only way to split this
    # is the character-level fallback.
    cjk = "数据库连接池配置说明文档" * 120
    chunks = chunk_document(title="Blob", breadcrumb=[], text=cjk, tokenizer=tokenizer)
    assert len(chunks) > 1
    _check_invariants(chunks, tokenizer, "Blob", 256)


def test_empty_body_yields_header_only_chunk(tokenizer):
    chunks = chunk_document(title="Links", breadcrumb=["Wiki"], text="  \n\t ", tokenizer=tokenizer)
    assert [c.text for c in chunks] == ["Links › Wiki"]
    assert chunks[0].token_count == _model_tokens(tokenizer, "Links › Wiki")
    assert chunk_document(title=" ", breadcrumb=[], text="", tokenizer=tokenizer) == []


def test_real_scifact_abstracts_fit(tokenizer):
    # The suite needs this data: missing, the test fails and says where it belongs.
    assert SCIFACT.is_file(), f"SciFact corpus missing: expected {SCIFACT} (see README, Benchmarks)"
    with SCIFACT.open() as fh:
        docs = [json.loads(line) for _, line in zip(range(50), fh, strict=False)]
    for doc in docs:
        chunks = chunk_document(
            title=doc["title"], breadcrumb=["SciFact"], text=doc["text"], tokenizer=tokenizer
        )
        assert chunks
        for c in chunks:
            assert c.text.startswith(doc["title"].strip())
            assert _model_tokens(tokenizer, c.text) <= 256


def test_content_hash_is_stable_and_sensitive():
    base = {"title": "Policy", "text": "Body text.", "breadcrumb": ["HR", "Docs"]}
    h = content_hash(**base)
    assert h == content_hash(title="Policy", text="Body text.", breadcrumb=("HR", "Docs"))
    assert len(h) == 64 and int(h, 16) >= 0
    variants = [
        {**base, "title": "Policy 2"},
        {**base, "text": "Body text!"},
        {**base, "breadcrumb": ["HR"]},
        {**base, "breadcrumb": ["Docs", "HR"]},
        # Boundaries matter: moving a word between fields must change the hash.
        {"title": "Policy Body", "text": "text.", "breadcrumb": ["HR", "Docs"]},
        {**base, "breadcrumb": ["HR Docs"]},
    ]
    hashes = {content_hash(**v) for v in variants}
    assert h not in hashes
    assert len(hashes) == len(variants)


def test_counts_ignore_truncation_baked_into_tokenizer_json(tokenizer):
    # MiniLM's tokenizer.json ships with truncation at 128 tokens; counting with it as-is
    # would under-count and let chunks overflow the 256-token window.
    from tokenizers import Tokenizer

    raw = Tokenizer.from_str(tokenizer.backend_tokenizer.to_str())
    raw.enable_truncation(max_length=128)
    from_raw = chunk_document(title="Runbook", breadcrumb=[], text=LONG_TEXT, tokenizer=raw)
    from_hf = chunk_document(title="Runbook", breadcrumb=[], text=LONG_TEXT, tokenizer=tokenizer)
    assert from_raw == from_hf
    assert max(c.token_count for c in from_raw) > 128
    assert all(_model_tokens(tokenizer, c.text) <= 256 for c in from_raw)


def test_slow_tokenizer_is_rejected():
    with pytest.raises(TypeError, match="fast Hugging Face tokenizer"):
        chunk_document(title="t", breadcrumb=[], text="body", tokenizer=object())


def test_passage_body_drops_only_the_location_header() -> None:
    from textpipeline.chunking import passage_body

    text = "Guide › Ops\n\nStep one.\n\nStep two."
    assert (
        passage_body(chunk_text=text, title="Guide", breadcrumb=["Ops"]) == "Step one.\n\nStep two."
    )
    assert passage_body(chunk_text="Guide", title="Guide", breadcrumb=[]) == "Guide"
    unrelated = "Other heading\n\nBody"
    assert passage_body(chunk_text=unrelated, title="Guide", breadcrumb=[]) == unrelated
