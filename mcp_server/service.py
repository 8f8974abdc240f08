"""What every MCP handler shares: the catalog holder, the usage recorder and the digest cache."""

from __future__ import annotations

from dataclasses import dataclass, field

from .manifest import ManifestCache
from .metrics import Metrics
from .snapshot import CatalogHolder
from .usage.recorder import Recorder

DEFAULT_MAX_READ_BYTES = 256 * 1024


@dataclass
class Service:
    holder: CatalogHolder
    recorder: Recorder
    metrics: Metrics
    manifests: ManifestCache = field(default_factory=ManifestCache)
    max_read_bytes: int = DEFAULT_MAX_READ_BYTES  # read_skill_file's cap; resources/read has the 16 MiB one
    ttl_ms: int = 30_000  # how long hosts may cache skills/list entries
