"""Everything `relay serve` can be told, in one typed place, with the start-up safety checks."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from registry.errors import ConfigError


@dataclass
class OIDCSettings:
    """What `relay serve --oidc-issuer ...` is told (see docs/deploy.md#sign-in)."""

    issuer: str
    audience: str
    jwks_url: str | None = None  # default: the issuer's discovery document's jwks_uri
    domains: list[str] = field(default_factory=list)  # allowed `hd` / e-mail domains; empty: any
    groups: list[str] = field(default_factory=list)  # allowed groups; empty: any
    groups_claim: str = "groups"
    leeway: float = 30.0  # seconds of clock skew tolerated on exp / nbf / iat
    jwks_cooldown: float = 30.0  # the least time between two JWKS fetches for unknown key ids

    def check(self) -> None:
        if not self.issuer.startswith(("https://", "http://")):
            raise ConfigError(f"--oidc-issuer must be an http(s) URL, not {self.issuer!r}")
        if not self.audience:
            raise ConfigError("--oidc-audience is required with --oidc-issuer (the client id or API "
                              "identifier your provider puts in the tokens' `aud`)")


LOOPBACK_HOSTS = ("127.0.0.1:*", "localhost:*", "[::1]:*")
LOOPBACK_ORIGINS = ("http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*")


@dataclass
class ServerOptions:
    repo: Path = Path(".")
    host: str = "127.0.0.1"
    port: int = 8765
    db: Path | None = Path("usage.duckdb")  # None: usage logging off
    usage_store: Path | None = None  # a shared segment folder instead of the DuckDB file
    flush_interval: float = 0.25  # seconds a batch collects before it is written
    tokens: Path | None = None
    oidc: OIDCSettings | None = None  # sign-in with the company's identity provider (JWTs)
    public_url: str | None = None  # the MCP endpoint as clients reach it (protected resource metadata)
    audit_log: str | None = "-"  # "-": stderr; a path: append there; None: off
    insecure: bool = False
    poll: float = 10.0  # seconds between checks of the served ref; 0 turns polling off
    stale_after: float | None = None  # /readyz fails past this many seconds without a good check
    fetch: str | None = None  # a remote to `git fetch` before each check
    site: Path | None = None
    hook_secret: str | None = None
    rate_limit: float = 20.0  # requests per second per token (bursts of twice that)
    max_body: int = 1024 * 1024
    max_read_bytes: int = 256 * 1024
    queue_size: int = 100_000
    allowed_hosts: list[str] = field(default_factory=list)
    allowed_origins: list[str] = field(default_factory=list)
    workers: int = 1  # processes serving HTTP; more than one implies stateless
    stateless: bool = False  # no MCP sessions: any worker can answer any request

    @property
    def loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    @property
    def authenticated(self) -> bool:
        return self.tokens is not None or self.oidc is not None

    @property
    def resource_url(self) -> str:
        """The MCP endpoint's public URL: what tokens are for and what clients are told to sign in to."""
        return self.public_url or f"{self.base_url}/mcp"

    @property
    def staleness_bound(self) -> float:
        """Seconds without a successful check of the served ref before readiness fails."""
        return self.stale_after if self.stale_after is not None else max(3 * self.poll, 30.0)

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def check(self) -> None:
        """Refuse unsafe or impossible settings before anything starts."""
        if self.host in ("0.0.0.0", "::", "") and not self.allowed_hosts:
            raise ConfigError(f"serving on every address ({self.host or '*'}) needs --allowed-host with "
                              "the names clients use to reach this server (e.g. relay.example.com:*): "
                              "without it no Host header could be checked")
        if not self.loopback and not self.authenticated and not self.insecure:
            raise ConfigError(f"refusing to serve {self.host} without authentication: pass --tokens FILE "
                              "(see `relay serve token add`) or --oidc-issuer, or --insecure if the "
                              "network is trusted")
        if self.oidc is not None:
            self.oidc.check()
        if self.tokens is not None and not self.tokens.exists():
            raise ConfigError(f"{self.tokens}: no such tokens file; create one with "
                              f"`relay serve token add OWNER --tokens {self.tokens}`")
        if self.site is not None and not self.site.is_dir():
            raise ConfigError(f"{self.site}: --site must be a built site directory")
        if self.flush_interval <= 0:
            raise ConfigError("--flush-interval must be a positive number of seconds")
        if self.stale_after is not None and self.stale_after <= 0:
            raise ConfigError("--stale-after must be a positive number of seconds")
        if self.poll < 0:
            raise ConfigError("--poll must be 0 (off) or a number of seconds")
        if self.workers < 1:
            raise ConfigError("--workers must be at least 1")
        if self.workers > 1 and self.db is not None and self.usage_store is None:
            raise ConfigError(f"--workers {self.workers} needs --usage-store DIR (or --no-usage): one "
                              "DuckDB file has one writer, while a segment folder takes one per process")
