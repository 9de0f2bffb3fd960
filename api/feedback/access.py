"""Who may see, answer and moderate feedback: one place for the rules both feedback and moderation use.

A thread's unit (the level it is addressed to) always lies on the asker's branch path, so "staff over
the asker's branch" includes the staff of the level addressed.
"""

from __future__ import annotations

from collections.abc import Sequence

from api.auth.principal import BRANCH_LEADERS, Principal, Role

FEEDBACK_STAFF = frozenset({Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.OFFICER, Role.MODERATOR, Role.ADMIN})
"""See the threads of the members under their units (names hidden where the asker chose so)."""
COMMITTEE = frozenset({Role.OFFICER, Role.MODERATOR, Role.ADMIN})
"""Answer for the commune and province levels."""
MODERATORS = frozenset({Role.MODERATOR, Role.ADMIN})
"""Act on reports: hide, restore, lock, restrict, decide appeals."""
IDENTITY_READERS = frozenset({Role.MODERATOR})
"""The committee's moderators: the only ones who may look up who sent an anonymous thread."""


def responsible_roles(level: str) -> frozenset[Role]:
    """Who answers at a level: the branch's secretary (or deputy), else the committee's officers."""
    return BRANCH_LEADERS if level == "branch" else COMMITTEE


def sees_thread(principal: Principal, *, mine: bool, origin_path: Sequence[int]) -> bool:
    return mine or principal.covers(FEEDBACK_STAFF, origin_path)


def answers_for(principal: Principal, level: str, unit_path: Sequence[int]) -> bool:
    return principal.covers(responsible_roles(level), unit_path)


def moderates(principal: Principal, unit_path: Sequence[int]) -> bool:
    return principal.covers(MODERATORS, unit_path)


def staff_units(principal: Principal) -> list[int]:
    return principal.units_for(FEEDBACK_STAFF)


def faq_readers(principal: Principal) -> tuple[list[int], list[int]]:
    """FAQ entries are readable at the units at or above the caller (``reach``) and inside staff subtrees."""
    return list(principal.reach), sorted({grant.unit_id for grant in principal.grants})


def sees_faq(principal: Principal, unit_id: int, unit_path: Sequence[int]) -> bool:
    reach, staff = faq_readers(principal)
    return unit_id in reach or bool(set(unit_path) & set(staff))
