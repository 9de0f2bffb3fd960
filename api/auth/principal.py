"""Who is calling: the signed-in account, its roles and the org units they cover."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from uuid import UUID

import msgspec


class Role(enum.StrEnum):
    """Roles beyond plain membership; each is granted on an org unit and covers its subtree."""

    SECRETARY = "secretary"
    DEPUTY_SECRETARY = "deputy_secretary"
    OFFICER = "officer"
    MODERATOR = "moderator"
    EDITOR = "editor"
    ADMIN = "admin"


BRANCH_LEADERS = frozenset({Role.SECRETARY, Role.DEPUTY_SECRETARY})
"""The deputy has the secretary's powers within the branch."""
REGISTER_READERS = frozenset({Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.OFFICER, Role.ADMIN})
ACCESS_MANAGERS = frozenset({Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})


class Grant(msgspec.Struct, frozen=True):
    role: Role
    unit_id: int


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    """The caller of one request, resolved from its session."""

    account_id: UUID
    session_id: UUID
    display_name: str
    member_id: UUID | None = None
    branch_id: int | None = None
    grants: tuple[Grant, ...] = ()
    reach: tuple[int, ...] = ()
    """The units at or above the caller's branch and role units (for audiences of content)."""

    def units_for(self, roles: Iterable[Role]) -> list[int]:
        """The roots of the subtrees in which the caller holds any of ``roles``."""
        wanted = frozenset(roles)
        return sorted({grant.unit_id for grant in self.grants if grant.role in wanted})

    def holds(self, roles: Iterable[Role]) -> bool:
        wanted = frozenset(roles)
        return any(grant.role in wanted for grant in self.grants)

    def covers(self, roles: Iterable[Role], unit_path: Sequence[int]) -> bool:
        """Whether one of ``roles`` is granted on the unit with ``unit_path`` or any unit above it."""
        wanted = frozenset(roles)
        on_path = set(unit_path)
        return any(grant.role in wanted and grant.unit_id in on_path for grant in self.grants)
