"""Opaque cursors for the study program list: the sort key of the last program, so a page starts where one ended.

The same shape as the notice lists' cursors (``?after=`` takes URL-safe base64 without padding, made by this
server only): here the key is (due date, id), both descending.
"""

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
    """Where the list stands: (due, id) descending."""

    due: datetime
    id: UUID


START = Position(due=datetime(9999, 12, 31, tzinfo=UTC), id=UUID(int=2**128 - 1))
"""Before every program (due dates are checked to lie before the year 9000): one statement serves every page."""


def encode(position: Position) -> str:
    # Whole microseconds (PostgreSQL's precision), never floats, so the next page starts exactly after.
    micros = (position.due - _EPOCH) // _MICROSECOND
    text = f"{micros}.{position.id.hex}"
    return base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii").rstrip("=")


def decode(cursor: str | None) -> Position:
    """The position a cursor names; a cursor this server did not make is refused as invalid input."""
    if cursor is None:
        return START
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        micros, hex_id = text.split(".")
        return Position(due=_EPOCH + int(micros) * _MICROSECOND, id=UUID(hex=hex_id))
    except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError):
        raise InvalidInput(
            "Con trỏ phân trang không hợp lệ.", errors=[FieldError(field="after", message="not a cursor of this list")]
        ) from None
