"""Tests for common.parsing.formats using real files built with the same libraries."""

from __future__ import annotations

import io
import os
import zipfile

import docx
import openpyxl
import pytest
from fpdf import FPDF
from pptx import Presentation
from pptx.util import Inches

from common.parsing.formats import (
    MAX_SHEET_ROWS,
    MAX_UPLOAD_BYTES,
    DocumentParseError,
    ParsedDocument,
    detect_kind,
    normalise_text,
    parse_document,
)

# --------------------------------------------------------------------------- builders


def make_pdf(
    pages: list[list[str]],
    *,
    title: str | None = None,
    user_password: str | None = None,
    owner_password: str | None = None,
) -> bytes:
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    if owner_password is not None:
        pdf.set_encryption(owner_password=owner_password, user_password=user_password or "")
    pdf.set_font("helvetica", size=12)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_image_only_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    return bytes(pdf.output())


def make_docx(*, title: str | None = None) -> bytes:
    document = docx.Document()
    if title:
        document.core_properties.title = title
    document.add_heading("Onboarding Guide", level=1)
    document.add_paragraph("Welcome to the team.")
    document.add_heading("First week", level=2)
    document.add_paragraph("Get a laptop", style="List Bullet")
    document.add_paragraph("Meet your buddy", style="List Bullet")
    document.add_paragraph("Set up VPN", style="List Bullet 2")
    table = document.add_table(rows=3, cols=2)
    cells = [("Tool", "Owner"), ("Slack", "IT"), ("Jira", "PMO")]
    for row, (left, right) in zip(table.rows, cells, strict=True):
        row.cells[0].text = left
        row.cells[1].text = right
    document.add_paragraph("Closing remarks after the table.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pptx(*, title: str | None = None) -> bytes:
    presentation = Presentation()
    if title:
        presentation.core_properties.title = title

    slide = presentation.slides.add_slide(presentation.slide_layouts[1])  # Title and Content
    assert slide.shapes.title is not None
    slide.shapes.title.text = "Roadmap 2025"
    body = slide.placeholders[1].text_frame
    body.text = "Launch the agent platform"
    sub = body.add_paragraph()
    sub.text = "Self-hosted first"
    sub.level = 1
    slide.notes_slide.notes_text_frame.text = "Mention the beta customers."

    slide = presentation.slides.add_slide(presentation.slide_layouts[5])  # Title Only
    assert slide.shapes.title is not None
    slide.shapes.title.text = "Budget"
    shape = slide.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1))
    cells = [("Item", "Cost"), ("GPUs", "40k")]
    for row_index, values in enumerate(cells):
        for col_index, value in enumerate(values):
            shape.table.cell(row_index, col_index).text = value
    box = slide.shapes.add_textbox(Inches(1), Inches(4), Inches(6), Inches(1))
    box.text_frame.text = "Figures are estimates."

    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def make_xlsx(*, title: str | None = None, extra_rows: int = 0) -> bytes:
    workbook = openpyxl.Workbook()
    if title:
        workbook.properties.title = title
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Customers"
    sheet.append(["Name", "Plan", "Seats"])
    sheet.append(["Acme", "Enterprise", 250])
    sheet.append(["Globex", "Team", 12.0])
    for index in range(extra_rows):
        sheet.append([f"Customer {index}", "Free", 1])
    second = workbook.create_sheet("Notes")
    second.append(["Topic", "Detail"])
    second.append(["Renewal", "Q3 | Q4"])
    workbook.create_sheet("Empty")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HTML_PAGE = b"""<!doctype html>
<html><head><title>Travel Policy</title><style>body { color: red }</style>
<script>var secret = "do-not-index";</script></head>
<body>
<nav><a href="/">Home</a> | <a href="/about">Menu link</a></nav>
<h1>Travel   policy</h1>
<p>Book travel through the <b>portal</b>.</p>
<h2>Limits</h2>
<ul>
  <li>Hotels up to <code>150 EUR</code></li>
  <li>Trains
    <ul><li>Second class</li></ul>
  </li>
</ul>
<pre>approve(request)
  notify(manager)</pre>
<table><tr><th>Region</th><th>Per diem</th></tr><tr><td>EU</td><td>60</td></tr></table>
<!-- a comment that must not appear -->
</body></html>
"""


def parse(filename: str, content: bytes, **kwargs: object) -> ParsedDocument:
    return parse_document(filename=filename, content=content, **kwargs)  # type: ignore[arg-type]


def parse_error(filename: str, content: bytes, **kwargs: object) -> DocumentParseError:
    with pytest.raises(DocumentParseError) as info:
        parse(filename, content, **kwargs)
    assert info.value.message
    assert str(info.value) == info.value.message
    return info.value


# --------------------------------------------------------------------------- formats


def test_pdf_text_per_page_and_metadata_title() -> None:
    content = make_pdf(
        [["Quarterly results", "Revenue grew 12 percent."], ["Outlook for next year"]],
        title="Q3 Report",
    )
    result = parse("report.pdf", content)
    assert result.title == "Q3 Report"
    assert "Revenue grew 12 percent." in result.text
    assert "Outlook for next year" in result.text
    assert result.text.index("Quarterly results") < result.text.index("Outlook for next year")


def test_pdf_without_metadata_title_falls_back_to_filename_stem() -> None:
    result = parse("C:\\fakepath\\annual-plan.pdf", make_pdf([["Some body text"]]))
    assert result.title == "annual-plan"


def test_pdf_with_only_owner_password_still_parses() -> None:
    content = make_pdf([["Restricted printing only"]], owner_password="owner-secret")
    assert "Restricted printing only" in parse("locked.pdf", content).text


def test_docx_structure_and_title() -> None:
    result = parse("guide.docx", make_docx(title="Employee Onboarding"))
    assert result.title == "Employee Onboarding"
    lines = result.text.splitlines()
    assert "# Onboarding Guide" in lines
    assert "## First week" in lines
    assert "- Get a laptop" in lines
    assert "- Meet your buddy" in lines
    assert "  - Set up VPN" in lines
    assert "| Tool | Owner |" in lines
    assert "| --- | --- |" in lines
    assert "| Slack | IT |" in lines
    assert "Welcome to the team." in lines
    # Body order is preserved: the table sits between the list and the closing paragraph.
    assert result.text.index("Set up VPN") < result.text.index("| Tool |")
    assert result.text.index("| Jira | PMO |") < result.text.index("Closing remarks")


def test_docx_title_falls_back_to_first_heading() -> None:
    assert parse("guide.docx", make_docx()).title == "Onboarding Guide"


def test_pptx_slides_bullets_tables_and_notes() -> None:
    result = parse("deck.pptx", make_pptx())
    lines = result.text.splitlines()
    assert "## Slide 1: Roadmap 2025" in lines
    assert "- Launch the agent platform" in lines
    assert "  - Self-hosted first" in lines
    assert "### Notes" in lines
    assert "Mention the beta customers." in lines
    assert "## Slide 2: Budget" in lines
    assert "| Item | Cost |" in lines
    assert "| GPUs | 40k |" in lines
    assert "Figures are estimates." in lines
    assert result.title == "Roadmap 2025"


def test_pptx_metadata_title_wins() -> None:
    assert parse("deck.pptx", make_pptx(title="Board Deck")).title == "Board Deck"


def test_xlsx_sheets_as_pipe_tables() -> None:
    result = parse("customers.xlsx", make_xlsx(title="CRM Export"))
    assert result.title == "CRM Export"
    lines = result.text.splitlines()
    assert "## Sheet: Customers" in lines
    assert "| Name | Plan | Seats |" in lines
    assert "| Acme | Enterprise | 250 |" in lines
    assert "| Globex | Team | 12 |" in lines
    assert "## Sheet: Notes" in lines
    assert "| Renewal | Q3 \\| Q4 |" in lines
    assert "Empty" not in result.text


def test_xlsx_title_defaults_to_filename_and_rows_are_capped() -> None:
    result = parse("big-export.xlsx", make_xlsx(extra_rows=MAX_SHEET_ROWS + 50))
    assert result.title == "big-export"
    assert f"first {MAX_SHEET_ROWS} rows" in result.text
    customer_rows = [line for line in result.text.splitlines() if line.startswith("| Customer ")]
    assert len(customer_rows) < MAX_SHEET_ROWS
    assert "| Customer 0 | Free | 1 |" in result.text


def test_markdown_kept_as_is_with_front_matter_title() -> None:
    source = (
        "---\ntitle: Runbook\n---\n\n# Deploying\n\n\n\n- step one   \n- step two\n\n"
        "```bash\nmake deploy\n```\n"
    )
    result = parse("runbook.md", source.encode())
    assert result.title == "Runbook"
    assert "# Deploying\n\n- step one\n- step two" in result.text
    assert "```bash\nmake deploy\n```" in result.text


def test_markdown_title_from_first_heading_ignores_code_blocks() -> None:
    source = "```\n# not a heading\n```\n\nIntro text\n\n## Real Heading\n"
    assert parse("notes.markdown", source.encode()).title == "Real Heading"


def test_html_structure_and_dropped_chrome() -> None:
    result = parse("policy.html", HTML_PAGE)
    assert result.title == "Travel Policy"
    text = result.text
    lines = text.splitlines()
    assert "# Travel policy" in lines
    assert "## Limits" in lines
    assert "Book travel through the portal." in lines
    assert "- Hotels up to `150 EUR`" in lines
    assert "- Trains" in lines
    assert "  - Second class" in lines
    assert "```\napprove(request)\n  notify(manager)\n```" in text
    assert "| Region | Per diem |" in lines
    assert "| EU | 60 |" in lines
    for unwanted in ("do-not-index", "color: red", "Menu link", "a comment"):
        assert unwanted not in text


def test_html_title_falls_back_to_first_heading() -> None:
    result = parse("page.htm", b"<html><body><h2>Support hours</h2><p>9-5</p></body></html>")
    assert result.title == "Support hours"
    assert result.text == "## Support hours\n\n9-5"


def test_text_utf8_keeps_lines() -> None:
    result = parse("notes.txt", "Zürich office\r\n\r\n\r\n\r\nOpen 9–17  \n".encode())
    assert result.text == "Zürich office\n\nOpen 9–17"
    assert result.title == "notes"


def test_text_legacy_encoding_is_detected() -> None:
    source = (
        "Le café est ouvert à tous les employés. Les réunions se déroulent près de la "
        "fenêtre, où la lumière est agréable. Merci de ne pas laisser de déchets.\n"
    )
    result = parse("memo.txt", source.encode("cp1252"))
    assert "café" in result.text
    assert "déchets" in result.text


def test_text_title_from_markdown_style_heading() -> None:
    assert parse("todo.txt", b"# Shopping list\n\nmilk\n").title == "Shopping list"


# --------------------------------------------------------------------------- errors


def test_corrupt_pdf() -> None:
    error = parse_error("broken.pdf", b"%PDF-1.4 garbage")
    assert error.code == "corrupt_pdf"
    assert "upload it again" in error.message
    assert error.__cause__ is not None


def test_truncated_pdf_is_corrupt() -> None:
    content = make_pdf([["Some text"]])
    error = parse_error("truncated.pdf", content[: len(content) // 3])
    assert error.code in {"corrupt_pdf", "no_text"}


def test_pdf_without_text_suggests_ocr() -> None:
    error = parse_error("scan.pdf", make_image_only_pdf())
    assert error.code == "no_text"
    assert "OCR" in error.message


def test_encrypted_pdf() -> None:
    content = make_pdf([["Top secret"]], owner_password="owner", user_password="reader")
    error = parse_error("secret.pdf", content)
    assert error.code == "encrypted_pdf"
    assert "password" in error.message


def test_empty_file() -> None:
    error = parse_error("empty.docx", b"")
    assert error.code == "empty_file"


def test_file_too_large_reports_limit() -> None:
    error = parse_error("big.txt", b"x" * 2048, max_bytes=1024)
    assert error.code == "file_too_large"
    assert "1 KB" in error.message
    assert "2 KB" in error.message


def test_default_limit_is_25_mib() -> None:
    assert MAX_UPLOAD_BYTES == 25 * 1024 * 1024


def test_unsupported_type_lists_supported_types() -> None:
    error = parse_error("setup.exe", b"MZ\x90\x00")
    assert error.code == "unsupported_type"
    for kind in ("PDF", ".docx", ".pptx", ".xlsx", "Markdown", "HTML", "plain text"):
        assert kind in error.message


def test_legacy_office_format_gets_conversion_hint() -> None:
    error = parse_error("old.doc", b"\xd0\xcf\x11\xe0 legacy", content_type="application/msword")
    assert error.code == "unsupported_type"
    assert "save it as .docx" in error.message


def test_docx_that_is_random_bytes() -> None:
    error = parse_error("fake.docx", os.urandom(4096))
    assert error.code == "corrupt_file"
    assert "Word document" in error.message
    assert "upload it again" in error.message
    assert error.__cause__ is not None


def test_docx_that_is_actually_a_spreadsheet() -> None:
    error = parse_error("mislabelled.docx", make_xlsx())
    assert error.code == "corrupt_file"


def test_zip_that_is_not_an_office_file() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    for filename in ("a.docx", "a.pptx", "a.xlsx"):
        assert parse_error(filename, buffer.getvalue()).code == "corrupt_file"


@pytest.mark.parametrize("filename", ["x.pdf", "x.docx", "x.pptx", "x.xlsx"])
def test_random_bytes_never_leak_library_errors(filename: str) -> None:
    error = parse_error(filename, os.urandom(2048))
    assert error.code in {"corrupt_file", "corrupt_pdf"}


def test_binary_text_file_is_rejected_or_decoded_without_crash() -> None:
    content = bytes(range(256)) * 8
    try:
        result = parse("blob.txt", content)
    except DocumentParseError as error:
        assert error.code in {"corrupt_file", "no_text"}
    else:
        assert "\x00" not in result.text


def test_whitespace_only_document_has_no_text() -> None:
    assert parse_error("blank.md", b"   \n\n\t\n").code == "no_text"


# --------------------------------------------------------------------------- detect_kind


@pytest.mark.parametrize(
    ("filename", "content_type", "expected"),
    [
        ("a.PDF", None, "pdf"),
        ("a.docx", "application/octet-stream", "docx"),
        ("a.pptx", None, "pptx"),
        ("a.xlsx", None, "xlsx"),
        ("README.md", None, "markdown"),
        ("page.htm", None, "html"),
        ("data.csv", "application/vnd.ms-excel", "text"),
        ("upload", "application/pdf", "pdf"),
        ("upload", "text/html; charset=utf-8", "html"),
        ("upload", "text/x-anything", "text"),
        ("C:\\fakepath\\notes.txt", None, "text"),
    ],
)
def test_detect_kind(filename: str, content_type: str | None, expected: str) -> None:
    assert detect_kind(filename, content_type) == expected


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [("archive.zip", None), ("upload", None), ("upload", "application/octet-stream")],
)
def test_detect_kind_unsupported(filename: str, content_type: str | None) -> None:
    with pytest.raises(DocumentParseError) as info:
        detect_kind(filename, content_type)
    assert info.value.code == "unsupported_type"


# --------------------------------------------------------------------------- normalise_text


def test_normalise_text() -> None:
    raw = "  Title\r\n\r\n\r\n\r\nLine\x00 one   \n\tindented\nCafe\u0301\x0cNext page\n\n\n"
    assert normalise_text(raw) == "  Title\n\nLine one\n\tindented\nCafé\nNext page"


def test_normalise_text_is_idempotent() -> None:
    once = normalise_text("a\n\n\n\nb  \r\nc\u2028d")
    assert normalise_text(once) == once == "a\n\nb\nc\nd"
