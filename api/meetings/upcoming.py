"""Each branch's meetings to come, kept per worker, so the home screen's next meeting asks PostgreSQL nothing.

Every member's home screen lists the meetings of their branch that have not ended, with their own answer to
each (decision 41). Each worker keeps, per branch, those meetings as PostgreSQL last gave them, and per
member their answers, absence requests and presence; migration 0020 announces at commit every write to a
branch's meetings (or their materials, or its name) and to a member's answers, and the worker drops what
changed. "Not ended" is judged when serving, by this machine's clock, so a copy stays right as time passes.

Both are announced caches (api/announced_cache.py): while the invalidation listener is lost nothing is
trusted, ``first_page`` answers None and the caller reads from PostgreSQL; and the writing worker does not
wait for its own announcement (``MeetingWrites``): from the write until its request has committed and
answered, the branch or member written is read from the database and not kept.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import msgspec

from api.announced_cache import AnnouncedCache
from api.db import Acquire, Connection
from api.meetings.access import Q
from api.meetings.schemas import MeetingPage
from api.meetings.views import summary
from api.pending_writes import RequestWrites

if TYPE_CHECKING:
    from api.invalidation import InvalidationListener

CACHE_BRANCHES = 4_000
"""Every branch of a province: a handful of meetings each, well under a megabyte per worker in all."""
CACHE_MEMBERS = 10_000
"""Members whose answers a worker keeps (least recently used go first), a few hundred bytes each."""
BRANCH_CAP = 200
"""Meetings to come a branch copy may hold; a branch with more (none has) is read from PostgreSQL each time."""


class BranchMeetings(msgspec.Struct, frozen=True):
    """A branch's meetings that had not ended when read, the next first (rows of ``list_upcoming``)."""

    rows: tuple[Any, ...]


class MemberAnswers(msgspec.Struct, frozen=True):
    """A member's state (``member_state`` rows) for the meetings in ``covered``; absent ids: no answer yet."""

    covered: frozenset[UUID]
    by_meeting: dict[UUID, Any]


class UpcomingMeetings:
    """Per-worker copies of branches' meetings to come and members' answers (see the module docstring)."""

    def __init__(self, listener: InvalidationListener | None = None, *, members: int = CACHE_MEMBERS) -> None:
        self.branches: AnnouncedCache[int, BranchMeetings] = AnnouncedCache(
            listener, "meeting_branch", int, max_entries=CACHE_BRANCHES
        )
        self.answers: AnnouncedCache[UUID, MemberAnswers] = AnnouncedCache(
            listener, "meeting_member", UUID, max_entries=members
        )

    @property
    def announced(self) -> bool:
        """True while the invalidation listener is connected: copies are trusted until announced otherwise."""
        return self.branches.trusted

    async def first_page(
        self, acquire: Acquire, branches: Iterable[int], member_id: UUID | None, *, include_cancelled: bool, limit: int
    ) -> MeetingPage | None:
        """The next ``limit`` meetings of some branches with the member's state; None when the copies cannot
        be trusted (no listener) or a branch has too many to keep: then the caller asks PostgreSQL."""
        if not self.announced:
            return None
        branch_ids = sorted(set(branches))
        copies = [self.branches.get(branch_id) for branch_id in branch_ids]
        answers = self.answers.get(member_id) if member_id is not None else None
        if any(copy is None for copy in copies) or not _covers(answers, member_id, copies):
            async with acquire() as conn:
                copies = [
                    copy if copy is not None else await self._read_branch(conn, branch_id)
                    for copy, branch_id in zip(copies, branch_ids, strict=True)
                ]
                if any(copy is None for copy in copies):
                    return None
                if not _covers(answers, member_id, copies):
                    answers = await self._read_answers(conn, member_id, _ids(copies))
        rows = _to_come([copy.rows for copy in copies if copy is not None], include_cancelled, limit + 1)
        states = answers.by_meeting if answers is not None else {}
        items = [summary(row, states.get(row["id"])) for row in rows[:limit]]
        return MeetingPage(items=items, next_cursor=str(items[-1].id) if len(rows) > limit else None)

    def __len__(self) -> int:
        return len(self.branches)

    async def _read_branch(self, conn: Connection, branch_id: int) -> BranchMeetings | None:
        epoch = self.branches.epoch()
        include_cancelled, no_cursor = True, None  # the listing's own statement, for one branch
        rows = await conn.fetch(Q["list_upcoming"], [branch_id], include_cancelled, no_cursor, BRANCH_CAP + 1)
        if len(rows) > BRANCH_CAP:
            return None
        copy = BranchMeetings(rows=tuple(rows))
        self.branches.put(branch_id, copy, epoch=epoch)
        return copy

    async def _read_answers(
        self, conn: Connection, member_id: UUID | None, meeting_ids: frozenset[UUID]
    ) -> MemberAnswers | None:
        if member_id is None:
            return None
        epoch = self.answers.epoch()
        rows = await conn.fetch(Q["member_state"], list(meeting_ids), member_id)
        # Rows with no answer, request or presence at all are left out: most members, most meetings.
        answered = {row["meeting_id"]: row for row in rows if _answered(row)}
        answers = MemberAnswers(covered=meeting_ids, by_meeting=answered)
        self.answers.put(member_id, answers, epoch=epoch)
        return answers


class MeetingWrites:
    """What one request writes that the worker's copies must leave alone until the request is done."""

    def __init__(self, writes: RequestWrites, upcoming: UpcomingMeetings) -> None:
        self._writes = writes
        self._upcoming = upcoming

    def branch(self, branch_id: int) -> None:
        self._writes.mark(self._upcoming.branches, branch_id)

    def member(self, member_id: UUID) -> None:
        self._writes.mark(self._upcoming.answers, member_id)


def _ids(copies: list[BranchMeetings | None]) -> frozenset[UUID]:
    return frozenset(row["id"] for copy in copies if copy is not None for row in copy.rows)


def _covers(answers: MemberAnswers | None, member_id: UUID | None, copies: list[BranchMeetings | None]) -> bool:
    """Whether the kept answers cover every meeting of the copies (a caller with no member record has none)."""
    return member_id is None or (answers is not None and answers.covered.issuperset(_ids(copies)))


def _answered(row: Any) -> bool:
    return row["rsvp"] is not None or row["absence_id"] is not None or bool(row["present"])


def _to_come(branches: list[tuple[Any, ...]], include_cancelled: bool, count: int) -> list[Any]:  # noqa: FBT001
    """The first ``count`` meetings of the branches' copies that have not ended now, the next first."""
    if not branches:
        return []
    now = datetime.now(UTC)
    merged: Iterator[Any] = (
        heapq.merge(*branches, key=lambda row: (row["starts_at"], row["id"]))
        if len(branches) > 1
        else iter(branches[0])
    )
    found: list[Any] = []
    for row in merged:
        if row["ends_at"] > now and (include_cancelled or row["status"] != "cancelled"):
            found.append(row)
            if len(found) == count:
                break
    return found
