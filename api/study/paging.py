"""Opaque cursors for the study program list: the sort key of the last program, so a page starts where
one ended. The key is (due date, id), both descending; api/cursors.py packs it as the notice lists do."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import msgspec

from api import cursors


class Position(msgspec.Struct, frozen=True):
    """Where the list stands: (due, id) descending."""

    due: datetime
    id: UUID


START = Position(due=datetime(9999, 12, 31, tzinfo=UTC), id=UUID(int=2**128 - 1))
"""Before every program (due dates are checked to lie before the year 9000): one statement serves every page."""


def encode(position: Position) -> str:
    return cursors.pack(cursors.micros(position.due), position.id.hex)


def decode(cursor: str | None) -> Position:
    """The position a cursor names; a cursor this server did not make is refused as invalid input."""
    if cursor is None:
        return START
    micros, hex_id = cursors.unpack(cursor, 2)
    try:
        return Position(due=cursors.moment(micros), id=UUID(hex=hex_id))
    except (ValueError, OverflowError):
        raise cursors.not_a_cursor() from None
