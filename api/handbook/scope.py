"""Which content a caller may read or edit, from their branch and role grants."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from api.auth.principal import Principal, Role

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


def content_scope(principal: Principal) -> ContentScope:
    """The caller's reading and editing scope; resolved with the session, so it costs no query."""
    staff = sorted({grant.unit_id for grant in principal.grants})
    return ContentScope(ancestors=list(principal.reach), staff=staff, editor=principal.units_for(EDITORS))
