"""The Starlette application: MCP at /mcp plus health, metrics, usage API, git hook and site.

`Relay` owns the long-lived parts (catalog holder, usage writer, metrics) and
their start and stop; `build_app` wires them into routes. The MCP session
manager runs inside the app's lifespan, and shutdown drains the usage queue.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from importlib.metadata import version as package_version

import anyio
import anyio.to_thread
from mcp.server import MCPServer
from mcp.server.auth.settings import AuthSettings
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from registry.errors import RelayError
from registry.search import Popularity

from .audit import AuditLog, AuditMiddleware
from .auth import TokenFileVerifier
from .capabilities import declare_capabilities
from .completion import register_completion
from .guard import TRUSTED, HostOriginGuard, TokenRequired
from .hooks import GitHook
from .metrics import Metrics, MetricsMiddleware
from .oidc import ChainVerifier, JWTVerifier
from .options import LOOPBACK_HOSTS, LOOPBACK_ORIGINS, ServerOptions
from .prompts import has_prompts, register_prompts
from .ratelimit import RateLimitMiddleware
from .resources import register_resources
from .rpcids import RequestIdCheck
from .service import Service
from .sitefiles import SiteFiles
from .skills_extension import SkillsExtension
from .snapshot import CatalogHolder
from .tools import register_tools
from .unknown_tool import refuse_unknown_tools
from .usage import report
from .usage.recorder import Recorder
from .usage.segments import SegmentSink
from .usage.writer import UsageWriter

log = logging.getLogger("relay.mcp")
INSTRUCTIONS = ("Relay serves the company's Agent Skills. Find one with search_skills or list_skills, "
                "load it with get_skill, then read its files with read_skill_file as it directs.")


class Relay:
    """The running service: one catalog holder, one usage writer, one MCP server."""

    def __init__(self, options: ServerOptions) -> None:
        self.options = options
        self.metrics = Metrics()
        self.writer = usage_writer(options)
        self.holder = CatalogHolder(options.repo, options.fetch,
                                    popularity=self.popularity if self.writer else None)
        self.verifier = verifier(options)
        self.audit = AuditLog(options.audit_log) if self.verifier and options.audit_log else None
        self.service = Service(self.holder, Recorder(self.writer, self.metrics), self.metrics,
                               max_read_bytes=options.max_read_bytes,
                               ttl_ms=int(max(options.poll, 1) * 1000))
        auth = auth_settings(options) if self.verifier else None
        extensions = [SkillsExtension(self.service)]
        self.mcp = MCPServer("relay", version=package_version("relay-registry"),
                             instructions=INSTRUCTIONS, token_verifier=self.verifier, auth=auth,
                             extensions=extensions, log_level="WARNING")
        register_tools(self.mcp, self.service)
        register_resources(self.mcp, self.service)
        register_prompts(self.mcp, self.service)
        register_completion(self.mcp, self.service)
        declare_capabilities(self.mcp, extensions, has_prompts=lambda: has_prompts(self.service))
        refuse_unknown_tools(self.mcp)
        self._register_gauges()

    def _register_gauges(self) -> None:
        writer, holder, m = self.writer, self.holder, self.metrics
        m.gauge("relay_usage_queue_depth", "Usage events waiting for the writer.",
                lambda: writer.depth if writer else 0)
        m.gauge("relay_usage_events_written_total", "Usage events written to DuckDB.",
                lambda: writer.written if writer else 0)
        m.gauge("relay_usage_events_dropped_total", "Usage events dropped because the queue was full.",
                lambda: writer.dropped if writer else 0)
        m.gauge("relay_catalog_skills", "Skills in the served catalog.",
                lambda: len(holder.current.names) if holder.current else 0)
        m.gauge("relay_catalog_refreshes_total", "Catalog snapshots loaded.", lambda: holder.refreshes)
        m.gauge("relay_catalog_refresh_errors_total", "Checks of the served branch that failed.",
                lambda: holder.errors)
        m.gauge("relay_catalog_staleness_seconds",
                "Seconds since the served branch was last checked successfully (-1: never).",
                lambda: s if (s := holder.staleness()) is not None else -1)
        m.gauge("relay_usage_events_failed_total", "Usage events the store refused.",
                lambda: writer.failed if writer else 0)
        m.gauge("relay_usage_writer_ok", "1 while usage is being recorded, 0 when the writer fails.",
                lambda: 0 if writer and writer.problem else 1)
        m.gauge("relay_tokens_file_ok", "1 while the tokens file parses, 0 when every token is "
                "refused because it does not.", lambda: 0 if self.verifier and self.verifier.error else 1)
        m.gauge("relay_ready", "1 when /readyz answers 200.", lambda: 0 if self.not_ready() else 1)

    def popularity(self) -> dict[str, Popularity]:
        """Uses and ratings per skill from the usage store: the search priors (the same
        figures as `relay usage report` and the site's dashboard)."""
        assert self.writer is not None
        rows = self.writer.query(report.aggregate)
        return {row.key[0]: Popularity(row.uses, row.avg_rating, row.ratings) for row in rows}

    def start(self) -> None:
        if self.writer is not None:
            self.writer.start()

    def stop(self) -> None:
        if self.writer is not None:
            self.writer.close()
        if self.audit is not None:
            self.audit.close()

    async def keep_fresh(self) -> None:
        """Load the catalog, then re-check the served ref every `poll` seconds.

        Nothing may end this loop but cancellation: it runs in the task group
        that also runs the MCP session manager, so an exception escaping here
        would take `/mcp` down with it. Without polling, it retries until the
        first load succeeds.
        """
        while True:
            try:
                await anyio.to_thread.run_sync(self.holder.refresh)
            except Exception:  # noqa: BLE001 - logged and counted; the next poll tries again
                self.holder.errors += 1
                log.exception("catalog refresh failed unexpectedly")
            if not self.options.poll and self.holder.current is not None:
                return
            await anyio.sleep(self.options.poll or 1.0)

    def not_ready(self) -> str:
        """Why the service should not get traffic now ("" when it should)."""
        holder = self.holder
        if holder.current is None:
            return "catalog loading" + (f" (last error: {holder.last_error})" if holder.last_error else "")
        stale = holder.staleness()
        bound = self.options.staleness_bound
        if (self.options.poll or holder.last_error) and (stale is None or stale > bound):
            why = f"; last error: {holder.last_error}" if holder.last_error else ""
            return f"catalog not refreshed for more than {bound:g} s{why}"
        if self.writer is not None and self.writer.problem:
            return self.writer.problem
        if self.verifier is not None and self.verifier.error:
            return f"tokens file unreadable, every token is refused: {self.verifier.error}"
        return ""

    def allowed(self) -> tuple[list[str], list[str]]:
        """The Host and Origin patterns this server answers (options.check refuses a wildcard
        address without --allowed-host, so there is always a list)."""
        opts = self.options
        hosts = list(LOOPBACK_HOSTS) if opts.loopback else [opts.host, f"{opts.host}:*"]
        origins = list(LOOPBACK_ORIGINS) if opts.loopback else [f"http://{opts.host}:*",
                                                                 f"https://{opts.host}:*"]
        return hosts + opts.allowed_hosts, origins + opts.allowed_origins

    def transport_security(self) -> TransportSecuritySettings:
        hosts, origins = self.allowed()
        return TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=hosts,
                                         allowed_origins=origins)


def verifier(options: ServerOptions) -> ChainVerifier | None:
    """Static tokens (CI, robots) and/or the identity provider's JWTs; None: the server is open."""
    if not options.authenticated:
        return None
    return ChainVerifier(TokenFileVerifier(options.tokens) if options.tokens is not None else None,
                         JWTVerifier(options.oidc) if options.oidc is not None else None)


def auth_settings(options: ServerOptions) -> AuthSettings:
    """The SDK's resource-server settings; with OIDC they publish where clients sign in (RFC 9728)."""
    if options.oidc is None:
        return AuthSettings(issuer_url=options.base_url, resource_server_url=None)  # type: ignore[arg-type]
    # The JWT verifier checks `aud` itself, so the SDK need not compare resources.
    return AuthSettings(issuer_url=options.oidc.issuer, resource_server_url=options.resource_url,  # type: ignore[arg-type]
                        validate_token_resource=False)


def usage_writer(options: ServerOptions) -> UsageWriter | None:
    """The shared segment store when --usage-store is given, else this process's DuckDB file."""
    if options.db is None:
        return None
    sink = SegmentSink(options.usage_store) if options.usage_store is not None else None
    return UsageWriter(options.db, sink=sink, queue_size=options.queue_size,
                       flush_interval=options.flush_interval)


def build_app(relay: Relay) -> Starlette:
    opts = relay.options
    # One JSON body per POST instead of an SSE stream: Relay never sends the client requests or
    # progress in the middle of a call, and a plain response is cheaper for both sides (issue 12).
    mcp_app = relay.mcp.streamable_http_app(transport_security=relay.transport_security(),
                                            max_request_body_size=opts.max_body, host=opts.host,
                                            json_response=True, stateless_http=opts.stateless)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        relay.start()
        if opts.workers > 1:
            # Workers share one port, so a readiness probe cannot tell them apart: each loads
            # its catalog before uvicorn lets it accept, rather than answer "still loading".
            await anyio.to_thread.run_sync(relay.holder.refresh)
        try:
            async with anyio.create_task_group() as tasks, relay.mcp.session_manager.run():
                tasks.start_soon(relay.keep_fresh)
                yield
                tasks.cancel_scope.cancel()
        finally:
            await anyio.to_thread.run_sync(relay.stop)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok\n")

    async def readyz(request: Request) -> Response:
        snapshot = relay.holder.current
        reason = relay.not_ready()
        if not request.scope.get(TRUSTED):  # a probe at the pod's address, or no token: status only
            return JSONResponse({"ready": not reason}, status_code=503 if reason else 200)
        if reason:
            return JSONResponse({"ready": False, "reason": reason,
                                 "revision": snapshot.revision if snapshot else None}, status_code=503)
        assert snapshot is not None
        return JSONResponse({"ready": True, "revision": snapshot.revision, "skills": len(snapshot.names)})

    async def metrics(request: Request) -> Response:
        signed_in = getattr(request.scope.get("user"), "access_token", None) is not None
        per_skill = relay.verifier is None or signed_in  # skill names and use are for signed-in callers
        return PlainTextResponse(relay.metrics.render(per_skill), media_type="text/plain; version=0.0.4")

    async def usage(request: Request) -> Response:
        writer = relay.writer
        if writer is None:
            return JSONResponse({"error": "usage logging is off (--no-usage)"}, status_code=404)
        by = request.query_params.get("by", "skill")
        try:
            since = date.fromisoformat(request.query_params["since"]) if "since" in request.query_params \
                else None
            await anyio.to_thread.run_sync(writer.flush)
            rows = await anyio.to_thread.run_sync(lambda: writer.query(
                lambda conn: report.aggregate(conn, by, since)))
        except (RelayError, ValueError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(report.to_json(rows, by))

    routes: list[BaseRoute] = [
        *mcp_app.routes,
        Route("/healthz", healthz), Route("/readyz", readyz), Route("/metrics", metrics),
        Route("/api/usage", usage), Route("/hooks/git", GitHook(relay.holder, opts.hook_secret).handle,
                                          methods=["POST"]),
    ]
    if opts.site is not None:
        routes.append(Mount("/", SiteFiles(opts.site), name="site"))
    hosts, origins = relay.allowed()
    middleware = [Middleware(MetricsMiddleware, metrics=relay.metrics),
                  Middleware(HostOriginGuard, hosts=hosts, origins=origins),
                  Middleware(RequestIdCheck, path="/mcp", limit=opts.max_body), *mcp_app.user_middleware]
    if relay.verifier is not None:
        middleware.append(Middleware(TokenRequired))
    if relay.audit is not None:  # inside authentication: it sees the verified user
        middleware.append(Middleware(AuditMiddleware, log=relay.audit))
    if relay.verifier is not None:
        middleware.append(Middleware(RateLimitMiddleware, rate=opts.rate_limit))
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def create_app(options: ServerOptions) -> Starlette:
    """What `relay serve` runs (and what uvicorn can import through a factory)."""
    options.check()
    return build_app(Relay(options))
