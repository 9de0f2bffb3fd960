"""Opaque cursors for the notice lists: the sort key of the last item, so a page starts where one ended."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import msgspec

from api import cursors


class Position(msgspec.Struct, frozen=True):
    """Where a list stands: (pinned, published, id) descending; the lists without pinning keep it false."""

    pinned: bool
    published: datetime
    id: UUID


START = Position(pinned=True, published=datetime(9999, 12, 31, tzinfo=UTC), id=UUID(int=2**128 - 1))
"""Before every notice: one query serves the first page and the next ones, each bounded by the index."""


def encode(position: Position) -> str:
    return cursors.pack(str(int(position.pinned)), cursors.micros(position.published), position.id.hex)


def decode(cursor: str | None) -> Position:
    """The position a cursor names; a cursor this server did not make is refused as invalid input."""
    if cursor is None:
        return START
    pinned, micros, hex_id = cursors.unpack(cursor, 3)
    if pinned not in {"0", "1"}:
        raise cursors.not_a_cursor()
    try:
        return Position(pinned=pinned == "1", published=cursors.moment(micros), id=UUID(hex=hex_id))
    except (ValueError, OverflowError):
        raise cursors.not_a_cursor() from None
