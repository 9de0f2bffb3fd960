"""Chunk delivery against the local push service: outbox -> inboxes -> chunk jobs on Redis -> pushes
that the service verifies and decrypts; and what each kind of answer does to devices and figures."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any
from uuid import UUID

import msgspec
import pytest
from saq import Worker

from api.db import Pool, connect, create_pool
from api.outbox import Audience, NotificationIntent, enqueue_notification
from push.delivery import JOB_FUNCTION, Chunk, Deliverer, Lease, SentLog, collapse_topic, root_key, scheduled_at
from push.dispatcher import Dispatcher, enqueue_chunk
from push.http import PushClient
from push.lease import ChunkLease
from push.mockservice import MockPushService, Script
from push.payload import Notification
from push.sender import Outcome, retry_delay
from push.transport.base import Poster
from push.transport.inprocess import AsgiPoster
from push.vapid import VapidSigner, generate_vapid_keys
from push.worker import PushQueue, create_queue

ORIGIN = "http://push.test"
SUBJECT = "mailto:ops@ehandbook.example.org"
VAPID = generate_vapid_keys()
INTENT = NotificationIntent(
    kind="notice.published",
    category="notice",
    title="Thông báo mới",
    body="Họp chi bộ lúc 8:00 thứ Bảy",
    url="/notices/1",
    audience=Audience(),
    topic="notice:1",
)


class Device(msgspec.Struct, frozen=True):
    name: str
    subscription_id: UUID
    member_id: UUID


async def add_devices(database_url: str, service: MockPushService, count: int, *, prefix: str = "d") -> list[Device]:
    """Give ``count`` active members of demo.member's branch an account and one subscribed phone each."""
    conn = await connect(database_url)
    try:
        branch = await branch_of_demo_member(conn)
        members = await conn.fetch(
            "select id from members where branch_id = $1 and status = 'active' order by id limit $2", branch, count
        )
        assert len(members) == count
        devices = []
        for index, member in enumerate(members):
            account = await conn.fetchval(
                "insert into accounts (member_id, display_name) values ($1, 'Đảng viên') "
                "on conflict (member_id) do update set display_name = accounts.display_name returning id",
                member["id"],
            )
            phone = service.create_subscriber(f"{prefix}{index}")
            subscription = await conn.fetchval(
                "insert into push_subscriptions (account_id, endpoint, p256dh, auth) "
                "values ($1, $2, $3, $4) returning id",
                account,
                phone.endpoint,
                phone.p256dh,
                phone.auth,
            )
            devices.append(Device(f"{prefix}{index}", subscription, member["id"]))
        return devices
    finally:
        await conn.close()


async def branch_of_demo_member(conn: Any) -> int:
    branch: int = await conn.fetchval(
        "select m.branch_id from members m join accounts a on a.member_id = m.id where a.username = 'demo.member'"
    )
    return branch


async def publish(database_url: str, intent: NotificationIntent = INTENT) -> int:
    """Write a notice-like outbox row for demo.member's branch, as a publishing request would."""
    conn = await connect(database_url)
    try:
        branch = await branch_of_demo_member(conn)
        async with conn.transaction():
            outbox_id: int = await enqueue_notification(
                conn, msgspec.structs.replace(intent, audience=Audience(units=(branch,))), source="test:delivery"
            )
        return outbox_id
    finally:
        await conn.close()


async def figures(database_url: str, outbox_id: int) -> dict[str, Any]:
    conn = await connect(database_url)
    try:
        row = await conn.fetchrow("select * from push_figures where outbox_id = $1", outbox_id)
        return dict(row) if row else {}
    finally:
        await conn.close()


async def drain(queue: PushQueue, deliverer: Deliverer) -> None:
    """Run chunk jobs until the queue is empty (retries scheduled with no delay included)."""
    worker: Worker[Any] = Worker(queue, [(JOB_FUNCTION, deliverer.job)], concurrency=4, burst=True, dequeue_timeout=0.5)
    worker.SIGNALS = []
    await worker.start()


class Rig:
    """The local push service behind an in-process poster, a queue, a dispatcher and a deliverer."""

    def __init__(self, pool: Pool, queue: PushQueue, service: MockPushService, poster: Poster) -> None:
        self.pool = pool
        self.queue = queue
        self.service = service
        self.poster = poster
        self.delays: list[tuple[Outcome, int]] = []
        self.dispatcher = Dispatcher(pool, queue, chunk_size=2)
        self.deliverer = self.make_deliverer()

    def make_deliverer(
        self,
        *,
        max_attempts: int = 3,
        delay: Callable[[Outcome, int], float] | None = None,
        sent_log: SentLog | None = None,
        lease: Lease | None = None,
        max_unlogged: int = 64,
    ) -> Deliverer:
        def no_wait(outcome: Outcome, attempt: int) -> float:
            self.delays.append((outcome, attempt))
            return 0.0

        async def enqueue_retry(chunk: Chunk, seconds: float) -> None:
            await enqueue_chunk(self.queue, chunk, scheduled=scheduled_at(seconds))

        signer = VapidSigner(VAPID.private_key_b64, SUBJECT)
        return Deliverer(
            self.pool,
            PushClient(self.poster, per_host=4),
            signer,
            enqueue_retry,
            max_attempts=max_attempts,
            delay=delay or no_wait,
            sent_log=sent_log,
            lease=lease,
            max_unlogged=max_unlogged,
        )

    async def run(self) -> None:
        await self.dispatcher.step()
        await drain(self.queue, self.deliverer)

    async def publish_chunk(self, database_url: str, devices: Sequence[Device], name: str) -> Chunk:
        """Publish a notice, fill the inboxes, and make the devices' chunk by hand (no queue)."""
        outbox_id = await publish(database_url)
        await self.dispatcher.step()
        inbox = await inbox_ids(database_url, outbox_id)
        targets = [(d.subscription_id, inbox[d.member_id]) for d in devices]
        return Chunk(key=f"push:{outbox_id}:{name}", outbox_id=outbox_id, targets=targets, ttl=60)

    def received(self, device: Device) -> list[Notification]:
        return [msgspec.json.decode(m.plaintext, type=Notification) for m in self.service.messages(device.name)]


@pytest.fixture
async def rig(database_url: str, redis_url: str) -> AsyncIterator[Rig]:
    pool = await create_pool(database_url, min_size=1, max_size=4)
    queue = create_queue(redis_url)
    service = MockPushService(ORIGIN)
    poster = AsgiPoster(service)
    try:
        yield Rig(pool, queue, service, poster)
    finally:
        await poster.aclose()
        await queue.disconnect()
        await pool.close()


async def inbox_ids(database_url: str, outbox_id: int) -> dict[UUID, int]:
    conn = await connect(database_url)
    try:
        rows = await conn.fetch("select member_id, id from notifications where outbox_id = $1", outbox_id)
        return {r["member_id"]: r["id"] for r in rows}
    finally:
        await conn.close()


async def subscription_row(database_url: str, subscription_id: UUID) -> dict[str, Any] | None:
    conn = await connect(database_url)
    try:
        row = await conn.fetchrow("select * from push_subscriptions where id = $1", subscription_id)
        return dict(row) if row else None
    finally:
        await conn.close()


def test_topic_header_is_a_stable_hash_and_keys_have_a_root() -> None:
    assert collapse_topic("notice:1") == collapse_topic("notice:1") != collapse_topic("notice:2")
    assert len(collapse_topic("x" * 500)) == 32
    assert root_key("push:9:abc") == root_key("push:9:abc:r3") == "push:9:abc"
    assert scheduled_at(0) == 0
    assert scheduled_at(1.5, now=100.0) == 102


async def test_a_notice_reaches_every_device_once_encrypted_and_signed(rig: Rig, database_url: str) -> None:
    devices = await add_devices(database_url, rig.service, 5)
    outbox_id = await publish(database_url)
    await rig.run()
    inbox = await inbox_ids(database_url, outbox_id)
    for device in devices:
        assert rig.received(device) == [
            Notification(
                id=inbox[device.member_id], title=INTENT.title, body=INTENT.body, url="/notices/1", tag="notice:1"
            )
        ]
        (message,) = rig.service.messages(device.name)
        assert (message.ttl, message.urgency, message.topic, message.subject) == (
            86_400,
            "normal",
            collapse_topic("notice:1"),
            SUBJECT,
        )
    assert rig.service.statuses == {201: 5}
    numbers = await figures(database_url, outbox_id)
    assert (numbers["targeted"], numbers["sent"], numbers["failed"], numbers["gone"]) == (5, 5, 0, 0)
    assert numbers["fanned_out_at"] is not None


async def test_dispatching_again_sends_nothing_twice(rig: Rig, database_url: str) -> None:
    devices = await add_devices(database_url, rig.service, 5)
    outbox_id = await publish(database_url)
    await rig.run()
    await rig.run()
    # A dispatcher that died after enqueueing, before marking: the next one re-plans the same chunks.
    conn = await connect(database_url)
    try:
        await conn.execute("update outbox set fanned_out_at = null where id = $1", outbox_id)
    finally:
        await conn.close()
    await rig.run()
    assert [len(rig.service.messages(d.name)) for d in devices] == [1] * 5
    assert (await figures(database_url, outbox_id))["sent"] == 5


async def test_gone_deletes_exactly_that_subscription(rig: Rig, database_url: str) -> None:
    devices = await add_devices(database_url, rig.service, 3)
    rig.service.unsubscribe(devices[1].name)
    outbox_id = await publish(database_url)
    await rig.run()
    assert await subscription_row(database_url, devices[1].subscription_id) is None
    assert await subscription_row(database_url, devices[0].subscription_id) is not None
    assert await subscription_row(database_url, devices[2].subscription_id) is not None
    numbers = await figures(database_url, outbox_id)
    assert (numbers["sent"], numbers["gone"]) == (2, 1)


async def test_throttled_push_is_retried_after_retry_after(rig: Rig, database_url: str) -> None:
    devices = await add_devices(database_url, rig.service, 2)
    rig.service.set_script(devices[0].name, Script(status=429, retry_after="7", times=1))
    outbox_id = await publish(database_url)
    await rig.run()
    assert [len(rig.received(d)) for d in devices] == [1, 1]
    ((outcome, attempt),) = rig.delays
    assert (outcome.status, outcome.retry_after, attempt) == (429, 7.0, 1)
    assert retry_delay(outcome, attempt) == 7.0, "the default delay honours Retry-After"
    numbers = await figures(database_url, outbox_id)
    assert (numbers["sent"], numbers["retried"], numbers["failed"]) == (2, 1, 0)


async def test_server_errors_are_retried_then_counted_failed(rig: Rig, database_url: str) -> None:
    devices = await add_devices(database_url, rig.service, 2)
    rig.service.set_script(devices[0].name, Script(status=500))
    outbox_id = await publish(database_url)
    await rig.run()
    assert rig.service.statuses[500] == 3, "three attempts"
    assert [attempt for _, attempt in rig.delays] == [1, 2]
    numbers = await figures(database_url, outbox_id)
    assert (numbers["sent"], numbers["retried"], numbers["failed"]) == (1, 2, 1)
    row = await subscription_row(database_url, devices[0].subscription_id)
    assert row is not None
    assert (row["failures"], row["last_failure"]) == (1, "retries exhausted")
    # The service recovers: the next notice resets the failure count.
    rig.service.set_script(devices[0].name, Script())
    await publish(database_url, msgspec.structs.replace(INTENT, topic="notice:2"))
    await rig.run()
    row = await subscription_row(database_url, devices[0].subscription_id)
    assert row is not None
    assert row["failures"] == 0


async def test_configuration_errors_delete_nothing(
    rig: Rig, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    devices = await add_devices(database_url, rig.service, 2)
    rig.service.set_script(devices[0].name, Script(status=401))
    rig.service.set_script(devices[1].name, Script(status=403))
    outbox_id = await publish(database_url)
    await rig.run()
    for device in devices:
        assert await subscription_row(database_url, device.subscription_id) is not None
    numbers = await figures(database_url, outbox_id)
    assert (numbers["config_error"], numbers["sent"], numbers["retried"]) == (2, 0, 0)
    assert any("check the VAPID key" in r.getMessage() and r.levelname == "ERROR" for r in caplog.records)


async def test_a_chunk_run_twice_sends_once(rig: Rig, database_url: str) -> None:
    devices = await add_devices(database_url, rig.service, 2)
    chunk = await rig.publish_chunk(database_url, devices, "manual")
    first = await rig.deliverer.deliver(chunk)
    second = await rig.deliverer.deliver(chunk)
    assert (first.sent, first.skipped, second.sent, second.skipped) == (2, False, 0, True)


class MemorySentLog:
    def __init__(self) -> None:
        self.logs: dict[str, set[UUID]] = {}
        self.added: list[UUID] = []
        self.forgotten: list[str] = []

    async def accepted(self, key: str) -> set[UUID]:
        return set(self.logs.get(key, ()))

    async def add(self, key: str, devices: Sequence[UUID]) -> None:
        self.logs.setdefault(key, set()).update(devices)
        self.added.extend(devices)

    async def forget(self, key: str) -> None:
        self.forgotten.append(key)
        self.logs.pop(key, None)


async def test_a_chunk_cut_off_midway_resends_only_what_was_not_accepted(rig: Rig, database_url: str) -> None:
    devices = await add_devices(database_url, rig.service, 3)
    chunk = await rig.publish_chunk(database_url, devices, "cut")
    log = MemorySentLog()
    log.logs[chunk.key] = {devices[0].subscription_id}  # accepted by a run that died before recording
    result = await rig.make_deliverer(sent_log=log).deliver(chunk)
    assert result.sent == 3
    assert [len(rig.service.messages(d.name)) for d in devices] == [0, 1, 1]
    assert sorted(log.added) == sorted(d.subscription_id for d in devices[1:])
    assert log.forgotten == [chunk.key]
    numbers = await figures(database_url, chunk.outbox_id)
    assert numbers["sent"] == 3
    conn = await connect(database_url)
    try:
        delivered = await conn.fetchval(
            "select count(*) from notifications where outbox_id = $1 and delivered_at is not null", chunk.outbox_id
        )
    finally:
        await conn.close()
    assert delivered == 3


async def test_a_message_too_large_goes_out_once_more_without_its_body(rig: Rig, database_url: str) -> None:
    devices = await add_devices(database_url, rig.service, 3)
    rig.service.set_script(devices[0].name, Script(max_body=500))  # takes the title alone
    rig.service.set_script(devices[1].name, Script(max_body=50))  # takes nothing at all
    long_body = "Nội dung nghị quyết được tóm tắt trong thông báo này. " * 30  # about 1,900 bytes
    outbox_id = await publish(database_url, msgspec.structs.replace(INTENT, body=long_body))
    await rig.run()
    shrunk, refused, whole = (rig.received(d) for d in devices)
    assert [(m.title, m.body) for m in shrunk] == [(INTENT.title, "")]
    assert refused == []
    assert [m.body for m in whole] == [long_body]
    assert rig.service.statuses[413] == 3, "the first two refused whole, the second refused shrunk too"
    numbers = await figures(database_url, outbox_id)
    assert (numbers["sent"], numbers["too_large"], numbers["retried"]) == (2, 1, 0)


async def test_a_message_beyond_our_own_limit_is_shrunk_before_it_is_sent(rig: Rig, database_url: str) -> None:
    devices = await add_devices(database_url, rig.service, 2)
    # 2,000 characters (all the outbox keeps) of three-byte letters: over the 3,072-byte payload limit.
    huge_body = "Ưỡng ữ " * 285
    outbox_id = await publish(database_url, msgspec.structs.replace(INTENT, body=huge_body))
    await rig.run()
    assert [[(m.title, m.body) for m in rig.received(d)] for d in devices] == [[(INTENT.title, "")]] * 2
    assert rig.service.statuses.get(413, 0) == 0
    numbers = await figures(database_url, outbox_id)
    assert (numbers["sent"], numbers["too_large"]) == (2, 0)


async def test_a_cancelled_chunk_run_writes_down_what_was_accepted(rig: Rig, database_url: str) -> None:
    devices = await add_devices(database_url, rig.service, 3)
    rig.service.set_script(devices[2].name, Script(delay=30.0))  # still in flight when the run is cancelled
    chunk = await rig.publish_chunk(database_url, devices, "cancelled")

    class StuckFirstWrite(MemorySentLog):
        """The first write to the log hangs (a slow Redis): what is accepted meanwhile waits in the run."""

        hung = False

        async def add(self, key: str, devices: Sequence[UUID]) -> None:
            if not self.hung:
                self.hung = True
                await asyncio.Event().wait()
            await super().add(key, devices)

    log = StuckFirstWrite()
    run = asyncio.create_task(rig.make_deliverer(sent_log=log).deliver(chunk))
    async with asyncio.timeout(10):
        while rig.service.accepted < 2:  # noqa: ASYNC110 - the service counts in this process
            await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    # The first accepted device was in the hung write; the second is written down on the way out.
    assert len(log.logs[chunk.key]) == 1
    assert log.logs[chunk.key] < {d.subscription_id for d in devices[:2]}


async def test_sends_wait_while_too_many_accepted_pushes_are_not_yet_in_the_sent_log(
    rig: Rig, database_url: str
) -> None:
    devices = await add_devices(database_url, rig.service, 6)
    chunk = await rig.publish_chunk(database_url, devices, "bounded")

    class SlowFirstWrite(MemorySentLog):
        """The first write to the log waits for ``release`` (a Redis that stalls)."""

        release = asyncio.Event()
        hung = False

        async def add(self, key: str, devices: Sequence[UUID]) -> None:
            if not self.hung:
                self.hung = True
                await self.release.wait()
            await super().add(key, devices)

    log = SlowFirstWrite()
    run = asyncio.create_task(rig.make_deliverer(sent_log=log, max_unlogged=2).deliver(chunk))
    async with asyncio.timeout(10):
        while rig.service.accepted < 2:  # noqa: ASYNC110 - the service counts in this process
            await asyncio.sleep(0.01)
    await asyncio.sleep(0.3)
    # Two accepted and not written down: the rest wait for the log (at most what was already in flight goes on).
    assert 2 <= rig.service.accepted < 6
    log.release.set()
    result = await asyncio.wait_for(run, 10)
    assert (result.sent, rig.service.accepted) == (6, 6)
    assert log.logs == {}
    assert sorted(log.added) == sorted(d.subscription_id for d in devices)


async def test_two_runs_of_one_chunk_at_the_same_time_send_it_once(rig: Rig, database_url: str) -> None:
    devices = await add_devices(database_url, rig.service, 4)
    for device in devices:
        rig.service.set_script(device.name, Script(delay=0.3))  # the first run is still sending when the second starts
    chunk = await rig.publish_chunk(database_url, devices, "twice")
    deliverer = rig.make_deliverer(sent_log=MemorySentLog(), lease=ChunkLease(rig.queue.redis))
    first, second = await asyncio.gather(deliverer.deliver(chunk), deliverer.deliver(chunk))
    assert [len(rig.received(d)) for d in devices] == [1, 1, 1, 1]
    assert sorted((run.skipped, run.sent) for run in (first, second)) == [(False, 4), (True, 0)]
