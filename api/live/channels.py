"""Which Redis pub/sub channels carry live updates, and who listens to which."""

from __future__ import annotations

from uuid import UUID

from api.auth.principal import Principal

PREFIX = "ehb:live:"


def unit_channel(unit_id: int) -> str:
    """Updates for everyone whose branch lies at or under this unit (they listen to every unit above them)."""
    return f"{PREFIX}unit:{unit_id}"


def member_channel(member_id: UUID) -> str:
    return f"{PREFIX}member:{member_id}"


def channels_for(principal: Principal) -> list[str]:
    """A caller hears their own channel and that of every unit at or above their branch and role units."""
    channels = [unit_channel(unit_id) for unit_id in principal.reach]
    if principal.member_id is not None:
        channels.append(member_channel(principal.member_id))
    return channels
