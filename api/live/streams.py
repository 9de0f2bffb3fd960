"""One member's live stream: their channels from Redis as Server-Sent Events, a few streams each.

A heartbeat every ``HEARTBEAT_SECONDS`` keeps proxies from closing an idle stream, renews the
stream's place among the caller's open streams, and re-checks the session. Signing out or revoking a
session announces the account's change from PostgreSQL at commit (api/invalidation.py), which makes
the stream re-check at once: a session that ended gets a last ``signed-out`` event within about a
second, and the heartbeat's check covers the time the listener is down.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from uuid import UUID

import redis.asyncio as aioredis
from litestar.response import ServerSentEventMessage

from api.auth.principal import Principal
from api.auth.sessions import SessionStore
from api.errors import TooManyRequests
from api.invalidation import InvalidationListener
from api.live.channels import PREFIX, channels_for

HEARTBEAT_SECONDS = 15.0
WAKE_SECONDS = 1.0
"""How often an idle stream looks at whether its account changed (a flag, no I/O)."""
MAX_STREAMS = 3
"""Per account: a phone, a tablet and a desktop; more is a leak or abuse."""
STALE_SECONDS = 3 * HEARTBEAT_SECONDS
"""A stream not renewed for this long is counted as gone (its worker died without cleaning up)."""


def slots_key(account_id: UUID) -> str:
    """The sorted set of an account's open streams, scored by their last heartbeat."""
    return f"{PREFIX}streams:{account_id}"


async def open_slot(redis: aioredis.Redis, principal: Principal) -> str:
    """Take one of the caller's stream slots, or refuse with 429."""
    key = slots_key(principal.account_id)
    stream_id = uuid.uuid4().hex
    now = time.time()
    async with redis.pipeline(transaction=True) as pipe:
        pipe.zremrangebyscore(key, 0, now - STALE_SECONDS)
        pipe.zadd(key, {stream_id: now})
        pipe.zcard(key)
        pipe.expire(key, int(STALE_SECONDS) + 1)
        _, _, open_streams, _ = await pipe.execute()
    if open_streams > MAX_STREAMS:
        await redis.zrem(key, stream_id)
        raise TooManyRequests(
            f"Đã mở quá {MAX_STREAMS} luồng cập nhật trực tiếp; hãy đóng bớt.", retry_after=int(HEARTBEAT_SECONDS)
        )
    return stream_id


async def events(
    redis: aioredis.Redis,
    sessions: SessionStore,
    listener: InvalidationListener,
    principal: Principal,
    token_digest: bytes,
    stream_id: str,
) -> AsyncIterator[ServerSentEventMessage]:
    """The caller's live events until they sign out or go away."""
    key = slots_key(principal.account_id)
    account = str(principal.account_id)
    account_changed = asyncio.Event()

    def on_account(changed: str) -> None:
        if changed in {account, ""}:  # "": everything changed (the listener reconnected)
            account_changed.set()

    listener.on("account", on_account)
    pubsub = redis.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(*channels_for(principal))
    try:
        yield ServerSentEventMessage(event="ready", data="{}", retry=5000)
        next_beat = time.monotonic() + HEARTBEAT_SECONDS
        while True:
            timeout = min(WAKE_SECONDS, max(0.0, next_beat - time.monotonic()))
            message = await pubsub.get_message(timeout=timeout)
            if message is not None:
                yield ServerSentEventMessage(event="update", data=message["data"].decode())
            beat = time.monotonic() >= next_beat
            if not beat and not account_changed.is_set():
                continue  # a message, a subscription confirmation (returned as None), or a quiet second
            account_changed.clear()
            if await sessions.resolve_digest(token_digest) is None:
                yield ServerSentEventMessage(event="signed-out", data="{}")
                return
            if beat:
                await redis.zadd(key, {stream_id: time.time()})
                yield ServerSentEventMessage(comment="heartbeat", data=None)
                next_beat = time.monotonic() + HEARTBEAT_SECONDS
    finally:
        listener.off("account", on_account)
        await asyncio.shield(_close(redis, pubsub, key, stream_id))


async def _close(redis: aioredis.Redis, pubsub: aioredis.client.PubSub, key: str, stream_id: str) -> None:
    await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py leaves it unannotated
    await redis.zrem(key, stream_id)
