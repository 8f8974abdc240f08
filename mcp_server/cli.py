"""`relay serve` and `relay usage`: thin click commands over the mcp_server library.

Loaded by `registry.cli` through the `relay.commands` entry points; library
errors (RelayError) become one line and exit status 2 there. `relay --help`
loads this module too, so logging and urllib load in the commands that use
them (issue 12).
"""

from __future__ import annotations

import json
import signal
import sys
from datetime import date, datetime
from pathlib import Path

import click

from registry.errors import RelayError

from .options import OIDCSettings, ServerOptions

DEFAULT_DB = Path("usage.duckdb")


@click.group(invoke_without_command=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback needs --tokens or --insecure.")
@click.option("--port", type=int, default=8765, show_default=True)
@click.option("--repo", "repo_path", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="The skills repository (any folder inside it).")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
              show_default=True, help="DuckDB file for usage events (this process owns it).")
@click.option("--usage-store", type=click.Path(file_okay=False, path_type=Path), default=None,
              metavar="DIR", help="Shared usage store: this process appends Parquet segments to DIR "
                                  "(any number of replicas and workers may share it); replaces --db.")
@click.option("--flush-interval", type=float, default=0.25, show_default=True,
              help="Seconds usage events collect before a batch is written (the most a crash loses).")
@click.option("--no-usage", is_flag=True, help="Do not record usage.")
@click.option("--tokens", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="TOML file of hashed bearer tokens; with it every request needs a token.")
@click.option("--insecure", is_flag=True, help="Allow a non-loopback address without tokens.")
@click.option("--oidc-issuer", metavar="URL", default=None,
              help="Accept JWT access tokens from this OIDC issuer, e.g. https://accounts.google.com.")
@click.option("--oidc-audience", metavar="AUD", default=None,
              help="The `aud` the tokens must carry (the client id or API identifier).")
@click.option("--oidc-jwks-url", metavar="URL", default=None,
              help="The issuer's JWKS (default: its jwks_uri from OpenID discovery).")
@click.option("--oidc-domain", "oidc_domains", multiple=True, metavar="DOMAIN",
              help="Allowed hosted domain (`hd` claim, else the e-mail's domain); repeatable.")
@click.option("--oidc-group", "oidc_groups", multiple=True, metavar="GROUP",
              help="Allowed group (in the groups claim); repeatable.")
@click.option("--oidc-groups-claim", default="groups", show_default=True,
              help="The claim that lists the user's groups.")
@click.option("--public-url", metavar="URL", default=None,
              help="The MCP endpoint as clients reach it, e.g. https://relay.example.com/mcp "
                   "(published as protected resource metadata).")
@click.option("--audit-log", metavar="FILE", default="-", show_default=True,
              help="One JSON line per authenticated request: '-' for stderr, a file, or 'off'.")
@click.option("--poll", type=float, default=10.0, show_default=True,
              help="Seconds between checks for new commits on the served branch (0: off).")
@click.option("--stale-after", type=float, default=None, metavar="SECONDS",
              help="/readyz answers 503 when the served branch was last checked successfully "
                   "longer ago than this. Default: 3 polls, at least 30 s.")
@click.option("--fetch", "fetch_remote", metavar="REMOTE", default=None,
              help="`git fetch REMOTE` before each check and serve REMOTE's branch.")
@click.option("--hook-secret", envvar="RELAY_HOOK_SECRET", default=None,
              help="Secret for POST /hooks/git signatures (env RELAY_HOOK_SECRET).")
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also serve this built static site at /.")
@click.option("--rate-limit", type=float, default=20.0, show_default=True,
              help="Requests per second per token (bursts of twice that); over it: 429.")
@click.option("--allowed-host", "allowed_hosts", multiple=True,
              help="Extra Host header value to accept (repeatable), e.g. relay.example.com:*.")
@click.option("--allowed-origin", "allowed_origins", multiple=True,
              help="Extra Origin to accept (repeatable), e.g. https://relay.example.com.")
@click.option("--stdio", is_flag=True, help="Speak MCP over stdin/stdout instead of HTTP.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="HTTP worker processes; more than one implies --stateless and needs "
                   "--usage-store (or --no-usage).")
@click.option("--stateless", is_flag=True,
              help="No MCP sessions: each request stands alone (clients name themselves in _meta).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, repo_path: Path, db: Path, usage_store: Path | None,
          flush_interval: float, no_usage: bool,
          tokens: Path | None, insecure: bool, oidc_issuer: str | None, oidc_audience: str | None,
          oidc_jwks_url: str | None, oidc_domains: tuple[str, ...], oidc_groups: tuple[str, ...],
          oidc_groups_claim: str, public_url: str | None, audit_log: str, poll: float,
          stale_after: float | None, fetch_remote: str | None,
          hook_secret: str | None, site: Path | None, rate_limit: float, allowed_hosts: tuple[str, ...],
          allowed_origins: tuple[str, ...], stdio: bool, workers: int, stateless: bool) -> None:
    """Serve the skills over MCP (Streamable HTTP at /mcp, or --stdio).

    Also serves /healthz, /readyz, /metrics, /api/usage, POST /hooks/git and,
    with --site, a built static site at /. New commits on the served branch
    appear without a restart. `relay serve token add OWNER` creates a token.
    """
    if ctx.invoked_subcommand is not None:
        return
    options = ServerOptions(repo=repo_path, host=host, port=port, db=None if no_usage else db,
                            usage_store=usage_store, flush_interval=flush_interval,
                            tokens=tokens, insecure=insecure, poll=poll, stale_after=stale_after,
                            public_url=public_url,
                            audit_log=None if audit_log == "off" else audit_log,
                            oidc=_oidc(oidc_issuer, oidc_audience, oidc_jwks_url, oidc_domains, oidc_groups,
                                       oidc_groups_claim), fetch=fetch_remote, site=site,
                            hook_secret=hook_secret, rate_limit=rate_limit,
                            allowed_hosts=list(allowed_hosts), allowed_origins=list(allowed_origins),
                            workers=workers, stateless=stateless or workers > 1)
    import logging

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="relay: %(message)s")
    if stdio:
        from .stdio import run

        options.check()
        run(options)
        return
    from .processes import serve_http

    options.check()
    click.echo(f"relay: serving MCP at {options.base_url}/mcp"
               + (f" with {workers} worker processes" if workers > 1 else ""), err=True)
    # uvicorn drains and shuts down on SIGTERM, then re-raises the signal to the handler that
    # was there before it (exit status 143). A stop that was asked for and completed is a
    # success: this handler makes it exit 0, which is what supervisors expect.
    signal.signal(signal.SIGTERM, _stopped)
    serve_http(options)


def _stopped(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _oidc(issuer: str | None, audience: str | None, jwks_url: str | None, domains: tuple[str, ...],
          groups: tuple[str, ...], groups_claim: str) -> OIDCSettings | None:
    if issuer is None:
        if audience or jwks_url or domains or groups:
            raise click.UsageError("the --oidc-* options need --oidc-issuer")
        return None
    return OIDCSettings(issuer=issuer, audience=audience or "", jwks_url=jwks_url, domains=list(domains),
                        groups=list(groups), groups_claim=groups_claim)


@serve.group()
def token() -> None:
    """Manage bearer tokens for `relay serve --tokens FILE`."""


@token.command("add")
@click.argument("owner")
@click.option("--tokens", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The tokens file (created if missing).")
@click.option("--group", "groups", multiple=True, metavar="GROUP",
              help="A group the token's owner is in, for items restricted to an audience; repeatable.")
def token_add(owner: str, tokens: Path, groups: tuple[str, ...]) -> None:
    """Create a token for OWNER: prints it once, stores only its sha256."""
    from .auth import add_token

    secret, record = add_token(tokens, owner, groups)
    click.echo(secret)
    click.echo(f"token {record.id} for {record.owner} added to {tokens}; it is not shown again", err=True)


@token.command("list")
@click.option("--tokens", type=click.Path(dir_okay=False, path_type=Path), required=True)
def token_list(tokens: Path) -> None:
    """List token ids and owners (never the tokens)."""
    from .auth import load_tokens

    for record in load_tokens(tokens).values():
        click.echo(f"{record.id}  {record.owner}  {record.created}  {','.join(record.groups)}".rstrip())


@click.group()
def usage() -> None:
    """Report and export the usage that `relay serve` records."""


@usage.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
              show_default=True, help="The usage database (not while a server holds it).")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="Read the shared usage store (what `relay serve --usage-store DIR` writes).")
@click.option("--url", default=None, help="Ask a running server instead, e.g. http://127.0.0.1:8765.")
@click.option("--token", envvar="RELAY_TOKEN", default=None, help="Bearer token for --url (env RELAY_TOKEN).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Only events on or after this day (YYYY-MM-DD).")
@click.option("--by", type=click.Choice(["skill", "version", "day", "client"]), default="skill",
              show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
def report(db: Path, store: Path | None, url: str | None, token: str | None, since: datetime | None,
           by: str, fmt: str) -> None:
    """Uses, distinct users, success rate, p50/p95 duration and hours saved per group."""
    from .usage import report as reports

    day = since.date() if since else None
    if url:
        rows, by = reports.from_json(_fetch_usage(url, by, day, token))
    else:
        from .usage.segments import connect

        conn = connect(store) if store is not None else reports.open_database(db)
        try:
            rows = reports.aggregate(conn, by, day)
        finally:
            conn.close()
    click.echo(reports.render(rows, by, fmt), nl=False)


@usage.command()
@click.option("--parquet", "directory", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory for day=YYYY-MM-DD/*.parquet (what the site build reads).")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
              show_default=True)
def export(directory: Path, db: Path) -> None:
    """Export every event as day-partitioned Parquet with UsageEvent's columns."""
    from .usage import report as reports

    conn = reports.open_database(db)
    try:
        count = reports.export_parquet(conn, directory)
    finally:
        conn.close()
    click.echo(f"exported {count} events to {directory}", err=True)


@usage.command()
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), required=True, metavar="DIR",
              help="The shared usage store.")
@click.option("--before", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Merge days before this one (YYYY-MM-DD; default today, UTC).")
def compact(store: Path, before: datetime | None) -> None:
    """Merge each finished day's segments in the shared store into one file (run one at a time)."""
    from .usage.segments import compact as compact_store

    days, merged = compact_store(store, before.date() if before else None)
    click.echo(f"merged {merged} segments into {days} day files in {store}", err=True)


def _fetch_usage(url: str, by: str, since: date | None, token: str | None) -> dict:
    import urllib.error
    import urllib.request

    query = f"by={by}" + (f"&since={since.isoformat()}" if since else "")
    request = urllib.request.Request(f"{url.rstrip('/')}/api/usage?{query}")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        raise RelayError(f"{url}: {exc.code} {exc.read().decode(errors='replace').strip()}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise RelayError(f"{url}: cannot reach the server ({exc})") from None


__all__ = ["serve", "usage"]
