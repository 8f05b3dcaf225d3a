"""The parser's own limits, in this process with small limits and small files: each refuses
with a reason that names the limit (the sandbox and the hostile-file suite show the same at
full size)."""

from __future__ import annotations

import io
import zipfile

import pytest

from common.parsing import DocumentParseError, ParseLimits, parse_document
from common.parsing.formats import cap_characters
from tests import hostile_files

MB = 1024 * 1024


def refused(filename: str, content: bytes, limits: ParseLimits) -> DocumentParseError:
    with pytest.raises(DocumentParseError) as info:
        parse_document(filename=filename, content=content, limits=limits)
    return info.value


@pytest.mark.parametrize("kind", ["docx", "pptx", "xlsx"])
def test_office_zip_limits(kind: str) -> None:
    limits = ParseLimits(max_unpacked_bytes=2 * MB, max_zip_entries=500)
    error = refused(f"a.{kind}", hostile_files.huge_entry(kind, size=3 * MB), limits)
    assert error.code == "unpacked_too_large"
    assert "expands to more than 2 MB when unpacked" in error.message
    error = refused(f"a.{kind}", hostile_files.dense_entry(kind, size=2 * MB), ParseLimits())
    assert error.code == "compression_ratio_too_high"
    assert "expands more than 100 times" in error.message
    error = refused(f"a.{kind}", hostile_files.many_entries(kind, count=600), limits)
    assert error.code == "too_many_parts"
    assert "more than 500 are not read" in error.message


def test_one_embedded_workbook_is_fine_but_zips_of_zips_are_not() -> None:
    assert parse_document(filename="a.docx", content=hostile_files.nested_zips("docx", depth=1))
    error = refused("a.docx", hostile_files.nested_zips("docx", depth=2), ParseLimits())
    assert error.code == "nested_archives"


def test_small_parts_may_compress_well() -> None:
    # A real document's styles compress 20-50x; only parts past 1 MiB are judged.
    content = hostile_files._with_extra_entries(
        hostile_files._office_template("docx"),
        lambda archive: archive.writestr("word/extra.xml", b"<a/>" * 200_000),
    )
    assert parse_document(filename="a.docx", content=content).text == "Quarterly report"


def test_a_doctype_in_an_office_part_is_refused() -> None:
    error = refused("a.docx", hostile_files.billion_laughs_docx(), ParseLimits())
    assert error.code == "unsafe_xml"
    error = refused("a.xlsx", hostile_files.billion_laughs_xlsx(), ParseLimits())
    assert error.code == "unsafe_xml"


def test_not_a_zip_at_all_is_a_damaged_office_file() -> None:
    assert refused("a.docx", b"PK\x03\x04 nothing", ParseLimits()).code == "corrupt_file"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert refused("a.xlsx", buffer.getvalue(), ParseLimits()).code == "corrupt_file"


def test_pdf_page_limit() -> None:
    error = refused("a.pdf", hostile_files.pdf_many_pages(50), ParseLimits(max_pdf_pages=49))
    assert error.code == "too_many_pages"
    assert "50 pages" in error.message
    parsed = parse_document(
        filename="a.pdf", content=hostile_files.pdf_many_pages(50), limits=ParseLimits()
    )
    assert parsed.text.count("Page of a very long report") == 50


def test_html_nesting_limit() -> None:
    error = refused("a.html", hostile_files.deep_html(300), ParseLimits(max_nesting_depth=100))
    assert error.code == "too_deeply_nested"
    assert "more than 100 levels" in error.message
    assert parse_document(filename="a.html", content=hostile_files.deep_html(50)).text == "deep"


def test_text_is_decoded_and_kept_only_up_to_the_character_limit() -> None:
    parsed = parse_document(
        filename="a.txt", content=b"word " * 10_000, limits=ParseLimits(max_characters=1000)
    )
    assert len(parsed.text) < 1200
    assert "Only the first 1,000 characters" in parsed.text


def test_cap_characters_ends_on_a_line_break_when_one_is_near() -> None:
    text = "\n".join(f"line {index}" for index in range(1000))
    capped = cap_characters(text, 100)
    kept, _ = capped.split("\n\n_Only", 1)
    assert text.startswith(kept + "\n")  # whole lines only
    assert 80 < len(kept) <= 100
    assert cap_characters("short", 100) == "short"
