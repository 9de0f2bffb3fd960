"""Opaque page cursors: a list's sort key of the last item, as URL-safe base64 without padding.

Each list (notices, study programs) names its own key; this module only packs and unpacks the fields,
so every list refuses a cursor it did not make in the same way.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime, timedelta

from api.errors import FieldError, InvalidInput

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def pack(*fields: str) -> str:
    text = ".".join(fields)
    return base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii").rstrip("=")


def unpack(cursor: str, count: int) -> list[str]:
    """The ``count`` fields of a cursor; anything else is refused as invalid input."""
    try:
        fields = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii").split(".")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        fields = []
    if len(fields) != count:
        raise not_a_cursor()
    return fields


def micros(moment: datetime) -> str:
    # Whole microseconds (PostgreSQL's precision), never floats, so the next page starts exactly after.
    return str((moment - _EPOCH) // _MICROSECOND)


def moment(text: str) -> datetime:
    return _EPOCH + int(text) * _MICROSECOND


def not_a_cursor() -> InvalidInput:
    return InvalidInput(
        "Con trỏ phân trang không hợp lệ.", errors=[FieldError(field="after", message="not a cursor of this list")]
    )
