"""Audit log entries as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec


class AuditEvent(msgspec.Struct, frozen=True):
    id: int
    at: datetime
    actor_id: UUID | None
    actor_name: str | None
    action: str
    target: str
    unit_id: int | None
    ip: str | None
    details: dict[str, Any]


class AuditPage(msgspec.Struct, frozen=True):
    items: list[AuditEvent]
    next_cursor: str | None
