"""Argument completion (`completion/complete`): skill and prompt names as the user types.

A host completing a prompt's argument gets the skill and slash-command names
that start with what was typed (a command often takes a skill or another
command as its argument); completing the `skill://{+path}` or
`item://{kind}/{+name}` resource templates gets skill names, kinds or item
names. Only what the caller may see is offered; at most 100 values, with the
total, as the specification allows.
"""

from __future__ import annotations

from typing import Any

from mcp.server import MCPServer
from mcp_types import (
    CompleteRequestParams,
    CompleteResult,
    Completion,
    PromptReference,
    ResourceTemplateReference,
)

from registry.errors import RelayError
from registry.model import KIND_NAMES

from .service import Service
from .snapshot import Snapshot

MAX_VALUES = 100


def names(snapshot: Snapshot, kinds: tuple[str, ...] = ("skill", "command")) -> list[str]:
    """Skill names (top-level and in plugins) and item names of `kinds` in a caller's snapshot."""
    found = set(snapshot.skills) if "skill" in kinds else set()
    found.update(item.name for item in snapshot.items.values() if item.kind in kinds)
    return sorted(found)


def complete(snapshot: Snapshot, ref: Any, argument: str, value: str,
             context: dict[str, str] | None = None) -> Completion:
    """The completion values for one argument of a prompt or resource template."""
    candidates: list[str] = []
    if isinstance(ref, PromptReference):
        candidates = names(snapshot)
    elif isinstance(ref, ResourceTemplateReference):
        if ref.uri.startswith("skill://"):
            candidates = names(snapshot, ("skill",))
        elif ref.uri.startswith("item://") and argument == "kind":
            candidates = [k for k in KIND_NAMES if k != "skill"]
        elif ref.uri.startswith("item://"):
            kind = (context or {}).get("kind")
            kinds = (kind,) if kind in KIND_NAMES else tuple(k for k in KIND_NAMES if k != "skill")
            candidates = names(snapshot, kinds)
    typed = value.lower()
    matches = [c for c in candidates if c.lower().startswith(typed)]
    matches += [c for c in candidates if typed and typed in c.lower() and c not in matches]
    return Completion(values=matches[:MAX_VALUES], total=len(matches),
                      has_more=len(matches) > MAX_VALUES)


def register_completion(mcp: MCPServer, service: Service) -> None:
    """completion/complete (the completions capability)."""

    async def handle(ctx: Any, params: CompleteRequestParams) -> CompleteResult:
        try:
            snapshot = service.snapshot(ctx)  # what this caller may see
        except RelayError:
            return CompleteResult(completion=Completion(values=[], total=0, has_more=False))
        known = dict(getattr(params.context, "arguments", None) or {})
        return CompleteResult(completion=complete(
            snapshot, params.ref, params.argument.name, params.argument.value or "", known))

    # Registered on the low-level server, not with `mcp.completion()`: that decorator
    # hides the request, and the caller's groups decide which names may be offered.
    mcp._lowlevel_server.add_request_handler("completion/complete", CompleteRequestParams, handle)
