"""The member register: who may see which members and which of their fields, and access management."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from api.audit.service import record
from api.auth.principal import ACCESS_MANAGERS, ADMINS, REGISTER_READERS, Principal
from api.auth.sessions import SessionStore
from api.auth.tokens import activation_code_digest, format_activation_code, new_activation_code
from api.context import RequestContext
from api.db import Connection
from api.errors import InvalidInput, NotFound
from api.members.schemas import ActivationCode, ActivationSheet, Member, MemberPage
from api.org.service import OrgService
from api.sql import queries_beside

Q = queries_beside(__file__)
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def mask_citizen_id(citizen_id: str | None) -> str | None:
    """Lists show only the last three digits: enough to tell two namesakes apart."""
    return None if citizen_id is None else "*" * (len(citizen_id) - 3) + citizen_id[-3:]


class MemberService:
    def __init__(
        self,
        conn: Connection,
        ctx: RequestContext,
        *,
        sessions: SessionStore,
        secret_key: str,
        activation_code_days: int,
    ) -> None:
        self.conn = conn
        self.ctx = ctx
        self.sessions = sessions
        self.secret_key = secret_key
        self.activation_code_days = activation_code_days

    @property
    def principal(self) -> Principal:
        return self.ctx.caller

    async def list(self, *, unit_id: int | None, after: str | None, limit: int) -> MemberPage:
        """Members in the caller's scope, card number order; citizen IDs masked, and only for admins."""
        scope = self.principal.units_for(REGISTER_READERS)
        rows = await self.conn.fetch(Q["list_members"], scope, unit_id, after, limit + 1)
        admin_units = set(self.principal.units_for(ADMINS))
        items = []
        for row in rows[:limit]:
            record_ = dict(row)
            record_["citizen_id"] = mask_citizen_id(row["citizen_id"]) if admin_units else None
            items.append(_member(record_))
        return MemberPage(items=items, next_cursor=items[-1].card_number if len(rows) > limit else None)

    async def get(self, member_id: UUID) -> Member:
        """One member: yourself, or someone in your scope; citizen ID whole for admins in scope only."""
        row = await self._visible_row(member_id, REGISTER_READERS, allow_self=True)
        record_ = dict(row)
        if not self.principal.covers(ADMINS, row["branch_path"]):
            record_["citizen_id"] = None if row["id"] != self.principal.member_id else row["citizen_id"]
        return _member(record_)

    async def issue_activation_codes(self, branch_id: int) -> ActivationSheet:
        """New one-time codes for every member of a branch who has not activated yet."""
        branch = await OrgService(self.conn).find(branch_id)
        if branch is None or not self.principal.covers(ACCESS_MANAGERS, branch.path):
            raise NotFound(f"No org unit {branch_id}.")
        if branch.kind not in ("branch", "group"):
            raise InvalidInput("Mã kích hoạt được cấp theo từng chi bộ.")
        codes = []
        for row in await self.conn.fetch(Q["pending_activations"], branch.id):
            code, expires_at = await self._new_code(row["account_id"])
            codes.append(
                ActivationCode(
                    member_id=row["member_id"],
                    card_number=row["card_number"],
                    full_name=row["full_name"],
                    code=format_activation_code(code),
                    expires_at=expires_at,
                )
            )
        await record(
            self.conn,
            self.ctx,
            "activation_codes_issued",
            target=f"unit:{branch.code}",
            unit_id=branch.id,
            details={"count": len(codes)},
        )
        return ActivationSheet(branch_id=branch.id, branch_code=branch.code, branch_name=branch.name, codes=codes)

    async def reset_access(self, member_id: UUID) -> ActivationCode:
        """The member lost their password or phone: sign them out everywhere and issue a new code."""
        row = await self._visible_row(member_id, ACCESS_MANAGERS, allow_self=False)
        if row["account_id"] is None or row["status"] != "active":
            raise InvalidInput("Chỉ cấp mã mới cho đảng viên đang sinh hoạt và đã có tài khoản.")
        await self.conn.execute(Q["clear_password"], row["account_id"])
        revoked = await self.conn.fetch(Q["revoke_all_sessions"], row["account_id"])
        await self.sessions.forget([r["token_digest"] for r in revoked])
        code, expires_at = await self._new_code(row["account_id"])
        await record(
            self.conn,
            self.ctx,
            "access_reset",
            target=f"member:{member_id}",
            unit_id=row["branch_id"],
            details={"sessions_revoked": len(revoked)},
        )
        return ActivationCode(
            member_id=row["id"],
            card_number=row["card_number"],
            full_name=row["full_name"],
            code=format_activation_code(code),
            expires_at=expires_at,
        )

    async def _new_code(self, account_id: UUID) -> tuple[str, datetime]:
        """Issue a one-time code (replacing any earlier one); only its keyed digest is stored."""
        code = new_activation_code()
        expires_at: datetime = await self.conn.fetchval(
            Q["upsert_activation_code"],
            account_id,
            activation_code_digest(self.secret_key, code),
            self.principal.account_id,
            self.activation_code_days,
        )
        return code, expires_at

    async def _visible_row(self, member_id: UUID, roles: frozenset[Any], *, allow_self: bool) -> Any:
        row = await self.conn.fetchrow(Q["get_member"], member_id)
        is_self = row is not None and row["id"] == self.principal.member_id
        if row is None or not ((allow_self and is_self) or self.principal.covers(roles, row["branch_path"])):
            raise NotFound(f"No member {member_id}.")
        return row


def _member(row: dict[str, Any]) -> Member:
    return Member(
        id=row["id"],
        card_number=row["card_number"],
        full_name=row["full_name"],
        date_of_birth=row["date_of_birth"],
        gender=row["gender"],
        phone=row["phone"],
        email=row["email"],
        citizen_id=row["citizen_id"],
        joined_on=row["joined_on"],
        official_on=row["official_on"],
        probationary=_probationary(row["official_on"]),
        branch_id=row["branch_id"],
        branch_code=row["branch_code"],
        branch_name=row["branch_name"],
        position=row["position"],
        status=row["status"],
        activated=row["activated"],
    )


def _probationary(official_on: date | None) -> bool:
    """Probationary until the official date (dự bị until ngày chính thức), dated in Vietnam."""
    return official_on is None or official_on > datetime.now(VIETNAM).date()
