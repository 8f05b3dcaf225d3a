"""Turn uploaded documents into normalised, Markdown-like text for the knowledge base.

Plain Python on purpose (no Django imports) so workers, the parse sandbox and connectors use
the same code. Every failure surfaces as :class:`DocumentParseError`, whose message is meant
to be shown to the uploader as-is. Files from outside are hostile until read: the checks here
(zip sizes and ratios, PDF pages, nesting, extracted characters) refuse what would cost far
more than it is worth, and `common.parsing.sandbox` runs all of it in a limited child
process, so whatever they miss costs a child, never a worker.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from common.parsing.limits import ParseLimits, current_limits, format_size

MAX_UPLOAD_BYTES: int = 25 * 1024 * 1024

# Spreadsheets can be arbitrarily large while adding little retrievable knowledge per row;
# these caps keep a single upload from flooding the index (and memory).
MAX_SHEET_ROWS = 5000
MAX_SHEET_COLUMNS = 200

MAX_TITLE_LENGTH = 200
_HEADING_SCAN_CHARS = 64 * 1024

KINDS = ("pdf", "docx", "pptx", "xlsx", "markdown", "html", "text")

_SUPPORTED_TYPES_HINT = (
    "Supported types: PDF (.pdf), Word (.docx), PowerPoint (.pptx), Excel (.xlsx), "
    "Markdown (.md), HTML (.html) and plain text (.txt, .csv)."
)

EXTENSION_KINDS: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".pptx": "pptx",
    ".xlsx": "xlsx",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".log": "text",
    ".csv": "text",
    ".tsv": "text",
    ".rst": "text",
    ".json": "text",
    ".yaml": "text",
    ".yml": "text",
}

_CONTENT_TYPE_KINDS: dict[str, str] = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/csv": "text",
    "application/json": "text",
}

# Legacy binary Office formats are common enough to deserve a precise fix-it hint.
_LEGACY_HINTS: dict[str, str] = {
    ".doc": "Open it in Word or LibreOffice and save it as .docx.",
    ".ppt": "Open it in PowerPoint or LibreOffice and save it as .pptx.",
    ".xls": "Open it in Excel or LibreOffice and save it as .xlsx.",
    ".rtf": "Open it in Word or LibreOffice and save it as .docx.",
}

_KIND_LABELS: dict[str, str] = {
    "pdf": "PDF",
    "docx": "Word document",
    "pptx": "PowerPoint presentation",
    "xlsx": "Excel workbook",
    "markdown": "Markdown file",
    "html": "HTML file",
    "text": "text file",
}

_KIND_EDITORS: dict[str, str] = {
    "pdf": "the application that produced it",
    "docx": "Word or LibreOffice",
    "pptx": "PowerPoint or LibreOffice",
    "xlsx": "Excel or LibreOffice",
    "markdown": "your editor",
    "html": "your browser or editor",
    "text": "your editor",
}


class DocumentParseError(Exception):
    """A document could not be turned into text.

    ``code`` is a stable slug for programmatic handling: ``unsupported_type``,
    ``empty_file``, ``file_too_large``, ``corrupt_file``, ``corrupt_pdf``,
    ``encrypted_pdf`` or ``no_text``. ``message`` is user-facing and always says what to
    do next.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ParsedDocument:
    title: str
    text: str


@dataclass
class _Extracted:
    text: str
    metadata_title: str | None = None
    first_heading: str | None = None


# --------------------------------------------------------------------------- public API


def detect_kind(filename: str, content_type: str | None) -> str:
    """Return the parser kind for an upload, trusting the extension over the MIME type.

    Browsers often send generic or wrong content types (``application/octet-stream``,
    ``application/vnd.ms-excel`` for CSV), so the extension is the stronger signal.
    """
    suffix = PurePosixPath(_basename(filename)).suffix.lower()
    if suffix in EXTENSION_KINDS:
        return EXTENSION_KINDS[suffix]

    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if suffix not in _LEGACY_HINTS:
        if mime in _CONTENT_TYPE_KINDS:
            return _CONTENT_TYPE_KINDS[mime]
        if mime.startswith("text/"):
            return "text"

    described = f"'{suffix}'" if suffix else f"'{mime}'" if mime else "without an extension"
    advice = _LEGACY_HINTS.get(suffix, "Convert the file to one of these formats.")
    raise DocumentParseError(
        "unsupported_type",
        f"Files of type {described} are not supported. {_SUPPORTED_TYPES_HINT} "
        f"{advice} Then upload it again.",
    )


def parse_document(
    *,
    filename: str,
    content: bytes,
    content_type: str | None = None,
    max_bytes: int = MAX_UPLOAD_BYTES,
    limits: ParseLimits | None = None,
) -> ParsedDocument:
    """Extract a title and structured text from an uploaded file, within `limits`."""
    limits = limits or current_limits()
    kind = check_upload(
        filename=filename, content_type=content_type, size=len(content), max_bytes=max_bytes
    )
    if kind in _ZIP_KINDS:
        check_office_zip(content, kind=kind, limits=limits)

    try:
        extracted = _PARSERS[kind](content, limits)
    except (DocumentParseError, MemoryError):
        raise  # MemoryError: the sandbox reports the memory limit, not a damaged file
    except RecursionError as exc:
        raise _too_deep_error(kind, limits) from exc
    except Exception as exc:  # any library failure means the file is unreadable
        raise _corrupt_error(kind) from exc

    text = normalise_text(extracted.text)
    if not text.strip():
        if kind == "pdf":
            raise DocumentParseError(
                "no_text",
                "No text could be extracted from this PDF. It is probably a scan or made of "
                "images; run it through OCR (for example 'Save as searchable PDF' in your "
                "scanner or PDF software) and upload the result.",
            )
        raise DocumentParseError(
            "no_text",
            f"This {_KIND_LABELS[kind]} contains no text to add to the knowledge base. "
            "Check that you uploaded the right file.",
        )
    text = cap_characters(text, limits.max_characters)

    title = (
        _clean_title(extracted.metadata_title)
        or _clean_title(extracted.first_heading)
        or _clean_title(PurePosixPath(_basename(filename)).stem)
        or "Untitled document"
    )
    return ParsedDocument(title=title, text=text)


def check_upload(*, filename: str, content_type: str | None, size: int, max_bytes: int) -> str:
    """The checks that need no parsing (type, emptiness, size); returns the parser kind.

    The web request runs these before it stores a file, so a file that can never be read
    fails at once instead of after a trip through the queue.
    """
    kind = detect_kind(filename, content_type)
    if size == 0:
        raise DocumentParseError(
            "empty_file",
            "The file is empty (0 bytes). Check that you picked the right file and upload "
            "it again.",
        )
    if size > max_bytes:
        raise file_too_large_error(size=size, max_bytes=max_bytes)
    return kind


def file_too_large_error(*, size: int, max_bytes: int) -> DocumentParseError:
    return DocumentParseError(
        "file_too_large",
        f"The file is {format_size(size)}, which is over the {format_size(max_bytes)} upload "
        "limit. "
        "Split it into smaller files or remove large images, then upload it again.",
    )


def cap_characters(text: str, max_characters: int) -> str:
    """Keep the first `max_characters` of the text, saying so at the end when cut."""
    if len(text) <= max_characters:
        return text
    cut = text[:max_characters]
    # End on a line break where one is near, so the note does not split a sentence.
    newline = cut.rfind("\n", max(0, max_characters - 2000))
    if newline > 0:
        cut = cut[:newline]
    return (
        cut.rstrip() + f"\n\n_Only the first {max_characters:,} characters of this file were kept; "
        "split it into smaller files to include the rest._"
    )


_BLANK_RUNS = re.compile(r"\n{3,}")
# C0/C1 control characters other than tab and newline carry no meaning in extracted text
# and confuse tokenisers and databases (Postgres rejects NUL outright).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n?|[\x0c\u2028\u2029\x85]")


def normalise_text(text: str) -> str:
    """Normalise whitespace and Unicode while keeping line structure intact."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROL_CHARS.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n")


# --------------------------------------------------------------------------- shared helpers


def _basename(filename: str) -> str:
    # Some browsers send full client paths (e.g. "C:\\fakepath\\report.pdf").
    return filename.replace("\\", "/").rsplit("/", 1)[-1]


def _corrupt_error(kind: str) -> DocumentParseError:
    label = _KIND_LABELS[kind]
    if kind == "pdf":
        return DocumentParseError(
            "corrupt_pdf",
            "This PDF could not be read; it is damaged or not really a PDF. Re-export or "
            "re-save it from the application that produced it (or 'Print to PDF') and upload "
            "it again.",
        )
    return DocumentParseError(
        "corrupt_file",
        f"This {label} could not be read; it is damaged or not really a "
        f"{label}. Open it in {_KIND_EDITORS[kind]}, save or re-export it, and upload it "
        "again.",
    )


def _clean_title(value: str | None) -> str | None:
    if not value:
        return None
    title = " ".join(normalise_text(value).split())
    if len(title) > MAX_TITLE_LENGTH:
        title = title[: MAX_TITLE_LENGTH - 1].rstrip() + "…"
    return title or None


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _pipe_table(rows: Sequence[Sequence[str]]) -> str:
    """Render rows as a Markdown pipe table, treating the first row as the header."""
    cleaned = [[_collapse(cell).replace("|", "\\|") for cell in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    if not cleaned:
        return ""
    width = max(len(row) for row in cleaned)
    padded = [row + [""] * (width - len(row)) for row in cleaned]
    lines = ["| " + " | ".join(padded[0]) + " |", "| " + " | ".join(["---"] * width) + " |"]
    lines.extend("| " + " | ".join(row) + " |" for row in padded[1:])
    return "\n".join(lines)


def _decode_text(content: bytes, limits: ParseLimits) -> str:
    # A character takes at most 4 bytes in UTF-8: past that, the text would be cut anyway.
    content = content[: limits.max_characters * 4 + 4]
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass

    from charset_normalizer import from_bytes

    best = from_bytes(content).best()
    if best is None:
        raise DocumentParseError(
            "corrupt_file",
            "This file could not be read as text; it looks binary or uses an unknown "
            "encoding. Save it as UTF-8 text in your editor and upload it again.",
        )
    return str(best)


def _first_markdown_heading(text: str) -> str | None:
    from markdown_it import MarkdownIt

    # A title lives near the top; parsing a 25 MB text file in full just for it is wasteful.
    tokens = MarkdownIt("commonmark").parse(text[:_HEADING_SCAN_CHARS])
    for index, token in enumerate(tokens[:-1]):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            parts = [
                child.content
                for child in inline.children or []
                if child.type in ("text", "code_inline")
            ]
            heading = "".join(parts) or inline.content
            if heading.strip():
                return heading
    return None


# --------------------------------------------------------------------------- Office zips

_ZIP_KINDS = frozenset({"docx", "pptx", "xlsx"})
# Archives an Office file may carry: embedded workbooks behind charts, OLE packages.
_ARCHIVE_SUFFIXES = (".zip", ".docx", ".xlsx", ".pptx", ".docm", ".xlsm", ".pptm", ".jar")
_ZIP_MAGIC = b"PK\x03\x04"
# Small parts compress well by nature (styles, repeated XML tags); the ratio is judged only
# on parts that expand to something worth worrying about.
_RATIO_FLOOR_BYTES = 1 * 1024 * 1024
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_XML_HEAD_BYTES = 4096


def check_office_zip(content: bytes, *, kind: str, limits: ParseLimits) -> None:
    """Refuse an Office file whose zip would expand past the limits, before any library
    opens it. Reads only the central directory, the first bytes of each XML part, and
    archives nested inside (themselves checked the same way, within the same budget)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _corrupt_error(kind) from exc
    with archive:
        budget = [limits.max_unpacked_bytes]
        _check_zip(archive, kind=kind, limits=limits, depth=1, budget=budget)


def _check_zip(
    archive: zipfile.ZipFile, *, kind: str, limits: ParseLimits, depth: int, budget: list[int]
) -> None:
    label = _KIND_LABELS[kind]
    entries = archive.infolist()
    if len(entries) > limits.max_zip_entries:
        raise DocumentParseError(
            "too_many_parts",
            f"This {label} is made of {len(entries):,} parts; files with more than "
            f"{limits.max_zip_entries:,} are not read. Save a copy without the extra content "
            "and upload that.",
        )
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if unpacked > budget[0]:
        raise _unpacked_error(label, limits)
    budget[0] -= unpacked
    if unpacked > _RATIO_FLOOR_BYTES and unpacked > limits.max_compression_ratio * max(packed, 1):
        raise _ratio_error(label, limits)
    for entry in entries:
        if (
            entry.file_size > _RATIO_FLOOR_BYTES
            and entry.file_size > limits.max_compression_ratio * max(entry.compress_size, 1)
        ):
            raise _ratio_error(label, limits)
    for entry in entries:
        name = entry.filename.lower()
        if name.endswith(_XML_SUFFIXES):
            _check_xml_head(archive, entry, kind)
        elif name.endswith(_ARCHIVE_SUFFIXES) or _starts_like_zip(archive, entry):
            if depth >= limits.max_zip_depth:
                raise DocumentParseError(
                    "nested_archives",
                    f"This {label} holds archives inside archives, more than "
                    f"{limits.max_zip_depth} deep, which Office files never need. Save a copy "
                    "without the embedded files and upload that.",
                )
            try:
                inner = zipfile.ZipFile(io.BytesIO(archive.read(entry)))
            except (zipfile.BadZipFile, ValueError, OSError):
                continue  # not a zip after all: it stays an opaque part nobody opens
            with inner:
                _check_zip(inner, kind=kind, limits=limits, depth=depth + 1, budget=budget)


def _starts_like_zip(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    if entry.file_size < len(_ZIP_MAGIC) or entry.is_dir():
        return False
    try:
        with archive.open(entry) as handle:
            return handle.read(len(_ZIP_MAGIC)) == _ZIP_MAGIC
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        return False


def _check_xml_head(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, kind: str) -> None:
    # Office Open XML never declares a DTD; one that does is after entity expansion (billion
    # laughs) or external entities. The declaration must precede the root element, so the
    # first bytes settle it. The child also parses with entity expansion off (defusedxml).
    try:
        with archive.open(entry) as handle:
            head = handle.read(_XML_HEAD_BYTES)
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        return  # the library will report it as damaged
    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
        raise DocumentParseError(
            "unsafe_xml",
            f"This {_KIND_LABELS[kind]} contains XML with a document type declaration "
            "(DOCTYPE), which Office files never have; it is damaged or crafted to overload "
            f"the reader. Open it in {_KIND_EDITORS[kind]}, save a new copy and upload that.",
        )


def _unpacked_error(label: str, limits: ParseLimits) -> DocumentParseError:
    return DocumentParseError(
        "unpacked_too_large",
        f"This {label} expands to more than {format_size(limits.max_unpacked_bytes)} when "
        "unpacked, so it is not read. Remove large embedded files or split it, then upload "
        "it again.",
    )


def _ratio_error(label: str, limits: ParseLimits) -> DocumentParseError:
    return DocumentParseError(
        "compression_ratio_too_high",
        f"This {label} expands more than {limits.max_compression_ratio} times when unpacked, "
        "which real documents never do (it looks like a zip bomb), so it is not read.",
    )


def _too_deep_error(kind: str, limits: ParseLimits) -> DocumentParseError:
    return DocumentParseError(
        "too_deeply_nested",
        f"This {_KIND_LABELS[kind]} is nested more than {limits.max_nesting_depth} levels "
        "deep, which is too deep to read. Simplify its structure and upload it again.",
    )


# --------------------------------------------------------------------------- PDF


def _parse_pdf(content: bytes, limits: ParseLimits) -> _Extracted:
    # pypdf (>= 6) bounds every decompression filter (FlateDecode, LZW, run-length, JBIG2)
    # at 75 MB of output per stream and refuses larger declared lengths: a stream bomb
    # fails as a damaged PDF. Text extraction never decodes images.
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:
        raise _corrupt_error("pdf") from exc

    if encrypted:
        # Many PDFs only carry an owner password (restricting printing/editing) and open
        # with an empty user password; only ask for action when that fails.
        try:
            unlocked = bool(reader.decrypt(""))
        except Exception as exc:  # e.g. unknown algorithm or no crypto backend
            raise _encrypted_error() from exc
        if not unlocked:
            raise _encrypted_error()

    pages = reader.pages
    if len(pages) == 0:
        raise _corrupt_error("pdf")
    if len(pages) > limits.max_pdf_pages:
        raise DocumentParseError(
            "too_many_pages",
            f"This PDF has {len(pages):,} pages; PDFs with more than {limits.max_pdf_pages:,} "
            "pages are not read. Split it into smaller files and upload those.",
        )

    texts: list[str] = []
    characters = 0
    failures = 0
    last_error: Exception | None = None
    for page in pages:
        # One malformed page should not cost the whole document.
        try:
            texts.append(page.extract_text() or "")
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - tolerated per page, judged below
            failures += 1
            last_error = exc
            continue
        characters += len(texts[-1])
        if characters > limits.max_characters:
            break  # the rest would be cut off anyway (parse_document adds the note)
    if failures == len(pages):
        raise _corrupt_error("pdf") from last_error

    metadata_title: str | None = None
    try:
        metadata = reader.metadata
        if metadata is not None and metadata.title:
            metadata_title = _clean_pdf_title(str(metadata.title))
    except Exception:  # noqa: BLE001 - a broken info dict should not block the text
        metadata_title = None

    return _Extracted(text="\n\n".join(texts), metadata_title=metadata_title)


def _clean_pdf_title(title: str) -> str | None:
    # Office "print to PDF" often stamps the application and file name as the title.
    title = re.sub(r"^Microsoft (Word|PowerPoint|Excel) - ", "", title.strip())
    if title.lower() in {"untitled", "untitled document", "title", "document"}:
        return None
    return title


def _encrypted_error() -> DocumentParseError:
    return DocumentParseError(
        "encrypted_pdf",
        "This PDF is password-protected. Open it, remove the password (or save an "
        "unprotected copy), and upload it again.",
    )


# --------------------------------------------------------------------------- DOCX

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_LIST_STYLE_LEVEL = re.compile(r"(\d+)$")


def _parse_docx(content: bytes, limits: ParseLimits) -> _Extracted:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(content))
    blocks: list[str] = []
    first_heading: str | None = None
    previous_was_list = False

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            table = _pipe_table([[cell.text for cell in row.cells] for row in item.rows])
            if table:
                blocks.extend(["", table, ""])
            previous_was_list = False
            continue
        if not isinstance(item, Paragraph):
            continue
        text = item.text.strip()
        if not text:
            continue
        style_name = item.style.name if item.style is not None and item.style.name else ""
        heading_level = _docx_heading_level(style_name)
        if heading_level:
            blocks.extend(["", "#" * heading_level + " " + _collapse(text), ""])
            first_heading = first_heading or text
            previous_was_list = False
            continue
        list_level = _docx_list_level(item, style_name)
        if list_level is not None:
            if not previous_was_list:
                blocks.append("")
            blocks.append("  " * list_level + "- " + _collapse(text))
            previous_was_list = True
            continue
        blocks.extend(["", text])
        previous_was_list = False

    return _Extracted(
        text="\n".join(blocks),
        metadata_title=document.core_properties.title,
        first_heading=first_heading,
    )


def _docx_heading_level(style_name: str) -> int:
    if style_name.lower() == "title":
        return 1
    match = _HEADING_STYLE.match(style_name.strip())
    return min(int(match.group(1)), 6) if match else 0


def _docx_list_level(paragraph: Any, style_name: str) -> int | None:
    """Nesting level (0-based) if the paragraph is a list item, else None."""
    ppr = paragraph._p.pPr
    num_pr = ppr.numPr if ppr is not None else None
    if num_pr is not None:
        ilvl = num_pr.ilvl
        return int(ilvl.val) if ilvl is not None and ilvl.val is not None else 0
    if style_name.lower().startswith("list"):
        # "List Bullet 2" is the second nesting level of the built-in list styles.
        match = _LIST_STYLE_LEVEL.search(style_name)
        return max(int(match.group(1)) - 1, 0) if match else 0
    return None


# --------------------------------------------------------------------------- PPTX


def _parse_pptx(content: bytes, limits: ParseLimits) -> _Extracted:
    from pptx import Presentation

    presentation = Presentation(io.BytesIO(content))
    sections: list[str] = []
    first_title: str | None = None

    for number, slide in enumerate(presentation.slides, start=1):
        title_shape = slide.shapes.title
        slide_title = _collapse(title_shape.text_frame.text) if title_shape is not None else ""
        first_title = first_title or slide_title or None
        heading = f"## Slide {number}: {slide_title}" if slide_title else f"## Slide {number}"
        lines = [heading, ""]
        title_id = title_shape.shape_id if title_shape is not None else None
        lines.extend(_pptx_shape_lines(slide.shapes, skip_shape_id=title_id))

        if slide.has_notes_slide:
            notes_frame = slide.notes_slide.notes_text_frame
            notes = notes_frame.text.strip() if notes_frame is not None else ""
            if notes:
                lines.extend(["", "### Notes", "", notes])
        sections.append("\n".join(lines))

    return _Extracted(
        text="\n\n".join(sections),
        metadata_title=presentation.core_properties.title,
        first_heading=first_title,
    )


def _pptx_shape_lines(shapes: Iterable[Any], skip_shape_id: int | None) -> Iterator[str]:
    from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

    # Shapes are stored in z-order; sorting by position approximates reading order.
    ordered = sorted(shapes, key=lambda shape: (shape.top or 0, shape.left or 0))
    for shape in ordered:
        if shape.shape_id == skip_shape_id:
            continue
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _pptx_shape_lines(shape.shapes, skip_shape_id)
            continue
        if getattr(shape, "has_table", False) and shape.has_table:
            rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
            table = _pipe_table(rows)
            if table:
                yield ""
                yield table
                yield ""
            continue
        if not getattr(shape, "has_text_frame", False) or not shape.has_text_frame:
            continue
        is_bulleted_body = shape.is_placeholder and shape.placeholder_format.type in (
            PP_PLACEHOLDER.BODY,
            PP_PLACEHOLDER.OBJECT,
        )
        for paragraph in shape.text_frame.paragraphs:
            text = _collapse(paragraph.text)
            if not text:
                continue
            level = paragraph.level or 0
            if is_bulleted_body or level > 0:
                yield "  " * level + "- " + text
            else:
                yield text
        yield ""


# --------------------------------------------------------------------------- XLSX


def _parse_xlsx(content: bytes, limits: ParseLimits) -> _Extracted:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sections = [
            section
            for worksheet in workbook.worksheets
            if (section := _xlsx_sheet_section(worksheet))
        ]
        raw_title = workbook.properties.title
        metadata_title = str(raw_title) if raw_title else None
    finally:
        # Read-only workbooks keep the underlying archive open until closed.
        workbook.close()
    return _Extracted(text="\n\n".join(sections), metadata_title=metadata_title)


def _xlsx_sheet_section(worksheet: Any) -> str:
    rows: list[list[str]] = []
    truncated_rows = False
    truncated_columns = False
    for values in worksheet.iter_rows(values_only=True):
        cells = [_xlsx_cell_text(value) for value in values]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if len(cells) > MAX_SHEET_COLUMNS:
            cells = cells[:MAX_SHEET_COLUMNS]
            truncated_columns = True
        if len(rows) > MAX_SHEET_ROWS:  # header row plus MAX_SHEET_ROWS data rows
            truncated_rows = True
            break
        rows.append(cells)

    table = _pipe_table(rows)
    if not table:
        return ""
    parts = [f"## Sheet: {worksheet.title}", "", table]
    if truncated_rows:
        parts += ["", f"_Only the first {MAX_SHEET_ROWS} rows of this sheet were included._"]
    if truncated_columns:
        parts += ["", f"_Only the first {MAX_SHEET_COLUMNS} columns of this sheet were included._"]
    return "\n".join(parts)


def _xlsx_cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------- Markdown & text

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.DOTALL)
_FRONT_MATTER_TITLE = re.compile(r"^title:\s*(.+?)\s*$", re.MULTILINE)


def _parse_markdown(content: bytes, limits: ParseLimits) -> _Extracted:
    text = normalise_text(_decode_text(content, limits))
    metadata_title: str | None = None
    body = text
    match = _FRONT_MATTER.match(text + "\n")
    if match:
        title_match = _FRONT_MATTER_TITLE.search(match.group(1))
        if title_match:
            metadata_title = title_match.group(1).strip("'\"")
        body = (text + "\n")[match.end() :]
    return _Extracted(
        text=text, metadata_title=metadata_title, first_heading=_first_markdown_heading(body)
    )


def _parse_text(content: bytes, limits: ParseLimits) -> _Extracted:
    text = _decode_text(content, limits)
    # Plain-text notes often use Markdown-style "# Title" lines; honour them for the title.
    return _Extracted(text=text, first_heading=_first_markdown_heading(text))


# --------------------------------------------------------------------------- HTML

_HTML_DROP = frozenset(
    {"script", "style", "nav", "noscript", "template", "svg", "canvas", "iframe", "head"}
)
_HTML_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "header",
        "hr",
        "html",
        "main",
        "p",
        "section",
        "summary",
    }
)
_HTML_HEADINGS = {f"h{level}": level for level in range(1, 7)}


def _parse_html(content: bytes, limits: ParseLimits) -> _Extracted:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_decode_text(content, limits), "lxml")
    metadata_title = soup.title.get_text() if soup.title is not None else None
    renderer = _HtmlRenderer(max_depth=limits.max_nesting_depth)
    renderer.render(soup)
    return _Extracted(
        text="\n".join(renderer.lines),
        metadata_title=metadata_title,
        first_heading=renderer.first_heading,
    )


class _HtmlRenderer:
    """Streams a parsed HTML tree into Markdown-like lines."""

    def __init__(self, *, max_depth: int) -> None:
        self.max_depth = max_depth
        self._depth = 0
        self.lines: list[str] = []
        self.first_heading: str | None = None
        self._inline: list[str] = []
        self._list_depth = 0
        # Whether the current <li> has emitted its "- " line yet; later lines are indented.
        self._item_open: list[bool] = []

    def render(self, node: Any) -> None:
        self._walk(node)
        self._flush()

    def _walk(self, node: Any) -> None:
        from bs4.element import NavigableString, PreformattedString, Tag

        # Each level is a Python frame; refuse depth with a reason before the interpreter
        # refuses it with a RecursionError.
        self._depth += 1
        if self._depth > self.max_depth:
            raise DocumentParseError(
                "too_deeply_nested",
                f"This HTML file is nested more than {self.max_depth} levels deep, which is "
                "too deep to read. Simplify its structure and upload it again.",
            )
        try:
            for child in node.children:
                if isinstance(child, PreformattedString):  # comments, doctypes, CDATA, PIs
                    continue
                if isinstance(child, NavigableString):
                    self._inline.append(str(child))
                elif isinstance(child, Tag):
                    self._tag(child)
        finally:
            self._depth -= 1

    def _tag(self, tag: Any) -> None:
        name = tag.name
        if name in _HTML_DROP:
            return
        if name in _HTML_HEADINGS:
            text = _collapse(tag.get_text(" "))
            if text:
                self._flush()
                self._block("#" * _HTML_HEADINGS[name] + " " + text)
                self.first_heading = self.first_heading or text
        elif name == "pre":
            self._flush()
            code = tag.get_text().strip("\n")
            if code.strip():
                self._block("```\n" + code + "\n```")
        elif name == "table":
            self._flush()
            rows = [
                [cell.get_text(" ") for cell in row.find_all(["th", "td"])]
                for row in tag.find_all("tr")
            ]
            table = _pipe_table(rows)
            if table:
                self._block(table)
        elif name in ("ul", "ol"):
            self._flush()
            self._list_depth += 1
            self._walk(tag)
            self._flush()
            self._list_depth -= 1
        elif name == "li":
            self._flush()
            self._item_open.append(False)
            self._walk(tag)
            self._flush()
            self._item_open.pop()
        elif name == "br":
            self._flush()
        elif name == "code":
            code = tag.get_text()
            if code.strip():
                self._inline.append(f" `{code.strip()}` ")
        elif name in _HTML_BLOCKS:
            self._flush()
            self._walk(tag)
            self._flush()
        else:
            self._walk(tag)

    def _flush(self) -> None:
        text = _collapse("".join(self._inline))
        self._inline.clear()
        if not text:
            return
        if self._item_open:
            indent = "  " * max(self._list_depth - 1, 0)
            if not self._item_open[-1]:
                self._item_open[-1] = True
                self.lines.append(indent + "- " + text)
            else:
                self.lines.append(indent + "  " + text)
        else:
            self._block(text)

    def _block(self, text: str) -> None:
        if self._item_open:
            indent = "  " * self._list_depth
            self.lines.extend(indent + line for line in text.split("\n"))
        else:
            self.lines.extend(["", text, ""])


_PARSERS: dict[str, Callable[[bytes, ParseLimits], _Extracted]] = {
    "pdf": _parse_pdf,
    "docx": _parse_docx,
    "pptx": _parse_pptx,
    "xlsx": _parse_xlsx,
    "markdown": _parse_markdown,
    "html": _parse_html,
    "text": _parse_text,
}
