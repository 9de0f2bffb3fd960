"""Posting limits per account, in Redis windows shared by every worker: 429 with Retry-After past them."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from redis.asyncio import Redis

from api.auth.throttle import Throttle
from api.errors import TooManyRequests

Posting = Literal["feedback", "reply", "report"]

WINDOW_SECONDS = 3600
LIMITS: dict[Posting, int] = {"feedback": 10, "reply": 60, "report": 30}
"""Per account and hour: far above what a member writes by hand, low enough to stop a script or a loop."""

_WORDS: dict[Posting, str] = {"feedback": "góp ý", "reply": "trả lời", "report": "báo cáo vi phạm"}


class PostingLimits:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._throttles: dict[Posting, Throttle] = {}

    async def charge(self, posting: Posting, account_id: UUID) -> None:
        """Count one post; raise TooManyRequests (with Retry-After) past the hour's limit."""
        throttle = self._throttles.get(posting)
        if throttle is None:
            throttle = Throttle(
                self._redis, namespace=f"post-{posting}", limit=LIMITS[posting], window_seconds=WINDOW_SECONDS
            )
            self._throttles[posting] = throttle
        verdict = await throttle.attempt(str(account_id))
        if not verdict.allowed:
            raise TooManyRequests(
                f"Bạn đã gửi quá {LIMITS[posting]} {_WORDS[posting]} trong một giờ; vui lòng thử lại sau.",
                retry_after=verdict.retry_after_seconds,
            )
