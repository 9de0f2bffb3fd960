"""Split one notification's audience into chunk jobs of a few hundred devices.

A broadcast job pages the devices of the members whose inbox received the notification (so the
audience is resolved once, by :mod:`push.outbox`), drops muted categories and members who get the
daily digest instead (:mod:`push.digest`), holds devices whose owner
is in quiet hours until those end, and cuts the rest into chunks. A chunk carries device ids only:
the chunk job reads endpoints and keys itself, so the queue in Redis stays small. Its key is the
notification and its first device, so re-planning after a crash yields the same keys and the queue
refuses the duplicates.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec

from api.db import Connection
from api.sql import load_queries

Q = load_queries(Path(__file__).with_name("fanout.sql"))
LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
"""Quiet hours are chosen on the member's clock; every member of the province lives in this zone."""
DEFAULT_CHUNK = 300
"""Devices per chunk job: enough to keep a worker's connections busy, small enough to retry cheaply."""
DEFAULT_PAGE = 5_000
"""Devices read per query while planning."""


class Target(msgspec.Struct, frozen=True):
    """One device to push to, with its owner's quiet hours."""

    subscription_id: UUID
    notification_id: int
    quiet_start: time | None = None
    quiet_end: time | None = None


class ChunkJob(msgspec.Struct, frozen=True):
    """What a chunk job is enqueued with."""

    key: str
    """Idempotent job key: ``push:<outbox id>:<first device id>``."""
    outbox_id: int
    not_before: datetime | None
    """None: now; otherwise the end of the owners' quiet hours (UTC)."""
    targets: list[tuple[UUID, int]]
    """(device id, inbox notification id) pairs; the notification id goes into the payload."""


def quiet_until(now: datetime, start: time | None, end: time | None) -> datetime | None:
    """When a push held by quiet hours may go, or None when it may go now.

    Args:
        now: The current instant (aware).
        start: Local start of the quiet hours, or None for none.
        end: Local end; the window wraps past midnight when it is earlier than ``start``.

    Returns:
        The next local ``end`` as a UTC instant while inside the window, else None.
    """
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(LOCAL_ZONE)
    moment = local.time().replace(tzinfo=None)
    inside = start <= moment < end if start < end else (moment >= start or moment < end)
    if not inside:
        return None
    release = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if release <= local:
        release += timedelta(days=1)
    return release.astimezone(UTC)


def plan_chunks(
    outbox_id: int, targets: Iterable[Target], *, now: datetime, size: int = DEFAULT_CHUNK
) -> list[ChunkJob]:
    """Group targets by when they may be sent and cut each group into chunks of at most ``size``.

    Args:
        outbox_id: The notification's outbox row.
        targets: Devices in a stable order (by device id), so that keys repeat on re-planning.
        now: The current instant, for quiet hours.
        size: Devices per chunk.

    Returns:
        The chunk jobs: those due now first, then the held ones by release time.
    """
    if size < 1:
        raise ValueError("a chunk holds at least one device")
    groups: dict[datetime | None, list[tuple[UUID, int]]] = {}
    for target in targets:
        release = quiet_until(now, target.quiet_start, target.quiet_end)
        groups.setdefault(release, []).append((target.subscription_id, target.notification_id))
    jobs = []
    for release in sorted(groups, key=lambda r: (r is not None, r or now)):
        members = groups[release]
        for index in range(0, len(members), size):
            part = members[index : index + size]
            jobs.append(ChunkJob(f"push:{outbox_id}:{part[0][0]}", outbox_id, release, part))
    return jobs


async def iter_chunks(
    conn: Connection,
    outbox_id: int,
    category: str,
    *,
    now: datetime,
    size: int = DEFAULT_CHUNK,
    page: int = DEFAULT_PAGE,
    past_digest: bool = False,
) -> AsyncIterator[ChunkJob]:
    """Page the audience's devices and yield their chunk jobs, one page at a time.

    Args:
        conn: Any connection (reads only).
        outbox_id: The notification, already expanded into inboxes by :func:`push.outbox.expand_outbox`.
        category: Its category; devices of members who muted it are left out.
        now: The current instant, for quiet hours.
        size: Devices per chunk.
        page: Devices per query; a multiple of ``size`` keeps chunks full across pages.
        past_digest: Push also to members who chose the daily digest (urgent news, the digest itself).

    Yields:
        Chunk jobs; their keys depend only on the devices, so a restart re-yields the same keys.
    """
    after: UUID | None = None
    while True:
        rows = await conn.fetch(Q["audience_page"], outbox_id, category, after, page, past_digest)
        if not rows:
            return
        targets = [Target(r["id"], r["notification_id"], r["quiet_start"], r["quiet_end"]) for r in rows]
        for job in plan_chunks(outbox_id, targets, now=now, size=size):
            yield job
        if len(rows) < page:
            return
        after = rows[-1]["id"]
