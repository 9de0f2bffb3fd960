"""Which ASGI server we run: granian (ASGI interface) or uvicorn, one worker each, under the same load.

Two apps: a bare Litestar "hello world" (``GET /``) and the real app's ``GET /health/live`` (every
middleware of ``api.app.create_app``, production settings, embedded PostgreSQL and Redis unless
EHB_BENCH_DATABASE_URL / EHB_BENCH_REDIS_URL are set). Each server runs as a subprocess on a free
127.0.0.1 port; the load is N keep-alive connections with one request in flight each, from ``wrk`` when
it is installed, else from the raw-socket asyncio client below. Prints one table and writes
bench/results/asgi_server.json.

    .venv/bin/python bench/asgi_server.py [--duration 8] [--warmup 2] [--connections 64] [--client auto]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from litestar import Litestar, get

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results" / "asgi_server.json"
HOST = "127.0.0.1"
SERVERS = ("granian", "uvicorn")
BENCH_SECRET = "bench-only-secret-key-0123456789abcdef-0123"  # noqa: S105 - a throwaway key for a local bench


def hello_app() -> Litestar:
    """The bare app: what a server costs with nothing of ours in the way."""

    @get("/")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    return Litestar(route_handlers=[hello])


@dataclass(frozen=True)
class AppUnderTest:
    name: str
    target: str
    path: str
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class LoadResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


# --- servers -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def server_command(server: str, target: str, port: int) -> list[str]:
    if server == "granian":
        # As `ehandbook serve` runs it (api/cli.py _run_server): ASGI interface, no access log.
        return [
            str(BIN / "granian"),
            *("--interface", "asgi", "--host", HOST, "--port", str(port), "--workers", "1"),
            *("--log-level", "warning", "--no-access-log", "--factory", target),
        ]
    # --loop/--http auto: uvloop and httptools when installed, else asyncio and h11.
    return [
        str(BIN / "uvicorn"),
        *("--host", HOST, "--port", str(port), "--workers", "1", "--lifespan", "on"),
        *("--log-level", "warning", "--no-access-log", "--factory", target),
    ]


def http_status(port: int, path: str, timeout: float = 2.0) -> int | None:
    """One GET on a fresh connection; the status code, or None if the server does not answer yet."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n".encode())
            head = sock.recv(64)
    except OSError:
        return None
    match = re.match(rb"HTTP/1\.[01] (\d{3})", head)
    return int(match.group(1)) if match else None


@contextlib.contextmanager
def running_server(server: str, app: AppUnderTest, log_dir: Path) -> Iterator[int]:
    """Start ``server`` serving ``app`` on a free port, yield the port once it answers 200; always stop it."""
    port = free_port()
    log_path = log_dir / f"{app.name}-{server}.log"
    # The repo root for bench.asgi_server:hello_app; an outer PYTHONPATH is kept, so that e.g. uvloop and
    # httptools installed with `pip install --target` elsewhere can be tried without touching .venv.
    python_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, **app.env, "PYTHONPATH": python_path}
    with log_path.open("wb") as log:
        # Its own session: a Ctrl+C in the terminal reaches only us, and we stop the server (and the
        # worker processes granian forks) as a group.
        process = subprocess.Popen(
            server_command(server, app.target, port),
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_ready(process, port, app.path, log_path)
            yield port
        finally:
            stop(process)


def wait_until_ready(process: subprocess.Popen[bytes], port: int, path: str, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log_tail(log_path)}")
        if http_status(port, path) == 200:
            return
        time.sleep(0.1)
    raise RuntimeError(f"server did not answer 200 on {path} within 60 s:\n{log_tail(log_path)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    for sig, grace in ((signal.SIGINT, 15), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
        # The group may still hold a worker that outlived its parent.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        return


def log_tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# --- load: wrk, or the raw-socket asyncio client ------------------------------------------------------


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk_load(port: int, path: str, connections: int, seconds: float) -> LoadResult:
    command = [
        "wrk",
        *("--threads", "1", "--connections", str(connections), "--duration", f"{max(1, round(seconds))}s"),
        *("--timeout", "10s", "--latency", f"http://{HOST}:{port}{path}"),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout

    def number(pattern: str) -> str:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise RuntimeError(f"unexpected wrk output (no {pattern!r}):\n{output}")
        return match.group(1)

    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
        if match is None:
            raise RuntimeError(f"unexpected wrk output (no {percent}% latency):\n{output}")
        return float(match.group(1)) * _WRK_UNITS[match.group(2)]

    requests = int(number(r"^\s+(\d+) requests in"))
    elapsed = float(number(r"requests in ([\d.]+)s"))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    rps = float(number(r"Requests/sec:\s+([\d.]+)"))
    return LoadResult(requests, elapsed, rps, latency("50"), latency("99"), errors)


_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)")


class _Stats:
    def __init__(self) -> None:
        self.latencies_ns: list[int] = []
        self.errors = 0


class _KeepAliveClient(asyncio.Protocol):
    """One keep-alive connection sending the same GET again as soon as the previous answer is complete."""

    def __init__(self, request: bytes, stats: _Stats, deadline_ns: int, done: asyncio.Future[None]) -> None:
        self.request, self.stats, self.deadline_ns, self.done = request, stats, deadline_ns, done
        self.buffer = bytearray()
        self.expected = -1
        self.status = 0
        self.sent_ns = 0
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self._send()

    def _send(self) -> None:
        assert self.transport is not None
        self.sent_ns = time.perf_counter_ns()
        self.transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.expected < 0:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buffer[:end]).lower()
            length = _CONTENT_LENGTH.search(head)
            if length is None:
                self._finish(error=True)  # this client only reads Content-Length bodies
                return
            self.status = int(head[9:12])
            self.expected = end + 4 + int(length.group(1))
        if len(self.buffer) < self.expected:
            return
        now = time.perf_counter_ns()
        self.stats.latencies_ns.append(now - self.sent_ns)
        self.stats.errors += self.status != 200
        del self.buffer[: self.expected]
        self.expected = -1
        if now >= self.deadline_ns:
            self._finish(error=False)
        else:
            self._send()

    def _finish(self, *, error: bool) -> None:
        self.stats.errors += error
        if not self.done.done():
            self.done.set_result(None)
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.stats.errors += 1
            self.done.set_result(None)


async def _python_load(port: int, path: str, connections: int, seconds: float) -> LoadResult:
    loop = asyncio.get_running_loop()
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: application/json\r\n\r\n".encode()
    stats = _Stats()
    started = time.perf_counter_ns()
    deadline = started + int(seconds * 1e9)
    finished: list[asyncio.Future[None]] = []
    for _ in range(connections):
        done: asyncio.Future[None] = loop.create_future()
        await loop.create_connection(functools.partial(_KeepAliveClient, request, stats, deadline, done), HOST, port)
        finished.append(done)
    await asyncio.wait_for(asyncio.gather(*finished), timeout=seconds + 30)
    elapsed = (time.perf_counter_ns() - started) / 1e9
    latencies = sorted_latencies(stats)
    count = len(latencies)
    return LoadResult(
        count, elapsed, count / elapsed, percentile_ms(latencies, 0.50), percentile_ms(latencies, 0.99), stats.errors
    )


def sorted_latencies(stats: _Stats) -> list[int]:
    """The measured latencies in nanoseconds, smallest first; a load with no answer at all is an error."""
    latencies = sorted(stats.latencies_ns)
    if not latencies:
        raise RuntimeError("no response completed")
    return latencies


def percentile_ms(latencies: list[int], q: float) -> float:
    """The ``q`` quantile of sorted nanosecond latencies, in milliseconds."""
    return latencies[min(len(latencies) - 1, int(q * len(latencies)))] / 1e6


def python_load(port: int, path: str, connections: int, seconds: float) -> LoadResult:
    return asyncio.run(_python_load(port, path, connections, seconds))


# --- apps, runs and the report ------------------------------------------------------------------------


@contextlib.contextmanager
def database_and_redis(tmp: Path) -> Iterator[tuple[str, str]]:
    """The URLs from EHB_BENCH_DATABASE_URL / EHB_BENCH_REDIS_URL, or embedded servers; migrated."""
    from api.db import connect  # noqa: PLC0415 - only the real-app half needs the app's modules
    from api.embedded import embedded_postgres, embedded_redis  # noqa: PLC0415
    from api.migrate import migrate  # noqa: PLC0415

    with contextlib.ExitStack() as stack:
        database = os.environ.get("EHB_BENCH_DATABASE_URL") or stack.enter_context(embedded_postgres(tmp))
        redis = os.environ.get("EHB_BENCH_REDIS_URL") or stack.enter_context(embedded_redis(tmp))

        async def run_migrations() -> None:
            conn = await connect(database)
            try:
                await migrate(conn)
            finally:
                await conn.close()

        asyncio.run(run_migrations())
        yield database, redis


def real_app(database: str, redis: str) -> AppUnderTest:
    env = {
        "EHB_MODE": "production",
        "EHB_DATABASE_URL": database,
        "EHB_REDIS_URL": redis,
        "EHB_SECRET_KEY": BENCH_SECRET,
    }
    return AppUnderTest("health_live", "api.asgi:app_from_env", "/health/live", env)


def measure(app: AppUnderTest, server: str, args: argparse.Namespace, log_dir: Path) -> LoadResult:
    load = wrk_load if args.client == "wrk" else python_load
    with running_server(server, app, log_dir) as port:
        load(port, app.path, args.connections, args.warmup)
        result = load(port, app.path, args.connections, args.duration)
    print(
        f"  {app.name:<12} {server:<8} {result.rps:>9.0f} req/s  p50 {result.p50_ms:6.2f} ms  "
        f"p99 {result.p99_ms:6.2f} ms  errors {result.errors}",
        flush=True,
    )
    return result


def run(args: argparse.Namespace, tmp: Path) -> dict[str, dict[str, LoadResult]]:
    results: dict[str, dict[str, LoadResult]] = {}
    hello = AppUnderTest("hello", "bench.asgi_server:hello_app", "/")
    # The order alternates between apps, so a drift in the machine's load favours neither server.
    results[hello.name] = {server: measure(hello, server, args, tmp) for server in SERVERS}
    with database_and_redis(tmp / "servers") as (database, redis):
        live = real_app(database, redis)
        results[live.name] = {server: measure(live, server, args, tmp) for server in reversed(SERVERS)}
    return results


def ratios(by_server: dict[str, LoadResult]) -> dict[str, float]:
    granian, uvicorn = by_server["granian"], by_server["uvicorn"]
    return {
        "rps": granian.rps / uvicorn.rps,
        "p50": granian.p50_ms / uvicorn.p50_ms,
        "p99": granian.p99_ms / uvicorn.p99_ms,
    }


def print_table(results: dict[str, dict[str, LoadResult]]) -> None:
    header = (
        f"{'app':<12} | {'granian req/s':>13} {'p50 ms':>7} {'p99 ms':>7} | {'uvicorn req/s':>13} {'p50 ms':>7} "
        f"{'p99 ms':>7} | {'granian/uvicorn req/s':>21} {'p50':>5} {'p99':>5}"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for app, by_server in results.items():
        g, u, r = by_server["granian"], by_server["uvicorn"], ratios(by_server)
        print(
            f"{app:<12} | {g.rps:>13.0f} {g.p50_ms:>7.2f} {g.p99_ms:>7.2f} | {u.rps:>13.0f} {u.p50_ms:>7.2f} "
            f"{u.p99_ms:>7.2f} | {r['rps']:>20.2f}x {r['p50']:>5.2f} {r['p99']:>5.2f}"
        )


def environment(args: argparse.Namespace) -> dict[str, Any]:
    def version(name: str) -> str | None:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return None

    installed = {name: importlib.util.find_spec(name) is not None for name in ("uvloop", "httptools", "rloop")}
    return {
        "date": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "loadavg_at_start": os.getloadavg(),
        },
        "versions": {name: version(name) for name in ("granian", "uvicorn", "litestar", "uvloop", "httptools")},
        "event_loops": {
            "granian": "rloop" if installed["rloop"] else "uvloop" if installed["uvloop"] else "asyncio",
            "uvicorn": "uvloop" if installed["uvloop"] else "asyncio",
        },
        "uvicorn_http": "httptools" if installed["httptools"] else "h11",
        "load": {
            "client": args.client,
            "connections": args.connections,
            "warmup_s": args.warmup,
            "duration_s": args.duration,
            "workers": 1,
        },
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=8.0, help="measured seconds per server and app")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each measurement")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.client == "auto":
        args.client = "wrk" if shutil.which("wrk") else "python"
    if args.client == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install wrk), use --client python")
    return args


def _terminate(signum: int, _frame: object) -> None:
    # SIGTERM unwinds like Ctrl+C, so every server and embedded database is stopped on the way out.
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    report = environment(args)
    print(
        f"ASGI servers, 1 worker each, {args.connections} keep-alive connections, {args.warmup:g} s warm-up + "
        f"{args.duration:g} s measured, load from {args.client}; uvicorn on {report['event_loops']['uvicorn']} + "
        f"{report['uvicorn_http']}, granian on {report['event_loops']['granian']}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="ehb-bench-") as tmp:
        try:
            results = run(args, Path(tmp))
        except KeyboardInterrupt:
            print("\ninterrupted: servers stopped", file=sys.stderr)
            return 130
    print_table(results)
    report["results"] = {app: {s: asdict(r) for s, r in by_server.items()} for app, by_server in results.items()}
    report["granian_over_uvicorn"] = {app: ratios(by_server) for app, by_server in results.items()}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
