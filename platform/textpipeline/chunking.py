"""Token-aware chunking of knowledge documents.

Chunk sizes are measured with the embedding model's own tokenizer because the model
silently truncates anything past its window: an approximate (character or tiktoken)
count would index text that never reaches the vector.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from langchain_text_splitters import RecursiveCharacterTextSplitter
from tokenizers import Tokenizer

HEADER_SEPARATOR = " › "
# Blank line between header and body: a paragraph break for readers and LLM prompts.
_HEADER_BODY_JOINER = "\n\n"
# Bump when the serialisation below changes, so stored hashes are not compared across
# incompatible formats.
_HASH_SCHEMA = "knowledge-doc/v1"

# Coarsest boundary first. Regexes are zero-width or whitespace-only so that, with
# keep_separator="start", no text is lost and sentence punctuation stays with its own
# sentence while a heading marker stays with the section it opens.
_SEPARATORS: list[str] = [
    *(rf"\n(?=#{{{level}}}[ \t])" for level in range(1, 7)),  # Markdown headings
    r"\n[ \t]*\n\s*",  # paragraphs
    r"\n",  # lines (list items, table rows)
    r"(?<=[.!?])\s+",  # sentences
    r"(?<=[;:,])\s+",  # clauses
    r"\s+",  # words
    "",  # characters: last resort for unspaced text (CJK, long URLs)
]

# A header taking more than this share of the window would leave too little room for
# the body; it gets truncated instead.
_MAX_HEADER_SHARE = 0.5


@dataclass(frozen=True)
class ChunkDraft:
    """One chunk ready to embed. ``text`` includes the header line; ``token_count``
    includes the tokenizer's special tokens, i.e. exactly what the model sees."""

    position: int
    text: str
    token_count: int


def content_hash(*, title: str, text: str, breadcrumb: Sequence[str]) -> str:
    """Stable fingerprint of everything that feeds the chunks, so an unchanged document
    can be skipped before paying for chunking and embedding."""
    # A JSON array with fixed field order is unambiguous: ("a b", "c") and ("a", "b c") cannot
    # collide the way a plain string join could.
    payload = json.dumps(
        [_HASH_SCHEMA, title, list(breadcrumb), text],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class _TokenCounter:
    """Counts tokens with a private copy of the fast (Rust) tokenizer.

    A private copy because tokenizer.json for MiniLM ships with truncation/padding at 128,
    and transformers toggles truncation on the shared backend per call; counting with the
    shared one would cap counts and race with concurrent embedding.
    """

    def __init__(self, tokenizer: Any) -> None:
        backend: Any
        if isinstance(tokenizer, Tokenizer):
            backend = tokenizer
        else:
            backend = getattr(tokenizer, "backend_tokenizer", None)
            if not isinstance(backend, Tokenizer):
                raise TypeError(
                    "chunk_document needs a fast Hugging Face tokenizer (one exposing "
                    f"`backend_tokenizer`), got {type(tokenizer).__name__}"
                )
        self._tok = Tokenizer.from_str(backend.to_str())
        self._tok.no_truncation()
        self._tok.no_padding()
        self.special_tokens = len(self._tok.encode("", add_special_tokens=True).ids)

    def count(self, text: str) -> int:
        return len(self._tok.encode(text, add_special_tokens=False).ids)

    def count_with_special(self, texts: list[str]) -> list[int]:
        # Deliberately not encode_batch: its thread pool buys nothing for the 1-3 chunks of
        # a typical document, and once used it makes forked workers (Celery prefork,
        # gunicorn) print TOKENIZERS_PARALLELISM warnings and disable parallelism.
        return [len(self._tok.encode(t, add_special_tokens=True).ids) for t in texts]

    def offsets(self, text: str) -> list[tuple[int, int]]:
        return list(self._tok.encode(text, add_special_tokens=False).offsets)


# Copying a tokenizer costs ~tens of ms, far more than chunking one document, so copies
# are kept per tokenizer object. The original is held too, keeping its id() valid.
_COUNTERS: dict[int, tuple[Any, _TokenCounter]] = {}
_COUNTERS_LOCK = threading.Lock()


def _counter_for(tokenizer: Any) -> _TokenCounter:
    entry = _COUNTERS.get(id(tokenizer))
    if entry is not None and entry[0] is tokenizer:
        return entry[1]
    with _COUNTERS_LOCK:
        entry = _COUNTERS.get(id(tokenizer))
        if entry is None or entry[0] is not tokenizer:
            entry = (tokenizer, _TokenCounter(tokenizer))
            _COUNTERS[id(tokenizer)] = entry
    return entry[1]


def _build_header(title: str, breadcrumb: Sequence[str]) -> str:
    # Collapse internal whitespace so the header is always a single line.
    parts = [" ".join(p.split()) for p in (title, *breadcrumb)]
    return HEADER_SEPARATOR.join(p for p in parts if p)


def _truncate_to_tokens(counter: _TokenCounter, text: str, limit: int) -> str:
    offsets = counter.offsets(text)
    if len(offsets) <= limit:
        return text
    return text[: offsets[limit - 1][1]].rstrip() if limit > 0 else ""


def _hard_split(counter: _TokenCounter, text: str, budget: int, overlap: int) -> list[str]:
    """Fixed token windows: the fallback when separator-based pieces still overflow
    (tokenizers whose counts are not additive across concatenation)."""
    offsets = counter.offsets(text)
    step = max(1, budget - overlap)
    pieces = []
    for start in range(0, len(offsets), step):
        end = min(start + budget, len(offsets))
        pieces.append(text[offsets[start][0] : offsets[end - 1][1]].strip())
        if end == len(offsets):
            break
    return [p for p in pieces if p]


def chunk_document(
    *,
    title: str,
    breadcrumb: Sequence[str],
    text: str,
    tokenizer: Any,
    max_tokens: int = 256,
    overlap_tokens: int = 32,
) -> list[ChunkDraft]:
    """Split a document into chunks that each fit ``max_tokens`` (special tokens and the
    header included), every chunk starting with a header line: the title and breadcrumb
    joined by ``HEADER_SEPARATOR``, so each chunk carries its location on its own.

    ``overlap_tokens`` is an upper bound honoured at separator granularity: consecutive
    chunks repeat whole trailing sentences/lines/words worth at most that many tokens.
    """
    counter = _counter_for(tokenizer)
    body = text.replace("\r\n", "\n").replace("\r", "\n").strip()

    header_limit = int(max_tokens * _MAX_HEADER_SHARE)
    header = _truncate_to_tokens(counter, _build_header(title, breadcrumb), header_limit)
    prefix = header + _HEADER_BODY_JOINER if header else ""
    budget = max_tokens - counter.special_tokens - (counter.count(header) if header else 0)
    if budget < 1:
        raise ValueError(f"max_tokens={max_tokens} leaves no room for any body text")

    if not body:
        # A document with no body is still findable by its title/path (e.g. a page that is
        # only a link hub), so it gets one header-only chunk rather than vanishing.
        if not header:
            return []
        return [ChunkDraft(0, header, counter.count_with_special([header])[0])]

    overlap = max(0, min(overlap_tokens, budget // 2))

    # Pre-counting pays off only when the body probably fits; for long bodies it is a
    # wasted full-text tokenization, since the splitter measures every piece anyway (and
    # returns the body whole if it does fit). The ~4 chars/token guess is only a cost
    # heuristic; correctness never depends on it.
    if len(body) <= budget * 4 and counter.count(body) <= budget:
        pieces = [body]
    else:
        # Memoised because the splitter measures each piece several times (when choosing
        # to recurse, when merging, when trimming overlap); one real tokenization each.
        cache: dict[str, int] = {}

        def length(s: str) -> int:
            n = cache.get(s)
            if n is None:
                n = cache[s] = counter.count(s)
            return n

        # Built directly rather than via from_huggingface_tokenizer, which counts with the
        # slow Python `tokenize()` path and re-tokenizes every piece on every call.
        splitter = RecursiveCharacterTextSplitter(
            separators=_SEPARATORS,
            is_separator_regex=True,
            keep_separator="start",
            chunk_size=budget,
            chunk_overlap=overlap,
            length_function=length,
            strip_whitespace=True,
        )
        pieces = splitter.split_text(body)

    texts = [prefix + p for p in pieces]
    counts = counter.count_with_special(texts)
    drafts: list[ChunkDraft] = []
    for piece, chunk_text, n in zip(pieces, texts, counts, strict=True):
        if n <= max_tokens:
            drafts.append(ChunkDraft(len(drafts), chunk_text, n))
            continue
        for sub in _refit(counter, piece, prefix, budget, overlap, max_tokens):
            drafts.append(
                ChunkDraft(len(drafts), prefix + sub, counter.count_with_special([prefix + sub])[0])
            )
    return drafts


def _refit(
    counter: _TokenCounter, piece: str, prefix: str, budget: int, overlap: int, max_tokens: int
) -> list[str]:
    # Shrinks the window until every sub-piece fits together with its header; bounded
    # because each round removes at least one token from the window.
    def fits(sub: str) -> bool:
        return counter.count_with_special([prefix + sub])[0] <= max_tokens

    window = budget
    while window > 0:
        subs = _hard_split(counter, piece, window, min(overlap, window // 2))
        if all(fits(s) for s in subs):
            return subs
        window -= max(1, window // 16)
    raise ValueError("could not fit text into the model window")  # pragma: no cover


def passage_body(*, chunk_text: str, title: str, breadcrumb: Sequence[str]) -> str:
    """A chunk's text without the location header that was put in front for the embedder.

    People reading a passage already see its title; a header-only chunk keeps its text.
    """
    first_line, joiner, body = chunk_text.partition(_HEADER_BODY_JOINER)
    if joiner and body and _build_header(title, breadcrumb).startswith(first_line):
        return body
    return chunk_text
