"""Hostile files, generated: zip bombs in each Office format, zips of zips, billion laughs,
PDF page bombs and huge images, deep nesting, floods of text. Shared by the hostile-file test suite
and `python -m benchmarks hostile-files`; each comes with the outcome a reader must reach.

Everything is built in memory from a few templates in a few seconds at most (zeros compress
~1000x, so a 256 MB bomb is a few hundred KB), so the suite stays quick.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class HostileFile:
    name: str
    filename: str
    build: Callable[[], bytes]
    # Acceptable outcomes: error codes, or "ready" (read within limits, perhaps cut short).
    expected: frozenset[str]
    what: str


def _office_template(kind: str) -> bytes:
    buffer = io.BytesIO()
    if kind == "docx":
        import docx

        document = docx.Document()
        document.add_paragraph("Quarterly report")
        document.save(buffer)
    elif kind == "pptx":
        from pptx import Presentation

        presentation = Presentation()
        slide = presentation.slides.add_slide(presentation.slide_layouts[0])
        slide.shapes.title.text = "Quarterly report"
        presentation.save(buffer)
    else:
        import openpyxl

        workbook = openpyxl.Workbook()
        workbook.active["A1"] = "Quarterly report"
        workbook.save(buffer)
    return buffer.getvalue()


def _with_extra_entries(
    template: bytes,
    extra: Callable[[zipfile.ZipFile], None],
    replace: dict[str, bytes] | None = None,
) -> bytes:
    """The template's parts (some replaced) plus whatever `extra` writes."""
    replace = replace or {}
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        # Level 1: the bombs are zeros, which pack ~1000x at any level, and level 1 is quick.
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for entry in source.infolist():
            target.writestr(entry.filename, replace.get(entry.filename, source.read(entry)))
        extra(target)
    return buffer.getvalue()


def _write_zeros(archive: zipfile.ZipFile, name: str, size: int) -> None:
    block = b"\0" * MB
    with archive.open(name, "w", force_zip64=True) as handle:
        for _ in range(size // MB):
            handle.write(block)


def huge_entry(kind: str, size: int = 256 * MB) -> bytes:
    """One part of `size` zeros: past the unpacked limit, and ~1000x compressed."""
    return _with_extra_entries(
        _office_template(kind), lambda archive: _write_zeros(archive, "media/filler.bin", size)
    )


def dense_entry(kind: str, size: int = 50 * MB) -> bytes:
    """Under the unpacked limit, but far past the compression ratio."""
    return _with_extra_entries(
        _office_template(kind), lambda archive: _write_zeros(archive, "media/filler.bin", size)
    )


def many_entries(kind: str, count: int = 100_000) -> bytes:
    def extra(archive: zipfile.ZipFile) -> None:
        for index in range(count):
            archive.writestr(f"customXml/item{index}.bin", b"", compress_type=zipfile.ZIP_STORED)

    return _with_extra_entries(_office_template(kind), extra)


def nested_zips(kind: str, depth: int = 4) -> bytes:
    """A zip inside a zip inside a zip ... embedded where Office keeps embedded files."""
    inner = b"x" * 1024
    name = "payload.txt"
    for level in range(depth):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(name, inner)
        inner, name = buffer.getvalue(), f"level{level}.zip"
    return _with_extra_entries(
        _office_template(kind),
        lambda archive: archive.writestr(f"word/embeddings/{name}", inner),
    )


_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{level} "{("&lol" + (str(level - 1) if level > 1 else "") + ";") * 10}">'
        for level in range(1, 10)
    )
    + "]>"
)


def billion_laughs_docx(*, padded: bool = False) -> bytes:
    """word/document.xml declares the classic exponential entities and uses the last one.
    `padded` hides the DOCTYPE behind a comment past the first 4 KB, where the cheap check
    does not look: the parser's own entity handling must hold then."""
    template = _office_template("docx")
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        original = archive.read("word/document.xml").decode()
    declaration, _, rest = original.partition("?>")
    padding = "<!--" + "pad " * 2000 + "-->" if padded else ""
    body = rest.replace("Quarterly report", "&lol9;", 1)
    poisoned = (declaration + "?>" + padding + _LAUGHS + body).encode()
    return _with_extra_entries(template, lambda archive: None, {"word/document.xml": poisoned})


def billion_laughs_xlsx() -> bytes:
    template = _office_template("xlsx")
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        names = archive.namelist()
        target = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else "xl/workbook.xml"
        original = archive.read(target).decode()
    declaration, _, rest = original.partition("?>")
    poisoned = (declaration + "?>" + _LAUGHS + rest).encode()
    return _with_extra_entries(template, lambda archive: None, {target: poisoned})


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (object 1 is the catalog), with a correct xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    import zlib

    packed = zlib.compress(data, 9)
    return (
        b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(packed), extra)
        + packed
        + b"\nendstream"
    )


def pdf_many_pages(pages: int = 30_000) -> bytes:
    """Tens of thousands of pages sharing one content stream and one font."""
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + index) for index in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids),
        _stream(b"BT /F1 12 Tf 72 720 Td (Page of a very long report) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>"
    )
    objects.extend([page] * pages)
    return _pdf(objects)


def pdf_huge_image(side: int = 10_000) -> bytes:
    """One page holding a side x side RGB image (300 MB raw at 10k) of zeros, packed small."""
    import zlib

    compressor = zlib.compressobj(1)
    row = b"\0" * (side * 3)
    packed = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    image = (
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Length %d /Filter /FlateDecode >>\nstream\n"
        % (side, side, len(packed))
        + packed
        + b"\nendstream"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
        _stream(b"q 612 0 0 792 0 0 cm /Im1 Do Q"),
        image,
    ]
    return _pdf(objects)


def deep_html(depth: int = 100_000) -> bytes:
    return b"<html><body>" + b"<div>" * depth + b"deep" + b"</div>" * depth + b"</body></html>"


def deep_json(depth: int = 1_000_000) -> bytes:
    return b"[" * depth + b"]" * depth


def text_flood(size: int) -> bytes:
    return b"a" * size


def good_markdown() -> bytes:
    return b"# Expense policy\n\nKeep receipts for every expense over 25 euros."


def suite() -> list[HostileFile]:
    """The hostile files and the outcome each must reach under the default limits."""
    files = []
    for kind in ("docx", "pptx", "xlsx"):
        files += [
            HostileFile(
                f"{kind}-huge-entry",
                f"bomb.{kind}",
                lambda kind=kind: huge_entry(kind),  # type: ignore[misc]
                frozenset({"unpacked_too_large"}),
                "a 256 MB part of zeros",
            ),
            HostileFile(
                f"{kind}-dense-entry",
                f"dense.{kind}",
                lambda kind=kind: dense_entry(kind),  # type: ignore[misc]
                frozenset({"compression_ratio_too_high"}),
                "a 50 MB part of zeros",
            ),
            HostileFile(
                f"{kind}-100k-entries",
                f"parts.{kind}",
                lambda kind=kind: many_entries(kind),  # type: ignore[misc]
                frozenset({"too_many_parts"}),
                "100,000 empty parts",
            ),
        ]
    files += [
        HostileFile(
            "docx-nested-zips",
            "nested.docx",
            lambda: nested_zips("docx"),
            frozenset({"nested_archives"}),
            "a zip in a zip in a zip in a zip",
        ),
        HostileFile(
            "docx-billion-laughs",
            "laughs.docx",
            billion_laughs_docx,
            frozenset({"unsafe_xml"}),
            "exponential XML entities",
        ),
        HostileFile(
            "docx-billion-laughs-padded",
            "laughs-padded.docx",
            lambda: billion_laughs_docx(padded=True),
            # Past the cheap check: lxml without entity resolution reads it, or refuses it.
            frozenset({"ready", "corrupt_file", "no_text"}),
            "the entities hidden behind 8 KB of comment",
        ),
        HostileFile(
            "xlsx-billion-laughs",
            "laughs.xlsx",
            billion_laughs_xlsx,
            frozenset({"unsafe_xml"}),
            "exponential XML entities",
        ),
        HostileFile(
            "pdf-30k-pages",
            "pages.pdf",
            pdf_many_pages,
            frozenset({"too_many_pages"}),
            "30,000 pages",
        ),
        HostileFile(
            "pdf-huge-image",
            "image.pdf",
            pdf_huge_image,
            frozenset({"no_text"}),
            "one 10000x10000 image (300 MB raw), nothing else",
        ),
        HostileFile(
            "html-100k-deep",
            "deep.html",
            deep_html,
            frozenset({"too_deeply_nested", "ready"}),
            "100,000 nested <div>",
        ),
        HostileFile(
            "json-1m-deep",
            "deep.json",
            deep_json,
            frozenset({"ready"}),  # read as text: nothing nests in a text reader
            "1,000,000 nested arrays",
        ),
        HostileFile(
            "text-20m-one-character",
            "flood.txt",
            lambda: text_flood(20 * MB),
            frozenset({"ready"}),  # cut to PARSE_MAX_CHARACTERS, with a note
            "20 MB of one character (under the upload limit)",
        ),
        HostileFile(
            "text-100m-one-character",
            "flood-100m.txt",
            lambda: text_flood(100 * MB),
            frozenset({"file_too_large"}),  # refused while streaming, never stored
            "100 MB of one character (over the upload limit)",
        ),
    ]
    return files
