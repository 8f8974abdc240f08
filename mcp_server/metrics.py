"""Prometheus text metrics: requests, latency, skills served and the usage pipeline.

Counters are plain ints updated on the event loop; the exposition is rendered on
demand. Values that live elsewhere (queue depth, events written) are read from
their owners at scrape time instead of being copied.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    def __init__(self) -> None:
        self.requests: Counter[tuple[str, str, int]] = Counter()  # (path, method, status)
        self.buckets = [0] * (len(BUCKETS) + 1)
        self.latency_sum = 0.0
        self.latency_count = 0
        self.served: Counter[tuple[str, str]] = Counter()  # (tool or method, skill)
        self.gauges: dict[str, tuple[str, Callable[[], float]]] = {}

    def observe(self, path: str, method: str, status: int, seconds: float) -> None:
        self.requests[(path, method, status)] += 1
        self.latency_sum += seconds
        self.latency_count += 1
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                self.buckets[i] += 1
                return
        self.buckets[-1] += 1

    def skill_served(self, tool: str, skill: str) -> None:
        self.served[(tool, skill)] += 1

    def gauge(self, name: str, help_text: str, read: Callable[[], float]) -> None:
        """Register a value read at scrape time (counter or gauge by its name's suffix)."""
        self.gauges[name] = (help_text, read)

    def render(self, per_skill: bool = True) -> str:
        """The exposition; without `per_skill`, no series is labelled with a skill's name
        (what an anonymous scrape of a server with authentication gets)."""
        lines = ["# HELP relay_http_requests_total HTTP requests by path, method and status.",
                 "# TYPE relay_http_requests_total counter"]
        for (path, method, status), n in sorted(self.requests.items()):
            lines.append(f'relay_http_requests_total{{path="{path}",method="{method}",'
                         f'status="{status}"}} {n}')
        lines += ["# HELP relay_http_request_duration_seconds HTTP request latency.",
                  "# TYPE relay_http_request_duration_seconds histogram"]
        running = 0
        for bound, n in zip((*BUCKETS, float("inf")), self.buckets, strict=True):
            running += n
            le = "+Inf" if bound == float("inf") else repr(bound)
            lines.append(f'relay_http_request_duration_seconds_bucket{{le="{le}"}} {running}')
        lines.append(f"relay_http_request_duration_seconds_sum {self.latency_sum:.6f}")
        lines.append(f"relay_http_request_duration_seconds_count {self.latency_count}")
        lines += ["# HELP relay_skills_served_total Skill reads by tool or method and skill.",
                  "# TYPE relay_skills_served_total counter"]
        for (tool, skill), n in sorted(self.served.items()) if per_skill else ():
            lines.append(f'relay_skills_served_total{{tool="{tool}",skill="{skill}"}} {n}')
        for name, (help_text, read) in sorted(self.gauges.items()):
            kind = "counter" if name.endswith("_total") else "gauge"
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", f"{name} {read():g}"]
        return "\n".join(lines) + "\n"


class MetricsMiddleware:
    """Times every HTTP request; paths outside the known routes are folded into one label."""

    KNOWN = ("/mcp", "/healthz", "/readyz", "/metrics", "/api/usage", "/hooks/git")

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            path = scope["path"] if scope["path"] in self.KNOWN else "other"
            self.metrics.observe(path, scope["method"], status, time.perf_counter() - start)
