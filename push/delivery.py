"""Deliver one chunk: encrypt, POST, act on each answer, and record the figures.

A chunk job reads its devices' endpoints and keys (the queue carries ids only), encrypts in short
slices so that the event loop answers other jobs in between, and sends through the shared
:class:`push.http.PushClient`. Answers that deserve another try (429, 5xx, timeouts) become one
follow-up job for the same chunk, delayed by the longest wish among them; when the attempts are
used up those devices count as failed. Finished chunks are written to ``push_chunks`` in the same
transaction as their figures, so a chunk run twice sends nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit
from uuid import UUID

import asyncpg
import msgspec

from api.db import Connection, Pool
from api.sql import load_queries
from push.endpoints import Subscription
from push.http import PushClient
from push.payload import Notification, PayloadTooLarge, b64url_encode
from push.sender import (
    MAX_TTL,
    InvalidPushRequest,
    Outcome,
    OutcomeKind,
    PushRequest,
    Urgency,
    build_request,
    retry_delay,
    validate_topic,
)
from push.vapid import VapidSigner

log = logging.getLogger(__name__)
Q = load_queries(Path(__file__).with_name("delivery.sql"))

MAX_ATTEMPTS = 5
"""Tries per device and notification (the first and four retries), then it counts as failed."""
CANCEL_LOG_SECONDS = 2.0
"""How long a cancelled chunk run may take to write what was accepted to the sent log."""
SHRUNK_TITLE = 120
"""Characters of the title kept when a message goes out shrunk (see :meth:`Deliverer._request`)."""
ENCRYPT_SLICE = 32
"""Messages encrypted between two yields to the event loop (a few milliseconds of CPU)."""
MAX_UNLOGGED = 64
"""Pushes the services accepted that a worker may hold before they are in the sent log (all chunks together);
further sends wait for the log. A worker killed now sends these again, so they are bounded: when Redis or the
worker's own loop is slow, a group commit would otherwise grow with the rate (see :meth:`Deliverer._log_sent`)."""
JOB_FUNCTION = "push.deliver_chunk"
CHUNK_JOB_OPTIONS: dict[str, Any] = {
    "timeout": 120,
    "retries": 5,
    "retry_delay": 5.0,
    "retry_backoff": 120.0,
    "heartbeat": 20,
    "ttl": 3600,
}
"""SAQ's defaults are one attempt and a 10 s timeout; a chunk of 300 slow answers needs more, and a
worker killed mid-chunk leaves its job to be swept and retried (the done-marker keeps it honest). The
worker touches a running chunk job every few seconds, so a killed worker's job counts as stuck after
``heartbeat`` seconds instead of the whole ``timeout``."""


class SentLog(Protocol):
    """Which devices of a chunk round a push service has already accepted, kept outside the process.

    A chunk cut off midway (the worker was killed) is run again as a whole; with a log, only the devices
    not yet accepted are sent again. Losing the log costs duplicates, never messages.
    """

    async def accepted(self, key: str) -> Collection[UUID]:
        """The devices of chunk round ``key`` already accepted (empty when unknown)."""
        ...

    async def add(self, key: str, devices: Sequence[UUID]) -> None:
        """Remember that these devices of chunk round ``key`` were accepted."""
        ...

    async def forget(self, key: str) -> None:
        """The round is recorded in PostgreSQL; its log is no longer needed."""
        ...


class Lease(Protocol):
    """Lets one run of a chunk round send at a time (see :mod:`push.lease`)."""

    def hold(self, key: str) -> contextlib.AbstractAsyncContextManager[None]:
        """Wait until no other run holds ``key``, then hold it for the block."""
        ...


class Chunk(msgspec.Struct, frozen=True, kw_only=True):
    """A chunk job's arguments (sent through the queue as builtins)."""

    key: str
    """``push:<outbox id>:<first device>`` for the first round, ``...:r<n>`` for retry round n."""
    outbox_id: int
    targets: list[tuple[UUID, int]]
    """(device id, inbox notification id) pairs."""
    ttl: int
    urgency: Urgency = "normal"
    topic: str | None = None
    """The ``Topic`` header (see :func:`collapse_topic`)."""
    tag: str | None = None
    """The device-side tag: a newer notification with the same tag replaces the shown one."""
    attempt: int = 0


class ChunkResult(msgspec.Struct, kw_only=True):
    """What one run of a chunk job did (also the SAQ job's result)."""

    skipped: bool = False
    """The chunk had already finished; nothing was sent."""
    sent: int = 0
    gone: int = 0
    too_large: int = 0
    config_error: int = 0
    rejected: int = 0
    failed: int = 0
    retried: int = 0


def collapse_topic(topic: str) -> str:
    """A ``Topic`` header for any collapse key: 32 base64url characters of its SHA-256.

    Args:
        topic: The intent's topic, e.g. ``notice:42`` (colons are not allowed in the header).

    Returns:
        A valid topic; the same key always gives the same header.
    """
    return validate_topic(b64url_encode(hashlib.sha256(topic.encode()).digest())[:32])


def clamp_ttl(ttl: int) -> int:
    """Keep an intent's TTL within what push services accept."""
    return min(max(ttl, 0), MAX_TTL)


def root_key(key: str) -> str:
    """The first round's key of a chunk, whatever round ``key`` names."""
    head, _, tail = key.rpartition(":r")
    return head if head and tail.isdigit() else key


@dataclass
class _Tally:
    delivered: list[tuple[UUID, int]] = field(default_factory=list)
    """(device, inbox notification) pairs the push service accepted."""
    gone: list[tuple[UUID, str]] = field(default_factory=list)
    retry: list[tuple[tuple[UUID, int], Outcome]] = field(default_factory=list)
    result: ChunkResult = field(default_factory=ChunkResult)
    unlogged: list[UUID] = field(default_factory=list)
    """Accepted devices not yet written to the sent log."""
    logging: bool = False
    """A write to the sent log is on its way; what is accepted meanwhile goes with the next one."""


Enqueue = Callable[[Chunk, float], Any]
"""Schedules a retry round: (chunk, delay in seconds) -> awaitable."""


class Deliverer:
    """Runs chunk jobs with one database pool, one HTTP client and one VAPID signer per process."""

    def __init__(
        self,
        pool: Pool,
        client: PushClient,
        signer: VapidSigner,
        enqueue_retry: Enqueue,
        *,
        max_attempts: int = MAX_ATTEMPTS,
        delay: Callable[[Outcome, int], float] = retry_delay,
        receipt: Callable[[int], str] | None = None,
        sent_log: SentLog | None = None,
        lease: Lease | None = None,
        max_unlogged: int = MAX_UNLOGGED,
    ) -> None:
        """Set up; the caller owns and closes pool and client.

        Args:
            pool: The worker's asyncpg pool.
            client: Sends the requests.
            signer: Signs VAPID tokens (cached per origin).
            enqueue_retry: Puts a retry round on the queue after a delay.
            max_attempts: Tries per device before it counts as failed.
            delay: Seconds before retry round n (Retry-After or backoff with jitter).
            receipt: The receipt for an inbox row id that lets the device report shown and clicked.
            sent_log: Remembers accepted devices while a chunk runs, so a chunk cut off midway is not sent twice.
            lease: Keeps a second run of the same chunk from sending while the first still runs.
            max_unlogged: Accepted pushes not yet in the sent log beyond which sends wait for it.
        """
        self.pool = pool
        self.client = client
        self.signer = signer
        self.enqueue_retry = enqueue_retry
        self.max_attempts = max_attempts
        self.delay = delay
        self.receipt = receipt
        self.sent_log = sent_log
        self.lease = lease
        self.max_unlogged = max_unlogged
        self._unlogged = 0
        """Accepted pushes of every chunk run not yet confirmed in the sent log (those being written included)."""
        self._logged = asyncio.Event()
        """Set whenever a write to the sent log ends; sends held back by ``max_unlogged`` look again."""

    async def job(self, _ctx: object, *, chunk: dict[str, Any]) -> dict[str, Any]:
        """The SAQ job function: ``chunk`` is a :class:`Chunk` as builtins.

        Returns:
            The :class:`ChunkResult` as builtins.
        """
        result = await self.deliver(msgspec.convert(chunk, Chunk))
        return msgspec.to_builtins(result)  # type: ignore[no-any-return]

    async def deliver(self, chunk: Chunk) -> ChunkResult:
        """Send one chunk, schedule its retries and record the outcome.

        Args:
            chunk: The devices and message headers.

        Returns:
            What happened; ``skipped`` when this chunk (round) had already finished.
        """
        async with self.lease.hold(chunk.key) if self.lease is not None else contextlib.nullcontext():
            async with self.pool.acquire() as conn:
                if await conn.fetchval(Q["chunk_done"], chunk.key):
                    return ChunkResult(skipped=True)
                targets = chunk.targets
                rows = await conn.fetch(Q["chunk_targets"], [t[0] for t in targets], [t[1] for t in targets])
            already = await self.sent_log.accepted(chunk.key) if self.sent_log is not None else ()
            tally = await self._send_all(chunk, rows, already)
            failed = await self._schedule_retries(chunk, tally)
            await self._record(chunk, tally, failed)
            if self.sent_log is not None:
                await self.sent_log.forget(chunk.key)
            return tally.result

    async def _send_all(self, chunk: Chunk, rows: Sequence[asyncpg.Record], already: Collection[UUID]) -> _Tally:
        tally = _Tally()
        tasks: list[asyncio.Task[None]] = []
        for start in range(0, len(rows), ENCRYPT_SLICE):
            for row in rows[start : start + ENCRYPT_SLICE]:
                if row["subscription_id"] in already:
                    # Accepted by an earlier run of this round that died before recording it.
                    tally.result.sent += 1
                    tally.delivered.append((row["subscription_id"], row["notification_id"]))
                    continue
                request = self._request(chunk, row, tally)
                if request is not None:
                    tasks.append(asyncio.create_task(self._send_one(chunk, row, request, tally)))
            # Let the requests of this slice go out (and other jobs run) before encrypting more.
            await asyncio.sleep(0)
        try:
            await asyncio.gather(*tasks)
        except asyncio.CancelledError:
            # Cancelled (shutdown past its grace period, or SAQ's sweep took this run for a dead one): the
            # run that follows must not send again what the push services already accepted.
            if self.sent_log is not None and tally.unlogged:
                devices, tally.unlogged = tally.unlogged, []
                try:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(self.sent_log.add(chunk.key, devices), CANCEL_LOG_SECONDS)
                finally:
                    self._written(len(devices))
            raise
        await self._log_sent(chunk.key, tally)
        return tally

    async def _log_sent(self, key: str, tally: _Tally) -> None:
        """Write the accepted devices to the sent log, one write at a time per chunk (a group commit).

        What the push services accept while a write is on its way goes with the next one, so a dying
        worker sends again only what was accepted during one Redis round trip, and a busy chunk makes
        a few dozen writes instead of one per acceptance (or per fixed batch). A round trip stretches
        with a slow Redis or a starved event loop (to tens of milliseconds on a crowded machine: batches
        of 40 were seen), so the worker's accepted-but-unlogged pushes are capped (``max_unlogged``).
        """
        if self.sent_log is None or tally.logging:
            return
        tally.logging = True
        try:
            while tally.unlogged:
                devices, tally.unlogged = tally.unlogged, []
                try:
                    await self.sent_log.add(key, devices)
                finally:
                    self._written(len(devices))
        finally:
            tally.logging = False

    def _written(self, count: int) -> None:
        self._unlogged -= count
        self._logged.set()

    async def _room_to_log(self) -> None:
        """Wait while the pushes accepted and not yet in the sent log reach ``max_unlogged``."""
        while self.sent_log is not None and self._unlogged >= self.max_unlogged:
            self._logged.clear()
            await self._logged.wait()

    def _request(self, chunk: Chunk, row: asyncpg.Record, tally: _Tally, *, shrunk: bool = False) -> PushRequest | None:
        """Build the request for one device; ``shrunk`` leaves the body out and cuts the title.

        A message too large for us or for the push service goes out shrunk once: the phone still
        shows the title and opens the app, which fetches the whole notice.
        """
        notification_id = row["notification_id"]
        message = Notification(
            id=notification_id,
            title=row["title"][:SHRUNK_TITLE] if shrunk else row["title"],
            body="" if shrunk else row["body"],
            url=row["url"],
            tag=chunk.tag,
            receipt=None if self.receipt is None else self.receipt(notification_id),
        )
        subscription = Subscription(row["endpoint"], bytes(row["p256dh"]), bytes(row["auth"]))
        try:
            return build_request(
                subscription,
                msgspec.json.encode(message),
                self.signer,
                ttl=chunk.ttl,
                urgency=chunk.urgency,
                topic=chunk.topic,
            )
        except PayloadTooLarge:
            if not shrunk:
                log.warning("push for notification %s is too large: sent without its body", notification_id)
                return self._request(chunk, row, tally, shrunk=True)
            log.warning("push for notification %s is too large even without its body", notification_id)
            tally.result.too_large += 1
        except (InvalidPushRequest, ValueError):
            log.exception("push to device %s cannot be built", row["subscription_id"])
            tally.result.rejected += 1
        return None

    async def _send_one(
        self, chunk: Chunk, row: asyncpg.Record, request: PushRequest, tally: _Tally, *, shrunk: bool = False
    ) -> None:
        outcome = await self.client.send(request, ready=self._room_to_log if self.sent_log is not None else None)
        if outcome.kind is OutcomeKind.TOO_LARGE and not shrunk:
            log.warning("push service %s refused a push as too large (413): sent without its body", _host(request.url))
            smaller = self._request(chunk, row, tally, shrunk=True)
            if smaller is not None:
                await self._send_one(chunk, row, smaller, tally, shrunk=True)
            return
        key, target = chunk.key, (row["subscription_id"], row["notification_id"])
        result = tally.result
        match outcome.kind:
            case OutcomeKind.DELIVERED:
                result.sent += 1
                tally.delivered.append(target)
                tally.unlogged.append(target[0])
                if self.sent_log is not None:
                    self._unlogged += 1
                await self._log_sent(key, tally)
            case OutcomeKind.GONE:
                result.gone += 1
                tally.gone.append((target[0], request.url))
            case OutcomeKind.RETRY:
                tally.retry.append((target, outcome))
            case OutcomeKind.TOO_LARGE:
                result.too_large += 1
                log.warning("push service %s refused a push as too large (413) even shrunk", _host(request.url))
            case OutcomeKind.CONFIG_ERROR:
                result.config_error += 1
                log.error(
                    "push service %s refused our request with %s: check the VAPID key and subject; nothing deleted",
                    _host(request.url),
                    outcome.status,
                )
            case OutcomeKind.REJECTED:
                result.rejected += 1
                log.warning("push service %s answered %s; message dropped", _host(request.url), outcome.status)

    async def _schedule_retries(self, chunk: Chunk, tally: _Tally) -> list[UUID]:
        """Queue one retry round for the retryable targets; return the devices that ran out of attempts."""
        if not tally.retry:
            return []
        attempt = chunk.attempt + 1
        if attempt >= self.max_attempts:
            tally.result.failed += len(tally.retry)
            log.warning(
                "%d pushes of notification %s failed after %d attempts", len(tally.retry), chunk.outbox_id, attempt
            )
            return [target[0] for target, _ in tally.retry]
        delay = max(self.delay(outcome, attempt) for _, outcome in tally.retry)
        retry = msgspec.structs.replace(
            chunk,
            key=f"{root_key(chunk.key)}:r{attempt}",
            targets=[target for target, _ in tally.retry],
            attempt=attempt,
        )
        # Before the done-marker commits: a crash in between re-runs this round rather than losing the retry.
        await self.enqueue_retry(retry, delay)
        tally.result.retried += len(tally.retry)
        return []

    async def _record(self, chunk: Chunk, tally: _Tally, failed: list[UUID]) -> None:
        result = tally.result
        async with self.pool.acquire() as conn, conn.transaction():
            if await conn.fetchval(Q["mark_chunk_done"], chunk.key, chunk.outbox_id) is None:
                return  # another run of this chunk recorded it first; its figures stand
            await conn.execute(
                Q["add_figures"],
                chunk.outbox_id,
                result.sent,
                result.gone,
                result.too_large,
                result.config_error,
                result.rejected,
                result.failed,
                result.retried,
            )
            await _update_devices(conn, tally, failed)


async def _update_devices(conn: Connection, tally: _Tally, failed: list[UUID]) -> None:
    if tally.gone:
        await conn.execute(Q["delete_gone"], [g[0] for g in tally.gone], [g[1] for g in tally.gone])
    if tally.delivered:
        await conn.execute(Q["reset_failures"], [device for device, _ in tally.delivered])
        await conn.execute(Q["mark_delivered"], [notification for _, notification in tally.delivered])
    if failed:
        await conn.execute(Q["record_failures"], failed, "retries exhausted")


def _host(url: str) -> str:
    return urlsplit(url).netloc


def scheduled_at(delay: float, *, now: float | None = None) -> int:
    """SAQ's ``scheduled`` for a job due after ``delay`` seconds (0: now)."""
    return 0 if delay <= 0 else int((time.time() if now is None else now) + delay + 0.999)
