"""Role grants as the API shows and takes them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from api.auth.principal import Role
from api.schemas import Input


class RoleGrant(msgspec.Struct, frozen=True):
    id: int
    account_id: UUID
    display_name: str
    role: Role
    unit_id: int
    unit_code: str
    unit_name: str
    created_at: datetime


class RoleGrantCreate(Input, frozen=True):
    """Whom to grant (an account, or a member's account), which role, on which unit."""

    role: Role
    unit_id: Annotated[int, msgspec.Meta(ge=1, le=2**62)]
    account_id: UUID | None = None
    member_id: UUID | None = None
