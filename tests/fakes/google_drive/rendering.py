"""The bytes the fake Drive serves: exports of Google Docs, Sheets and Slides, and real small
files for uploads (PDF, Word, PowerPoint, Excel, text, images, archives).

Every seeded file keeps its text as Markdown-ish source (`# Title`, `## Section`, `- item`,
CSV for sheets); these functions turn that source into what Drive would return. Rendering is
cached by content because a test module starts many fakes of the same seed.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from functools import lru_cache

_MARKDOWN_PREFIX = re.compile(r"^(#{1,6}\s+|[-*]\s+|\d+\.\s+)")


def plain_text(markdown: str) -> str:
    """What Drive's text/plain export of a Doc looks like: the words without the markup."""
    lines = []
    for line in markdown.splitlines():
        stripped = _MARKDOWN_PREFIX.sub("", line.strip())
        lines.append(stripped.replace("**", "").replace("`", ""))
    return "\r\n".join(lines)  # Drive's plain-text exports use CRLF line ends


def export_bytes(kind: str, body: str, mime_type: str) -> bytes | None:
    """files.export of a Google Workspace file, or None when Drive cannot convert to it."""
    if kind == "doc" and mime_type == "text/markdown":
        return body.encode()
    if kind == "doc" and mime_type == "text/plain":
        return "\ufeff".encode() + plain_text(body).encode()  # with a BOM, as Drive sends it
    if kind == "doc" and mime_type == "text/html":
        return f"<html><body><pre>{body}</pre></body></html>".encode()
    if kind == "sheet" and mime_type == "text/csv":
        return body.replace("\n", "\r\n").encode()
    if kind == "slides" and mime_type == "text/plain":
        return plain_text(body).encode()
    return None


@lru_cache(maxsize=8192)
def upload_bytes(kind: str, title: str, body: str) -> bytes:
    """The content of an uploaded (non-Google) file, as files.get alt=media returns it."""
    if kind == "pdf":
        return minimal_pdf(title, body.splitlines())
    if kind == "docx":
        return _docx(title, body)
    if kind == "pptx":
        return _pptx(title, body)
    if kind == "xlsx":
        return _xlsx(title, body)
    if kind == "image":
        return _png()
    if kind == "zip":
        return _zip(title, body)
    if kind == "legacy_doc":
        # An OLE2 compound file header: what a Word 97 .doc starts with.
        return bytes.fromhex("d0cf11e0a1b11ae1") + body.encode()
    return body.encode()  # text, markdown, csv


# --- PDF ------------------------------------------------------------------------------------


def _pdf_string(text: str) -> str:
    latin = text.encode("latin-1", "replace").decode("latin-1")
    return "(" + latin.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _wrap(lines: list[str], width: int = 90) -> list[str]:
    wrapped: list[str] = []
    for line in lines:
        text = _MARKDOWN_PREFIX.sub("", line.strip())
        while len(text) > width:
            cut = text.rfind(" ", 0, width)
            cut = cut if cut > 0 else width
            wrapped.append(text[:cut])
            text = text[cut:].lstrip()
        wrapped.append(text)
    return wrapped


def minimal_pdf(title: str, lines: list[str], lines_per_page: int = 48) -> bytes:
    """A valid PDF 1.4 with Helvetica text pages and a document title, written by hand:
    enough structure (catalog, page tree, font, content streams, info, xref) for pypdf."""
    wrapped = _wrap(lines) or [title]
    pages = [wrapped[i : i + lines_per_page] for i in range(0, len(wrapped), lines_per_page)]
    font_number = 3
    first_page_number = 4
    objects: list[bytes] = []
    kids = " ".join(f"{first_page_number + 2 * index} 0 R" for index in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for index, page_lines in enumerate(pages):
        content_number = first_page_number + 2 * index + 1
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 {font_number} 0 R >> >> "
                f"/Contents {content_number} 0 R >>"
            ).encode()
        )
        text_ops = " T* ".join(f"{_pdf_string(line)} Tj" for line in page_lines)
        stream = zlib.compress(f"BT /F1 11 Tf 14 TL 56 740 Td {text_ops} ET".encode("latin-1"))
        objects.append(
            f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode()
            + stream
            + b"\nendstream"
        )
    info_number = len(objects) + 1
    objects.append(f"<< /Title {_pdf_string(title)} /Producer (Fake Drive) >>".encode())

    output = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(output)
    output += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        output += f"{offset:010d} 00000 n \n".encode()
    output += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info_number} 0 R >>\n"
        f"startxref\n{xref_at}\n%%EOF\n"
    ).encode()
    return bytes(output)


# --- Office files ---------------------------------------------------------------------------


def _docx(title: str, body: str) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    for line in body.splitlines():
        text = line.strip()
        if not text:
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", text)
        if heading:
            document.add_heading(heading.group(2), level=min(len(heading.group(1)), 4))
        elif text.startswith(("- ", "* ")):
            document.add_paragraph(text[2:], style="List Bullet")
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pptx(title: str, body: str) -> bytes:
    from pptx import Presentation

    presentation = Presentation()
    presentation.core_properties.title = title
    sections = re.split(r"^## ", body, flags=re.MULTILINE)
    for section in sections[1:] or [body]:
        heading, _, rest = section.partition("\n")
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = heading.strip()
        points = [_MARKDOWN_PREFIX.sub("", line.strip()) for line in rest.splitlines()]
        slide.placeholders[1].text = "\n".join(point for point in points if point)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def _xlsx(title: str, body: str) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Data"
    for row in csv.reader(io.StringIO(body)):
        sheet.append(row)
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _png() -> bytes:
    # A 1x1 transparent PNG.
    return bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
    )


def _zip(title: str, body: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{title}.txt", body)
    return buffer.getvalue()
