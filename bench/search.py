"""SearchContent under load: 10,000 published Vietnamese sections, 20 members searching at once.

Target (from the issue): the p95 latency of ``GET /api/v1/search`` at most 50 ms over 10,000 sections
with 20 concurrent searchers, on this (2-core) machine.

    .venv/bin/python -m bench.search [--sections 10000] [--clients 20] [--duration 15] [--workers 1 2]

The corpus is the real seed handbook (api/handbook/seed_content/*.md) cycled and varied: each copy of
a section gets a few paragraphs borrowed from other sections and a numbered note of its own, and the
sections are grouped into published, province-wide documents of 50 to 300 sections. They are written
with the same SQL and derived columns as the editor's routes (``insert_section``, ``derived_columns``),
then the tables are vacuumed and analysed, as autovacuum would have done on a live server.

The real app (``api.asgi:app_from_env``, production settings, every middleware) runs under granian on a
free 127.0.0.1 port, once per ``--workers`` value. A member signs in (bearer token); then ``--clients``
keep-alive connections, one request in flight each, cycle through a fixed mix of queries (unaccented and
accented, common and rare words, one-word prefixes as typed). In the same run and under the same load,
``GET /health/live`` without a token is the baseline: what the server and the middleware stack cost on
their own. The load comes from ``wrk`` (with a Lua script for the query mix and the p95) when it is
installed, else from the raw-socket client of bench/asgi_server.py extended to several requests.

Each worker builds its in-memory search index (api/search/live_index.py) in the background after it
starts; the loads begin once the server's log says every worker has built it (its build time is
reported), and each worker's resident memory is read from /proc after the long tail.

Afterwards each query is timed alone (one client) and its SQL run once under ``EXPLAIN (ANALYZE,
BUFFERS)``, to show where the time goes and that the GIN index ``sections_search`` is used. Figures go
to stdout and to bench/results/search.json; the exit status is 1 when a p95 misses the target.

PostgreSQL: ``EHB_BENCH_DATABASE_URL`` (a fresh database is created there and dropped at the end) or an
embedded server; Redis: ``EHB_BENCH_REDIS_URL`` or an embedded one. Everything started is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import http.client
import importlib.metadata
import itertools
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench.asgi_server import (
    _CONTENT_LENGTH,
    BENCH_SECRET,
    HOST,
    ROOT,
    _KeepAliveClient,
    _Stats,
    free_port,
    percentile_ms,
    real_app,
    server_command,
    sorted_latencies,
    stop,
    wait_until_ready,
)
from bench.import_members import fresh_database, postgres_server, with_database

RESULTS = ROOT / "bench" / "results" / "search.json"
TARGET_P95_MS = 50.0
DEMO_PASSWORD = "bench-demo-password-2026"  # noqa: S105 - the throwaway demo accounts of a scratch database
MEMBER_LOGIN = "demo.member"

QUERIES: tuple[str, ...] = (
    # What members type most: unaccented, as on a phone keyboard without Telex.
    "nghi quyet",
    "dang vien",
    "sinh hoat chi bo",
    "bao mat tai khoan",
    "dang phi",
    "ket nap dang vien",
    "hoc tap nghi quyet",
    # Accented.
    "chuyển đổi số",
    "Nghị quyết",
    "mật khẩu",
    "khuyết điểm",
    # Rare: a few words of one seed section (so about 1.5% of the corpus), and one numbered note.
    "samsung",
    "facebook",
    "hướng dẫn số 4711",
    # One word, still being typed: the last term matches as a prefix.
    "ng",
    "sinh",
    "chuy",
    "bao m",
)
EXPLAINED: tuple[str, ...] = ("dang vien", "nghi quyet", "chuyển đổi số", "samsung", "ng")
LONG_TAIL = 30_000
"""Distinct queries of the long-tail load: more than it can send, so every search misses the cache."""


def long_tail_queries(count: int, seed: int) -> list[str]:
    """``count`` distinct queries of two or three neighbouring words of the handbook, shuffled.

    The mix above repeats 18 queries, which the per-worker result cache answers after the first time;
    these never repeat within a run, so they measure the search itself (SQL, ranking, snippets).
    """
    words = [w for title, body in _seed_sections() for w in re.findall(r"\w{2,}", f"{title} {body}".lower())]
    found: dict[str, None] = {}
    for size in (2, 3, 4):
        for start in range(len(words) - size):
            found.setdefault(" ".join(words[start : start + size]))
    queries = [q for q in found if not any(ch.isdigit() for ch in q)]
    random.Random(seed).shuffle(queries)
    return queries[:count]


@dataclass
class Measured:
    """One load run: completed requests, the rate, and the latency distribution in milliseconds."""

    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int


Request = tuple[str, dict[str, str]]
"""A path and its headers."""


# --- the corpus -----------------------------------------------------------------------------------------


@dataclass
class Corpus:
    documents: int
    sections: int
    avg_body_chars: float
    members: int
    build_seconds: float
    section_ids: list[str]
    """A sample of section ids, spread over the documents."""


def _seed_sections() -> list[tuple[str, str]]:
    from api.handbook.seed import SEED_CONTENT, parse_seed_document  # noqa: PLC0415 - app modules load late

    return [
        (s.title, s.body_md)
        for path in sorted(SEED_CONTENT.glob("[0-9][0-9]-*.md"))
        for s in parse_seed_document(path).sections
    ]


def section_texts(count: int, seed: int) -> list[tuple[str, str]]:
    """``count`` sections of real handbook prose, no two alike: the seed sections cycled, each copy with
    0-3 paragraphs borrowed from other sections and a numbered note (``hướng dẫn số 1000+i``)."""
    pool = _seed_sections()
    paragraphs = [p.strip() for _, body in pool for p in body.split("\n\n") if len(p.strip()) > 80]
    rng = random.Random(seed)
    texts = []
    for i in range(count):
        title, body = pool[i % len(pool)]
        copy = i // len(pool) + 1
        note = (
            f"*Ghi chú {copy}:* áp dụng tại chi bộ số {rng.randint(1, 3000)}, theo hướng dẫn số "
            f"{1000 + i}-HD/BTG của Ban Tuyên giáo."
        )
        parts = [body, *rng.sample(paragraphs, rng.randint(0, 3)), note]
        texts.append((title if copy == 1 else f"{title} (phần {copy})", "\n\n".join(parts)))
    return texts


async def build_corpus(database: str, *, sections: int, members: int, seed: int) -> Corpus:
    """Migrate, seed a province and its demo accounts, then replace the demo handbook by ``sections``
    published, province-wide sections in documents of 50-300 sections; vacuum and analyse."""
    from api.auth.passwords import Passwords  # noqa: PLC0415
    from api.db import connect  # noqa: PLC0415
    from api.handbook.seed import SEED_CONTENT, parse_seed_document  # noqa: PLC0415
    from api.handbook.service import Q, derived_columns  # noqa: PLC0415
    from api.migrate import migrate  # noqa: PLC0415
    from api.seed import seed_demo_accounts, seed_province  # noqa: PLC0415
    from api.settings import Secret, Settings  # noqa: PLC0415

    started = time.perf_counter()
    kinds = [parse_seed_document(p) for p in sorted(SEED_CONTENT.glob("[0-9][0-9]-*.md"))]
    texts = section_texts(sections, seed)
    conn = await connect(database)
    try:
        await migrate(conn)
        async with conn.transaction():
            await seed_province(conn, members=members, seed=seed)
            await seed_demo_accounts(conn, Passwords(Settings(secret_key=Secret(BENCH_SECRET))), DEMO_PASSWORD)
            await conn.execute("delete from documents")  # only the benchmark's corpus is searched
            root = await conn.fetchval("select id from org_units where parent_id is null")
            rng = random.Random(seed)
            written = documents = 0
            while written < sections:
                size = min(rng.randint(50, 300), sections - written)
                source = kinds[documents % len(kinds)]
                document_id = await conn.fetchval(
                    Q["insert_document"],
                    f"bench-{documents + 1}",
                    source.kind,
                    f"{source.title} (tập {documents // len(kinds) + 1})",
                    source.summary,
                    root,
                    False,  # noqa: FBT003 - requires_ack
                    documents,
                    None,
                )
                rows = [
                    (document_id, position, *derived_columns(title, body), False)
                    for position, (title, body) in enumerate(texts[written : written + size])
                ]
                await conn.executemany(Q["insert_section"], rows)
                await conn.execute(
                    "update documents set status = 'published', published_at = now() where id = $1", document_id
                )
                written += size
                documents += 1
        # What autovacuum would have done by now: planner statistics, and the GIN pending list merged.
        await conn.execute("vacuum analyze documents, sections, org_units")
        ids = await conn.fetch("select id from sections order by content_hash limit 500")
        avg = await conn.fetchval("select avg(length(body_md))::float8 from sections")
    finally:
        await conn.close()
    return Corpus(
        documents=documents,
        sections=written,
        avg_body_chars=round(avg, 1),
        members=members,
        build_seconds=round(time.perf_counter() - started, 2),
        section_ids=[str(row["id"]) for row in ids],
    )


@contextlib.contextmanager
def held_database(server: str) -> Iterator[str]:
    """bench/import_members.py's fresh database, held across the event loops of this synchronous run."""
    stack = contextlib.AsyncExitStack()
    loop = asyncio.new_event_loop()
    try:
        yield loop.run_until_complete(stack.enter_async_context(fresh_database(server)))
    finally:
        try:
            loop.run_until_complete(stack.aclose())
        finally:
            loop.close()


def bench_redis(stack: contextlib.ExitStack, tmp: Path) -> str:
    """EHB_BENCH_REDIS_URL, else an embedded redis-server in ``tmp`` for as long as ``stack`` lasts."""
    redis = os.environ.get("EHB_BENCH_REDIS_URL")
    if redis:
        return redis
    from api.embedded import embedded_redis  # noqa: PLC0415

    return stack.enter_context(embedded_redis(tmp))


@contextlib.contextmanager
def content_servers(tmp: Path, *, sections: int, members: int, seed: int) -> Iterator[tuple[str, str, Corpus]]:
    """A fresh database holding the corpus, and Redis; (database URL, Redis URL, corpus)."""
    with contextlib.ExitStack() as stack:
        database = stack.enter_context(held_database(stack.enter_context(postgres_server())))
        redis = bench_redis(stack, tmp)
        corpus = asyncio.run(build_corpus(database, sections=sections, members=members, seed=seed))
        yield database, redis, corpus


@contextlib.contextmanager
def built_or_reused(
    tmp: Path,
    *,
    reuse: str | None,
    keep_as: str | None,
    build: Callable[[str], dict[str, Any]],
    facts: Callable[[str], dict[str, Any]],
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(database URL, Redis URL, what the database holds) for a benchmark whose data take minutes to write.

    With ``reuse``, that database as it is (``facts`` says what it holds); else a new one written by
    ``build``: kept afterwards under the name ``keep_as`` when given (to be reused), dropped otherwise.
    """
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(postgres_server())
        redis = bench_redis(stack, tmp)
        if reuse:
            url = with_database(server, reuse)
            yield url, redis, facts(url)
            return
        if keep_as:
            url = with_database(server, keep_as)
            asyncio.run(_create_database(server, keep_as))
        else:
            url = stack.enter_context(held_database(server))
        data = build(url)
        if keep_as:
            print(f"kept the database: --reuse {keep_as}", flush=True)
        yield url, redis, data


async def _create_database(server: str, name: str) -> None:
    import asyncpg  # noqa: PLC0415

    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f'create database "{name}"')
    finally:
        await admin.close()


def app_env(database: str, redis: str, tmp: Path) -> dict[str, str]:
    """The real app's production environment, with sign-in throttles out of the benchmark's way."""
    return {
        **real_app(database, redis).env,
        "EHB_LOGIN_ACCOUNT_LIMIT": "100000",
        "EHB_LOGIN_ADDRESS_LIMIT": "100000",
        "EHB_DATA_DIR": str(tmp / "data"),
    }


# --- servers and single requests ------------------------------------------------------------------------


@contextlib.contextmanager
def granian(target: str, env: dict[str, str], *, workers: int, log_dir: Path, ready_path: str) -> Iterator[int]:
    """granian serving ``target`` with ``workers`` workers on a free port, as bench/asgi_server.py starts
    it; yield the port once ``ready_path`` answers 200, and always stop the whole process group."""
    port = free_port()
    command = server_command("granian", target, port)
    command[command.index("--workers") + 1] = str(workers)
    python_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    log_path = log_dir / f"{target.replace(':', '_')}-{workers}w-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **env, "PYTHONPATH": python_path},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_ready(process, port, ready_path, log_path)
            yield port
        finally:
            stop(process)


_INDEX_BUILT = re.compile(r"search index: (\d+) sections indexed in ([0-9.]+) s")


def index_builds(log_dir: Path, port: int, workers: int, timeout: float = 60.0) -> list[float]:
    """Seconds each worker took to build its in-memory search index (api/search/live_index.py), read from
    the server's log; waits until every worker has built it (the long tail measures the index, not the
    statement that answers meanwhile). An empty list when the app builds none."""
    deadline = time.monotonic() + timeout
    while True:
        text = "".join(path.read_text(errors="replace") for path in log_dir.glob(f"*-{port}.log"))
        found = [float(match.group(2)) for match in _INDEX_BUILT.finditer(text)]
        if len(found) >= workers or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def worker_rss_mib(port: int) -> list[float]:
    """Resident memory of the granian workers serving ``port`` (the children of its main process)."""
    rss: list[float] = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"granian" not in b" ".join(command) or str(port).encode() not in command:
            continue
        for task in (proc / "task").iterdir():
            for child in (task / "children").read_text().split():
                status = Path("/proc", child, "status").read_text()
                kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
                rss.append(int(kib) / 1024)
    return rss


def http_request(
    port: int, method: str, path: str, *, headers: dict[str, str] | None = None, body: object = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        data = None if body is None else json.dumps(body).encode()
        sent = {**(headers or {}), **({"Content-Type": "application/json"} if data is not None else {})}
        connection.request(method, path, body=data, headers=sent)
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


def sign_in(port: int, login: str = MEMBER_LOGIN, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """Sign in as an API client; the Authorization header to send."""
    status, _, body = http_request(
        port, "POST", "/api/v1/auth/login", body={"login": login, "password": password, "client": "bearer"}
    )
    if status != 200:
        raise RuntimeError(f"sign-in answered {status}: {body[:300]!r}")
    return {"Authorization": f"Bearer {json.loads(body)['token']}"}


# --- load: wrk with a Lua script, or the raw-socket client ----------------------------------------------


def _lua_string(text: str) -> str:
    if not text.isascii():
        raise ValueError(f"percent-encode paths and headers for wrk: {text!r}")
    return json.dumps(text)  # for ASCII, JSON's escapes (\" \\ \n) are Lua's


_WRK_SCRIPT = """
local requests = {
REQUESTS
}
local counter = 0
request = function()
  counter = counter + 1
  local r = requests[(counter - 1) % #requests + 1]
  return wrk.format("GET", r[1], r[2])
end
done = function(summary, latency, _)
  local e = summary.errors
  io.write(string.format("EHB_RESULT %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def _lua_request(path: str, headers: dict[str, str]) -> str:
    fields = ", ".join(f"[{_lua_string(name)}] = {_lua_string(value)}" for name, value in headers.items())
    return f"  {{{_lua_string(path)}, {{{fields}}}}}"


def wrk_load(port: int, requests: list[Request], connections: int, seconds: float) -> Measured:
    """``connections`` keep-alive connections (one wrk thread), cycling through ``requests``. Answers
    other than 2xx/3xx count as errors; callers check the status they expect beforehand."""
    entries = ",\n".join(_lua_request(path, headers) for path, headers in requests)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="ehb-wrk-", delete=False) as script:
        script.write(_WRK_SCRIPT.replace("REQUESTS", entries, 1))
    try:
        command = [
            "wrk",
            *("--threads", "1", "--connections", str(connections), "--duration", f"{max(1, round(seconds))}s"),
            *("--timeout", "10s", "--script", script.name, f"http://{HOST}:{port}"),
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    finally:
        Path(script.name).unlink()
    match = re.search(r"^EHB_RESULT ([\d ]+)$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    count, duration_us, p50, p95, p99, worst, socket_errors, bad_status = (int(n) for n in match.group(1).split())
    elapsed = duration_us / 1e6
    return Measured(
        count, elapsed, count / elapsed, p50 / 1e3, p95 / 1e3, p99 / 1e3, worst / 1e3, socket_errors + bad_status
    )


class _MixedClient(_KeepAliveClient):
    """bench/asgi_server.py's keep-alive client, sending a cycle of requests instead of one, expecting a
    given status, and reading bodiless answers (304) too."""

    def __init__(self, requests: Iterator[bytes], ok_status: int, *args: Any) -> None:
        self.requests, self.ok_status = requests, ok_status
        super().__init__(b"", *args)

    def _send(self) -> None:
        self.request = next(self.requests)
        super()._send()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.expected < 0:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buffer[:end]).lower()
            self.status = int(head[9:12])
            length = _CONTENT_LENGTH.search(head)
            if length is None and self.status not in {204, 304}:
                self._finish(error=True)
                return
            self.expected = end + 4 + (int(length.group(1)) if length else 0)
        if len(self.buffer) < self.expected:
            return
        now = time.perf_counter_ns()
        self.stats.latencies_ns.append(now - self.sent_ns)
        self.stats.errors += self.status != self.ok_status
        del self.buffer[: self.expected]
        self.expected = -1
        if now >= self.deadline_ns:
            self._finish(error=False)
        else:
            self._send()


async def _python_load(
    port: int, requests: list[Request], connections: int, seconds: float, ok_status: int
) -> Measured:
    loop = asyncio.get_running_loop()
    raw = [
        (
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: application/json\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            + "\r\n"
        ).encode()
        for path, headers in requests
    ]
    stats = _Stats()
    started = time.perf_counter_ns()
    deadline = started + int(seconds * 1e9)
    finished: list[asyncio.Future[None]] = []
    for index in range(connections):
        done: asyncio.Future[None] = loop.create_future()
        # Each connection starts as far from the others as the cycle allows: with the long tail's 30,000
        # queries none reaches a query another has asked (each would then be a cache hit, as when they
        # started 7 apart: that made the long tail look three times cheaper than it is).
        cycle = itertools.islice(itertools.cycle(raw), index * len(raw) // connections, None)
        factory = functools.partial(_MixedClient, cycle, ok_status, stats, deadline, done)
        await loop.create_connection(factory, HOST, port)
        finished.append(done)
    await asyncio.wait_for(asyncio.gather(*finished), timeout=seconds + 30)
    elapsed = (time.perf_counter_ns() - started) / 1e9
    latencies = sorted_latencies(stats)
    count = len(latencies)
    return Measured(
        count,
        elapsed,
        count / elapsed,
        percentile_ms(latencies, 0.50),
        percentile_ms(latencies, 0.95),
        percentile_ms(latencies, 0.99),
        latencies[-1] / 1e6,
        stats.errors,
    )


def load(
    client: str, port: int, requests: list[Request], connections: int, seconds: float, *, ok_status: int = 200
) -> Measured:
    if client == "wrk":
        return wrk_load(port, requests, connections, seconds)
    return asyncio.run(_python_load(port, requests, connections, seconds, ok_status))


def pick_client(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.client == "auto":
        args.client = "wrk" if shutil.which("wrk") else "python"
    if args.client == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install wrk), use --client python")


def machine() -> dict[str, Any]:
    def version(name: str) -> str | None:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return None

    return {
        "date": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "loadavg_at_start": os.getloadavg(),
        "versions": {name: version(name) for name in ("granian", "litestar", "asyncpg", "msgspec")},
    }


def terminate_on_sigterm() -> None:
    def _terminate(signum: int, _frame: object) -> None:
        # SIGTERM unwinds like Ctrl+C, so every server and embedded database is stopped on the way out.
        raise KeyboardInterrupt(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, _terminate)


def write_report(path: Path, report: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


# --- the search benchmark -------------------------------------------------------------------------------


def search_path(query: str) -> str:
    return f"/api/v1/search?q={quote(query)}"


def one_by_one(port: int, auth: dict[str, str], repeats: int) -> list[dict[str, Any]]:
    """Each query alone on one keep-alive connection, ``repeats`` times: its own latency and hit count."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    rows = []
    try:
        for query in QUERIES:
            times, hits = [], 0
            for _ in range(repeats):
                start = time.perf_counter()
                connection.request("GET", search_path(query), headers=auth)
                answer = connection.getresponse()
                body = answer.read()
                times.append((time.perf_counter() - start) * 1e3)
                if answer.status != 200:
                    raise RuntimeError(f"search {query!r} answered {answer.status}: {body[:300]!r}")
                hits = len(json.loads(body)["hits"])
            rows.append({"query": query, "hits": hits, "median_ms": statistics.median(times), "max_ms": max(times)})
    finally:
        connection.close()
    return rows


async def explain(database: str, queries: tuple[str, ...]) -> dict[str, Any]:
    """Each query's SQL once under EXPLAIN (ANALYZE, BUFFERS), with the member's scope: matches, time,
    and whether the GIN index answered the text condition. The first query is run again with sequential
    scans disabled, which forces the index even where the planner rightly prefers not to use it."""
    from api.db import connect  # noqa: PLC0415
    from api.search.folding import prefix_expansion, query_terms, to_tsquery_text  # noqa: PLC0415
    from api.search.service import PREFIX_WORDS, RANKED_CANDIDATES, Q  # noqa: PLC0415

    sql = "explain (analyze, buffers) " + Q["search_sections"]
    conn = await connect(database)
    try:
        path = await conn.fetchval(
            "select b.path from accounts a join members m on m.id = a.member_id "
            "join org_units b on b.id = m.branch_id where a.username = $1",
            MEMBER_LOGIN,
        )
        storage = await conn.fetchrow(
            "select avg(pg_column_size(search_tsv))::int as tsvector_bytes, "
            "pg_relation_size('sections') as heap_bytes, "
            "pg_relation_size((select reltoastrelid from pg_class where relname = 'sections')) as toast_bytes "
            "from sections"
        )
        rows = []
        for index, query in enumerate((*queries, queries[0])):
            forced = index == len(queries)
            tsquery = to_tsquery_text(query_terms(query))
            head, last = prefix_expansion(query_terms(query))
            matches = await conn.fetchval(
                "select count(*) from sections where deleted_at is null and search_tsv @@ to_tsquery('simple', $1)",
                tsquery,
            )
            async with conn.transaction():
                if forced:
                    await conn.execute("set local enable_seqscan = off")
                plan = [
                    r[0]
                    for r in await conn.fetch(
                        sql, list(path), [], tsquery, 20, RANKED_CANDIDATES, last, head, PREFIX_WORDS
                    )
                ]
            text = "\n".join(plan)
            execution = re.search(r"Execution Time: ([\d.]+) ms", text)
            rows.append(
                {
                    "query": query + (" (seqscan off)" if forced else ""),
                    "tsquery": tsquery,
                    "matching_sections": matches,
                    "execution_ms": float(execution.group(1)) if execution else None,
                    "gin_index_used": "Bitmap Index Scan on sections_search" in text,
                    "plan": plan,
                }
            )
    finally:
        await conn.close()
    return {"storage": dict(storage or {}), "queries": rows}


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    report: dict[str, Any] = {}
    with content_servers(tmp, sections=args.sections, members=args.members, seed=args.seed) as (db, redis, corpus):
        print(
            f"corpus: {corpus.sections:,} sections in {corpus.documents} documents, {corpus.avg_body_chars:,.0f} "
            f"characters of Markdown on average, built in {corpus.build_seconds:.1f} s",
            flush=True,
        )
        report["corpus"] = {k: v for k, v in asdict(corpus).items() if k != "section_ids"}
        env = app_env(db, redis, tmp)
        runs = []
        for workers in args.workers:
            with granian("api.asgi:app_from_env", env, workers=workers, log_dir=tmp, ready_path="/health/live") as port:
                auth = sign_in(port)
                # Measured once every worker holds its search index, as a worker does all day after the
                # first seconds (it answers with the SQL statement until then).
                builds = index_builds(tmp, port, workers)
                searches = [(search_path(q), auth) for q in QUERIES]
                for query in QUERIES:  # every query answers, before any is timed
                    status, _, body = http_request(port, "GET", search_path(query), headers=auth)
                    if status != 200:
                        raise RuntimeError(f"search {query!r} answered {status}: {body[:300]!r}")
                load(args.client, port, searches, args.clients, args.warmup)
                health = load(args.client, port, [("/health/live", {})], args.clients, args.baseline_duration)
                search = load(args.client, port, searches, args.clients, args.duration)
                tail = [(search_path(q), auth) for q in long_tail_queries(LONG_TAIL, args.seed + workers)]
                uncached = load(args.client, port, tail, args.clients, args.duration)
                rss = worker_rss_mib(port)
                alone = one_by_one(port, auth, args.repeats) if workers == args.workers[0] else None
            verdict = "PASS" if search.p95_ms <= TARGET_P95_MS and not search.errors else "FAIL"
            tail_verdict = "PASS" if uncached.p95_ms <= TARGET_P95_MS and not uncached.errors else "FAIL"
            runs.append(
                {
                    "workers": workers,
                    "health_live": asdict(health),
                    "search": asdict(search),
                    "long_tail": asdict(uncached),
                    "long_tail_queries": len(tail),
                    "long_tail_verdict": tail_verdict,
                    "index_build_s": builds,
                    "worker_rss_mib": rss,
                    "search_over_health": {"p50": search.p50_ms / health.p50_ms, "p95": search.p95_ms / health.p95_ms},
                    "health_rps_over_search_rps": health.rps / search.rps,
                    "verdict": verdict,
                }
            )
            print_run(workers, health, search, verdict, uncached, tail_verdict)
            print(
                f"search index built in {', '.join(f'{b:.2f}' for b in builds) or '-'} s (each worker); "
                f"worker RSS after the long tail {', '.join(f'{r:.0f}' for r in rss) or '-'} MiB",
                flush=True,
            )
            if alone is not None:
                report["one_query_at_a_time"] = {"workers": workers, "repeats": args.repeats, "queries": alone}
        report["runs"] = runs
        report["explain"] = asyncio.run(explain(db, EXPLAINED))
    return report


def print_run(
    workers: int, health: Measured, search: Measured, verdict: str, tail: Measured, tail_verdict: str
) -> None:
    header = f"{'':<26} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}"
    print(f"\ngranian, {workers} worker{'s' if workers > 1 else ''}\n{header}\n{'-' * len(header)}")
    rows = (
        ("baseline /health/live", health),
        ("SearchContent, 18-query mix", search),
        ("SearchContent, long tail", tail),
    )
    for name, m in rows:
        print(
            f"{name:<26} {m.rps:>8.0f} {m.p50_ms:>8.2f} {m.p95_ms:>8.2f} {m.p99_ms:>8.2f} {m.max_ms:>8.1f} "
            f"{m.errors:>7}"
        )
    print(
        f"search / baseline: p50 x{search.p50_ms / health.p50_ms:.1f}, p95 x{search.p95_ms / health.p95_ms:.1f}, "
        f"req/s {search.rps / health.rps:.1%} of the baseline\n"
        f"target: SearchContent p95 <= {TARGET_P95_MS:g} ms: mix {search.p95_ms:.1f} ms -> {verdict}; "
        f"long tail (no query twice, every one a cache miss) {tail.p95_ms:.1f} ms -> {tail_verdict}",
        flush=True,
    )


def print_details(report: dict[str, Any]) -> None:
    alone = report.get("one_query_at_a_time")
    if alone:
        print(f"\neach query alone (one client, {alone['repeats']} times, {alone['workers']} worker):")
        for row in alone["queries"]:
            print(
                f"  {row['query']:<22} {row['hits']:>3} hits  median {row['median_ms']:6.1f} ms  "
                f"max {row['max_ms']:6.1f} ms"
            )
    storage = report["explain"]["storage"]
    heap, toast = storage["heap_bytes"] / 2**20, storage["toast_bytes"] / 2**20
    print(
        f"\nSQL alone, EXPLAIN (ANALYZE, BUFFERS), once each (search_tsv {storage['tsvector_bytes']:,} bytes a row "
        f"on average; sections heap {heap:.0f} MiB, TOAST {toast:.0f} MiB):"
    )
    for row in report["explain"]["queries"]:
        buffers = next((line.strip() for line in row["plan"] if "Buffers:" in line), "")
        index = "yes" if row["gin_index_used"] else "no, seq scan"
        print(
            f"  {row['query']:<29} {row['tsquery']:<20} {row['matching_sections']:>6,} matching sections  "
            f"{row['execution_ms']:7.1f} ms  GIN index: {index}  ({buffers})"
        )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=2_000, help="members of the synthetic province")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--clients", type=int, default=20, help="concurrent searchers (keep-alive connections)")
    parser.add_argument("--duration", type=float, default=15.0, help="measured seconds of searching")
    parser.add_argument("--baseline-duration", type=float, default=8.0, help="measured seconds of /health/live")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds of searching first")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="granian worker counts to run")
    parser.add_argument("--repeats", type=int, default=5, help="times each query is timed alone")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    pick_client(parser, args)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    terminate_on_sigterm()
    report: dict[str, Any] = {"machine": machine()}
    report["load"] = {
        "client": args.client,
        "clients": args.clients,
        "warmup_s": args.warmup,
        "duration_s": args.duration,
        "baseline_duration_s": args.baseline_duration,
        "queries": list(QUERIES),
    }
    report["target_p95_ms"] = TARGET_P95_MS
    print(
        f"SearchContent: {args.sections:,} sections, {args.clients} concurrent clients, {args.warmup:g} s warm-up, "
        f"{args.baseline_duration:g} s baseline + {args.duration:g} s search, load from {args.client}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="ehb-bench-") as tmp:
        try:
            report |= run(args, Path(tmp))
        except KeyboardInterrupt:
            print("\ninterrupted: servers stopped", file=sys.stderr)
            return 130
    print_details(report)
    write_report(args.output, report)
    passed = all(r["verdict"] == r["long_tail_verdict"] == "PASS" for r in report["runs"])
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
