"""Opaque cursors for the notice lists: the sort key of the last item, so a page starts where one ended."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime, timedelta
from uuid import UUID

import msgspec

from api.errors import FieldError, InvalidInput

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class Position(msgspec.Struct, frozen=True):
    """Where a list stands: (pinned, published, id) descending; the lists without pinning keep it false."""

    pinned: bool
    published: datetime
    id: UUID


START = Position(pinned=True, published=datetime(9999, 12, 31, tzinfo=UTC), id=UUID(int=2**128 - 1))
"""Before every notice: one query serves the first page and the next ones, each bounded by the index."""


def encode(position: Position) -> str:
    # Whole microseconds (PostgreSQL's precision), never floats, so the next page starts exactly after.
    micros = (position.published - _EPOCH) // _MICROSECOND
    text = f"{int(position.pinned)}.{micros}.{position.id.hex}"
    return base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii").rstrip("=")


def decode(cursor: str | None) -> Position:
    """The position a cursor names; a cursor this server did not make is refused as invalid input."""
    if cursor is None:
        return START
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        pinned, micros, hex_id = text.split(".")
        position = Position(pinned=pinned == "1", published=_EPOCH + int(micros) * _MICROSECOND, id=UUID(hex=hex_id))
    except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError):
        position = None
    if position is None or pinned not in {"0", "1"}:
        raise InvalidInput(
            "Con trỏ phân trang không hợp lệ.", errors=[FieldError(field="after", message="not a cursor of this list")]
        )
    return position
