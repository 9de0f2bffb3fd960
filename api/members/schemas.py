"""The member register as the API shows it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

import msgspec

from api.members.csvformat import RowError

MemberStatus = Literal["active", "transferred_out", "deceased", "removed"]


class Member(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    card_number: str
    full_name: str
    date_of_birth: date
    gender: Literal["male", "female"]
    phone: str | None
    email: str | None
    citizen_id: str | None
    """Only admins see it: masked in lists, whole in a single record; absent for everyone else."""
    joined_on: date
    official_on: date | None
    probationary: bool
    branch_id: int
    branch_code: str
    branch_name: str
    position: str
    status: MemberStatus
    activated: bool


class MemberPage(msgspec.Struct, frozen=True):
    items: list[Member]
    next_cursor: str | None


class ActivationCode(msgspec.Struct, frozen=True):
    member_id: UUID
    card_number: str
    full_name: str
    code: str
    expires_at: datetime


class ActivationSheet(msgspec.Struct, frozen=True):
    """A printable list for one branch; issuing a new sheet replaces the codes of the old one."""

    branch_id: int
    branch_code: str
    branch_name: str
    codes: list[ActivationCode]


class ImportReport(msgspec.Struct, frozen=True):
    batch_id: UUID | None
    """None for a dry run."""
    rows_total: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[RowError]
