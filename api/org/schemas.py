"""Org units as the API shows them."""

from __future__ import annotations

from typing import Literal

import msgspec

UnitKind = Literal["province", "commune", "branch", "group"]


class OrgUnit(msgspec.Struct, frozen=True):
    id: int
    code: str
    name: str
    kind: UnitKind
    parent_id: int | None
    path: list[int]
    """Ids from the province down to this unit."""
