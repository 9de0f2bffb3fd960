"""Sign-in, activation and session shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from api.schemas import Input

LoginName = Annotated[str, msgspec.Meta(min_length=1, max_length=100, description="Card number, phone or username")]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]
ClientKind = Literal["cookie", "bearer"]


class LoginRequest(Input, frozen=True):
    login: LoginName
    password: Password
    client: ClientKind = "cookie"
    """"cookie" for the PWA (HttpOnly cookie); "bearer" for API clients (token in the answer)."""


class ActivateRequest(Input, frozen=True):
    card_number: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    password: Password
    client: ClientKind = "cookie"


class ChangePasswordRequest(Input, frozen=True):
    current_password: Password
    new_password: Password


class RoleGrantView(msgspec.Struct, frozen=True):
    role: str
    unit_id: int
    unit_code: str
    unit_name: str


class Me(msgspec.Struct, frozen=True):
    account_id: UUID
    display_name: str
    username: str | None
    member_id: UUID | None
    card_number: str | None
    branch_id: int | None
    branch_name: str | None
    roles: list[RoleGrantView]
    csrf_token: str | None
    """Send back as the X-CSRF-Token header on unsafe requests made with the session cookie."""


class SignedIn(msgspec.Struct, frozen=True):
    me: Me
    session_id: UUID
    token: str | None = None
    """Only for ``client: bearer``; the PWA's token stays in an HttpOnly cookie."""


class SessionView(msgspec.Struct, frozen=True):
    id: UUID
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    client_kind: str
    user_agent: str
    ip: str | None
    current: bool


class RevokedCount(msgspec.Struct, frozen=True):
    revoked: int
