"""One province-wide notice pushed to 131,000 devices, against pywebpush called in a loop.

Targets (issue 5, section 7), on this (2-core) machine:

- the broadcast: every device gets the notice exactly once, at least 4,000 deliveries per second (131,000
  within 35 s from the publishing commit to the last delivery), at least 8 times the rate of the naive
  baseline, the worker's peak RSS at most 300 MB;
- the same with the worker SIGKILLed once midway and restarted: nothing lost, at most 0.1% delivered twice.

    .venv/bin/python -m bench.push_broadcast [--subscriptions 131000] [--baseline 2000] [--no-kill]
        [--concurrency 8] [--per-host 64]

The province is bench/search.py's (the synthetic province through the real importer, its accounts, a
small handbook); then ``--subscriptions`` push subscriptions are COPYed in, one per active member (a
second phone for some when there are fewer active members), spread over four push-service hosts as real
ones are: 75% FCM-like, 20% Apple-like, 4% Mozilla-like, 1% Windows-like. Each host is the local push
service (push/mockservice.py) under granian, one process on its own loopback address (127.0.0.11 to .14),
so that the worker sees four hosts and signs a VAPID token per origin. Like the real services they speak
HTTPS and offer HTTP/2 (ALPN), with a certificate made for the run that the worker and the baseline trust
through ``SSL_CERT_FILE`` / ``REQUESTS_CA_BUNDLE``. The service verifies every VAPID
token and decrypts every message; it counts receptions per (endpoint, inbox notification id), which are
compared with the inbox rows at the end, so losses and duplicates are exact. The subscriptions share a pool
of 64 subscriber key pairs (an id ``k17.000042`` has the keys of ``k17``): deriving 131,000 P-256 keys
would take longer than the broadcast.

The worker is ``ehandbook worker`` as a subprocess (its CPU time and peak RSS read from /proc). A notice is
published as the notices service does it: the notice row and its outbox row (``enqueue_notification``) in
one transaction. The clock runs from that commit to the last message the push services accepted.

The baseline: pywebpush's ``webpush()`` in a loop over ``--baseline`` subscriptions of the same hosts,
one after the other (requests, no session), run before the broadcasts and again after them; the
broadcast's rate is compared with the mean of the two (the machine is shared, and its load drifts).

PostgreSQL: ``EHB_BENCH_DATABASE_URL`` (a fresh database is created there and dropped at the end) or an
embedded server; Redis: ``EHB_BENCH_REDIS_URL`` or an embedded one. Figures go to stdout and to
bench/results/push_broadcast.json; the exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

import psutil

from bench.asgi_server import BIN, ROOT, log_tail, stop
from bench.search import content_servers, machine, terminate_on_sigterm, write_report
from push.testcert import self_signed_certificate

RESULTS = ROOT / "bench" / "results" / "push_broadcast.json"
HOSTS: tuple[tuple[str, str, float], ...] = (
    ("fcm", "127.0.0.11", 0.75),
    ("apple", "127.0.0.12", 0.20),
    ("mozilla", "127.0.0.13", 0.04),
    ("windows", "127.0.0.14", 0.01),
)
"""(name, loopback address, share of the subscriptions)."""
KEY_POOL = 64
SECRET = bytes(range(32))
SUBJECT = "mailto:ops@ehandbook.example.org"
TARGET_RATE = 4_000.0
TARGET_SECONDS = 35.0
TARGET_RATIO = 8.0
TARGET_RSS_MB = 300.0
TARGET_DUPLICATES = 0.001
STALL_SECONDS = 240.0
"""A run ends when nothing more arrived for this long (a killed worker's chunks wait for SAQ's sweep)."""


# --- the push services ----------------------------------------------------------------------------------


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for the four loopback addresses; (certificate, key) PEM files."""
    return self_signed_certificate(folder, [address for _, address, _ in HOSTS])


@dataclass
class Receiver:
    name: str
    origin: str
    process: subprocess.Popen[bytes]
    tls: ssl.SSLContext

    def get(self, path: str) -> Any:
        with urlopen(self.origin + path, timeout=60, context=self.tls) as answer:  # noqa: S310 - our own origin
            return json.loads(answer.read())

    def reset(self) -> None:
        request = Request(self.origin + "/deliveries", method="DELETE")  # noqa: S310 - our own origin
        with urlopen(request, timeout=10, context=self.tls):  # noqa: S310
            pass

    def tree(self) -> list[psutil.Process]:
        root = psutil.Process(self.process.pid)
        return [root, *root.children(recursive=True)]


def _free_port(address: str) -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind((address, 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def push_services(log_dir: Path, cert: Path, key: Path) -> Iterator[list[Receiver]]:
    """One granian process (one worker, HTTPS, HTTP/1.1 or 2) per host, serving push/mockservice.py."""
    tls = ssl.create_default_context(cafile=str(cert))
    with contextlib.ExitStack() as stack:
        receivers = []
        for name, address, _ in HOSTS:
            port = _free_port(address)
            origin = f"https://{address}:{port}"
            env = {
                **os.environ,
                "EHB_MOCKPUSH_ORIGIN": origin,
                "EHB_MOCKPUSH_SECRET": SECRET.hex(),
                "EHB_MOCKPUSH_OPEN": "1",
                "EHB_MOCKPUSH_RECORD": "0",
                "EHB_MOCKPUSH_SHARED_KEYS": "1",
                "EHB_MOCKPUSH_COUNT": "1",
            }
            command = [
                str(BIN / "granian"),
                *("--interface", "asgi", "--host", address, "--port", str(port), "--workers", "1", "--http", "auto"),
                *("--ssl-certificate", str(cert), "--ssl-keyfile", str(key)),
                *("--log-level", "warning", "--no-access-log", "--factory", "push.mockservice:create_app_from_env"),
            ]
            log_path = log_dir / f"push-{name}.log"
            log = stack.enter_context(log_path.open("wb"))
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            stack.callback(stop, process)
            receivers.append(Receiver(name, origin, process, tls))
        for receiver in receivers:
            _wait_for_receiver(receiver, log_dir)
        yield receivers


def _wait_for_receiver(receiver: Receiver, log_dir: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if receiver.process.poll() is not None:
            raise RuntimeError(
                f"push service {receiver.name} exited:\n{log_tail(log_dir / f'push-{receiver.name}.log')}"
            )
        with contextlib.suppress(OSError):
            receiver.get("/stats")
            return
        time.sleep(0.1)
    raise RuntimeError(f"push service {receiver.name} did not answer within 60 s")


# --- the province's phones ------------------------------------------------------------------------------


def endpoints(count: int, receivers: list[Receiver], seed: int) -> list[str]:
    """``count`` endpoints spread over the hosts by their shares; ids ``k<key>.<n>``."""
    rng = random.Random(seed)
    origins = [r.origin for r in receivers]
    weights = [share for _, _, share in HOSTS]
    return [f"{rng.choices(origins, weights)[0]}/push/k{n % KEY_POOL}.{n:06d}" for n in range(count)]


async def add_subscriptions(database: str, urls: list[str]) -> dict[str, Any]:
    """COPY one subscription per active member's account (a second phone for some when short)."""
    from api.db import connect  # noqa: PLC0415 - app modules load late
    from push.testclient import TestSubscriber  # noqa: PLC0415

    keys = [TestSubscriber.derive(f"http://keys/push/k{n}", SECRET, f"k{n}") for n in range(KEY_POOL)]
    started = time.perf_counter()
    conn = await connect(database)
    try:
        accounts = [
            r["id"]
            for r in await conn.fetch(
                "select a.id from accounts a join members m on m.id = a.member_id "
                "where m.status = 'active' and not a.disabled order by hashtext(a.id::text), a.id"
            )
        ]
        records = []
        for n, url in enumerate(urls):
            key = keys[n % KEY_POOL]
            records.append((accounts[n % len(accounts)], url, key.p256dh, key.auth, "Mozilla/5.0 (bench)"))
        await conn.copy_records_to_table(
            "push_subscriptions", records=records, columns=["account_id", "endpoint", "p256dh", "auth", "user_agent"]
        )
        await conn.execute("vacuum analyze push_subscriptions, accounts, members, org_units")
    finally:
        await conn.close()
    return {"subscriptions": len(urls), "accounts": len(accounts), "seconds": round(time.perf_counter() - started, 1)}


# --- the worker -----------------------------------------------------------------------------------------


@dataclass
class Worker:
    env: dict[str, str]
    args: list[str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    cpu_seconds: float = 0.0
    """CPU time of the worker processes that have ended."""
    peak_rss: list[int] = field(default_factory=list)

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(BIN / "ehandbook"), "worker", *self.args],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def cpu(self) -> float:
        """CPU seconds of every run so far, the live one included."""
        assert self.process is not None
        times = psutil.Process(self.process.pid).cpu_times()
        return self.cpu_seconds + times.user + times.system

    def _account(self) -> None:
        assert self.process is not None
        self.cpu_seconds = self.cpu()
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        hwm = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
        self.peak_rss.append(int(hwm.split()[1]) * 1024)

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown, chunks in flight are cut off."""
        assert self.process is not None
        self._account()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self._account()
            stop(self.process)


def worker_env(database: str, redis: str, receivers: list[Receiver], cert: Path) -> dict[str, str]:
    from push.vapid import generate_vapid_keys  # noqa: PLC0415

    return {
        **os.environ,
        "EHB_MODE": "dev",  # production mode would want the app's other settings too; the worker ignores them
        "EHB_DATABASE_URL": database,
        "EHB_REDIS_URL": redis,
        "EHB_VAPID_PRIVATE_KEY": generate_vapid_keys().private_key_b64,
        "EHB_VAPID_SUBJECT": SUBJECT,
        "EHB_PUSH_ALLOWED_HOSTS": ",".join(r.origin.removeprefix("https://") for r in receivers),
        "SSL_CERT_FILE": str(cert),
        "EHB_LOG_LEVEL": "WARNING",
        "EHB_LOG_JSON": "0",
    }


# --- publishing and counting ----------------------------------------------------------------------------


async def publish(database: str, title: str, *, unit: str) -> tuple[int, float]:
    """A notice and its outbox row in one transaction, as the notices service writes them; (outbox id,
    epoch seconds of the commit)."""
    from api.db import connect  # noqa: PLC0415
    from api.outbox import Audience, NotificationIntent, enqueue_notification  # noqa: PLC0415

    conn = await connect(database)
    try:
        author = await conn.fetchval("select id from accounts where username = 'demo.admin'")
        unit_id = await conn.fetchval(unit)
        async with conn.transaction():
            notice = await conn.fetchval(
                "insert into notices (id, unit_id, author_id, author_name, title, body_md, body_html, summary, "
                "category, requires_ack, publish_at) values (gen_random_uuid(), $1, $2, 'Văn phòng Tỉnh ủy', $3, "
                "$4, $5, $4, 'general', true, now()) returning id",
                unit_id,
                author,
                title,
                "Đề nghị các đồng chí đảng viên đọc và xác nhận.",
                "<p>Đề nghị các đồng chí đảng viên đọc và xác nhận.</p>\n",
            )
            intent = NotificationIntent(
                kind="notice.published",
                category="notice",
                title=title,
                body="Đề nghị các đồng chí đảng viên đọc và xác nhận.",
                url=f"/notices/{notice}",
                audience=Audience(units=(unit_id,)),
                topic=f"notice:{notice}",
            )
            outbox_id = await enqueue_notification(conn, intent, source=f"notice:{notice}")
        return outbox_id, time.time()
    finally:
        await conn.close()


PROVINCE = "select id from org_units where parent_id is null"
DEMO_BRANCH = "select m.branch_id from members m join accounts a on a.member_id = m.id where a.username = 'demo.member'"


async def expected_pairs(database: str, outbox_id: int) -> set[tuple[str, int]]:
    """(subscription id in the endpoint, inbox notification id) for every device the notice must reach."""
    from api.db import connect  # noqa: PLC0415

    conn = await connect(database)
    try:
        rows = await conn.fetch(
            "select s.endpoint, n.id from notifications n join accounts a on a.member_id = n.member_id "
            "join push_subscriptions s on s.account_id = a.id where n.outbox_id = $1",
            outbox_id,
        )
        return {(r["endpoint"].rsplit("/", 1)[1], r["id"]) for r in rows}
    finally:
        await conn.close()


async def push_figures(database: str, outbox_id: int) -> dict[str, Any]:
    from api.db import connect  # noqa: PLC0415

    conn = await connect(database)
    try:
        row = await conn.fetchrow(
            "select targeted, sent, gone, failed, retried, rejected, config_error from push_figures "
            "where outbox_id = $1",
            outbox_id,
        )
        return dict(row) if row else {}
    finally:
        await conn.close()


def accepted(receivers: list[Receiver]) -> int:
    return sum(r.get("/stats")["accepted"] for r in receivers)


def receivers_cpu(receivers: list[Receiver]) -> float:
    total = 0.0
    for receiver in receivers:
        for process in receiver.tree():
            with contextlib.suppress(psutil.NoSuchProcess):
                times = process.cpu_times()
                total += times.user + times.system
    return total


def wait_for(
    receivers: list[Receiver],
    start: int,
    expected: int,
    on_progress: Callable[[int], None] | None = None,
    complete: Callable[[], bool] | None = None,
) -> None:
    """Poll the services until ``expected`` messages more than ``start`` arrived and ``complete`` says every
    device has one (duplicates count among the messages), or nothing moves for a while."""
    last, moved = -1, time.monotonic()
    while True:
        got = accepted(receivers) - start
        if got >= expected:
            if complete is None or complete():
                return
            time.sleep(0.5)  # duplicates made up the count; the missing ones may still come
        if got != last:
            last, moved = got, time.monotonic()
            if on_progress is not None:
                on_progress(got)
        elif time.monotonic() - moved > STALL_SECONDS:
            return
        time.sleep(0.05)


def tally(receivers: list[Receiver], expected: set[tuple[str, int]]) -> dict[str, Any]:
    """Lost, duplicated and unexpected messages, and the time of the last one."""
    received: dict[tuple[str, int], int] = {}
    last_at = 0.0
    for receiver in receivers:
        answer = receiver.get("/deliveries")
        last_at = max(last_at, answer["last_at"] or 0.0)
        for name, notification, times in answer["counts"]:
            received[name, notification] = received.get((name, notification), 0) + times
    delivered = len(expected & received.keys())
    return {
        "expected": len(expected),
        "delivered": delivered,
        "lost": len(expected) - delivered,
        "duplicates": sum(times - 1 for times in received.values()),
        "unexpected": len(received.keys() - expected),
        "last_at": last_at,
    }


# --- scenarios ------------------------------------------------------------------------------------------


def broadcast(
    database: str, receivers: list[Receiver], worker: Worker, title: str, *, kill_at: float | None
) -> dict[str, Any]:
    """Publish a province-wide notice and wait until every device has it; kill the worker once when the
    share ``kill_at`` of them has it (and start it again at once)."""
    for receiver in receivers:
        receiver.reset()
    start = accepted(receivers)
    cpu_before, receivers_before, machine_before = worker.cpu(), receivers_cpu(receivers), psutil.cpu_times()
    outbox_id, published = asyncio.run(publish(database, title, unit=PROVINCE))
    expected = len(asyncio.run(wait_for_inboxes(database, outbox_id)))
    killed: dict[str, Any] = {}

    def maybe_kill(got: int) -> None:
        if kill_at is not None and not killed and got >= kill_at * expected:
            worker.kill()
            killed.update(at_seconds=round(time.time() - published, 2), delivered_before=got)
            worker.start()

    pairs = asyncio.run(expected_pairs(database, outbox_id))
    wait_for(receivers, start, expected, maybe_kill, lambda: tally(receivers, pairs)["lost"] == 0)
    counts = tally(receivers, pairs)
    machine_after = psutil.cpu_times()
    busy = sum(machine_after) - machine_after.idle - (sum(machine_before) - machine_before.idle)
    seconds = counts["last_at"] - published
    return {
        "outbox_id": outbox_id,
        **counts,
        "seconds": round(seconds, 2),
        "rate": counts["delivered"] / seconds if seconds > 0 else 0.0,
        "worker_cpu_s": round(worker.cpu() - cpu_before, 2),
        "receivers_cpu_s": round(receivers_cpu(receivers) - receivers_before, 2),
        "machine_busy_cpu_s": round(busy, 2),
        "figures": asyncio.run(push_figures(database, outbox_id)),
        **({"killed": killed} if kill_at is not None else {}),
    }


async def wait_for_inboxes(database: str, outbox_id: int) -> list[int]:
    """The inbox rows of the notice once the dispatcher has written them (it does so in one transaction)."""
    from api.db import connect  # noqa: PLC0415

    conn = await connect(database)
    try:
        while True:
            rows = await conn.fetch(
                "select s.id from notifications n join accounts a on a.member_id = n.member_id "
                "join push_subscriptions s on s.account_id = a.id where n.outbox_id = $1",
                outbox_id,
            )
            if rows:
                return [r["id"] for r in rows]
            await asyncio.sleep(0.05)
    finally:
        await conn.close()


def baseline(database: str, receivers: list[Receiver], count: int, cert: Path) -> dict[str, Any]:
    """pywebpush's ``webpush()`` in a loop over ``count`` subscriptions, one after the other."""
    from py_vapid import Vapid  # noqa: PLC0415
    from pywebpush import webpush  # noqa: PLC0415

    from api.db import connect  # noqa: PLC0415
    from push.payload import Notification, b64url_encode, encode_notification  # noqa: PLC0415
    from push.vapid import generate_vapid_keys  # noqa: PLC0415

    async def sample() -> list[Any]:
        conn = await connect(database)
        try:
            return list(
                await conn.fetch("select endpoint, p256dh, auth from push_subscriptions order by id limit $1", count)
            )
        finally:
            await conn.close()

    rows = asyncio.run(sample())
    os.environ["REQUESTS_CA_BUNDLE"] = str(cert)
    vapid = Vapid.from_pem(generate_vapid_keys().private_key_pem.encode())
    for receiver in receivers:
        receiver.reset()
    before = accepted(receivers)
    started = time.perf_counter()
    for n, row in enumerate(rows):
        data = encode_notification(Notification(id=n, title="Thông báo mới", body="Họp chi bộ", url="/notices/1"))
        info = {
            "endpoint": row["endpoint"],
            "keys": {"p256dh": b64url_encode(row["p256dh"]), "auth": b64url_encode(row["auth"])},
        }
        webpush(info, data, vapid_private_key=vapid, vapid_claims={"sub": SUBJECT}, ttl=86_400)
    seconds = time.perf_counter() - started
    got = accepted(receivers) - before
    if got != len(rows):
        raise RuntimeError(f"the baseline sent {len(rows)} pushes but the services accepted {got}")
    return {"deliveries": len(rows), "seconds": round(seconds, 2), "rate": len(rows) / seconds}


def warm_up(database: str, receivers: list[Receiver]) -> None:
    """A notice to one branch: the worker is up, connected and has signed its VAPID tokens."""
    start = accepted(receivers)
    outbox_id, _ = asyncio.run(publish(database, "Kiểm tra", unit=DEMO_BRANCH))
    expected = len(asyncio.run(wait_for_inboxes(database, outbox_id)))
    wait_for(receivers, start, expected)


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    report: dict[str, Any] = {}
    with (
        content_servers(tmp, sections=60, members=args.members or args.subscriptions, seed=args.seed) as (db, redis, _),
        push_services(tmp, *certificate(tmp)) as receivers,
    ):
        report["data"] = asyncio.run(add_subscriptions(db, endpoints(args.subscriptions, receivers, args.seed)))
        print(f"data: {report['data']}", flush=True)
        baselines = []
        if args.baseline:
            baselines.append(baseline(db, receivers, args.baseline, tmp / "push-cert.pem"))
            print(f"baseline, before the broadcasts: {baselines[-1]}", flush=True)
        options = ["--concurrency", str(args.concurrency), "--per-host", str(args.per_host)]
        worker = Worker(worker_env(db, redis, receivers, tmp / "push-cert.pem"), options, tmp / "worker.log")
        worker.start()
        try:
            warm_up(db, receivers)
            report["broadcast"] = broadcast(db, receivers, worker, "Thông báo toàn tỉnh", kill_at=None)
            print(f"broadcast: {_brief(report['broadcast'])}", flush=True)
            if args.kill:
                report["killed"] = broadcast(db, receivers, worker, "Thông báo toàn tỉnh (2)", kill_at=args.kill_at)
                print(f"worker killed midway: {_brief(report['killed'])}", flush=True)
        finally:
            worker.stop()
            report["worker_log_tail"] = worker.log_path.read_text(errors="replace").splitlines()[-20:]
        report["worker_peak_rss_mb"] = [round(b / 2**20, 1) for b in worker.peak_rss]
        if args.baseline:
            # Once more after the broadcasts: minutes apart on a shared machine, the load under the two
            # may differ more than the rates being compared, so the ratio takes the mean of both.
            baselines.append(baseline(db, receivers, args.baseline, tmp / "push-cert.pem"))
            print(f"baseline, after the broadcasts: {baselines[-1]}", flush=True)
            report["baseline"] = {
                "deliveries": baselines[0]["deliveries"],
                "rate": statistics.fmean(b["rate"] for b in baselines),
                "runs": baselines,
            }
    return report


def _brief(row: dict[str, Any]) -> str:
    keys = ("delivered", "lost", "duplicates", "seconds", "rate", "worker_cpu_s", "receivers_cpu_s", "killed")
    return ", ".join(
        f"{k} {row[k]:.0f}" if isinstance(row[k], float) and k == "rate" else f"{k} {row[k]}" for k in keys if k in row
    )


# --- the table ------------------------------------------------------------------------------------------


def verdicts(report: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(figure, value, target, PASS/FAIL/-) rows."""
    rows: list[tuple[str, str, str, str]] = []

    def add(figure: str, value: str, target: str = "", *, ok: bool | None = None) -> None:
        rows.append((figure, value, target, "-" if ok is None else "PASS" if ok else "FAIL"))

    main = report["broadcast"]
    n = main["expected"]
    add("devices targeted", f"{n:,}")
    add("delivered (exactly once + duplicates)", f"{main['delivered']:,}", "all", ok=main["lost"] == 0)
    add("lost", f"{main['lost']:,}", "0", ok=main["lost"] == 0 and main["unexpected"] == 0)
    add("duplicates", f"{main['duplicates']:,}", "0", ok=main["duplicates"] == 0)
    add(
        "publish -> last delivery",
        f"{main['seconds']:.1f} s",
        f"<= {TARGET_SECONDS * n / 131_000:.1f} s",
        ok=main["seconds"] <= TARGET_SECONDS * n / 131_000,
    )
    add("deliveries per second", f"{main['rate']:,.0f}", f">= {TARGET_RATE:,.0f}", ok=main["rate"] >= TARGET_RATE)
    if "baseline" in report:
        base = report["baseline"]
        runs = " and ".join(f"{b['rate']:,.0f}" for b in base["runs"])
        add(f"baseline: pywebpush webpush() loop ({base['deliveries']:,}), before and after", f"{runs}/s")
        ratio = main["rate"] / base["rate"]
        add("ratio to the baseline's mean", f"{ratio:.1f}x", f">= {TARGET_RATIO:.0f}x", ok=ratio >= TARGET_RATIO)
    add("worker CPU", f"{main['worker_cpu_s']:.1f} s ({main['worker_cpu_s'] / main['seconds']:.0%} of a core)")
    add(
        "push services' CPU (4 processes)",
        f"{main['receivers_cpu_s']:.1f} s ({main['receivers_cpu_s'] / main['seconds']:.0%} of a core)",
    )
    per = 1000 / max(1, main["delivered"] + main["duplicates"])
    add("worker CPU per delivery", f"{main['worker_cpu_s'] * per:.2f} ms")
    add("push services' CPU per delivery", f"{main['receivers_cpu_s'] * per:.2f} ms")
    add("whole machine busy", f"{main['machine_busy_cpu_s']:.1f} s of {2 * main['seconds']:.1f} s (2 cores)")
    peak = max(report["worker_peak_rss_mb"])
    add("worker peak RSS", f"{peak:.0f} MB", f"<= {TARGET_RSS_MB:.0f} MB", ok=peak <= TARGET_RSS_MB)
    if "killed" in report:
        kill = report["killed"]
        share = kill["duplicates"] / max(1, kill["expected"])
        add("killed midway: lost", f"{kill['lost']:,}", "0", ok=kill["lost"] == 0 and kill["unexpected"] == 0)
        add(
            "killed midway: duplicates",
            f"{kill['duplicates']:,} ({share:.2%})",
            "<= 0.1%",
            ok=share <= TARGET_DUPLICATES,
        )
        add("killed midway: publish -> last delivery", f"{kill['seconds']:.1f} s")
    return rows


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    header = f"{'figure':<{width}}  {'value':>26}  {'target':>10}  result"
    print(f"\n{header}\n{'-' * len(header)}")
    for figure, value, target, result in rows:
        print(f"{figure:<{width}}  {value:>26}  {target:>10}  {result}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscriptions", type=int, default=131_000, help="push subscriptions of the province")
    parser.add_argument("--members", type=int, default=0, help="members of the province (default: --subscriptions)")
    parser.add_argument("--baseline", type=int, default=2_000, help="pushes sent by the naive loop (0: none)")
    parser.add_argument("--kill", action=argparse.BooleanOptionalAction, default=True, help="the SIGKILL scenario")
    parser.add_argument("--kill-at", type=float, default=0.5, help="share delivered when the worker is killed")
    parser.add_argument("--concurrency", type=int, default=8, help="ehandbook worker --concurrency")
    parser.add_argument("--per-host", type=int, default=64, help="ehandbook worker --per-host")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    terminate_on_sigterm()
    report: dict[str, Any] = {"machine": machine(), "options": {k: str(v) for k, v in vars(args).items()}}
    print(f"push broadcast: {args.subscriptions:,} subscriptions on {len(HOSTS)} push-service hosts", flush=True)
    with tempfile.TemporaryDirectory(prefix="ehb-bench-") as tmp:
        try:
            report |= run(args, Path(tmp))
        except KeyboardInterrupt:
            print("\ninterrupted: servers stopped", file=sys.stderr)
            return 130
    rows = verdicts(report)
    report["verdicts"] = rows
    print_table(rows)
    write_report(args.output, report)
    return 0 if all(r[3] != "FAIL" for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
