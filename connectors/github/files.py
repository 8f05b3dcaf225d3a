"""Which repository files become documents, and what changed between two commits.

Text files up to `MAX_FILE_BYTES` are indexed: Markdown docs, code, configuration. Binaries
are skipped by extension before anything is downloaded, and by content (a NUL byte, or not
UTF-8) after. Submodules and symlinks are not files of this repository.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

MAX_FILE_BYTES = 200_000

BINARY_EXTENSIONS = frozenset(
    """
    png jpg jpeg gif bmp ico icns webp tif tiff psd ai sketch fig heic avif
    pdf doc docx ppt pptx xls xlsx odt ods odp key numbers pages
    zip gz tgz bz2 xz 7z rar tar jar war ear whl egg apk ipa dmg iso deb rpm msi
    exe dll so dylib a o obj lib bin class pyc pyo wasm node
    woff woff2 ttf otf eot
    mp3 mp4 m4a wav ogg flac mov avi mkv webm
    sqlite sqlite3 db mdb parquet avro orc pkl pickle npy npz h5 onnx pt ckpt
    """.split()  # noqa: SIM905 - a word list reads better than 90 quoted strings
)

# A file symlink's mode in a git tree; its "content" is the link's target path.
SYMLINK_MODE = "120000"


def has_binary_extension(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    return "." in name and name.rsplit(".", 1)[1] in BINARY_EXTENSIONS


def is_candidate(path: str, size: int | None) -> bool:
    """Worth downloading: not a known binary type, not over the size cap."""
    return not has_binary_extension(path) and (size is None or size <= MAX_FILE_BYTES)


def decode_text(content: bytes) -> str | None:
    """The file's text, or None when it is binary after all."""
    if b"\0" in content[:8192]:
        return None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return None


@dataclass(frozen=True)
class TreeFile:
    path: str
    sha: str
    size: int | None


def tree_files(tree: Mapping[str, Any]) -> dict[str, TreeFile]:
    """The regular files of a recursive git tree listing, by path."""
    files: dict[str, TreeFile] = {}
    for entry in tree.get("tree") or []:
        if entry.get("type") == "blob" and entry.get("mode") != SYMLINK_MODE:
            files[entry["path"]] = TreeFile(entry["path"], entry["sha"], entry.get("size"))
    return files


@dataclass(frozen=True)
class FileChange:
    """One path to (re)index or remove. `existed` tells an edit from an addition: a file that
    existed and is no longer indexable (now binary, now too large) must be deleted."""

    path: str
    action: Literal["upsert", "remove"]
    sha: str = ""
    size: int | None = None
    existed: bool = False


def all_files(files: Iterable[TreeFile]) -> list[FileChange]:
    """A first read of a tree: every candidate, in path order."""
    return sorted(
        (
            FileChange(file.path, "upsert", file.sha, file.size)
            for file in files
            if is_candidate(file.path, file.size)
        ),
        key=lambda change: change.path,
    )


def diff_trees(old: Mapping[str, TreeFile], new: Mapping[str, TreeFile]) -> list[FileChange]:
    changes = [
        FileChange(path, "upsert", file.sha, file.size, existed=path in old)
        for path, file in new.items()
        if path not in old or old[path].sha != file.sha
    ]
    changes += [FileChange(path, "remove") for path in old if path not in new]
    return sorted(changes, key=lambda change: (change.path, change.action))


# GitHub's compare endpoint lists at most this many files; a longer diff needs the trees.
COMPARE_FILE_LIMIT = 300


def compare_changes(
    compared_files: Iterable[Mapping[str, Any]], sizes: Mapping[str, TreeFile]
) -> list[FileChange]:
    """The changes a compare response lists. `sizes` is the head tree, for the size cap (the
    compare entries carry no size)."""
    changes: list[FileChange] = []
    for entry in compared_files:
        path, status = entry["filename"], entry.get("status")
        if status == "removed":
            changes.append(FileChange(path, "remove"))
            continue
        if status == "renamed" and entry.get("previous_filename"):
            changes.append(FileChange(entry["previous_filename"], "remove"))
        if status == "unchanged" or path not in sizes:
            continue  # a submodule or symlink, absent from the head's regular files
        head = sizes[path]
        existed = status in ("modified", "changed")
        changes.append(FileChange(path, "upsert", head.sha, head.size, existed=existed))
    return sorted(changes, key=lambda change: (change.path, change.action))
