"""What the service does to answer fast under load (issue 12), and that it stays correct.

`get_skill` answers from a cache of SKILL.md texts by tree id (bounded by bytes);
each loaded catalog is frozen out of the cyclic garbage collector's walks, with
the replaced one collected; cheap searches run on the event loop, costly ones
in a thread.
"""

from __future__ import annotations

import gc
import json
import weakref

import pytest
from mcp import Client

from mcp_server import tools
from mcp_server.app import Relay
from mcp_server.skill_docs import SkillDoc, SkillDocCache
from mcp_server.snapshot import CatalogHolder
from mcp_server.tools import inline_search
from tests.conftest import RepoBuilder, skill_md


def doc(size: int) -> SkillDoc:
    return SkillDoc("x" * size, size, ())


def test_the_doc_cache_is_bounded_by_bytes_and_drops_the_least_recently_used() -> None:
    cache = SkillDocCache(max_bytes=1600)
    for tree_id in range(16):
        cache.put(str(tree_id), doc(100))
    assert cache.get("0") is not None  # now the most recently used
    cache.put("new", doc(100))
    assert cache.get("1") is None and cache.get("0") is not None and cache.get("new") is not None
    assert cache.held == 1600 and len(cache) == 16
    cache.put("big", doc(101))  # over a sixteenth of the bound: served, never kept
    assert cache.get("big") is None


@pytest.mark.anyio
async def test_get_skill_answers_from_the_cache_with_the_right_version(relay: Relay) -> None:
    versions = relay.holder.require().versions("alpha")
    async with Client(relay.mcp) as client:
        first = await client.call_tool("get_skill", {"name": "alpha"})
        old = await client.call_tool("get_skill", {"name": "alpha", "version": "1.0.0"})
        again = await client.call_tool("get_skill", {"name": "alpha"})
    assert [block.text for block in again.content] == [block.text for block in first.content]
    assert json.loads(old.content[0].text)["version"]["tree_id"] == versions[0].tree_id
    assert "See references/guide.md" in again.content[1].text
    assert "See references/guide.md" not in old.content[1].text
    assert relay.service.docs.get(versions[0].tree_id) is not None
    assert relay.service.docs.get(versions[-1].tree_id) is not None


def test_a_loaded_catalog_is_frozen_out_of_the_collector_and_freed_when_replaced(
        catalog: RepoBuilder) -> None:
    holder = CatalogHolder(catalog.path)
    assert holder.refresh()
    first = holder.require()
    tracked = {id(o) for o in gc.get_objects()}
    assert id(first.skills) not in tracked and gc.get_freeze_count() > 0
    gone = weakref.ref(first.registry)
    del first
    catalog.commit({"skills/delta/SKILL.md": skill_md("delta", "Added later.")}, "add delta")
    assert holder.refresh() and "delta" in holder.require().skills
    assert gone() is None
    assert id(holder.require().skills) not in {id(o) for o in gc.get_objects()}


def test_cheap_searches_run_inline_and_costly_ones_in_a_thread(relay: Relay,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot = relay.holder.require()
    assert inline_search(snapshot, "review alpha code", None, None, "skill")
    assert inline_search(snapshot, "review zzzunknown", None, None, "skill")  # known words decide
    assert not inline_search(snapshot, "", None, None, "skill")  # sorts every item
    assert not inline_search(snapshot, "zzzunknown", None, None, "skill")  # expands prefixes
    assert not inline_search(snapshot, "review", ["code"], None, "skill")
    assert not inline_search(snapshot, "review", None, "engineering", "skill")
    assert not inline_search(snapshot, "review", None, None, "all")
    monkeypatch.setattr(tools, "INLINE_POSTINGS", 0)
    assert not inline_search(snapshot, "review alpha code", None, None, "skill")
