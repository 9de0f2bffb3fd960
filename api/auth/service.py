"""Sign-in, activation, password changes and session management."""

from __future__ import annotations

import hmac
import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID

import asyncpg
import msgspec

from api.audit.service import record
from api.auth.passwords import Passwords, password_problem
from api.auth.principal import Principal
from api.auth.schemas import Me, SessionView, SignedIn
from api.auth.sessions import SessionStore
from api.auth.throttle import Throttle
from api.auth.tokens import activation_code_digest, csrf_token, token_digest
from api.context import RequestContext
from api.db import Connection
from api.errors import FieldError, InvalidInput, NotFound, TooManyRequests, Unauthenticated
from api.sql import queries_beside

Q = queries_beside(__file__)
_SEPARATORS = re.compile(r"[\s.\-]")
_BAD_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."


class LoginThrottles(msgspec.Struct, frozen=True):
    by_account: Throttle
    by_address: Throttle


def normalize_login(login: str) -> tuple[str, str, str]:
    """The login name as a username, a card number and a phone number, to match any of them."""
    text = unicodedata.normalize("NFC", login).strip().lower()
    digits = _SEPARATORS.sub("", text)
    phone = digits
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    elif phone.startswith("84") and len(phone) == 11:
        phone = "0" + phone[2:]
    return text, digits, phone


class AuthService:
    """Everything about proving who you are."""

    def __init__(
        self,
        conn: Connection,
        ctx: RequestContext,
        *,
        passwords: Passwords,
        sessions: SessionStore,
        throttles: LoginThrottles,
        secret_key: str,
    ) -> None:
        self.conn = conn
        self.ctx = ctx
        self.passwords = passwords
        self.sessions = sessions
        self.throttles = throttles
        self.secret_key = secret_key

    async def login(self, login: str, password: str, *, client_kind: str) -> SignedIn:
        """Check the password and open a session; throttled per login name and per address."""
        username, card_number, phone = normalize_login(login)
        await self._throttle(card_number or username)
        candidates = await self.conn.fetch(Q["find_login_candidates"], username, card_number, phone)
        account = _pick_candidate(candidates)
        stored_hash = account["password_hash"] if account else None
        valid = await self.passwords.verify(stored_hash, password)
        usable = account is not None and not account["disabled"] and account["member_status"] in (None, "active")
        if not (valid and usable):
            await record(self.conn, self.ctx, "sign_in_failed", target=f"login:{_mask(card_number or username)}")
            raise Unauthenticated(_BAD_CREDENTIALS, keep_writes=True)
        assert account is not None  # noqa: S101 - usable implies it
        await self._forgive(card_number or username)
        if stored_hash and self.passwords.needs_rehash(stored_hash):
            await self._store_hash(account["id"], await self.passwords.hash(password), changed=False)
        return await self._open_session(account["id"], client_kind, action="sign_in")

    async def activate(self, card_number: str, code: str, password: str, *, client_kind: str) -> SignedIn:
        """First sign-in of an imported member: card number + one-time code, then a password of their own."""
        _, digits, _ = normalize_login(card_number)
        await self._throttle(digits)
        row = await self.conn.fetchrow(Q["find_activation"], digits)
        presented = activation_code_digest(self.secret_key, code)
        valid = row is not None and hmac.compare_digest(row["code_digest"], presented)
        if row is None or not valid or row["expires_at"] < datetime.now(UTC):
            await record(self.conn, self.ctx, "activation_failed", target=f"card:{_mask(digits)}")
            raise Unauthenticated("Số thẻ hoặc mã kích hoạt không đúng, hoặc mã đã hết hạn.", keep_writes=True)
        problem = password_problem(password, card_number=row["card_number"])
        if problem:
            raise InvalidInput(problem, errors=[FieldError(field="password", message=problem)])
        await self._forgive(digits)
        await self.conn.execute(Q["consume_activation"], row["account_id"], await self.passwords.hash(password))
        return await self._open_session(
            row["account_id"], client_kind, action="account_activated", unit_id=row["branch_id"]
        )

    async def logout(self, principal: Principal) -> None:
        digests = await self.conn.fetch(Q["revoke_session"], principal.session_id, principal.account_id)
        await self.sessions.forget([row["token_digest"] for row in digests])
        await record(self.conn, self.ctx, "sign_out", target=f"account:{principal.account_id}")

    async def change_password(self, principal: Principal, current: str, new: str) -> int:
        """Change the password; every other session of the account ends. Returns how many ended."""
        row = await self.conn.fetchrow(Q["get_password_hash"], principal.account_id)
        if row is None or not await self.passwords.verify(row["password_hash"], current):
            await self._throttle(str(principal.account_id))
            raise InvalidInput(
                "Mật khẩu hiện tại không đúng.", errors=[FieldError(field="current_password", message="wrong password")]
            )
        problem = password_problem(new, card_number=row["card_number"])
        if problem:
            raise InvalidInput(problem, errors=[FieldError(field="new_password", message=problem)])
        await self._store_hash(principal.account_id, await self.passwords.hash(new), changed=True)
        revoked = await self.revoke_others(principal, audit=False)
        await record(
            self.conn,
            self.ctx,
            "password_changed",
            target=f"account:{principal.account_id}",
            details={"sessions_revoked": revoked},
        )
        return revoked

    async def me(self, principal: Principal, session_digest: bytes | None) -> Me:
        """The caller's account, roles, and the CSRF token of the session it came with."""
        row = await self.conn.fetchrow(Q["get_me"], principal.account_id)
        if row is None:
            raise NotFound("Không tìm thấy tài khoản.")
        csrf = csrf_token(self.secret_key, session_digest) if session_digest else None
        return msgspec.convert({**row, "csrf_token": csrf}, Me)

    async def list_sessions(self, principal: Principal) -> list[SessionView]:
        rows = await self.conn.fetch(Q["list_sessions"], principal.account_id)
        return [SessionView(current=row["id"] == principal.session_id, **dict(row)) for row in rows]

    async def revoke(self, principal: Principal, session_id: UUID) -> None:
        rows = await self.conn.fetch(Q["revoke_session"], session_id, principal.account_id)
        if not rows:
            raise NotFound("Không tìm thấy phiên đăng nhập này.")
        await self.sessions.forget([row["token_digest"] for row in rows])
        await record(self.conn, self.ctx, "session_revoked", target=f"session:{session_id}")

    async def revoke_others(self, principal: Principal, *, audit: bool = True) -> int:
        rows = await self.conn.fetch(Q["revoke_other_sessions"], principal.account_id, principal.session_id)
        await self.sessions.forget([row["token_digest"] for row in rows])
        if audit:
            await record(
                self.conn,
                self.ctx,
                "sessions_revoked",
                target=f"account:{principal.account_id}",
                details={"count": len(rows)},
            )
        return len(rows)

    async def _store_hash(self, account_id: object, password_hash: str, *, changed: bool) -> None:
        await self.conn.execute(Q["set_password_hash"], account_id, password_hash, changed)

    async def _forgive(self, login_key: str) -> None:
        # A success clears the account's count and takes back its own attempt from the address, so
        # fifty members signing in over one village Wi-Fi (or a carrier NAT) never lock each other out.
        await self.throttles.by_account.reset(login_key)
        await self.throttles.by_address.release(self._address())

    def _address(self) -> str:
        return str(self.ctx.ip) if self.ctx.ip else "unknown"

    async def _throttle(self, login_key: str) -> None:
        address = self._address()
        by_address = await self.throttles.by_address.attempt(address)
        by_account = await self.throttles.by_account.attempt(login_key)
        for verdict in (by_account, by_address):
            if not verdict.allowed:
                # Audit the lockout once, not each of a thousand refused attempts.
                if verdict.count == self.throttles.by_account.limit + 1 and verdict is by_account:
                    await record(self.conn, self.ctx, "sign_in_locked", target=f"login:{_mask(login_key)}")
                raise TooManyRequests(
                    "Quá nhiều lần thử. Vui lòng thử lại sau.",
                    retry_after=verdict.retry_after_seconds,
                    keep_writes=True,
                )

    async def _open_session(
        self, account_id: UUID, client_kind: str, *, action: str, unit_id: int | None = None
    ) -> SignedIn:
        token, session_id = await self.sessions.create(
            self.conn, account_id, client_kind=client_kind, user_agent=self.ctx.user_agent, ip=self.ctx.ip
        )
        await record(
            self.conn,
            self.ctx,
            action,
            target=f"account:{account_id}",
            unit_id=unit_id,
            details={"client": client_kind},
        )
        principal = Principal(account_id=account_id, session_id=session_id, display_name="")
        me = await self.me(principal, token_digest(token))
        return SignedIn(me=me, session_id=session_id, token=token)


def _pick_candidate(rows: Sequence[asyncpg.Record]) -> asyncpg.Record | None:
    """A username or card number names one account; a phone number only when exactly one member has it."""
    if not rows:
        return None
    best = rows[0]
    if best["match_rank"] == 2 and len(rows) > 1:
        return None
    return best


def _mask(login: str) -> str:
    """Enough of a login name to correlate failures in the audit log, not enough to read it."""
    return login[:3] + "***" if len(login) > 3 else "***"
