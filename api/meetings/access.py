"""Who may see, manage and attend which meetings: the scope rules every meeting service shares.

Members see the meetings of their own branch; secretaries, deputies, committee officers and admins see
those of the branches under their units. Only the branch's secretaries and deputies manage them, and only
the branch's members answer, ask to be excused and check in. Anything out of scope answers 404.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from api.auth.principal import BRANCH_LEADERS, REGISTER_READERS, Principal
from api.context import RequestContext
from api.db import Connection
from api.errors import FieldError, Forbidden, InvalidInput, NotFound
from api.sql import queries_beside

if TYPE_CHECKING:
    from api.meetings.upcoming import MeetingWrites

Q = queries_beside(__file__)


def known_branches(principal: Principal) -> list[int] | None:
    """The caller's own branch and those they lead, when that needs no query: a member's own branch, which
    their secretary and deputies lead too; None for a committee officer, whose units hold many branches."""
    led = principal.units_for(BRANCH_LEADERS)
    own = principal.branch_id
    if not led:
        return [own] if own is not None else []
    if own is not None and all(unit_id == own for unit_id in led):
        return [own]
    return None


class MeetingAccess:
    def __init__(self, conn: Connection, ctx: RequestContext, *, writes: MeetingWrites | None = None) -> None:
        self.conn = conn
        self.ctx = ctx
        self.writes = writes
        """Set for a writing request: the branches and members it may change, for the worker's copies."""

    @property
    def principal(self) -> Principal:
        return self.ctx.caller

    @property
    def member_id(self) -> UUID:
        """The caller's member record; callers without one never pass ``attended_meeting``."""
        member_id = self.principal.member_id
        if member_id is None:
            raise Forbidden("Chỉ đảng viên của chi bộ mới làm được việc này.")
        return member_id

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)

    def can_read(self, branch_id: int, branch_path: list[int]) -> bool:
        return branch_id == self.principal.branch_id or self.principal.covers(REGISTER_READERS, branch_path)

    def can_manage(self, branch_path: list[int]) -> bool:
        return self.principal.covers(BRANCH_LEADERS, branch_path)

    async def visible_meeting(self, meeting_id: UUID) -> Any:
        row = await self.conn.fetchrow(Q["get_meeting"], meeting_id)
        if row is None or not self.can_read(row["branch_id"], row["branch_path"]):
            raise NotFound(f"No meeting {meeting_id}.")
        return row

    async def managed_meeting(self, meeting_id: UUID) -> Any:
        row = await self.conn.fetchrow(Q["get_meeting"], meeting_id)
        if row is None or not self.can_manage(row["branch_path"]):
            raise NotFound(f"No meeting {meeting_id}.")
        self.changes_branch(row["branch_id"])
        return row

    async def attended_meeting(self, meeting_id: UUID) -> Any:
        """A meeting of the caller's own branch (committee staff who may look at it get 403)."""
        row = await self.visible_meeting(meeting_id)
        if self.principal.member_id is None or row["branch_id"] != self.principal.branch_id:
            raise Forbidden("Chỉ đảng viên của chi bộ mới làm được việc này.")
        self.changes_member(self.principal.member_id)
        return row

    def changes_branch(self, branch_id: int) -> None:
        """This request may write the branch's meetings (see ``writes``)."""
        if self.writes is not None:
            self.writes.branch(branch_id)

    def changes_member(self, member_id: UUID) -> None:
        """This request may write the member's answers or presence (see ``writes``)."""
        if self.writes is not None:
            self.writes.member(member_id)

    async def readable_branch(self, branch_id: int) -> Any:
        unit = await self.conn.fetchrow(Q["get_unit"], branch_id)
        if unit is None or unit["kind"] != "branch" or not self.can_read(unit["id"], unit["path"]):
            raise NotFound(f"No branch {branch_id}.")
        return unit

    async def managed_branch(self, branch_id: int | None) -> Any:
        """The branch a secretary names, or by default the one they lead (their own first)."""
        if branch_id is None:
            led = self.principal.units_for(BRANCH_LEADERS)
            own = self.principal.branch_id
            if own is not None and own in led:
                branch_id = own
            elif len(led) == 1:
                branch_id = led[0]
            else:
                error = FieldError(field="branch_id", message="required: you lead several")
                raise InvalidInput("Hãy chọn chi bộ.", errors=[error])
        unit = await self.conn.fetchrow(Q["get_unit"], branch_id)
        if unit is None or unit["kind"] != "branch" or not self.can_manage(unit["path"]):
            raise NotFound(f"No branch {branch_id}.")
        self.changes_branch(unit["id"])
        return unit

    async def own_branches(self) -> list[int]:
        """The caller's branch and the branches they lead (what ListMeetings shows by default)."""
        known = known_branches(self.principal)
        if known is not None:
            return known
        own = [self.principal.branch_id] if self.principal.branch_id is not None else []
        rows = await self.conn.fetch(Q["branches_under"], self.principal.units_for(BRANCH_LEADERS))
        return sorted({*own, *(row["id"] for row in rows)})
