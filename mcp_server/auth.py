"""Bearer tokens from a TOML file, stored only as sha256 hashes, each with an owner.

`TokenFileVerifier` is the SDK's `TokenVerifier`: the SDK's bearer middleware
calls it and refuses requests without a valid token. The file is re-read when it
changes, so `relay serve token add` takes effect without a restart.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import time
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mcp.server.auth.provider import AccessToken

from registry.errors import ConfigError
from registry.safepath import is_control

PREFIX = "relay_"
log = logging.getLogger("relay.mcp")


@dataclass(frozen=True)
class TokenRecord:
    id: str  # the first 12 hex digits of the hash: safe to log, names the token in usage
    owner: str
    sha256: str
    created: str = ""
    groups: tuple[str, ...] = ()  # for items restricted to an audience (registry/audience.py)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def load_tokens(path: Path) -> dict[str, TokenRecord]:
    """Records by hash; a missing file holds no tokens."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    records: dict[str, TokenRecord] = {}
    for i, item in enumerate(data.get("tokens", [])):
        if not isinstance(item, dict) or not isinstance(item.get("sha256"), str) or not item.get("owner"):
            raise ConfigError(f"{path}: tokens[{i}] needs string keys 'owner' and 'sha256'")
        digest = item["sha256"].lower()
        groups = item.get("groups", [])
        if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
            raise ConfigError(f"{path}: tokens[{i}].groups must be a list of strings")
        records[digest] = TokenRecord(str(item.get("id", digest[:12])), str(item["owner"]), digest,
                                      str(item.get("created", "")), tuple(groups))
    return records


def add_token(path: Path, owner: str, groups: tuple[str, ...] = ()) -> tuple[str, TokenRecord]:
    """Create a token for `owner`, append its hash to the file; the token is returned once."""
    for text in (owner, *groups):
        if not text.strip() or any(c in text for c in "\"\\") or any(is_control(c) for c in text):
            raise ConfigError("owner and groups must be non-empty names without quotes, backslashes "
                              "or control characters (newlines, tabs, escapes)")
    load_tokens(path)  # refuse to append to a broken file
    token = PREFIX + secrets.token_urlsafe(32)
    digest = hash_token(token)
    record = TokenRecord(digest[:12], owner.strip(), digest,
                         datetime.now(UTC).isoformat(timespec="seconds"), tuple(g.strip() for g in groups))
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    with open(path, "a", encoding="utf-8") as out:
        if new:
            out.write("# Relay MCP bearer tokens: sha256 hashes only (relay serve token add OWNER)\n")
        out.write(f'\n[[tokens]]\nid = "{record.id}"\nowner = "{record.owner}"\n'
                  f'sha256 = "{record.sha256}"\ncreated = "{record.created}"\n')
        if record.groups:
            out.write("groups = [" + ", ".join(f'"{g}"' for g in record.groups) + "]\n")
    os.chmod(path, 0o600)
    return token, record


class TokenFileVerifier:
    """Checks bearer tokens against the hashes in the tokens file (re-read on change).

    A file that stops parsing refuses every token until it is fixed: keeping the
    last good set would keep a token working that the edit meant to revoke.
    """

    def __init__(self, path: Path, recheck_seconds: float = 2.0) -> None:
        self.path = path
        self.recheck_seconds = recheck_seconds
        self._records = load_tokens(path)
        self._mtime = self._stat()
        self._checked = time.monotonic()
        self.error = ""  # why the tokens file does not parse; while set, every token is refused

    def _stat(self) -> float:
        try:
            return self.path.stat().st_mtime
        except OSError:
            return 0.0

    def _reload_if_changed(self) -> None:
        now = time.monotonic()
        if now - self._checked < self.recheck_seconds:
            return
        self._checked = now
        mtime = self._stat()
        if mtime != self._mtime:
            self._mtime = mtime
            try:
                self._records = load_tokens(self.path)
            except ConfigError as exc:
                # Fail closed: the broken file may be the one that revoked a token, so no
                # token is accepted until it parses again. Say so loudly (log, /readyz, /metrics).
                self._records = {}
                self.error = str(exc)
                log.error("tokens file unreadable, refusing every token until it is fixed: %s", exc)
                return
            if self.error:
                log.warning("tokens file %s parses again: %d tokens", self.path, len(self._records))
            self.error = ""

    async def verify_token(self, token: str) -> AccessToken | None:
        self._reload_if_changed()
        record = self._records.get(hash_token(token))
        if record is None or not secrets.compare_digest(record.sha256, hash_token(token)):
            return None
        return AccessToken(token=token, client_id=record.id, scopes=[], subject=record.owner,
                           claims={"groups": list(record.groups)})
