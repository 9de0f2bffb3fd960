"""Publish a committed notification as a live update: the event names what changed, never personal data.

Called by the push dispatcher after it expands an outbox row, so only committed changes are announced.
Live updates are a convenience on top of the inbox and the feeds: if Redis is away, nothing is lost.
"""

from __future__ import annotations

import logging

import msgspec
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from api.live.channels import member_channel, unit_channel
from api.outbox.schemas import NotificationIntent

log = logging.getLogger("ehandbook.live")


class LiveEvent(msgspec.Struct, frozen=True, kw_only=True):
    """What a screen needs to decide to refetch: what kind of thing changed and where it lives."""

    kind: str
    category: str
    url: str


async def publish(redis: aioredis.Redis, intent: NotificationIntent) -> int:
    """Send the event to every audience channel; returns how many listeners received it."""
    event = msgspec.json.encode(LiveEvent(kind=intent.kind, category=intent.category, url=intent.url))
    channels = [unit_channel(unit) for unit in intent.audience.units]
    channels += [member_channel(member) for member in intent.audience.members]
    try:
        async with redis.pipeline(transaction=False) as pipe:
            for channel in channels:
                pipe.publish(channel, event)
            received = await pipe.execute()
    except RedisError:
        log.warning("live update not published: Redis unavailable")
        return 0
    return sum(int(count) for count in received)
