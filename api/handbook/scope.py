"""Which content a caller may read or edit, from their branch and role grants."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from api.auth.principal import Principal, Role
from api.db import Connection
from api.sql import queries_beside

Q = queries_beside(__file__)
EDITORS = frozenset({Role.EDITOR, Role.ADMIN})


class ContentScope(msgspec.Struct, frozen=True):
    """A published document is readable when its audience unit is at or above the caller's branch or
    one of their units (``ancestors``), or inside a subtree they hold any role in (``staff``); drafts
    and archived documents only within ``editor`` subtrees."""

    ancestors: list[int]
    staff: list[int]
    editor: list[int]

    def can_read(self, status: str, audience_unit_id: int, audience_path: Sequence[int]) -> bool:
        if self.can_edit(audience_path):
            return True
        return status == "published" and (
            audience_unit_id in self.ancestors or bool(set(audience_path) & set(self.staff))
        )

    def can_edit(self, audience_path: Sequence[int]) -> bool:
        return bool(set(audience_path) & set(self.editor))


async def content_scope(conn: Connection, principal: Principal) -> ContentScope:
    staff = sorted({grant.unit_id for grant in principal.grants})
    own = staff + ([principal.branch_id] if principal.branch_id is not None else [])
    ancestors: set[int] = set()
    for row in await conn.fetch(Q["unit_paths"], own):
        ancestors.update(row["path"])
    return ContentScope(ancestors=sorted(ancestors), staff=staff, editor=principal.units_for(EDITORS))
