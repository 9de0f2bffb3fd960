"""Request metrics for Prometheus: counts by route and status, and latency by route.

Recorded by our own request middleware (api/observability.py) rather than Litestar's Prometheus plugin:
the plugin builds a Request, a label dict and four label lookups per request, which on a cached section
read cost more than the read. Here the label children are looked up once per (method, route, status)
and kept.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import Counter, Histogram

REQUESTS = Counter("ehandbook_requests_total", "HTTP requests answered", ["method", "path", "status_code"])
LATENCY = Histogram(
    "ehandbook_request_duration_seconds",
    "Time from the request's arrival to the end of its answer",
    ["method", "path"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0),
)
UNMEASURED_PREFIXES = ("/metrics", "/health")

_counters: dict[tuple[str, str, int], Any] = {}
_timers: dict[tuple[str, str], Any] = {}


def measured(route: str) -> bool:
    """Probes and the scrape itself are left out: they would drown the routes members use."""
    return not route.startswith(UNMEASURED_PREFIXES)


def record(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request and its latency (called by api/observability.py's middleware)."""
    _counter(method, route, status).inc()
    _timer(method, route).observe(seconds)


def _counter(method: str, route: str, status: int) -> Any:
    key = (method, route, status)
    child = _counters.get(key)
    if child is None:
        child = _counters[key] = REQUESTS.labels(method, route, str(status))
    return child


def _timer(method: str, route: str) -> Any:
    key = (method, route)
    child = _timers.get(key)
    if child is None:
        child = _timers[key] = LATENCY.labels(method, route)
    return child
