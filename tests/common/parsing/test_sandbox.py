"""The parse sandbox: each limit ends a child with a reason a person understands, and the
next file is read as if nothing happened."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest

from common.parsing import DocumentParseError, ParseLimits, parse_document, sandbox
from tests.hostile_files import good_markdown, pdf_many_pages, text_flood

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def fresh_zygote() -> Iterator[None]:
    yield
    sandbox.shutdown()


def sandboxed_error(filename: str, content: bytes, limits: ParseLimits) -> DocumentParseError:
    with pytest.raises(DocumentParseError) as info:
        sandbox.parse_in_sandbox(filename=filename, content=content, limits=limits)
    return info.value


def assert_next_file_reads() -> None:
    parsed = sandbox.parse_in_sandbox(filename="policy.md", content=good_markdown())
    assert parsed.title == "Expense policy"


def test_reads_like_the_parser_in_process() -> None:
    content = b"# Travel\n\nBook trains.\n\n- one\n- two"
    assert sandbox.parse_in_sandbox(filename="t.md", content=content) == parse_document(
        filename="t.md", content=content
    )


def test_parse_errors_come_back_as_they_are() -> None:
    error = sandboxed_error("broken.pdf", b"%PDF-1.4 not really", ParseLimits())
    assert error.code == "corrupt_pdf"
    assert "could not be read" in error.message


def test_a_file_past_the_memory_limit_fails_with_the_limit_in_its_reason() -> None:
    # Room for the loaded parsers plus 40 MB: a 20 MB text needs several copies of itself.
    baseline_mb = sandbox.zygote_address_space_bytes() // MB
    limits = ParseLimits(memory_mb=baseline_mb + 40)
    error = sandboxed_error("flood.txt", text_flood(20 * MB), limits)
    assert error.code == "needs_too_much_memory"
    assert f"needs more than {baseline_mb + 40} MB of memory to read" in error.message
    assert_next_file_reads()


def test_a_file_past_the_processor_time_limit_is_stopped() -> None:
    # Extracting the text of 30,000 pages takes far more than a second of processor time.
    limits = ParseLimits(cpu_seconds=1, max_pdf_pages=100_000)
    error = sandboxed_error("pages.pdf", pdf_many_pages(30_000), limits)
    assert error.code == "took_too_long"
    assert "more than 1 s of processor time" in error.message
    assert_next_file_reads()


def test_a_file_past_the_wall_clock_is_killed() -> None:
    limits = ParseLimits(wall_seconds=1, max_pdf_pages=100_000)
    zygote = sandbox.zygote_pid()
    error = sandboxed_error("pages.pdf", pdf_many_pages(30_000), limits)
    assert error.code == "took_too_long"
    assert "took longer than 1 s to read" in error.message
    assert sandbox.zygote_pid() == zygote  # the zygote killed its child and lives on
    assert_next_file_reads()


def test_extracted_text_is_capped_with_a_note() -> None:
    parsed = sandbox.parse_in_sandbox(
        filename="flood.txt", content=text_flood(3 * MB), limits=ParseLimits(max_characters=1000)
    )
    assert len(parsed.text) < 1200
    assert parsed.text.endswith(
        "_Only the first 1,000 characters of this file were kept; split it into smaller files "
        "to include the rest._"
    )


def test_a_dead_zygote_is_replaced() -> None:
    os.kill(sandbox.zygote_pid(), signal.SIGKILL)
    time.sleep(0.1)  # let the kernel finish it; the next parse must notice on its own
    assert_next_file_reads()


def test_the_child_cannot_expand_entities_even_behind_the_cheap_check() -> None:
    from tests.hostile_files import billion_laughs_docx

    try:
        parsed = sandbox.parse_in_sandbox(
            filename="laughs.docx", content=billion_laughs_docx(padded=True)
        )
    except DocumentParseError as error:
        assert error.code in {"corrupt_file", "no_text"}
    else:
        assert "lol" * 100 not in parsed.text
