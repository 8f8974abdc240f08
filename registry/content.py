"""What Relay serves of a skill's files, defined once for the site and the MCP service.

Both halves publish a version's file list with sha256 digests and sizes (the
site's `skills/<name>.json`, the Skills extension's `skills/get`), show or
return files inline up to a size, and decide whether a file is text or binary.
When each half had its own rule, the two lists disagreed (one counted symlinks
and submodules, the other did not); here is the one rule:

- **served files** are regular and executable files: a symlink may point
  anywhere and is never followed, a submodule has no content in this repository;
- a digest is `sha256:<hex>` of the file's bytes;
- a skill is servable as a whole up to `SKILL_MAX_FILES` files and
  `SKILL_MAX_BYTES` bytes (the Skills extension's limits, also validation's
  defaults); one file is shown or returned inline up to `INLINE_MAX_BYTES`;
- a file is **binary** when it has a NUL byte near the start or is not UTF-8.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import FileKind, SkillFile

if TYPE_CHECKING:
    from .tree import SkillTree  # (it imports pygit2; validation of a folder must not)

SKILL_MAX_FILES = 512
SKILL_MAX_BYTES = 16 * 1024 * 1024
INLINE_MAX_BYTES = 256 * 1024  # larger files: a download on the site, resources/read over MCP
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileDigest:
    """One served file of a version: its path in the skill, size in bytes, sha256 digest, kind."""

    path: str
    size: int
    digest: str  # "sha256:<hex>"
    kind: str = FileKind.FILE.value


def is_served(item: SkillFile) -> bool:
    return item.kind in (FileKind.FILE, FileKind.EXECUTABLE)


def served_files(tree: SkillTree) -> list[SkillFile]:
    """The files of a skill folder that Relay serves, in path order."""
    return [item for item in tree.files() if is_served(item)]


def digest(data: bytes) -> str:
    import hashlib  # here: it loads OpenSSL, which `relay validate` never needs (issue 12)

    return "sha256:" + hashlib.sha256(data).hexdigest()


def file_digests(tree: SkillTree) -> list[FileDigest]:
    """Every served file with its size and digest (reads each file once)."""
    found = []
    for item in served_files(tree):
        data = tree.read(item.path)
        found.append(FileDigest(item.path, len(data), digest(data), item.kind.value))
    return found


def within_limits(files: list[FileDigest] | tuple[FileDigest, ...]) -> bool:
    """Whether a version is small enough to serve whole (file count and total bytes)."""
    return len(files) <= SKILL_MAX_FILES and sum(f.size for f in files) <= SKILL_MAX_BYTES


def is_binary(data: bytes) -> bool:
    """Binary: a NUL byte in the first 8 KiB, or bytes that are not UTF-8."""
    if b"\0" in data[:_SNIFF_BYTES]:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False
