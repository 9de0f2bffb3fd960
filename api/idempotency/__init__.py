"""Idempotency-Key: offline replays and double taps create things exactly once."""

from api.idempotency.keys import (
    REPLAYED_HEADER,
    IdempotencyMiddleware,
    Replay,
    claim_key,
    release_key,
    remember_answer,
    replay_response,
)

__all__ = [
    "REPLAYED_HEADER",
    "IdempotencyMiddleware",
    "Replay",
    "claim_key",
    "release_key",
    "remember_answer",
    "replay_response",
]
