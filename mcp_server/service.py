"""What every MCP handler shares: the catalog holder, the usage recorder and the digest cache."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from registry.content import INLINE_MAX_BYTES

from .identity import caller
from .manifest import ManifestCache
from .metrics import Metrics
from .skill_docs import SkillDocCache
from .snapshot import CatalogHolder, Snapshot
from .usage.recorder import Recorder

DEFAULT_MAX_READ_BYTES = INLINE_MAX_BYTES
T = TypeVar("T")


@dataclass
class Service:
    holder: CatalogHolder
    recorder: Recorder
    metrics: Metrics
    manifests: ManifestCache = field(default_factory=ManifestCache)
    docs: SkillDocCache = field(default_factory=SkillDocCache)  # get_skill's answers by tree id
    max_read_bytes: int = DEFAULT_MAX_READ_BYTES  # read_skill_file's cap; resources/read has the 16 MiB one
    ttl_ms: int = 30_000  # how long hosts may cache skills/list entries
    _views: dict[tuple[int, frozenset[str]], Snapshot] = field(default_factory=dict, repr=False)

    def snapshot(self, ctx: Any) -> Snapshot:
        """The current catalog as the caller of request `ctx` may see it (registry/audience.py).

        Raises RelayError while the catalog is still loading. Views are kept per
        snapshot and group set, so a request costs one dictionary lookup.
        """
        full = self.holder.require()
        groups = caller(ctx).groups
        key = (id(full), groups)
        view = self._views.get(key)
        if view is None or view.revision != full.revision:
            if len(self._views) > 256:
                self._views.clear()
            view = self._views[key] = full.visible_to(groups)
        return view

    # Git reads (trees, blobs, digests) run in one worker thread at a time: off the event loop,
    # so /healthz and other requests keep answering, and with at most one file in memory.
    git: anyio.CapacityLimiter = field(default_factory=lambda: anyio.CapacityLimiter(1))

    async def in_thread(self, work: Callable[[], T]) -> T:
        return await anyio.to_thread.run_sync(work, limiter=self.git)
