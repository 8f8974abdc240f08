"""One zip per skill version, laid out as claude.ai expects (`<name>/SKILL.md`, ...), byte-identical
on every build: entries sorted, timestamps from the version's commit date, fixed permissions.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

from registry.model import FileKind, Version
from registry.safepath import check_path
from registry.tree import SkillTree

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


@dataclass(frozen=True)
class Bundle:
    """A built zip: where it goes in the site, its bytes, their digest."""

    path: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


def zip_timestamp(when: datetime) -> tuple[int, int, int, int, int, int]:
    utc = when.astimezone(UTC)
    stamp = (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)
    return max(stamp, ZIP_EPOCH)


def build_zip(name: str, version: Version, tree: SkillTree) -> bytes:
    """The skill folder at `version` as a zip; symlinks and submodules are left out."""
    stamp = zip_timestamp(version.date)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in sorted(tree.files(), key=lambda f: f.path):
            if item.kind not in (FileKind.FILE, FileKind.EXECUTABLE):
                continue
            info = zipfile.ZipInfo(check_path(f"{name}/{item.path}"), date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if item.kind is FileKind.EXECUTABLE else 0o644
            info.external_attr = (0o100000 | mode) << 16
            info.create_system = 3  # unix, so the mode above is honoured
            archive.writestr(info, tree.read(item.path), compresslevel=6)
    return buffer.getvalue()
